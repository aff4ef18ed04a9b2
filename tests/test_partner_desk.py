"""A partner's person's own screens: only their partner's measures (any other id is a 404), never
who walked; accept, plan, done with an after photo, or give back with a reason into the
coordinators' triage queue — each kept in the history with the partner's name."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from tests.helpers import PASSWORD, hash_password, login
from tests.test_coordinators import SERGEL, add_observation
from walkapp import clock, invitations, measures, organisations
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def desk(db, client):
    partners_db.ensure_partners(db, ["Trafikkontoret", "Fastighetsägaren"])
    tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
    other = partners_db.find_by_name(db, "Fastighetsägaren")["id"]
    users_db.create_user(db, "anna", hash_password(PASSWORD), "partner", partner_id=tk)
    walk = walks_db.create_walk(db, title="Kväll vid Plattan", starts_at="2026-11-24T18:00")
    walker = walks_db.add_walker(db, walk["id"], "Greta Gång")
    db.execute("update observations set walker_id = ? where walk_id = ?", [walker, walk["id"]])
    ours = add_observation(db, walk["id"], *SERGEL, note="Lampan släckt vid trappan")
    theirs = add_observation(db, walk["id"], *SERGEL, category="litter", note="Skräp")
    untriaged = add_observation(db, walk["id"], *SERGEL, category="graffiti")
    db.execute("update observations set walker_id = ?", [walker])
    db.conn.commit()
    measures.set_status(db, ours, "assigned", None, partner_id=tk)
    measures.set_status(db, theirs, "assigned", None, partner_id=other)
    login(client, "anna")
    return {"tk": tk, "ours": ours, "theirs": theirs, "untriaged": untriaged, "walk": walk}


def test_sign_in_leads_a_partners_person_to_their_measures_only(app, db, desk):
    fresh = app.test_client()
    answer = login(fresh, "anna")
    assert answer.status_code == 302 and answer.location.endswith("/partner")
    client = fresh
    page = client.get("/partner").text
    assert "Lampan släckt vid trappan" in page and "Skräp" not in page
    assert "Greta" not in page
    shown = client.get(f"/partner/measures/{desk['ours']}")
    assert shown.status_code == 200 and "Greta" not in shown.text
    for other in (desk["theirs"], desk["untriaged"], "00000000-0000-4000-8000-000000000000"):
        assert client.get(f"/partner/measures/{other}").status_code == 404
        assert client.post(f"/partner/measures/{other}", data={"action": "accept"}).status_code == 404
    # Never a coordinator's or a walker's screens.
    assert client.get("/dashboard").status_code == 403
    assert client.get(f"/walks/{desk['walk']['id']}").status_code == 403
    assert client.get(f"/observations/{desk['ours']}/triage").status_code == 403


def test_photos_of_our_measures_only_and_only_through_our_screens(app, db, client, desk):
    staff_client = app.test_client()
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator")
    db.conn.commit()
    login(staff_client, "kim")
    # A photo on each measure, stored as the coordinator's after photo would be.
    ids = {}
    for key in ("ours", "theirs"):
        measures.set_status(db, desk[key], "done", None)
        sent = staff_client.post(f"/observations/{desk[key]}/after-photos",
                                 data={"photo": (io.BytesIO(jpeg()), "a.jpg")},
                                 content_type="multipart/form-data")  # fmt: skip
        assert sent.status_code == 303
        ids[key] = measures_db.get_observation(db, desk[key])["after_photo_ids"][0]
    mine = client.get(f"/partner/measures/{desk['ours']}/photos/{ids['ours']}.jpg")
    assert mine.status_code == 200 and mine.mimetype == "image/jpeg"
    assert client.get(f"/partner/measures/{desk['ours']}/photos/{ids['theirs']}.jpg").status_code == 404
    assert client.get(f"/partner/measures/{desk['theirs']}/photos/{ids['theirs']}.jpg").status_code == 404
    # The walkers' and coordinators' photo route does not let a partner's person in.
    assert client.get(f"/observations/{desk['ours']}/photos/{ids['ours']}.jpg").status_code == 403


def test_accept_plan_and_done_with_a_photo_keep_who_and_when(db, client, desk):
    page = f"/partner/measures/{desk['ours']}"
    assert client.post(page, data={"action": "accept"}).status_code == 303
    missing = client.post(page, data={"action": "plan"})
    assert missing.status_code == 400 and "sista dag" in missing.text.lower()
    past = client.post(page, data={"action": "plan", "deadline": "2001-01-01"})
    assert past.status_code == 400 and "förflutna" in past.text
    day = clock.today().isoformat()
    assert client.post(page, data={"action": "plan", "deadline": day}).status_code == 303
    stored = measures_db.get_observation(db, desk["ours"])
    assert (stored["status"], stored["deadline"]) == ("planned", day)
    done = client.post(page, data={"action": "done", "comment": "Ny armatur",
                                   "photo": (io.BytesIO(jpeg()), "efter.jpg")},
                       content_type="multipart/form-data")  # fmt: skip
    assert done.status_code == 303
    stored = measures_db.get_observation(db, desk["ours"])
    assert stored["status"] == "done" and len(stored["after_photo_ids"]) == 1
    history = measures_db.history(db, desk["ours"])
    assert {h["username"] for h in history if h["changed_by"]} >= {"anna (Trafikkontoret)"}
    assert any(h["comment"].startswith("Tas emot av partnern") for h in history)
    assert any(h["comment"] == "Ny armatur" for h in history)
    shown = client.get(page).text
    assert "anna (Trafikkontoret)" in shown and "Ny armatur" in shown


def test_giving_back_needs_a_reason_and_lands_in_the_triage_queue(db, client, desk):
    page = f"/partner/measures/{desk['ours']}"
    refused = client.post(page, data={"action": "decline", "reason": "  "})
    assert refused.status_code == 400 and "Skriv varför" in refused.text
    given = client.post(page, data={"action": "decline", "reason": "Fastighetsägarens lampa"})
    assert given.status_code == 303 and given.location.endswith("/partner")
    stored = measures_db.get_observation(db, desk["ours"])
    assert (stored["status"], stored["partner_id"]) == ("new", None)
    assert "Fastighetsägarens lampa" in stored["comment"]
    assert desk["ours"] in measures_db.untriaged_queue(db, walk_id=desk["walk"]["id"])
    assert client.get(page).status_code == 404  # no longer ours


def test_a_form_opened_before_a_coordinators_change_stores_nothing(db, client, desk):
    page = f"/partner/measures/{desk['ours']}"
    seen = measures_db.last_change(db, desk["ours"])
    measures.set_status(db, desk["ours"], "assigned", None, partner_id=desk["tk"], reason="")
    measures.change(db, measures_db.get_observation(db, desk["ours"]),
                    {**measures.quick_submission(measures_db.get_observation(db, desk["ours"]),
                                                 "assigned", {}), "comment": "Ring först"},
                    None)  # fmt: skip
    stale = client.post(page, data={"action": "done", "seen": str(seen)})
    assert stale.status_code == 400
    assert measures_db.get_observation(db, desk["ours"])["status"] == "assigned"


def test_the_screens_speak_english(client, desk):
    client.set_cookie("lang", "en")
    page = client.get(f"/partner/measures/{desk['ours']}").text
    assert "Done – take a photo" in page and "Not ours, or cannot be done" in page
    assert "Our measures" in client.get("/partner").text


def test_median_days_from_walk_to_fixed_per_partner_from_the_history(
    app, db, desk, monkeypatch
):
    # The walk started 2026-11-24 18:00 (17:00Z); fixed 4 and 10 days later.
    for observation_id, when in ((desk["ours"], datetime(2026, 11, 28, 17, tzinfo=UTC)),
                                 (desk["theirs"], datetime(2026, 12, 4, 17, tzinfo=UTC))):  # fmt: skip
        monkeypatch.setattr(clock, "now_utc", lambda when=when: when)
        measures.set_status(db, observation_id, "done", None)
    db.conn.commit()
    days = measures.median_days_to_fixed(db)
    assert days["all"] == (7, 2)  # (4 + 10) / 2
    assert days["by_partner"][desk["tk"]] == (4, 1)
    # The same, counted from each measure (an organisation's) and from the index (everyone's).
    assert measures.median_days_to_fixed(db, [1]) == days
    # A measure fixed, reopened and fixed again counts from its first fix.
    monkeypatch.setattr(clock, "now_utc", lambda: datetime(2026, 12, 20, 17, tzinfo=UTC))
    measures.set_status(db, desk["ours"], "assigned", None)
    measures.set_status(db, desk["ours"], "done", None)
    assert measures.median_days_to_fixed(db)["by_partner"][desk["tk"]] == (4, 1)
    monkeypatch.undo()
    staff = app.test_client()
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator", organisation_id=1)
    db.conn.commit()
    login(staff, "kim")
    page = staff.get("/partners").text
    assert "Dagar till åtgärdat (median)" in page and "i mitten 7 dagar" in page
    # The public page: the year's median over its public findings (one marked "inte publik" is
    # left out), in words.
    db.execute("update walks set organisation_id = 1")
    db.conn.commit()
    front = app.test_client().get("/").text
    assert "<strong>7</strong> dagar från vandring till åtgärdat (median)" in front
    db.execute("update observations set not_public = 1 where id = ?", [desk["theirs"]])
    db.conn.commit()
    data = app.test_client().get("/promise/2026/data.json").json
    assert data["days_to_fixed"] == {"median": 4, "fixed": 1}


def test_an_invitation_makes_one_account_of_the_partner_within_seven_days(app, db, desk):
    staff = app.test_client()
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator", organisation_id=1)
    db.conn.commit()
    login(staff, "kim")
    refused = staff.post(f"/partners/{desk['tk']}/invite", data={"email": "inte en adress"})
    assert refused.status_code == 400 and "Skriv en e-postadress" in refused.text
    made = staff.post(f"/partners/{desk['tk']}/invite", data={"email": "bo@trafik.example"})
    assert made.status_code == 200 and "Länken visas bara nu" in made.text
    link = made.text.split("/invite/")[1].split("<")[0]
    stored = db.execute("select token_hash, expires_at from invitations").fetchone()
    assert link not in stored[0]  # kept hashed
    invited = app.test_client()
    page = invited.get(f"/invite/{link}")
    assert page.status_code == 200 and "Trafikkontoret" in page.text
    weak = invited.post(f"/invite/{link}", data={"username": "bo", "new_password": "kort",
                                                 "repeat": "kort"})  # fmt: skip
    assert weak.status_code == 400
    taken = invited.post(f"/invite/{link}", data={"username": "anna",
                         "new_password": "Ljuset vid trappan 1928", "repeat": "Ljuset vid trappan 1928"})  # fmt: skip
    assert taken.status_code == 400 and "finns redan" in taken.text
    done = invited.post(f"/invite/{link}", data={"username": "bo",
                        "new_password": "Ljuset vid trappan 1928", "repeat": "Ljuset vid trappan 1928"})  # fmt: skip
    assert done.status_code == 303
    user = db.execute("select role, partner_id, email from users where username = 'bo'").fetchone()
    assert user == ("partner", desk["tk"], "bo@trafik.example")
    again = invited.post(f"/invite/{link}", data={"username": "cy",
                         "new_password": "Ljuset vid trappan 1928", "repeat": "Ljuset vid trappan 1928"})  # fmt: skip
    assert again.status_code == 410 and "redan använd" in again.text
    assert app.test_client().get("/invite/made-up").status_code == 410
    # Seven days later a fresh invitation no longer works.
    staff.post(f"/partners/{desk['tk']}/invite", data={"email": ""})
    db.execute("update invitations set expires_at = '2000-01-01T00:00:00+00:00' where used_at is null")
    db.conn.commit()
    later = db.execute("select count(*) from invitations where used_at is null").fetchone()[0]
    assert later == 1
    page = staff.get(f"/partners/{desk['tk']}/invite").text
    assert "Inbjudningar som väntar" not in page
    fresh = login(app.test_client(), "bo", "Ljuset vid trappan 1928")
    assert fresh.location.endswith("/partner")


def test_a_closed_measure_takes_no_partners_answer(db, client, desk):
    measures.set_status(db, desk["ours"], "verified", None)
    refused = client.post(f"/partner/measures/{desk['ours']}", data={"action": "decline",
                                                                       "reason": "x"})  # fmt: skip
    assert refused.status_code == 400 and "inte öppen" in refused.text
    stored = measures_db.get_observation(db, desk["ours"])
    assert (stored["status"], stored["partner_id"]) == ("verified", desk["tk"])


def test_an_invited_person_sees_only_the_inviting_organisations_walks(app, db, desk):
    """A partner shared by two organisations: B's invitee sees B's measures, never A's."""
    other = organisations.create(db, "annan", "Annan arrangör", ())
    theirs_walk = walks_db.create_walk(
        db, title="Deras", starts_at="2026-11-25T18:00", organisation_id=other
    )
    db.execute("update walks set organisation_id = 1 where id = ?", [desk["walk"]["id"]])
    db.conn.commit()
    theirs = add_observation(db, theirs_walk["id"], *SERGEL, note="Deras lampa")
    measures.set_status(db, theirs, "assigned", None, partner_id=desk["tk"])
    token = invitations.invite(db, desk["tk"], None, None, other)
    person = app.test_client()
    person.post(f"/invite/{token}", data={"username": "bea", "new_password": "Ljuset vid trappan 1928",
                                          "repeat": "Ljuset vid trappan 1928"})  # fmt: skip
    login(person, "bea", "Ljuset vid trappan 1928")
    page = person.get("/partner").text
    assert "Deras lampa" in page and "Lampan släckt vid trappan" not in page
    assert person.get(f"/partner/measures/{desk['ours']}").status_code == 404
    assert person.get(f"/partner/measures/{theirs}").status_code == 200


def test_a_signed_in_partners_person_reads_the_public_routes_as_the_public(app, db, client, desk):
    """Signed in, a partner's person works for no organisation's staff: the public's data is
    theirs in full (not an empty scope), and no staff link is offered them."""
    anonymous = app.test_client()
    public_places = anonymous.get("/export/places.geojson").json["features"]
    assert public_places
    assert len(client.get("/export/places.geojson").json["features"]) == len(public_places)
    requests = anonymous.get("/open311/v2/requests.json").json
    assert client.get("/open311/v2/requests.json").json == requests
    front = client.get("/").get_data(as_text=True)
    assert 'href="/dashboard"' not in front and 'href="/partner"' in front
    # The Swedish path of the password page leads there for them too.
    moved = client.get("/konto/losenord")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/account/password")
