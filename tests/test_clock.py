"""One clock: instants stored as UTC with an offset, read in Stockholm time on every page,
typed in Stockholm time, right across both daylight-saving changes (2026-03-29, 2026-10-25)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from tests.helpers import plan_walk
from tests.test_coordinators import add_observation
from walkapp import clock, demo
from walkapp.db import connect, transaction
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate

SERGEL = (18.0649, 59.3326)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("2026-03-29T01:30", "2026-03-29T00:30:00+00:00"),  # winter time, before the change
        ("2026-03-29T03:30", "2026-03-29T01:30:00+00:00"),  # summer time, after it
        ("2026-10-25T01:30", "2026-10-24T23:30:00+00:00"),  # summer time, before the change back
        ("2026-10-25T03:30", "2026-10-25T02:30:00+00:00"),  # winter time again
        ("2026-12-03T18:00+01:00", "2026-12-03T17:00:00+00:00"),  # an offset is kept as given
    ],
)
def test_typed_stockholm_time_is_stored_as_utc_with_offset(typed, stored):
    assert clock.from_typed(typed) == stored
    if "+" not in typed:
        assert clock.for_input(stored) == datetime.fromisoformat(typed)


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("2026-03-29T00:59:00+00:00", "2026-03-29 01:59"),
        ("2026-03-29T01:00:00+00:00", "2026-03-29 03:00"),  # the hour that does not exist
        ("2026-10-25T00:30:00+00:00", "2026-10-25 02:30"),  # 02:30 summer time …
        ("2026-10-25T01:30:00+00:00", "2026-10-25 02:30"),  # … and 02:30 winter time
        ("2026-11-24T23:30:00+00:00", "2026-11-25 00:30"),  # the Stockholm day, not the UTC day
    ],
)
def test_stored_instants_read_in_stockholm(stored, shown):
    assert clock.local_moment(stored) == shown
    assert clock.local_day(stored) == shown[:10]


def test_year_bounds_are_stockholm_midnights():
    assert clock.year_bounds(2026) == ("2025-12-31T23:00:00+00:00", "2026-12-31T23:00:00+00:00")


def test_walk_form_takes_stockholm_time_and_pages_show_it(staff, db):
    response = plan_walk(
        staff, "Vårvandring", "2026-03-29T03:30", follow_up_at="2026-04-02T18:00"
    )
    assert response.status_code == 302, response.text
    walk = walks_db.find_walk_by_title(db, "Vårvandring")
    assert walk["starts_at"] == "2026-03-29T01:30:00+00:00"
    assert walk["follow_up_at"] == "2026-04-02T16:00:00+00:00"
    observation = add_observation(db, walk["id"], *SERGEL, when="2026-03-29T01:48:00+00:00")
    page = staff.get(f"/walks/{walk['id']}").text
    assert "2026-03-29 03:30" in page and "2026-04-02 18:00" in page
    assert "<td>03:48</td>" in page and "01:48" not in page
    assert "2026-03-29 03:30" in staff.get(f"/walks/{walk['id']}/protocol").text
    assert "2026-03-29 03:48" in staff.get(f"/observations/{observation}/triage").text
    live = staff.get(f"/walks/{walk['id']}/observations.json").json["observations"][0]
    assert live["time"] == "03:48" and live["recorded_at"] == "2026-03-29T01:48:00+00:00"
    # The edit form shows what was typed, and saving it unchanged keeps the instant.
    edit = staff.get(f"/walks/{walk['id']}/edit").text
    assert 'value="2026-03-29T03:30"' in edit


def test_protocol_csv_day_is_the_stockholm_day(staff, db):
    walk = walks_db.create_walk(db, title="Höstvandring", starts_at="2026-10-25T01:30")
    assert walk["starts_at"] == "2026-10-24T23:30:00+00:00"
    add_observation(db, walk["id"], *SERGEL, when="2026-10-24T22:30:00+00:00")
    csv_text = staff.get(f"/walks/{walk['id']}/protocol.csv").data.decode("utf-8-sig")
    assert ";2026-10-25;" in csv_text and "2026-10-24" not in csv_text


def test_dashboard_and_walk_page_agree_on_the_demo_hour(staff, db, runner):
    json.loads(runner.invoke(args=["demo"]).output)
    walk = walks_db.find_walk_by_title(db, demo.DEMO_TITLE)
    local = clock.local(walk["starts_at"])
    assert local.strftime("%Y-%m-%d %H:%M") in staff.get(f"/walks/{walk['id']}").text
    assert local.strftime("%H:%M") in staff.get(f"/walks/{walk['id']}/protocol").text


def test_create_walk_command_takes_an_offset_and_refuses_absurd_dates(runner, db):
    result = runner.invoke(
        args=["create-walk", "--title", "CLI", "--starts-at", "2026-10-25T02:30+01:00"]
    )
    assert result.exit_code == 0, result.output
    assert walks_db.find_walk_by_title(db, "CLI")["starts_at"] == "2026-10-25T01:30:00+00:00"
    for absurd in ("0001-01-01T18:00", "9999-12-31T18:00"):
        bad = runner.invoke(args=["create-walk", "--title", "Fel", "--starts-at", absurd])
        assert bad.exit_code == 1 and "Välj ett datum" in bad.output
    assert walks_db.find_walk_by_title(db, "Fel") is None


def test_migration_converts_naive_walk_times_from_stockholm(tmp_path):
    db = connect(tmp_path / "old.db")
    migrate(db, upto="0002_public_seed_promise_2022")
    with transaction(db):
        db.execute(
            "insert into walks (id, title, code, starts_at, follow_up_at, created_at)"
            " values ('w', 'Gammal', 'ABCDEF', '2026-07-01T18:00', '2026-12-01T18:00',"
            " '2026-06-01T10:00:00')"
        )
    migrate(db)
    row = dict(
        zip(
            ("starts_at", "follow_up_at", "created_at"),
            db.execute("select starts_at, follow_up_at, created_at from walks").fetchone(),
        )
    )
    assert row == {
        "starts_at": "2026-07-01T16:00:00+00:00",  # summer: UTC+2
        "follow_up_at": "2026-12-01T17:00:00+00:00",  # winter: UTC+1
        "created_at": "2026-06-01T10:00:00+00:00",  # already UTC, now says so
    }
    db.close()


def test_today_is_the_stockholm_day(monkeypatch):
    late = datetime.fromisoformat("2026-11-24T23:30:00+00:00")
    monkeypatch.setattr(clock, "now_utc", lambda: late)
    assert clock.today() == date(2026, 11, 25)
