"""Who may use which route, generated from the app's URL map: anonymous, a walker's token, a
coordinator and an admin each get through, a redirect to sign-in (401 for JSON), or 403 — as
the view's declared role says. Across organisations: another organisation's staff get 404 for
every id of the first's, and a region user's writes are all refused. A new route with a URL argument this test has no sample for fails
here, so nobody adds a route without deciding who may use it."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image

from tests.helpers import hash_password, observation, post_observation, sign_in_directly
from walkapp import calendars, invitations, mail_texts, measures, organisations, users, walks
from walkapp.access import (
    ACCOUNT,
    ADMIN,
    COORDINATOR,
    PARTNER,
    PUBLIC,
    REGION,
    WALKER,
    WALKER_COOKIE,
)
from walkapp.db import api_tokens as api_tokens_db
from walkapp.db import connect, database_path, transaction
from walkapp.db import routes as routes_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.db.organisations import OWNED_IDS
from walkapp.demo import create_demo

ROUTE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[18.06, 59.33], [18.07, 59.33]]},
            "properties": {"kind": "route"},
        }
    ],
}
# A partner's person, one's own account and the region view stand beside the ranks.
RANK = {PUBLIC: 0, WALKER: 1, COORDINATOR: 2, ADMIN: 3, PARTNER: None, ACCOUNT: None, REGION: None}
JSON_PREFIXES = ("/api/", "/export/", "/open311/")
# Walker routes where, beyond the role, only the observation's own walker may act: a coordinator
# changes a finding through triage, never by rewriting what the walker recorded.
OWNER_ONLY = {"observations_api.edit_observation", "observations_api.delete_observation"}
# Staff routes only a co-organiser's people may use (leaving a joint walk): the sample walk is the
# matrix's coordinator's own, so they are refused (tests/test_walks_organisers.py has the rest).
CO_ORGANISER_ONLY = {"walks.leave", "walks.accept"}
# Public routes whose sample (a finding of a walk not yet held) only staff may see: 404 to others.
STAFF_SAMPLE_ONLY = {"open311.request_one"}
# Public routes whose sample (a walker's photo) is never public: 404 to everyone.
NOBODYS_SAMPLE = {"public.photo"}


def unsubscribe_token(app, user_id: int) -> str:
    with app.app_context():
        return mail_texts.unsubscribe_token(user_id, "overdue")


def ask_the_walker(app, observation_id: str, walker_id: str, walk_id: str) -> int:
    """The four-week question asked about the walker's finding (its event's history row)."""
    db = connect(database_path(app))
    with app.app_context():
        measures.set_status(db, observation_id, "done", None)
    history_id = db.execute("select max(id) from measure_history").fetchone()[0]
    db.execute(
        "insert into mail_walker_events (id, history_id, observation_id, measure_id, walker_id,"
        " walk_id, status, happened_at, asked_at)"
        " values (?, ?, ?, ?, ?, ?, 'done', '2026-11-25', '2026-12-23')",
        [history_id, history_id, observation_id, observation_id, walker_id, walk_id],
    )
    db.conn.commit()
    db.close()
    return history_id


def walker_mail_tokens(app, photo_id: str, history_id: int, walker_id: str) -> dict:
    with app.app_context():
        return {
            "photo_token": mail_texts.photo_token(photo_id),
            "answer_token": mail_texts.answer_token(history_id, "yes"),
            "stop_token": mail_texts.stop_token(walker_id),
        }


@pytest.fixture
def world(app):
    # Fresh per role: the walker's run deletes its own observation at the end.
    db = connect(database_path(app))
    ids = {
        role: users_db.create_user(db, role, hash_password("x" * 12), role)
        for role in ("coordinator", "admin")
    }
    walk = walks_db.create_walk(
        db, title="Matris", starts_at="2026-11-24T18:00", state="ongoing", public=1
    )
    with transaction(db):  # a public walk's planned route is public
        routes_db.save_route(db, walk["id"], ROUTE, None)
        api_tokens_db.create_token(db, ids["coordinator"], "QGIS")  # token 1
    create_demo(db, 50.0)  # partners, a promise with commitments, earlier walks
    promise_id, commitment_id = db.execute(
        "select promise_id, id from commitments order by id limit 1"
    ).fetchone()
    db.close()
    client = app.test_client()
    joined = client.post("/api/join", json={"code": walk["code"]}).json
    bearer = {"Authorization": "Bearer " + joined["token"]}
    body = observation()
    post_observation(client, walk, bearer, body)
    observation_id = body["id"]
    # A partner's person whose partner the sample measure is given to (their screens need it).
    db = connect(database_path(app))
    partner_id = db.execute("select id from partners order by id limit 1").fetchone()[0]
    ids["partner"] = users_db.create_user(
        db, "partner", hash_password("x" * 12), "partner", partner_id=partner_id
    )
    db.conn.commit()
    measures.set_status(db, observation_id, "assigned", None, partner_id=partner_id)
    db.close()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, "JPEG")
    photo = client.post(
        f"/api/observations/{observation_id}/photos",
        data={"id": str(uuid.uuid4()), "photo": (io.BytesIO(buffer.getvalue()), "p.jpg")},
        headers=bearer,
        content_type="multipart/form-data",
    )
    assert photo.status_code == 201, photo.json
    photo = photo.json
    asked = ask_the_walker(app, observation_id, joined["walker_id"], walk["id"])
    samples = {
        "walk_id": walk["id"],
        "code": walk["code"],
        "observation_id": observation_id,
        "photo_id": photo["id"],
        "place_id": 1,
        "organisation_id": 1,
        "partner_id": 1,
        "promise_id": promise_id,
        "commitment_id": commitment_id,
        "activity_id": 1,
        "token_id": 1,
        "year": 2026,
        "language": "en",
        "slug": "lpo-norrmalm",  # the first organisation's public page
        # The coordinator: an admin deactivating or signing out someone else, not itself.
        "user_id": ids["coordinator"],
        "walker_id": joined["walker_id"],
        # A mail's unsubscribe link (the coordinator's, from the weekly overdue digest).
        "token": unsubscribe_token(app, ids["coordinator"]),
        # A walker's mail: a photo link, the answer "yes" to the four-week question, no more mail.
        **walker_mail_tokens(app, photo["id"], asked, joined["walker_id"]),
    }
    # Query strings some routes need to show their page: the partners' calendar's key.
    db = connect(database_path(app))
    queries = {"calendars.partners_feed": f"?key={calendars.renew_partners_key(db, 1, None)}"}
    samples["invitation"] = invitations.invite(db, 1, None, None)  # a partner's new person's link
    db.close()
    samples["_queries"] = queries
    return {"app": app, "samples": samples, "token": joined["token"], "users": ids}


# Deletes of a part, sent before the delete of what holds it.
DELETED_FIRST = {"photos_api.remove_photo"}


def _requests(app, samples):
    """(rule, method, path) for every route; deletes last, since they remove the sample, and a
    part before what holds it (a photo before its observation)."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        missing = rule.arguments - samples.keys() - set(rule.defaults or {})
        assert not missing, f"{rule.rule}: add a sample value for {missing} to this test"
        values = {key: samples[key] for key in rule.arguments if key in samples}
        path = rule.build({**values, **(rule.defaults or {})}, append_unknown=False)[1]
        path += samples["_queries"].get(rule.endpoint, "")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule, method, path))
    return sorted(
        found, key=lambda item: (item[1] == "DELETE", item[0].endpoint not in DELETED_FIRST)
    )


def _client(world, who: str):
    client = world["app"].test_client()
    if who == "walker":
        client.set_cookie(WALKER_COOKIE, world["token"])
    elif who in ("coordinator", "admin", "partner"):
        # A fresh sign-in per request: the matrix itself posts /logout and "sign out
        # everywhere", which end the sessions they are sent with.
        db = connect(database_path(world["app"]))
        sign_in_directly(client, db, world["users"][who])
        db.close()
    return client


def _expected(required: str, who: str) -> str:
    if required == ACCOUNT:  # one's own account: anyone signed in
        return "allowed" if who in ("coordinator", "admin", "partner") else "sign-in"
    if who == "partner":  # their own screens and the public's; every other is refused
        return "allowed" if required in (PUBLIC, PARTNER) else "forbidden"
    if required == PARTNER:
        return "forbidden" if who in ("coordinator", "admin") else "sign-in"
    if required == REGION:  # region users and the instance's admin (the matrix's admin)
        return {"admin": "allowed", "coordinator": "forbidden"}.get(who, "sign-in")
    level = {"anonymous": 0, "walker": 1, "coordinator": 2, "admin": 3}[who]
    if required == WALKER and who == "anonymous":
        return "forbidden"
    if RANK[required] <= level or (required == WALKER and level >= 2):
        return "allowed"
    if required in (COORDINATOR, ADMIN) and level < 2:
        return "sign-in"
    return "forbidden"


def _outcome(response, path: str) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 401 or (response.status_code in (302, 303) and "/login" in location):
        return "sign-in"
    if response.status_code == 403:
        return "forbidden"
    return "allowed"


@pytest.mark.parametrize("who", ["anonymous", "walker", "coordinator", "admin", "partner"])
def test_route_by_role_matrix(world, who):
    app = world["app"]
    wrong = []
    for rule, method, path in _requests(app, world["samples"]):
        view = app.view_functions[rule.endpoint]
        required = getattr(view, "required_role", None)
        assert required in RANK, f"{rule.rule} declares no role"
        client = _client(world, who)
        response = client.open(path, method=method, data={} if method != "GET" else None)
        expected, got = _expected(required, who), _outcome(response, path)
        if rule.endpoint in OWNER_ONLY | CO_ORGANISER_ONLY and who in ("coordinator", "admin"):
            expected = "forbidden"
        if got != expected or response.status_code >= 500:
            wrong.append(f"{method} {path} ({required}): {who} got {response.status_code}")
        elif expected == "allowed" and method == "GET":
            # With valid sample data a page the role may see must really be there.
            hidden = rule.endpoint in NOBODYS_SAMPLE or (
                rule.endpoint in STAFF_SAMPLE_ONLY and who in ("anonymous", "walker", "partner")
            )
            if response.status_code not in ((404,) if hidden else (200, 301, 302, 303)):
                wrong.append(f"GET {path}: {who} got {response.status_code}")
    assert wrong == []


def _other_organisation(world) -> dict:
    """A second organisation with a coordinator and an admin of its own, and a region user whose
    area (a kommun far from LPO Norrmalm) covers neither organisation's."""
    db = connect(database_path(world["app"]))
    other = organisations.create(db, "annan", "En annan arrangör", ("kommun:0114",))
    hashed = hash_password("x" * 12)
    ids = {
        "coordinator": users.create(db, "annan-samordnare", hashed, "coordinator", other),
        "admin": users.create(db, "annan-admin", hashed, "admin", other),
        "region": users.create(
            db, "region", hashed, "region", None, organisations.area_ids_named(db, ("kommun:0180",))
        ),
    }
    db.close()
    return ids


def _signed_in(world, user_id: int):
    client = world["app"].test_client()
    db = connect(database_path(world["app"]))
    sign_in_directly(client, db, user_id)
    db.close()
    return client


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_another_organisations_staff_get_404_for_every_id_of_the_first(world, who):
    """Every URL rule naming an id of the first organisation's things (walk, code, observation,
    photo, walker, place, partner, promise, commitment, activity, token, user), asked by the
    staff of a second organisation: 404, as for an id that names nothing — never 403 or 200."""
    app = world["app"]
    other = _other_organisation(world)
    wrong = []
    for rule, method, path in _requests(app, world["samples"]):
        required = getattr(app.view_functions[rule.endpoint], "required_role", None)
        if required == PUBLIC or not rule.arguments & set(OWNED_IDS):
            continue
        if (required == ADMIN and who == "coordinator") or required == PARTNER:
            continue  # refused for its role before any id is looked at (the matrix above)
        client = _signed_in(world, other[who])
        response = client.open(path, method=method, data={} if method != "GET" else None)
        hidden = (404,)
        if response.status_code in (301, 308):  # an earlier version's path: where it moved
            location = response.headers["Location"]
            response = client.open(location, method=method, data={} if method != "GET" else None)
            hidden = (404, 405)  # a GET of a path that moved to a POST-only one, whatever its id
        if response.status_code not in hidden:
            got = response.status_code
            wrong.append(f"{method} {path} ({required}): {who} of another got {got}")
    assert wrong == []


# What a walk holds: ids whose organisation is the walk's organisers'.
WALK_IDS = {"walk_id", "code", "observation_id", "photo_id", "walker_id"}


def test_a_co_organisers_staff_read_every_id_of_a_joint_walk_as_its_lead_does(world):
    """The sample walk made joint with a second organisation: every GET of a staff URL rule
    naming only the walk's ids (its code, observations, photos, walkers) answers its
    co-organiser's coordinator exactly as it answers the lead's — never a 404 where the lead
    gets a page. The one exception: the walk's form, the lead's alone (403: it lists the lead's
    places)."""
    app = world["app"]
    other = _other_organisation(world)
    db = connect(database_path(app))
    annan = db.execute("select id from organisations where slug = 'annan'").fetchone()[0]
    walks.update(db, world["samples"]["walk_id"], {}, co_organisers=[annan])
    db.close()
    lead = _signed_in(world, world["users"]["coordinator"])
    co = _signed_in(world, other["coordinator"])
    different, seen = [], 0
    for rule, method, path in _requests(app, world["samples"]):
        required = getattr(app.view_functions[rule.endpoint], "required_role", None)
        named = rule.arguments & set(OWNED_IDS)
        if method != "GET" or required not in (COORDINATOR, WALKER) or not named <= WALK_IDS:
            continue
        if not named:
            continue
        seen += 1  # the walk's pages, protocol, maps, capture screen, triage, photos, …
        theirs, ours = co.get(path), lead.get(path)
        if rule.endpoint == "walks.edit":
            assert (ours.status_code, theirs.status_code) == (200, 403), path
        elif theirs.status_code != ours.status_code:
            got = f"lead {ours.status_code}, co-organiser {theirs.status_code}"
            different.append(f"GET {path}: {got}")
    assert seen > 10 and different == []


def test_a_region_user_changes_nothing(world):
    """Every write of a signed-in role's URL rule, asked by a region user: refused (403, or 404
    where the id is of an organisation its areas do not cover), never done."""
    app = world["app"]
    other = _other_organisation(world)
    done = []
    for rule, method, path in _requests(app, world["samples"]):
        required = getattr(app.view_functions[rule.endpoint], "required_role", None)
        if required in (PUBLIC, ACCOUNT) or method == "GET":
            continue  # one's own account is not the organisations' data (test below)
        client = _signed_in(world, other["region"])
        response = client.open(path, method=method, data={})
        if response.status_code not in (403, 404):
            done.append(f"{method} {path} ({required}): region got {response.status_code}")
    assert done == []


def test_a_region_user_opening_the_capture_screen_joins_nothing(world):
    other = _other_organisation(world)
    client = _signed_in(world, other["region"])
    walk_id = world["samples"]["walk_id"]
    db = connect(database_path(world["app"]))
    before = db.execute("select count(*) from walkers").fetchone()[0]
    db.close()
    assert client.get(f"/walks/{walk_id}/capture").status_code in (403, 404)
    db = connect(database_path(world["app"]))
    assert db.execute("select count(*) from walkers").fetchone()[0] == before
    db.close()


def test_the_region_view_is_a_region_users_and_not_an_organisations_admins(world):
    """Every route declared REGION (organisations compared): a region user opens it (over the
    organisations its areas cover, here none), another organisation's own admin gets 403."""
    app = world["app"]
    other = _other_organisation(world)
    wrong = []
    for rule, method, path in _requests(app, world["samples"]):
        if getattr(app.view_functions[rule.endpoint], "required_role", None) != REGION:
            continue
        for who, expected in (("region", 200), ("admin", 403)):
            got = _signed_in(world, other[who]).open(path, method=method).status_code
            if got != expected:
                wrong.append(f"{method} {path}: {who} got {got}")
    assert wrong == []
