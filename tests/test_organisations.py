"""Organisations in one instance: made from the command line, an upgraded instance becoming the
first one, and a coordinator of one never reading, changing or learning of another's walks,
observations, places, tokens or users (404 for their ids; lists, maps, exports and the
dashboard of their own only); a region user reading those its areas cover and changing nothing."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from tests.helpers import (
    database_at,
    hash_password,
    make_app,
    observation,
    post_observation,
    sign_in_directly,
)
from walkapp import clock, mail, organisations, places_index, users
from walkapp.db import api_tokens as api_tokens_db
from walkapp.db import connect, database_path
from walkapp.db import organisations as organisations_db
from walkapp.db import partners as partners_db
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate


def _square(name: str, west: float, south: float, east: float, north: float) -> dict:
    """A place as walkapp.places_upload.parse_places gives it: a box in WGS84."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "name": name,
        "priority": 1,
        "description": "",
        "partners": [],
        "approximate": False,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


LARSBERG = _square("Larsbergs centrum", 18.130, 59.350, 18.140, 59.356)
# Sergels torg, under another organisation's name: place names are unique per organisation.
SERGEL_TOO = _square("Sergels torg/Plattan", 18.060, 59.330, 18.070, 59.335)


@pytest.fixture
def world(app):
    db = connect(database_path(app))
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    places_index.import_places(
        db, [LARSBERG, SERGEL_TOO], False, 50.0, organisation_id=lidingo
    )
    hashed = hash_password("x" * 12)
    ids = {
        "norrmalm": users.create(db, "norrmalm", hashed, "coordinator", 1),
        "lidingo": users.create(db, "lidingo", hashed, "coordinator", lidingo),
        "instance": users.create(db, "instance", hashed, "admin", None),
        "lidingo_admin": users.create(db, "lidingo_admin", hashed, "admin", lidingo),
        "region": users.create(
            db, "region", hashed, "region", None, organisations.area_ids_named(db, ("kommun:0186",))
        ),
    }
    walk_a = walks_db.create_walk(db, title="Norrmalms vandring", starts_at="2026-11-24T18:00",
                                  state="ongoing", organisation_id=1)
    walk_b = walks_db.create_walk(db, title="Larsbergs vandring", starts_at="2026-11-24T18:00",
                                  state="ongoing", organisation_id=lidingo)
    db.close()
    client = app.test_client()
    found = {}
    for key, walk in (("a", walk_a), ("b", walk_b)):
        joined = client.post("/api/join", json={"code": walk["code"]}).json
        body = observation()  # at Sergels torg, in both organisations' places of that name
        assert post_observation(
            client, walk, {"Authorization": "Bearer " + joined["token"]}, body
        ).status_code == 201
        found[key] = {"walk": walk, "observation": body["id"]}
    return {"app": app, "users": ids, "found": found, "lidingo": lidingo}


def _as(world, who):
    client = world["app"].test_client()
    db = connect(database_path(world["app"]))
    sign_in_directly(client, db, world["users"][who])
    db.close()
    return client


def _db(world):
    return connect(database_path(world["app"]))


def test_each_organisations_observations_take_its_own_places(world):
    db = _db(world)
    rows = {
        row["walk_id"]: row
        for row in db.query(
            "select o.walk_id, p.organisation_id, p.name from observations o"
            " join places p on p.id = o.place_id"
        )
    }
    assert rows[world["found"]["a"]["walk"]["id"]]["organisation_id"] == 1
    assert rows[world["found"]["b"]["walk"]["id"]]["organisation_id"] == world["lidingo"]
    assert rows[world["found"]["b"]["walk"]["id"]]["name"] == "Sergels torg/Plattan"


def test_another_organisations_ids_are_not_there(world):
    client = _as(world, "lidingo")
    a = world["found"]["a"]
    db = _db(world)
    place_a = db.execute("select id from places where organisation_id = 1 limit 1").fetchone()[0]
    for path in (
        f"/walks/{a['walk']['id']}",
        f"/walks/{a['walk']['id']}/protocol.csv",
        f"/maps/walk/{a['walk']['id']}",
        f"/observations/{a['observation']}/triage",
        f"/places/{place_a}",
        f"/maps/place/{place_a}",
        f"/walks/{a['walk']['id']}/capture",
    ):
        assert client.get(path).status_code == 404, path
    closing = client.post(f"/walks/{a['walk']['id']}/state", data={"state": "closed"})
    assert closing.status_code == 404
    # The same paths of its own walk are there.
    b = world["found"]["b"]
    assert client.get(f"/walks/{b['walk']['id']}").status_code == 200
    assert client.get(f"/observations/{b['observation']}/triage").status_code == 200


def test_lists_maps_exports_and_the_dashboard_hold_only_the_callers_organisation(world):
    client = _as(world, "lidingo")
    a, b = world["found"]["a"], world["found"]["b"]
    walks = client.get("/walks").get_data(as_text=True)
    assert "Larsbergs vandring" in walks and "Norrmalms vandring" not in walks
    places = client.get("/places").get_data(as_text=True)
    assert "Larsbergs centrum" in places and "Centralstationen" not in places
    features = client.get("/export/observations.geojson").json["features"]
    assert [f["id"] for f in features] == [b["observation"]]
    rows = client.get("/export/observations.csv").get_data(as_text=True)
    assert b["observation"] in rows and a["observation"] not in rows
    # Another organisation's walk as a filter names nothing: a 400, as an unknown id.
    assert client.get(f"/export/observations.geojson?walk={a['walk']['id']}").status_code == 400
    overview = client.get("/maps/overview").get_data(as_text=True)
    assert "Larsbergs centrum" in overview and "Centralstationen" not in overview
    measures = client.get("/measures").get_data(as_text=True)
    assert "Larsbergs vandring" in measures or b["observation"][:8] in measures
    assert "Norrmalms vandring" not in measures
    assert "Norrmalms vandring" not in client.get("/dashboard").get_data(as_text=True)
    # The instance's admin sees both.
    both = _as(world, "instance").get("/export/observations.geojson").json["features"]
    assert {f["id"] for f in both} == {a["observation"], b["observation"]}


def test_an_organisations_admin_sees_its_own_users_only(world):
    client = _as(world, "lidingo_admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "lidingo" in page and "norrmalm" not in page and "instance" not in page
    norrmalm = world["users"]["norrmalm"]
    assert client.post(f"/admin/users/{norrmalm}/sign-out").status_code == 404


def test_a_token_reads_only_the_organisation_of_who_made_it(world):
    db = _db(world)
    _id, token = api_tokens_db.create_token(db, world["users"]["lidingo"], "QGIS")
    other_id, _token = api_tokens_db.create_token(db, world["users"]["norrmalm"], "QGIS")
    db.close()
    client = world["app"].test_client()
    features = client.get(f"/export/observations.geojson?token={token}").json["features"]
    assert [f["id"] for f in features] == [world["found"]["b"]["observation"]]
    requests = client.get(f"/open311/v2/requests.json?api_key={token}").json
    assert [r["service_request_id"] for r in requests] == [world["found"]["b"]["observation"]]
    a = world["found"]["a"]["observation"]
    assert client.get(f"/open311/v2/requests/{a}.json?api_key={token}").status_code == 404
    # Another's token is not there to revoke, nor in the list.
    lidingo = _as(world, "lidingo")
    assert lidingo.post(f"/tokens/{other_id}/revoke").status_code == 404


def test_a_region_user_reads_what_its_areas_cover_and_changes_nothing(world):
    client = _as(world, "region")
    # Kommun Lidingö: Lidingö stad's, and LPO Norrmalm's, of which Lidingö is a part.
    walks = client.get("/walks").get_data(as_text=True)
    assert "Larsbergs vandring" in walks and "Norrmalms vandring" in walks
    b = world["found"]["b"]
    assert client.get(f"/walks/{b['walk']['id']}").status_code == 200
    closing = client.post(f"/walks/{b['walk']['id']}/state", data={"state": "closed"})
    assert closing.status_code == 403
    assert client.post("/walks/new", data={"title": "x"}).status_code == 403
    assert client.get("/admin/users").status_code == 403
    # A region user of a kommun neither covers reads neither.
    db = _db(world)
    far = users.create(
        db, "far", "x", "region", None, organisations.area_ids_named(db, ("kommun:0114",))
    )
    elsewhere = world["app"].test_client()
    sign_in_directly(elsewhere, db, far)
    walks = elsewhere.get("/walks").get_data(as_text=True)
    assert "Larsbergs vandring" not in walks and "Norrmalms vandring" not in walks
    assert elsewhere.get(f"/walks/{b['walk']['id']}").status_code == 404


def test_commands_make_organisations_users_and_walks(world):
    runner = world["app"].test_cli_runner()
    made = runner.invoke(
        args=["create-organisation", "bid-city", "--name", "City BID", "--area", "Norrmalm"]
    )
    assert made.exit_code == 0, made.output
    listed = runner.invoke(args=["organisations"]).output
    assert "bid-city\tCity BID" in listed and "lidingo\tLidingö stad" in listed
    for refused, words in (
        (["create-organisation", "Bad Slug", "--name", "x"], "slug"),
        (["create-organisation", "bid-city", "--name", "x"], "already exists"),
        (["create-organisation", "nowhere", "--name", "x", "--area", "Atlantis"], "Atlantis"),
    ):
        result = runner.invoke(args=refused)
        assert result.exit_code == 1 and words in result.output, result.output
    # With several organisations a coordinator needs one.
    result = runner.invoke(
        args=["create-user", "kim", "--role", "coordinator"], input="correct horse battery staple\n"
    )
    assert result.exit_code == 1 and "--organisation" in result.output
    result = runner.invoke(
        args=["create-user", "kim", "--role", "coordinator", "--organisation", "bid-city"],
        input="correct horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    db = _db(world)
    kim = db.execute("select organisation_id from users where username = 'kim'").fetchone()[0]
    assert kim == organisations_db.get_by_slug(db, "bid-city")["id"]
    walk = runner.invoke(
        args=["create-walk", "--organisation", "lidingo", "--title", "Larsberg igen",
              "--starts-at", "2026-12-03T18:00", "--place", "Larsbergs centrum"]
    )
    assert walk.exit_code == 0, walk.output
    made = walks_db.get_walk(db, json.loads(walk.output)["id"])
    assert made["organisation_id"] == world["lidingo"]
    # Another organisation's place is not one of its places.
    other = runner.invoke(
        args=["create-walk", "--organisation", "lidingo", "--title", "x",
              "--starts-at", "2026-12-03T18:00", "--place", "Centralstationen"]
    )
    assert other.exit_code == 1 and "unknown place" in other.output


def test_an_instance_of_one_area_upgrades_into_one_organisation(tmp_path):
    db = database_at(tmp_path, "0007_users_roles")
    db.execute(
        "insert into users (id, username, password_hash, role, created_at) values"
        " (1, 'kim', 'x', 'coordinator', '2026-01-01'), (2, 'ada', 'x', 'admin', '2026-01-01')"
    )
    db.execute(
        "insert into places (id, name, geometry, updated_at) values (4, 'Plattan', '{}', '2026')"
    )
    db.execute("insert into partners (id, name) values (3, 'Trafikkontoret')")
    db.execute(
        "insert into walks (id, title, code, starts_at, created_at) values"
        " ('w', 'Plattan', 'ABC234', '2026-11-24T17:00:00+00:00', '2026')"
    )
    db.execute("insert into walk_places (walk_id, place_id) values ('w', 4)")
    db.execute(
        "insert into api_tokens (user_id, token_hash, created_at) values (1, 'h', '2026')"
    )
    db.conn.commit()
    assert migrate(db, upto="0008_organisations") == ["0008_organisations"]
    assert db.execute("select id, slug from organisations").fetchall() == [(1, "lpo-norrmalm")]
    for table in ("places", "walks", "promises", "api_tokens"):
        assert {row[0] for row in db.execute(f"select organisation_id from {table}")} == {1}
    assert db.execute("select username, organisation_id from users order by id").fetchall() == [
        ("kim", 1),
        ("ada", None),
    ]
    assert db.execute("select * from organisation_partners").fetchall() == [(1, 3)]
    assert db.execute("select place_id from walk_places").fetchall() == [(4,)]
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("pragma foreign_keys").fetchone() == (1,)
    # Place names are unique within an organisation now, not across the instance.
    db.execute("insert into organisations (id, slug, name, created_at) values (2, 'b', 'B', '')")
    db.execute(
        "insert into places (name, geometry, updated_at, organisation_id)"
        " values ('Plattan', '{}', '2026', 2)"
    )


def test_the_first_start_makes_the_settings_the_first_organisations_data(tmp_path):
    app = make_app(tmp_path, ORGANISATION="Polisen · LPO Södermalm", OPEN311_JURISDICTION="sod")
    db = connect(database_path(app))
    first = organisations_db.first(db)
    assert (first["name"], first["jurisdiction_id"]) == ("Polisen · LPO Södermalm", "sod")
    assert organisations_db.area_count(db, first["id"]) == 1  # the shipped LPO
    # Once: a later start with other settings leaves the organisation's data alone.
    db.close()
    again = make_app(tmp_path, ORGANISATION="Något annat")
    db = connect(database_path(again))
    assert organisations_db.first(db)["name"] == "Polisen · LPO Södermalm"


def test_triage_offers_and_takes_no_duplicate_of_another_organisation(world):
    """Both walks found the same lamp at Sergels torg: neither organisation's triage lists the
    other's as a possible duplicate, nor takes its id as the one this duplicates."""
    client = _as(world, "lidingo")
    a, b = world["found"]["a"]["observation"], world["found"]["b"]["observation"]
    page = client.get(f"/observations/{b}/triage").get_data(as_text=True)
    assert a not in page and a[:8] not in page
    client.post(f"/observations/{b}/duplicate", data={"duplicate_of": a})
    db = _db(world)
    status = db.execute("select status from measures where observation_id = ?", [b]).fetchone()
    assert status == ("new",)


def test_routes_and_audits_exports_hold_only_the_callers_walks(world):
    client = _as(world, "lidingo")
    routes = client.get("/export/routes.geojson").json["features"]
    titles = {f["properties"].get("walk_title") or f["properties"].get("title") for f in routes}
    assert "Norrmalms vandring" not in titles
    other = world["found"]["a"]["walk"]["id"]
    assert client.get(f"/export/routes.geojson?walk={other}").status_code == 400


def test_each_organisation_has_its_public_page_and_the_front_page_lists_them(world):
    client = world["app"].test_client()
    page = client.get("/o/lidingo/").get_data(as_text=True)
    assert "Lidingö stad" in page and "Larsbergs centrum" in page
    assert "Centralstationen" not in page
    front = client.get("/").get_data(as_text=True)
    assert 'href="/o/lidingo/"' in front and "Centralstationen" in front
    assert client.get("/o/lpo-norrmalm/").status_code == 200
    assert client.get("/o/nowhere/").status_code == 404
    assert client.get("/o/lidingo/promise/2001").status_code == 404
    assert client.get(f"/o/lidingo/promise/{clock.today().year}/data.json").status_code == 200
    assert client.get("/maps/public?organisation=nowhere").status_code == 404
    english = client.get("/o/lidingo/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Lidingö stad" in english
    assert "Other organisers" in client.get("/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


def test_open311_lists_each_organisation_as_a_jurisdiction_and_answers_for_one(world):
    client = _as(world, "instance")
    listed = client.get("/open311/v2/discovery.json").json["jurisdictions"]
    assert {j["jurisdiction_id"] for j in listed} == {"lpo-norrmalm", "lidingo"}
    assert "<jurisdiction>" in client.get("/open311/v2/discovery.xml").get_data(as_text=True)
    answered = client.get("/open311/v2/requests.json?jurisdiction_id=lidingo").json
    assert [r["service_request_id"] for r in answered] == [world["found"]["b"]["observation"]]
    both = client.get("/open311/v2/requests.json").json
    assert len(both) == 2
    assert client.get("/open311/v2/requests.json?jurisdiction_id=chicago.gov").status_code == 400
    a = world["found"]["a"]["observation"]
    assert client.get(f"/open311/v2/requests/{a}.json?jurisdiction_id=lidingo").status_code == 404


def test_the_overdue_digest_tells_each_coordinator_of_their_own_organisation(world):
    """Both organisations have an overdue measure of Trafikkontoret: Lidingö's coordinator's
    Monday digest counts Lidingö's only."""
    app = world["app"]
    db = _db(world)
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
    for key in ("a", "b"):
        db.execute(
            "update measures set status = 'assigned', partner_id = ?, deadline = '2026-01-05'"
            " where observation_id = ?",
            [tk, world["found"][key]["observation"]],
        )
    db.execute("update users set email = username || '@example.se'")
    db.conn.commit()
    written = {}

    def compose(kind, person, context):
        written[person["username"], kind] = context
        return {"subject": kind, "body_text": "", "body_html": "", "unsubscribe_url": ""}

    local = clock.local(clock.now_utc())
    monday = (local - timedelta(days=local.weekday())).replace(hour=7, minute=30)
    with app.app_context():
        mail.prepare(db, compose, monday)
    assert written["lidingo", "overdue"]["partners"][0]["overdue"] == 1
    assert written["norrmalm", "overdue"]["partners"][0]["overdue"] == 1
    assert written["instance", "overdue"]["partners"][0]["overdue"] == 2


def test_a_walkers_phone_shows_the_places_of_its_walks_organisation(world):
    client = world["app"].test_client()
    walk = world["found"]["b"]["walk"]
    joined = client.post("/api/join", json={"code": walk["code"]}).json
    info = client.get(
        f"/api/walks/{walk['id']}", headers={"Authorization": "Bearer " + joined["token"]}
    ).json
    names = {f["properties"]["name"] for f in info["places"]["features"]}
    assert names == {"Larsbergs centrum", "Sergels torg/Plattan"}


def test_open_measures_are_counted_on_the_callers_places_only_place_by_place(world):
    """Both organisations have a Sergels torg with one open finding each: each counts its own,
    read by the place index (not every open measure of the instance); the admin counts both."""
    from walkapp.db import measures as measures_db

    db = _db(world)
    own = {
        organisation: measures_db.open_and_overdue_by_place(db, "2026-12-01", [organisation])
        for organisation in (1, world["lidingo"])
    }
    everything = measures_db.open_and_overdue_by_place(db, "2026-12-01")
    assert sum(n for n, _ in own[1].values()) == sum(n for n, _ in own[world["lidingo"]].values())
    assert sum(n for n, _ in everything.values()) == 2
    assert everything == {**own[1], **own[world["lidingo"]]}
    assert not set(own[1]) & set(own[world["lidingo"]])
    for scope in ([1], None):
        sql, params = measures_db.open_by_place(scope)
        steps = [row[3] for row in db.execute("explain query plan " + sql, params)]
        by_place = "SEARCH o USING COVERING INDEX observations_place_status (place_id=? AND"
        assert any(step.startswith(by_place) for step in steps), steps
        assert not any(step.startswith("SCAN o") for step in steps), steps
    sql, params = measures_db.overdue_by_place([1], "2026-12-01")
    steps = [row[3] for row in db.execute("explain query plan " + sql, params)]
    assert steps[0].startswith("SEARCH o USING INDEX observations_place_status"), steps
    assert not any("measures_status" in step for step in steps), steps


def test_the_token_form_groups_the_places_by_organisation_for_the_instances_admin(world):
    """The instance's admin picks among every organisation's places: grouped under each name;
    a coordinator's form lists their own organisation's places without a group."""
    page = _as(world, "instance").get("/tokens").get_data(as_text=True)
    assert page.count('<optgroup label="Lidingö stad">') == 2  # the export and the token form
    assert page.count('<optgroup label="Polisen · Lokalpolisområde Norrmalm">') == 2
    lidingo_group = page.split('<optgroup label="Lidingö stad">')[1].split("</optgroup>")[0]
    norrmalm = page.split('<optgroup label="Polisen · Lokalpolisområde Norrmalm">')[1]
    norrmalm_group = norrmalm.split("</optgroup>")[0]
    assert "Larsbergs centrum" in lidingo_group and "Observatorielunden" not in lidingo_group
    assert "Observatorielunden" in norrmalm_group and "Larsbergs centrum" not in norrmalm_group
    own = _as(world, "lidingo").get("/tokens").get_data(as_text=True)
    assert "<optgroup" not in own and "Larsbergs centrum" in own


def test_a_shared_partners_counts_are_each_organisations_and_the_instances_their_sum(world):
    """The partners page counts a partner's measures of the reader's organisations' walks; the
    instance's admin (every walk) counts them from the measures alone: the same sums."""
    db = _db(world)
    shared = db.execute("insert into partners (name) values ('Delad partner')").lastrowid
    for organisation_id in (1, world["lidingo"]):
        db.execute("insert into organisation_partners values (?, ?)", [organisation_id, shared])
    for key, status in (("a", "assigned"), ("b", "done")):
        db.execute(
            "update measures set partner_id = ?, status = ? where observation_id = ?",
            [shared, status, world["found"][key]["observation"]],
        )
    db.commit()
    today = clock.today().isoformat()

    def counts(ids):
        row = next(p for p in partners_db.partner_counts(db, today, ids) if p["id"] == shared)
        return row["open"], row["done"]

    assert counts({1}) == (1, 0) and counts({world["lidingo"]}) == (0, 1)
    assert counts(None) == (1, 1)


def test_the_instances_admin_is_offered_the_places_own_partners_on_its_page(world):
    """On a place's page every open measure's row offers partners: the place's organisation's
    (for the instance's admin too: not every partner of the instance on every row)."""
    db = _db(world)
    own = db.execute("insert into partners (name) values ('Lidingöhem')").lastrowid
    db.execute("insert into organisation_partners values (?, ?)", [world["lidingo"], own])
    db.commit()
    place_id = db.execute(
        "select place_id from observations where id = ?", [world["found"]["b"]["observation"]]
    ).fetchone()[0]
    norrmalms = {
        name
        for (name,) in db.execute(
            "select p.name from partners p join organisation_partners op on op.partner_id = p.id"
            " where op.organisation_id = 1"
        )
    }
    assert norrmalms and "Lidingöhem" not in norrmalms
    for who in ("instance", "lidingo"):
        page = _as(world, who).get(f"/places/{place_id}").get_data(as_text=True)
        offered = set(re.findall(r'<option value="\d+" ?>([^<]+)</option>', page))
        assert "Lidingöhem" in offered, who
        assert not offered & norrmalms, (who, offered & norrmalms)


def test_the_instances_admin_is_offered_each_rows_own_partners_in_the_measures_list(world):
    """The list of every organisation's measures: each row offers the partners of its walk's
    organisation, a coordinator's rows those of its own."""
    db = _db(world)
    own = db.execute("insert into partners (name) values ('Lidingöhem')").lastrowid
    db.execute("insert into organisation_partners values (?, ?)", [world["lidingo"], own])
    db.commit()
    norrmalms = {
        name
        for (name,) in db.execute(
            "select p.name from partners p join organisation_partners op on op.partner_id = p.id"
            " where op.organisation_id = 1"
        )
    }
    page = _as(world, "instance").get("/measures").get_data(as_text=True)
    for key, theirs, others in (("a", norrmalms, {"Lidingöhem"}), ("b", {"Lidingöhem"}, norrmalms)):
        observation_id = world["found"][key]["observation"]
        select = page.split(f'<select id="p-{observation_id}" name="partner_id">')[1]
        options = select.split("</select>")[0]
        offered = set(re.findall(r'<option value="\d+" ?>([^<]+)</option>', options))
        assert theirs <= offered and not offered & others, (key, offered)
    lidingo = _as(world, "lidingo").get("/measures").get_data(as_text=True)
    assert "Lidingöhem" in lidingo and not any(name in lidingo for name in norrmalms)


def test_the_instances_admin_cannot_give_a_measure_another_organisations_partner(world):
    """A partner that works with none of the walk's organisers is refused for the instance's
    admin too (a 400 saying so; nothing changed), in the quick change and in triage, which offers
    the walk's organisers' partners only."""
    from walkapp.db import measures as measures_db

    db = _db(world)
    own = db.execute("insert into partners (name) values ('Lidingöhem')").lastrowid
    db.execute("insert into organisation_partners values (?, ?)", [world["lidingo"], own])
    db.commit()
    norrmalm_row = world["found"]["a"]["observation"]
    admin = _as(world, "instance")
    refused = admin.post(
        f"/observations/{norrmalm_row}/status",
        data={"status": "assigned", "partner_id": own},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 400
    assert refused.json["errors"] == {"partner_id": "Inte ett giltigt val"}
    assert measures_db.get_observation(db, norrmalm_row)["partner_id"] is None
    triage = admin.get(f"/observations/{world['found']['b']['observation']}/triage").text
    assert "Lidingöhem" in triage
    assert "Lidingöhem" not in admin.get(f"/observations/{norrmalm_row}/triage").text
    taken = admin.post(
        f"/observations/{world['found']['b']['observation']}/status",
        data={"status": "assigned", "partner_id": own},
        headers={"Accept": "application/json"},
    )
    assert taken.status_code == 200, taken.json
