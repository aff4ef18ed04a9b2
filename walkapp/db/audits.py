"""Safety audits (nine scores 0–3), each stored once per id."""

from __future__ import annotations

from collections.abc import Iterator

import sqlite_utils

from ..vocabulary import AUDIT_PARAMETERS
from . import now, one
from .exports import recorded_place_walk

SCORE_COLUMNS = AUDIT_PARAMETERS
COLUMNS = (
    "id",
    "walk_id",
    "walker_id",
    "lon",
    "lat",
    "recorded_at",
    "place_id",
    "relation",
    "stop",
    "note",
    *SCORE_COLUMNS,
)
_ROW = (
    "select a.*, w.title as walk_title, w.starts_at, p.name as place_name from audits a"
    " join walks w on w.id = a.walk_id left join places p on p.id = a.place_id"
)


def insert_audit(db: sqlite_utils.Database, record: dict) -> bool:
    """Store an audit once; False when the id was there already."""
    cursor = db.execute(
        f"insert or ignore into audits ({', '.join(COLUMNS)}, received_at)"
        f" values ({', '.join('?' * len(COLUMNS))}, ?)",
        [*(record.get(column) for column in COLUMNS), now()],
    )
    return cursor.rowcount > 0


def get_audit(db: sqlite_utils.Database, audit_id: str) -> dict | None:
    return one(db, "select * from audits where id = ?", [audit_id])


def for_walk(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    return list(db.query(_ROW + " where a.walk_id = ? order by a.recorded_at", [walk_id]))


def for_place(db: sqlite_utils.Database, place_id: int) -> list[dict]:
    return list(
        db.query(_ROW + " where a.place_id = ? order by w.starts_at, a.recorded_at", [place_id])
    )


def iter_filtered(db: sqlite_utils.Database, filters) -> Iterator[dict]:
    """Audits by the exports' filters (from/to on the audit's time, place, walk), oldest first."""
    clauses, params = recorded_place_walk(filters, "a")
    where = (" where " + " and ".join(clauses)) if clauses else ""
    yield from db.query(_ROW + where + " order by a.recorded_at, a.id", params)
