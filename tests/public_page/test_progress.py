"""Promise progress is counted from the data: closed walks in the year, logged activities."""

from __future__ import annotations

from datetime import date

from tests.helpers import login
from walkapp import promises
from walkapp.db import promises as promises_db
from walkapp.db import walks as walks_db
from walkapp.promises import pace, percent
from walkapp.public import today

from .seeding import seed_walk


def _done(db, year: int) -> dict[str, int]:
    promise = promises_db.promise_for_year(db, year)
    return {item["heading"]: item["done"] for item in promises_db.progress(db, promise)}


def test_the_2022_norrmalm_promise_is_seeded_from_the_reference_text(db):
    promise = promises_db.promise_for_year(db, 2022)
    assert promise["area"] == "Lokalpolisområde Norrmalm"
    rows = [
        (c["heading"], c["target"], c["counting"])
        for c in promises_db.list_commitments(db, promise["id"])
    ]
    assert rows == [
        ("Ungdomar", 6, "activities"),
        ("Särskilt utsatta brottsoffer", 6, "activities"),
        ("Otrygga och brottsutsatta platser", 8, "walks"),
        ("Kriminella nätverk", 4, "activities"),
    ]
    texts = " ".join(c["text"] for c in promises_db.list_commitments(db, promise["id"]))
    assert "i samverkan med andra myndigheter" in texts and "åtta trygghetsvandringar" in texts


def test_closing_a_walk_raises_the_walks_count(db, client):
    walk = seed_walk(db, "2022-04-05T19:00", state="planned")
    assert _done(db, 2022)["Otrygga och brottsutsatta platser"] == 0
    walks_db.set_state(db, walk["id"], "ongoing")
    assert _done(db, 2022)["Otrygga och brottsutsatta platser"] == 0  # under way is not held
    walks_db.set_state(db, walk["id"], "closed")
    assert _done(db, 2022)["Otrygga och brottsutsatta platser"] == 1
    page = client.get("/promise/2022").get_data(as_text=True)
    assert 'max="8" value="1"' in page and "1 av 8" in page


def test_a_walk_in_another_year_does_not_count(db, client):
    seed_walk(db, "2021-12-31T22:00")
    seed_walk(db, "2023-01-01T18:00")
    assert _done(db, 2022)["Otrygga och brottsutsatta platser"] == 0
    seed_walk(db, "2022-12-31T18:00")
    assert _done(db, 2022)["Otrygga och brottsutsatta platser"] == 1
    page = client.get("/promise/2022").get_data(as_text=True)
    assert "1 av 8" in page and "2 av 8" not in page


def test_logging_an_activity_raises_its_commitment_only(db, client, users):
    login(client, "coordinator")
    promise = promises_db.promise_for_year(db, 2022)
    youth = promises_db.list_commitments(db, promise["id"])[0]
    # The form offers this year's and last year's commitments; 2022 is long gone here, so log
    # through the database function and check the form separately below.
    promises.add_activity(
        db, youth["id"], "2022-06-10", "Insats vid Plattan", None, users["coordinator"]
    )
    assert _done(db, 2022) == {
        "Ungdomar": 1,
        "Särskilt utsatta brottsoffer": 0,
        "Otrygga och brottsutsatta platser": 0,
        "Kriminella nätverk": 0,
    }
    page = client.get("/promise/2022").get_data(as_text=True)
    assert "1 av 6" in page and "Insats vid Plattan" in page


def test_a_coordinator_logs_an_activity_through_the_form(db, client, users):
    this_year = today().year
    promise_id = promises.create(
        db, this_year, "Lokalpolisområde Norrmalm", "Löfte", None, copy_from=1
    )
    crime = promises_db.list_commitments(db, promise_id)[3]
    login(client, "coordinator")
    form = client.get("/dashboard/activities").get_data(as_text=True)
    assert f"{this_year} · Kriminella nätverk" in form
    assert "Otrygga och brottsutsatta platser" not in form  # walks count themselves
    refused = client.post(
        "/dashboard/activities",
        data={
            "commitment_id": crime["id"],
            "happened_on": f"{this_year - 3}-05-01",
            "description": "Fel år",
            "place_id": 0,
        },
    )
    assert refused.status_code == 400 and "inte i framtiden" in refused.get_data(as_text=True)
    ok = client.post(
        "/dashboard/activities",
        data={
            "commitment_id": crime["id"],
            "happened_on": today().isoformat(),
            "description": "Gemensam insats med Tullverket",
            "place_id": 0,
        },
    )
    assert ok.status_code == 302
    assert _done(db, this_year)["Kriminella nätverk"] == 1
    audit = db.execute("select action, entity from audit_log").fetchall()
    assert ("create", "activity") in audit
    public = client.get("/").get_data(as_text=True)
    assert "Gemensam insats med Tullverket" in public and "1 av 4" in public
    # A mistake can be taken back; the count follows.
    activity = promises_db.list_activities(db, promise_id)[0]
    assert client.post(f"/dashboard/activities/{activity['id']}/delete").status_code == 302
    assert _done(db, this_year)["Kriminella nätverk"] == 0


def test_pace_says_whether_the_target_will_be_reached():
    mid_year = date(2022, 7, 2)  # half the year has passed
    assert pace(8, 8, 2022, mid_year).state == "reached"
    assert pace(4, 8, 2022, mid_year).state == "on_track"
    assert pace(2, 8, 2022, mid_year).state == "behind"
    assert pace(2, 8, 2022, mid_year).projected == 4
    # Planned walks count towards the year's end.
    assert pace(2, 8, 2022, mid_year, planned=6).state == "on_track"
    assert pace(7, 8, 2022, date(2023, 2, 1)).state == "missed"
    assert pace(0, 8, 2022, date(2021, 12, 1)).state == "not_started"
    assert percent(3, 8) == 38 and percent(12, 8) == 100
