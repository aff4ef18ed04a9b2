"""Citizen-promise progress: how far a commitment has come and whether the pace will do.

Pure functions over plain numbers and dates; no Flask, no SQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import sqlite_utils
from flask_babel import lazy_gettext as _l

from .db import audit_log, transaction
from .db import organisations as organisations_db
from .db import promises as promises_db

# reached: target met; on_track: not behind the even pace, or the planned walks will reach it;
# behind: below the even pace this year; missed: the year is over short of the target;
# not_started: the year has not begun.
PACE_STATES = ("reached", "on_track", "behind", "missed", "not_started")
# The one wording of each state, for the public page and the coordinators' dashboard alike.
PACE_LABELS: dict[str, object] = {
    "reached": _l("Målet är nått."),
    "on_track": _l("Vi ligger i fas."),
    "behind": _l("Vi ligger efter just nu."),
    "missed": _l("Målet nåddes inte."),
    "not_started": _l("Året har inte börjat."),
}


@dataclass(frozen=True)
class Pace:
    state: str
    expected_by_now: int  # what an even pace over the year would have reached by today
    projected: int  # at the pace so far, what the year ends with (planned walks included)


def year_fraction(year: int, today: date) -> float:
    """How much of `year` has passed by the end of `today` (0 before it, 1 after it)."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return ((today - start).days + 1) / (end - start).days


def pace(done: int, target: int, year: int, today: date, planned: int = 0) -> Pace:
    """The pace of one commitment. `planned` counts walks still planned for the year."""
    fraction = year_fraction(year, today)
    expected = math.floor(target * fraction)
    projected = max(round(done / fraction) if fraction else 0, done + planned)
    if done >= target:
        state = "reached"
    elif fraction == 0:
        state = "not_started"
    elif fraction == 1:
        state = "missed"
    elif done >= expected or projected >= target:
        state = "on_track"
    else:
        state = "behind"
    return Pace(state, expected, projected)


def percent(done: int, target: int) -> int:
    """Share of the target reached, 0..100 (a bar never overflows)."""
    if target <= 0:
        return 100
    return min(100, round(100 * done / target))


def with_pace(progress: list[dict], year: int, today: date, planned_walks: int) -> list[dict]:
    """Each commitment's progress row with its percent, its pace and the walks still planned
    (walk-counted commitments only: activities are not planned ahead)."""
    rows = []
    for item in progress:
        planned = planned_walks if item["counting"] == "walks" else 0
        rows.append(
            {
                **item,
                "planned": planned,
                "percent": percent(item["done"], item["target"]),
                "pace": pace(item["done"], item["target"], year, today, planned),
            }
        )
    return rows


# --- changes: each one transaction with its audit entry ---------------------------------------


def _organisation(db: sqlite_utils.Database, organisation_id: int | None) -> tuple[dict, bool]:
    """The organisation (the first one when none is named), and whether it is the first: its
    promises keep the area and title they always had."""
    first = organisations_db.first(db) or {}
    if organisation_id is None or organisation_id == first.get("id"):
        return first, True
    return organisations_db.get_organisation(db, organisation_id), False


def default_title(db: sqlite_utils.Database, year: int, organisation_id: int | None) -> str:
    """A new promise's title as the form offers it: naming the organisation."""
    own, is_first = _organisation(db, organisation_id)
    return f"Medborgarlöfte {year} för {'Stockholm, Norrmalm' if is_first else own['name']}"


def area_for(db: sqlite_utils.Database, year: int, organisation_id: int | None) -> str:
    """The area a new promise of the organisation names (one per year across the instance):
    the first organisation's is the area its promises always named, another's its name; when a
    promise of that year already names it (an organisation of the same name, or one that named
    the default before each had its own), with the slug, then a number."""
    own, is_first = _organisation(db, organisation_id)
    name, slug = (promises_db.DEFAULT_AREA if is_first else own["name"]), own.get("slug", "")
    candidates = [name, f"{name} ({slug})", *(f"{name} ({slug} {n})" for n in range(2, 100))]
    return next(area for area in candidates if not promises_db.area_taken(db, year, area))


def create(
    db: sqlite_utils.Database,
    year: int,
    area: str | None,
    title: str,
    user_id: int | None,
    copy_from: int | None = None,
    organisation_id: int | None = None,
) -> int:
    """A new promise of an organisation; with `copy_from`, that promise's commitments are
    copied as a start. `area` None: the organisation's (area_for), chosen in the transaction
    that stores it, so two admins at once cannot both take it."""
    with transaction(db):
        area = area_for(db, year, organisation_id) if area is None else area
        promise_id = promises_db.create_promise(db, year, area, title, copy_from, organisation_id)
        detail = {"year": year, "copy_from": copy_from}
        audit_log.record(db, user_id, "create", "promise", promise_id, detail)
    return promise_id


def update(
    db: sqlite_utils.Database, promise_id: int, title: str, commitments: list[dict], user_id
) -> None:
    """Save the title and each commitment's heading, text and target (by commitment id)."""
    with _audited(db, user_id, "update", promise_id, {"title": title, "commitments": commitments}):
        promises_db.update_promise(db, promise_id, title, commitments)


def save_texts(
    db: sqlite_utils.Database,
    promise_id: int,
    language: str,
    commitments: list[dict],
    user_id: int | None,
) -> None:
    """Save each commitment's heading and text in one of the public's other languages (by
    commitment id); an empty pair leaves the Swedish to show."""
    detail = {"language": language, "commitments": commitments}
    with _audited(db, user_id, "update_texts", promise_id, detail):
        promises_db.save_commitment_texts(db, promise_id, language, commitments)


@contextmanager
def _audited(db, user_id, action: str, promise_id: int, detail: dict) -> Iterator[None]:
    """One change to a promise and its audit-log entry, in one transaction."""
    with transaction(db):
        yield
        audit_log.record(db, user_id, action, "promise", promise_id, detail)


def add_commitment(
    db: sqlite_utils.Database,
    promise_id: int,
    heading: str,
    text: str,
    target: int,
    counting: str,
    user_id: int | None,
) -> int:
    with transaction(db):
        commitment_id = promises_db.add_commitment(db, promise_id, heading, text, target, counting)
        detail = {"promise_id": promise_id}
        audit_log.record(db, user_id, "create", "commitment", commitment_id, detail)
    return commitment_id


def delete_commitment(db: sqlite_utils.Database, commitment_id: int, user_id: int | None) -> bool:
    """Remove a commitment without logged activities; False when it has some (or is gone)."""
    return _deleted(db, "commitment", commitment_id, user_id, promises_db.delete_commitment)


def add_activity(
    db: sqlite_utils.Database,
    commitment_id: int,
    happened_on: str,
    description: str,
    place_id: int | None,
    user_id: int | None,
) -> int:
    with transaction(db):
        activity = {"happened_on": happened_on, "description": description, "place_id": place_id}
        activity_id = promises_db.add_activity(db, commitment_id, activity, user_id)
        detail = {"commitment_id": commitment_id, "happened_on": happened_on}
        audit_log.record(db, user_id, "create", "activity", activity_id, detail)
    return activity_id


def delete_activity(db: sqlite_utils.Database, activity_id: int, user_id: int | None) -> bool:
    return _deleted(db, "activity", activity_id, user_id, promises_db.delete_activity)


def _deleted(
    db: sqlite_utils.Database, kind: str, row_id: int, user_id: int | None, remove
) -> bool:
    """Remove one row by `remove(db, id)` and log what it was; False when nothing was removed."""
    with transaction(db):
        row = remove(db, row_id)
        if row is not None:
            audit_log.record(db, user_id, "delete", kind, row_id, row)
    return row is not None
