"""The re-walk (PRODUCT.md: the method's "repeat walk months later"; Boverket and Brå: "after a
few months"): planned from the meeting of a place ("Följ upp med ny vandring") at the same
places, it follows up the walks held there and carries their measures still open or done to
its walkers' phones, where one tap says "Åtgärdat" or "Finns kvar" on each. It is a walk like
any other and, once held, counts in the promise as one.

What a check does to a measure is `walkapp.measures.check_changes` (the measure's rule); this
module plans the walk, reads what the phone sends and is the door that stores a check. No
Flask, no SQL.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlite_utils
from flask_babel import lazy_gettext as _l

from . import clock, measures, walks
from .db import audit_log, transaction
from .db import rewalks as rewalks_db
from .inputs import (
    STORED_WITH_ANOTHER_BODY,
    TAKEN_BY_ANOTHER_WALK,
    Conflict,
    Invalid,
    Refused,
    moment,
    parse_uuid,
    phone_id,
)

# How long after the walk it follows up a re-walk is planned (the form's first suggestion).
REWALK_MONTHS = 3
# What a walker may answer about a carried measure.
ANSWERS = ("fixed", "still_there")
# The largest check body read (walkapp/bodies.py): two UUIDs, an answer and an instant.
BODY_BYTES = 1024
WALK_CLOSED = _l("Vandringen är avslutad; åtgärderna kan inte längre kontrolleras här.")
NOT_CARRIED = _l("Vandringen har ingen åtgärd att kontrollera med det id:t.")


def followed(place_walks: list[dict], carrying: set[str]) -> list[str]:
    """The walks a re-walk of a place follows up: of the walks held there (closed), those whose
    findings there still carry a measure to check; else the latest one held. place_walks: the
    place's walks, oldest first (db.walks.walks_for_place)."""
    held = [walk["id"] for walk in place_walks if walks.is_closed(walk)]
    with_measures = [walk_id for walk_id in held if walk_id in carrying]
    return with_measures or held[-1:]


def plan(latest: dict, today: date) -> dict:
    """The walk form's first values for a re-walk after `latest` (the last walk it follows up):
    REWALK_MONTHS later on the same Stockholm wall time — or that long after today when that
    day has passed — in the same light, from the same meeting point, with the same leader."""
    start = clock.local(latest["starts_at"])
    day = clock.months_later(start.date(), REWALK_MONTHS)
    if day <= today:
        day = clock.months_later(today, REWALK_MONTHS)
    return {
        "starts_at": datetime.combine(day, start.time().replace(tzinfo=None)),
        "light": latest["light"],
        "meeting_point": latest["meeting_point"],
        "leader": latest["leader"],
    }


def parse_check(payload, now: datetime) -> dict:
    """{"id", "observation_id", "answer": "fixed" | "still_there", "recorded_at"} as the phone
    sends a check, field by field."""
    if not isinstance(payload, dict):
        raise Invalid({"_": _l("Skicka kontrollen som ett JSON-objekt.")})
    errors: dict = {}
    check_id = phone_id(payload, errors)
    observation_id = parse_uuid(payload.get("observation_id"))
    if observation_id is None:
        errors["observation_id"] = _l("observation_id ska vara id:t för åtgärden som kontrolleras.")
    answer = payload.get("answer")
    if answer not in ANSWERS:
        errors["answer"] = _l("Svara ”Åtgärdat” (fixed) eller ”Finns kvar” (still_there).")
    recorded_at = moment(payload.get("recorded_at"), now, errors)
    if errors:
        raise Invalid(errors)
    return {
        "id": check_id,
        "observation_id": observation_id,
        "answer": answer,
        "recorded_at": recorded_at,
    }


def record_check(
    db: sqlite_utils.Database, walk: dict, walker_id: str | None, clean: dict
) -> tuple[bool, dict]:
    """The door of a walker's check: stored once by the phone's id (a retry gets the same
    answer, another body with that id is a Conflict), refused on a closed walk (409) and for a
    finding the walk does not carry (404); the same walker's same answer again stores nothing
    (a second tap is not a second check). Otherwise the measure moves by its rule
    (measures.check_within), with the check, its history row and an audit entry, in one
    transaction. (created, reply)."""
    with transaction(db):
        stored = rewalks_db.get_check(db, clean["id"])
        if stored is not None:
            if stored["walk_id"] != walk["id"]:
                raise Conflict(TAKEN_BY_ANOTHER_WALK)
            sent = (clean["observation_id"], clean["answer"], walker_id)
            if (stored["observation_id"], stored["answer"], stored["walker_id"]) != sent:
                raise Conflict(STORED_WITH_ANOTHER_BODY)
            return False, reply(stored)
        if walks.is_closed(walk):
            raise Refused(WALK_CLOSED)
        finding = rewalks_db.carried_one(db, walk["id"], clean["observation_id"])
        if finding is None:
            raise Refused(NOT_CARRIED, 404, "observation_id")
        latest = rewalks_db.latest_check(db, walk["id"], walker_id, finding["id"])
        if latest is not None and latest["answer"] == clean["answer"]:
            return False, reply(latest)
        after = measures.check_within(db, finding, clean["answer"])
        row = {
            **clean,
            "walk_id": walk["id"],
            "walker_id": walker_id,
            "status_before": finding["status"],
            "status_after": after,
            "received_at": clock.stamp(),
        }
        rewalks_db.add_check(db, row)
        detail = {"walk": walk["id"], "answer": clean["answer"], "status": after}
        audit_log.record(db, None, "check", "measure", finding["id"], detail)
    return True, reply(row)


def reply(row: dict) -> dict:
    return {
        "id": row["id"],
        "observation_id": row["observation_id"],
        "answer": row["answer"],
        "status": row["status_after"],
    }
