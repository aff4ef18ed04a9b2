"""The re-walk (issue 25, point 5): "Följ upp med ny vandring" from the place's meeting page plans a
walk at the same place about three months later, following up the walks held there; its walkers'
phones get the open and done measures and answer "Åtgärdat" or "Finns kvar" on each in one tap,
through the measures' rule, kept in the history without a name; once held it counts in the promise."""

from __future__ import annotations

import html
import json
import uuid
from datetime import UTC, date, datetime

import pytest

from tests.helpers import (
    PASSWORD,
    database_at,
    hash_password,
    join,
    login,
    observation,
    post_observation,
)
from tests.route_helpers import ROUTE
from walkapp import clock, measures, organisations, rewalks, users, walks
from walkapp.db import mail as mail_db
from walkapp.db import partners as partners_db
from walkapp.db import places as places_db
from walkapp.db import promises as promises_db
from walkapp.db import routes as routes_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate
from walkapp.routes import check_route

SERGELS = "Sergels torg / Plattan"


@pytest.fixture
def place_id(db):
    return next(p["id"] for p in places_db.list_places(db) if p["name"] == SERGELS)


@pytest.fixture
def partner_id(db):
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    return next(p["id"] for p in partners_db.list_partners(db) if p["name"] == "Trafikkontoret")


@pytest.fixture
def held(client, db, place_id, partner_id):
    """A walk held at Sergels torg in August with four findings there: a lamp done, a bush
    planned, litter new, an incident (never carried); and one lamp already verified."""
    walk = walks_db.create_walk(
        db,
        title="Augustivandring",
        starts_at="2026-08-20T18:00",
        place_ids=[place_id],
        state="ongoing",
        meeting_point="Kulturhuset",
        leader="Kim",
        light="dusk",
    )
    headers = join(client, walk, name="Anna Andersson")
    found = {}
    for key, category in (
        ("lamp", "lighting"),
        ("bush", "vegetation"),
        ("litter", "litter"),
        ("incident", "incident"),
        ("verified", "lighting"),
    ):
        body = observation(category=category, recorded_at="2026-08-20T18:30:00+02:00")
        assert post_observation(client, walk, headers, body).status_code == 201
        found[key] = body["id"]
    measures.set_status(db, found["lamp"], "done", None, partner_id=partner_id)
    measures.set_status(
        db, found["bush"], "planned", None, partner_id=partner_id, deadline="2027-01-31"
    )
    measures.set_status(db, found["verified"], "verified", None, partner_id=partner_id)
    walks.change_state(db, walk["id"], "closed")
    return {"walk": walks_db.get_walk(db, walk["id"]), **found}


def plan_rewalk(staff, place_id, **fields):
    data = {
        "title": "Uppföljning: Sergels torg",
        "starts_at": "2026-11-26T18:00",
        "light": "dark",
        "place_ids": [place_id],
        **fields,
    }
    return staff.post(f"/places/{place_id}/rewalk", data=data)


@pytest.fixture
def rewalk(staff, db, held, place_id):
    response = plan_rewalk(staff, place_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    walk_id = response.headers["Location"].rsplit("/", 1)[-1]
    walks.change_state(db, walk_id, "ongoing")
    return walks_db.get_walk(db, walk_id)


def check(client, walk, headers, observation_id, answer, check_id=None):
    body = {
        "id": check_id or str(uuid.uuid4()),
        "observation_id": observation_id,
        "answer": answer,
        "recorded_at": "2026-11-26T18:40:00+01:00",
    }
    return client.post(f"/api/walks/{walk['id']}/checks", json=body, headers=headers)


def status_of(db, observation_id):
    return db.execute(
        "select status, partner_id, deadline from measures where observation_id = ?",
        [observation_id],
    ).fetchone()


def history(db, observation_id):
    return db.execute(
        "select field, old_value, new_value, changed_by from measure_history"
        " where observation_id = ? order by id",
        [observation_id],
    ).fetchall()


# --- planning it from the meeting -------------------------------------------------------------


def test_three_months_later_keeps_the_day_or_takes_the_months_last():
    assert clock.months_later(date(2026, 8, 20), 3) == date(2026, 11, 20)
    assert clock.months_later(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert clock.months_later(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert clock.months_later(date(2026, 10, 31), 3) == date(2027, 1, 31)


def test_the_plan_keeps_stockholm_wall_time_across_the_clock_change():
    summer = {"starts_at": clock.from_typed("2026-08-20T18:00"), "light": "dusk"}
    planned = rewalks.plan({**summer, "meeting_point": "", "leader": ""}, date(2026, 8, 25))
    assert planned["starts_at"].isoformat() == "2026-11-20T18:00:00"
    assert clock.from_typed(planned["starts_at"]) == "2026-11-20T17:00:00+00:00"
    # A walk followed up long after: three months from today, not a day in the past.
    later = rewalks.plan({**summer, "meeting_point": "", "leader": ""}, date(2026, 12, 3))
    assert later["starts_at"].isoformat() == "2027-03-03T18:00:00"


def test_the_meeting_page_offers_the_rewalk_once_a_walk_was_held(staff, db, place_id):
    assert "Följ upp med ny vandring" not in staff.get(f"/places/{place_id}").get_data(True)
    response = staff.get(f"/places/{place_id}/rewalk")
    assert response.status_code == 302  # nothing held here yet: back to the place
    walk = walks_db.create_walk(db, title="Hållen", starts_at="2026-08-20T18:00", state="closed",
                                place_ids=[place_id])  # fmt: skip
    page = staff.get(f"/places/{place_id}").get_data(as_text=True)
    assert f'href="/places/{place_id}/rewalk"' in page
    assert "Följ upp med ny vandring" in page
    assert walk["id"]


def test_the_form_comes_filled_in_for_the_same_place_three_months_on(
    staff, held, place_id, monkeypatch
):
    # The meeting on 3 December 2026 (the suite must not depend on the day it runs).
    monkeypatch.setattr(clock, "now_utc", lambda: datetime(2026, 12, 3, 12, tzinfo=UTC))
    page = staff.get(f"/places/{place_id}/rewalk").get_data(as_text=True)
    assert "Planera en uppföljningsvandring" in page
    assert 'value="Uppföljning: Sergels torg / Plattan"' in page
    # Three months after 20 August is in the past on 3 December: three months from today.
    assert 'value="2027-03-03T18:00"' in page
    assert 'value="dusk" selected' in page or 'selected value="dusk"' in page
    assert 'value="Kulturhuset"' in page
    assert f'<input checked id="place_ids-{place_id}"' in page
    assert "Augustivandring" in page  # what it follows up, named


def test_the_form_starts_from_the_route_of_the_walk_it_follows_up(staff, db, held, place_id):
    with transaction(db):
        routes_db.save_route(db, held["walk"]["id"], check_route(json.dumps(ROUTE)), None)
    page = staff.get(f"/places/{place_id}/rewalk").get_data(as_text=True)
    field = page.split('id="route-input"')[1].split('value="')[1].split('"')[0]
    drawn = json.loads(html.unescape(field))
    assert [f["properties"]["kind"] for f in drawn["features"]] == ["route", "stop", "stop"]
    # Planned as it came, the re-walk stores that route as its own.
    response = plan_rewalk(staff, place_id, route=html.unescape(field))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    walk_id = response.headers["Location"].rsplit("/", 1)[-1]
    assert routes_db.get_route(db, walk_id)["features"] == drawn["features"]


def test_planning_it_stores_which_walks_it_follows_up(staff, db, held, place_id):
    response = plan_rewalk(staff, place_id)
    assert response.status_code == 302
    walk_id = response.headers["Location"].rsplit("/", 1)[-1]
    follows = db.execute("select earlier_walk_id from rewalks where walk_id = ?", [walk_id])
    assert [row[0] for row in follows] == [held["walk"]["id"]]
    assert walks_db.walk_place_ids(db, walk_id) == [place_id]
    audit = db.execute(
        "select detail from audit_log where entity = 'walk' and entity_id = ?", [walk_id]
    ).fetchone()[0]
    assert held["walk"]["id"] in audit
    page = staff.get(f"/walks/{walk_id}").get_data(as_text=True)
    assert "Följer upp" in page and "Augustivandring" in page
    earlier = staff.get(f"/walks/{held['walk']['id']}").get_data(as_text=True)
    assert "Följs upp av" in earlier


def test_a_bad_form_stores_nothing(staff, db, held, place_id):
    response = plan_rewalk(staff, place_id, title="")
    assert response.status_code == 400
    assert db.execute("select count(*) from rewalks").fetchone()[0] == 0


def test_a_region_user_neither_sees_nor_plans_it(client, db, held, place_id):
    users.create(
        db, "region", hash_password(PASSWORD), "region", None,
        organisations.area_ids_named(db, ("lpo:Norrmalm",)),
    )  # fmt: skip
    login(client, "region")
    assert "Följ upp med ny vandring" not in client.get(f"/places/{place_id}").get_data(True)
    assert client.get(f"/places/{place_id}/rewalk").status_code == 403
    assert plan_rewalk(client, place_id).status_code == 403
    assert db.execute("select count(*) from rewalks").fetchone()[0] == 0


# --- the walker's checks ------------------------------------------------------------------------


def test_the_phone_gets_the_open_and_done_measures_only(client, rewalk, held):
    headers = join(client, rewalk, name="Bo")
    items = client.get(f"/api/walks/{rewalk['id']}/checks", headers=headers).json["items"]
    assert {item["id"] for item in items} == {held["lamp"], held["bush"], held["litter"]}
    lamp = next(item for item in items if item["id"] == held["lamp"])
    assert lamp["status"] == "Åtgärdad" and lamp["category"] == "Belysning"
    assert lamp["place"] == SERGELS and lamp["recorded_on"] == "2026-08-20"
    assert lamp["lon"] == 18.0649 and lamp["answer"] is None
    assert "note" not in lamp  # never a note, a photo or a name


def test_fixed_on_a_done_measure_verifies_it(client, db, rewalk, held):
    headers = join(client, rewalk, name="Bo Ek")
    response = check(client, rewalk, headers, held["lamp"], "fixed")
    assert response.status_code == 201, response.json
    assert response.json["status"] == "verified"
    assert status_of(db, held["lamp"])[0] == "verified"
    assert history(db, held["lamp"])[-2:] == [
        ("status", "done", "verified", None),
        ("rewalk_check", None, "fixed", None),
    ]
    row = db.execute("select status_before, status_after, walk_id from rewalk_checks").fetchone()
    assert tuple(row) == ("done", "verified", rewalk["id"])


def test_still_there_on_a_done_measure_reopens_it_to_its_partner(client, db, rewalk, held):
    headers = join(client, rewalk)
    response = check(client, rewalk, headers, held["lamp"], "still_there")
    assert response.status_code == 201
    status, partner, deadline = status_of(db, held["lamp"])
    assert (status, deadline) == ("assigned", None) and partner
    assert history(db, held["lamp"])[-1] == ("rewalk_check", None, "still_there", None)
    # Its partner hears of it as of any reopened measure (walkapp/mail.py reads the history).
    mail_db.collect_events(db)
    kinds = db.execute(
        "select kind from mail_events where observation_id = ?", [held["lamp"]]
    ).fetchall()
    assert ("reopened",) in [tuple(k) for k in kinds]


def test_fixed_on_an_open_measure_marks_it_done_and_still_there_keeps_it(client, db, rewalk, held):
    headers = join(client, rewalk)
    assert check(client, rewalk, headers, held["bush"], "fixed").json["status"] == "done"
    assert status_of(db, held["bush"])[0] == "done"
    before = len(history(db, held["litter"]))
    assert check(client, rewalk, headers, held["litter"], "still_there").json["status"] == "new"
    assert status_of(db, held["litter"])[0] == "new"
    assert history(db, held["litter"])[before:] == [("rewalk_check", None, "still_there", None)]


def test_a_second_walkers_fixed_verifies_what_the_first_saw_fixed(client, db, rewalk, held):
    check(client, rewalk, join(client, rewalk, name="A"), held["bush"], "fixed")
    check(client, rewalk, join(client, rewalk, name="B"), held["bush"], "fixed")
    assert status_of(db, held["bush"])[0] == "verified"


def test_a_retry_and_a_second_tap_store_nothing_twice(client, db, rewalk, held):
    headers = join(client, rewalk)
    check_id = str(uuid.uuid4())
    assert check(client, rewalk, headers, held["lamp"], "fixed", check_id).status_code == 201
    rows = len(history(db, held["lamp"]))
    retry = check(client, rewalk, headers, held["lamp"], "fixed", check_id)
    assert retry.status_code == 200 and retry.json["status"] == "verified"
    again = check(client, rewalk, headers, held["lamp"], "fixed")  # a new tap, the same answer
    assert again.status_code == 200
    assert len(history(db, held["lamp"])) == rows
    assert db.execute("select count(*) from rewalk_checks").fetchone()[0] == 1
    other = check(client, rewalk, headers, held["lamp"], "still_there", check_id)
    assert other.status_code == 409  # the same id with another body
    # A change of mind is a new check: the measure opens again.
    assert check(client, rewalk, headers, held["lamp"], "still_there").status_code == 201
    assert status_of(db, held["lamp"])[0] == "assigned"
    items = client.get(f"/api/walks/{rewalk['id']}/checks", headers=headers).json["items"]
    assert next(i for i in items if i["id"] == held["lamp"])["answer"] == "still_there"


def test_a_closed_walk_takes_no_checks_in_swedish(client, db, rewalk, held):
    headers = join(client, rewalk)
    walks.change_state(db, rewalk["id"], "closed")
    response = check(client, rewalk, headers, held["lamp"], "fixed")
    assert response.status_code == 409
    assert response.json["error"] == (
        "Vandringen är avslutad; åtgärderna kan inte längre kontrolleras här."
    )
    assert status_of(db, held["lamp"])[0] == "done"


def test_what_the_walk_does_not_carry_is_a_404_and_bad_bodies_400(client, db, rewalk, held, walk):
    headers = join(client, rewalk)
    assert check(client, rewalk, headers, held["incident"], "fixed").status_code == 404
    assert check(client, rewalk, headers, held["verified"], "still_there").status_code == 404
    assert check(client, rewalk, headers, str(uuid.uuid4()), "fixed").status_code == 404
    bad = client.post(
        f"/api/walks/{rewalk['id']}/checks",
        json={"id": "x", "observation_id": held["lamp"], "answer": "maybe"},
        headers=headers,
    )
    assert bad.status_code == 400
    assert set(bad.json["errors"]) == {"id", "answer", "recorded_at"}
    # An ordinary walk at no place carries nothing.
    ordinary = join(client, walk)
    assert client.get(f"/api/walks/{walk['id']}/checks", headers=ordinary).json["items"] == []
    assert check(client, walk, ordinary, held["lamp"], "fixed").status_code == 404
    assert db.execute("select count(*) from rewalk_checks").fetchone()[0] == 0


def test_another_walks_token_cannot_check(client, rewalk, held, walk):
    phone = client.application.test_client()  # `client` is the coordinator's
    other = join(phone, walk)
    assert check(phone, rewalk, other, held["lamp"], "fixed").status_code == 403


def test_the_history_says_what_the_walker_answered_without_a_name(client, db, staff, rewalk, held):
    walker = client.application.test_client()
    check(walker, rewalk, join(walker, rewalk, name="Anna Andersson"), held["lamp"], "still_there")
    page = staff.get(f"/observations/{held['lamp']}/triage").get_data(as_text=True)
    assert "Kontroll på uppföljningsvandringen: finns kvar" in page
    assert "Anna Andersson" not in page
    walk_page = staff.get(f"/walks/{rewalk['id']}").get_data(as_text=True)
    assert "Kontroller av tidigare åtgärder (1)" in walk_page
    assert "Anna Andersson" not in walk_page.split('id="checks"')[1]


def test_the_capture_screen_lists_the_checks_on_a_rewalk_only(client, rewalk, walk, held):
    page = client.get(f"/walks/{rewalk['id']}/capture").get_data(as_text=True)
    assert 'id="checks-list"' in page and '<span id="checks-count">3</span>' in page
    assert f"/api/walks/{rewalk['id']}/checks" in page
    ordinary = client.get(f"/walks/{walk['id']}/capture").get_data(as_text=True)
    assert 'id="checks-list"' not in ordinary


def test_a_held_rewalk_counts_in_the_promise_as_a_walk(db, rewalk):
    before = promises_db.closed_walks_in_year(db, 2026)
    walks.change_state(db, rewalk["id"], "closed")
    assert promises_db.closed_walks_in_year(db, 2026) == before + 1


def test_the_checks_speak_the_walkers_language_and_the_form_english(client, rewalk, place_id):
    client.set_cookie("lang", "fi")
    page = client.get(f"/walks/{rewalk['id']}/capture").get_data(as_text=True)
    assert "Tarkista toimenpiteet" in page
    config = json.loads(page.split('id="capture-config">')[1].split("</script>")[0])
    assert config["text"]["check_still_there"] == "Yhä jäljellä"
    assert config["checks"]["items"][0]["category"] == "Valaistus"
    client.set_cookie("lang", "ar")
    page = client.get(f"/walks/{rewalk['id']}/capture").get_data(as_text=True)
    assert 'dir="rtl"' in page and "تحقق من الإجراءات" in page
    client.set_cookie("lang", "en")
    form = client.get(f"/places/{place_id}/rewalk").get_data(as_text=True)
    assert "Plan a follow-up walk" in form and 'value="Follow-up: Sergels torg / Plattan"' in form
    place = client.get(f"/places/{place_id}").get_data(as_text=True)
    assert "Follow up with a new walk" in place


def test_the_migration_adds_the_rewalk_tables_to_an_earlier_database(tmp_path):
    db = database_at(tmp_path, "0012_observations_position_index")
    assert "rewalks" not in db.table_names()
    assert "0013_rewalks" in migrate(db)
    assert {"rewalks", "rewalk_checks"} <= set(db.table_names())
    assert db.execute("pragma foreign_key_check").fetchall() == []
    db.close()
