"""Each measure carries when it was first fixed and the days from its walk's start to then
(measures.fixed_at and fixed_days, migration 0025), kept by the database's triggers whatever
writes the history, so the medians of days to fixed read the measures alone. The history stays
the record: the copy always answers as the history did."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import database_at
from tests.test_coordinators import SERGEL, add_observation, partner_id
from walkapp import clock, measures, walks
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate
from walkapp.vocabulary import FIXED_STATUSES

# The truth: each fixed measure's first mark of done or verified in its history, counted from its
# walk's start, as db.partners.days_to_fixed counted before migration 0025.
FROM_THE_HISTORY = """
    select h.observation_id, min(h.changed_at),
        julianday(min(h.changed_at)) - julianday(w.starts_at)
    from measure_history h
    join observations o on o.id = h.observation_id
    join walks w on w.id = o.walk_id
    where h.field = 'status' and h.new_value in ('done', 'verified')
    group by h.observation_id order by h.observation_id
"""
COPIED = """
    select observation_id, fixed_at, fixed_days from measures
    where fixed_at is not null order by observation_id
"""


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now_utc", lambda: moment)


def same(db) -> bool:
    truth = db.execute(FROM_THE_HISTORY).fetchall()
    copied = db.execute(COPIED).fetchall()
    return [(i, a, pytest.approx(d)) for i, a, d in truth] == copied


def test_the_first_fix_is_kept_whatever_follows(db, monkeypatch):
    walk = walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")
    lamp = add_observation(db, walk["id"], *SERGEL, note="Trasig lampa")
    bush = add_observation(db, walk["id"], *SERGEL, category="vegetation")
    at(monkeypatch, datetime(2026, 11, 28, 17, tzinfo=UTC))  # 4 days after 17:00Z
    measures.set_status(db, lamp, "assigned", None, partner_id=partner_id(db, "Trafikkontoret"))
    assert db.execute(COPIED).fetchall() == []  # assigned is not fixed
    measures.set_status(db, lamp, "done", None)
    at(monkeypatch, datetime(2026, 12, 8, 17, tzinfo=UTC))
    measures.set_status(db, lamp, "verified", None)  # later: the first fix stays
    measures.set_status(db, lamp, "assigned", None)  # reopened: it was fixed once
    measures.set_status(db, bush, "verified", None)  # verified at once: 14 days
    assert db.execute(COPIED).fetchall() == sorted([
        (lamp, "2026-11-28T17:00:00+00:00", pytest.approx(4.0)),
        (bush, "2026-12-08T17:00:00+00:00", pytest.approx(14.0)),
    ])  # fmt: skip
    assert same(db)

    # A failed fix leaves nothing: the copy is written in the same transaction.
    other = add_observation(db, walk["id"], *SERGEL)
    with pytest.raises(RuntimeError), transaction(db):
        measures_db.update_measure(db, other, None, {"status": "done"})
        raise RuntimeError("the request failed after the change")
    assert measures_db.get_observation(db, other)["status"] == "new"
    assert same(db)

    # The walk's start is corrected: its days are counted again.
    walks.update(db, walk["id"], {"starts_at": "2026-11-26T18:00"})
    assert measures.median_days_to_fixed(db)["all"] == (7, 2)  # 2 and 12 days
    assert same(db)


def test_the_medians_from_the_index_answer_as_every_measure_counted(db, monkeypatch):
    """The instance's medians, read from the middle of `measures_fixed` and
    `measures_fixed_days`, equal the medians of every fixed measure sorted: odd and even counts,
    a partner with one, measures without a partner, a measure fixed before its walk began."""
    chance = random.Random(24)
    partners = [partner_id(db, name) for name in ("Trafikkontoret", "Fastighetsägaren", "Polisen")]
    walk = walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")
    start = datetime(2026, 11, 24, 17, tzinfo=UTC)
    for count, partner in ((7, partners[0]), (6, partners[1]), (1, partners[2]), (4, None)):
        for _ in range(count):
            found = add_observation(db, walk["id"], *SERGEL)
            at(monkeypatch, start + timedelta(hours=chance.randint(-30, 24 * 90)))
            if partner is None:
                measures.set_status(db, found, "done", None)
            else:
                measures.set_status(db, found, "assigned", None, partner_id=partner)
                measures.set_status(db, found, chance.choice(["done", "verified"]), None)
    monkeypatch.undo()
    assert same(db)
    from_the_index = measures.median_days_to_fixed(db)
    every = measures.median_days_to_fixed(db, [walk["organisation_id"]])
    assert from_the_index == every
    assert sorted(every["by_partner"]) == sorted(partners)
    assert [every["by_partner"][p][1] for p in partners] == [7, 6, 1]
    assert every["all"][1] == 18
    # And by hand, for one partner: the middle of its days in order.
    days = sorted(
        max(row["days"], 0.0)
        for row in partners_db.days_to_fixed(db)
        if row["partner_id"] == partners[1]
    )
    assert from_the_index["by_partner"][partners[1]][0] == round((days[2] + days[3]) / 2)


def test_the_upgrade_copies_every_first_fix(tmp_path):
    db = database_at(tmp_path, "0024_walks_declines")
    walk = walks_db.create_walk(db, title="Före", starts_at="2026-11-24T18:00")
    found = [add_observation(db, walk["id"], *SERGEL) for _ in range(3)]
    history = (
        "insert into measure_history (observation_id, changed_at, field, old_value, new_value)"
        " values (?, ?, 'status', ?, ?)"
    )
    with transaction(db):  # as 0024 left them: no copy, no trigger
        db.execute(history, [found[0], "2026-12-01T17:00:00+00:00", "new", "done"])
        db.execute(history, [found[0], "2026-11-28T17:00:00+00:00", "new", "verified"])
        db.execute(history, [found[1], "2026-11-25T17:00:00+00:00", "new", "assigned"])
        db.execute(history, [found[2], "2026-12-04T17:00:00+00:00", "new", "not_possible"])
    assert "0025_measures_fixed" in migrate(db)
    assert db.execute(COPIED).fetchall() == [
        (found[0], "2026-11-28T17:00:00+00:00", pytest.approx(4.0))
    ]
    assert same(db)
    with transaction(db):  # and the triggers keep it from now on
        db.execute(history, [found[1], "2026-12-04T17:00:00+00:00", "assigned", "done"])
    assert same(db)
    assert len(db.execute(COPIED).fetchall()) == 2


def test_a_measure_written_after_the_history_of_its_fix_takes_it(db):
    """Rows written out of order (an import, rows restored one table after another): the
    measure takes its first fix from the history already there."""
    walk = walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")
    found = add_observation(db, walk["id"], *SERGEL)
    with transaction(db):
        db.execute("delete from measures where observation_id = ?", [found])
        db.execute(
            "insert into measure_history (observation_id, changed_at, field, old_value,"
            " new_value) values (?, '2026-11-30T17:00:00+00:00', 'status', 'new', 'done')",
            [found],
        )
        db.execute(
            "insert into measures (observation_id, status, updated_at)"
            " values (?, 'done', '2026-11-30T17:00:00+00:00')",
            [found],
        )
    assert db.execute(COPIED).fetchall() == [
        (found, "2026-11-30T17:00:00+00:00", pytest.approx(6.0))
    ]
    assert same(db)


def test_the_triggers_fixed_statuses_are_the_vocabularys(db):
    """The migration freezes the statuses that mean fixed into its triggers' text: they must be
    walkapp.vocabulary's, or a change there would leave the medians counting others."""
    fixed = "in (" + ", ".join(f"'{status}'" for status in FIXED_STATUSES) + ")"
    for name in ("measures_fixed_from_history", "measures_fixed_on_insert"):
        (sql,) = db.execute("select sql from sqlite_master where name = ?", [name]).fetchone()
        assert fixed in sql, name
