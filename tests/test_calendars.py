"""The walks as iCalendar feeds: the public one holds public walks only, the partners' one every
walk and its meetings behind a key that a coordinator makes and renews; both parse with
icalendar's parser, keep Stockholm's times exact across daylight saving and never hold a code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from tests.helpers import PASSWORD, hash_password, login
from walkapp import calendars, clock, organisations, users
from walkapp.db import walks as walks_db


def ahead(days: int, hour: int = 18) -> str:
    """A Stockholm wall time `days` from today, as the walk form takes it."""
    return (clock.today() + timedelta(days=days)).isoformat() + f"T{hour:02d}:00"


@pytest.fixture
def walks(db):
    made = {
        "public": walks_db.create_walk(
            db, title="Kväll, vid Plattan; öppen\nför alla", starts_at=ahead(10), public=1,
            meeting_point="Glasobelisken", follow_up_at=ahead(40),
        ),
        "closed_group": walks_db.create_walk(
            db, title="Skolans vandring", starts_at=ahead(12), public=0,
            pre_meeting_at=ahead(5, 16), follow_up_at=ahead(30, 9),
        ),
        "long_ago": walks_db.create_walk(
            db, title="Förra årets", starts_at=ahead(-400), public=1
        ),
        "spring": walks_db.create_walk(
            db, title="Vårvandring", starts_at="2026-03-29T03:30", public=1
        ),
    }  # fmt: skip
    db.conn.commit()
    return made


def parsed(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/calendar"
    raw = response.get_data()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    return icalendar.Calendar.from_ical(raw)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_public_feed_holds_public_walks_of_the_last_year_and_ahead(client, walks):
    calendar = parsed(client.get("/walks.ics"))
    found = events(calendar)
    ids = {uid.split("@")[0] for uid in found}
    assert ids == {f"walk-{walks['public']['id']}"} | (
        {f"walk-{walks['spring']['id']}"}
        if walks["spring"]["starts_at"] >= clock.stamp(datetime.now(UTC) - timedelta(days=365))
        else set()
    )
    event = found[next(u for u in found if walks["public"]["id"] in u)]
    assert str(event["summary"]) == "Kväll, vid Plattan; öppen\nför alla"  # escaped, round-trips
    assert str(event["location"]) == "Glasobelisken"
    start = event.decoded("dtstart")
    assert start == clock.parse_stored(walks["public"]["starts_at"])
    assert event.decoded("dtend") - start == timedelta(hours=2)
    assert str(event["url"]).endswith("/")
    body = client.get("/walks.ics").text
    assert walks["public"]["code"] not in body and "Skolans vandring" not in body
    assert "Uppföljningsmöte" not in body  # the meetings are for partners


def test_a_walk_on_the_spring_forward_day_keeps_its_instant(client, db):
    walk = walks_db.create_walk(
        db, title="Natt", starts_at=ahead(0, 3), public=1
    )  # today, whatever day it is
    spring = walks_db.create_walk(db, title="Vår", starts_at="2027-03-28T02:30", public=1)
    db.conn.commit()
    found = events(parsed(client.get("/walks.ics")))
    by_title = {str(e["summary"]): e for e in found.values()}
    # 02:30 does not exist on 28 March 2027 in Stockholm: read with the winter offset (01:30Z).
    assert by_title["Vår"].decoded("dtstart") == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert spring["starts_at"] == "2027-03-28T01:30:00+00:00"
    assert by_title["Natt"].decoded("dtstart") == clock.parse_stored(walk["starts_at"])


def test_the_partners_feed_needs_its_key_and_a_new_key_ends_the_old(app, staff, walks):
    client = app.test_client()  # nobody signed in (staff is the signed-in one)
    assert client.get("/walks/partners.ics").status_code == 404
    assert client.get("/walks/partners.ics?key=guess").status_code == 404
    page = staff.get("/walks").text
    assert "Ingen länk ännu." in page
    made = staff.post("/walks/calendar-key")
    assert made.status_code == 303
    page = staff.get("/walks").text
    link = page.split("/walks/partners.ics?key=")[1].split("<")[0]
    calendar = parsed(client.get(f"/walks/partners.ics?key={link}"))
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert "Skolans vandring" in summaries
    assert "Förmöte: Skolans vandring" in summaries
    assert "Uppföljningsmöte: Skolans vandring" in summaries
    assert "Förra årets" not in summaries
    assert walks["closed_group"]["code"] not in client.get(f"/walks/partners.ics?key={link}").text
    staff.post("/walks/calendar-key")
    assert client.get(f"/walks/partners.ics?key={link}").status_code == 404
    assert client.post("/walks/calendar-key").status_code in (302, 401)  # signed-in only


def test_each_organisation_has_its_own_feeds_and_keys(app, db, staff, walks):
    """Another organisation's walks are in neither its public nor its partners' feed, and its
    key shows only its own: a coordinator learns nothing of another organisation."""
    other = organisations.create(db, "annan", "Annan arrangör", ())
    theirs = walks_db.create_walk(
        db, title="Deras hemliga", starts_at=ahead(11), public=0, organisation_id=other
    )
    shown = walks_db.create_walk(
        db, title="Deras publika", starts_at=ahead(13), public=1, organisation_id=other
    )
    db.conn.commit()
    client = app.test_client()
    ours = client.get("/o/lpo-norrmalm/walks.ics").text
    assert "Kväll" in ours and "Deras" not in ours
    mine = client.get("/o/annan/walks.ics").text
    assert "Deras publika" in mine and "Deras hemliga" not in mine and "Kväll" not in mine
    assert client.get("/o/nobody/walks.ics").status_code == 404
    # Every public walk of the instance, each linking to its own organisation's page.
    every = events(parsed(client.get("/walks.ics")))
    by_title = {str(e["summary"]): e for e in every.values()}
    assert str(by_title["Deras publika"]["url"]).endswith("/o/annan/")
    staff.post("/walks/calendar-key")
    link = staff.get("/walks").text.split("/walks/partners.ics?key=")[1].split("<")[0]
    feed = client.get(f"/walks/partners.ics?key={link}").text
    assert "Skolans vandring" in feed and "Deras hemliga" not in feed
    their_key = calendars.renew_partners_key(db, other, None)
    feed = client.get(f"/walks/partners.ics?key={their_key}").text
    assert "Deras hemliga" in feed and "Skolans vandring" not in feed
    assert theirs["code"] not in feed and shown["code"] not in feed


def test_the_feed_is_swedish_and_english_for_a_kept_choice(client, walks):
    # Calendar programs send no language: Swedish. A browser that chose English gets English.
    assert "Trygghetsvandring." in client.get("/walks.ics", headers={"Accept-Language": "en"}).text
    client.set_cookie("lang", "en")
    body = client.get("/walks.ics").text
    assert "Safety walk." in body and "Meeting point: Glasobelisken." in body


def test_the_public_feeds_hold_no_route_notes_nor_the_leader(app, db, staff):
    walks_db.create_walk(
        db, title="Öppen", starts_at=ahead(9), public=1, organisation_id=1,
        route_notes="Intern: portkod 1234", leader="Kim Ledare", meeting_point="Glasobelisken",
    )  # fmt: skip
    db.conn.commit()
    client = app.test_client()
    for feed in ("/walks.ics", "/o/lpo-norrmalm/walks.ics"):
        calendar = parsed(client.get(feed))
        described = " ".join(str(e.get("description", "")) for e in calendar.walk("VEVENT"))
        assert "Glasobelisken" in described
        assert "portkod" not in described and "Kim Ledare" not in described
    staff.post("/walks/calendar-key")
    key = staff.get("/walks").text.split("/walks/partners.ics?key=")[1].split("<")[0]
    calendar = parsed(client.get(f"/walks/partners.ics?key={key}"))
    described = " ".join(str(e.get("description", "")) for e in calendar.walk("VEVENT"))
    assert "portkod 1234" in described and "Kim Ledare" in described


def test_a_region_user_sees_no_partners_key(app, db, staff, walks):
    staff.post("/walks/calendar-key")
    users.create(db, "analytiker", hash_password(PASSWORD), "region", None,
                 organisations.area_ids_named(db, ("kommun:0114",)))  # fmt: skip
    region = app.test_client()
    login(region, "analytiker")
    page = region.get("/walks").text
    assert "partners.ics?key=" not in page and "Ny partnerlänk" not in page
    assert region.post("/walks/calendar-key").status_code == 403
