"""Every stored instant as UTC with its offset.

Walk times typed into the walk form were stored as they were typed: Stockholm wall time without
an offset. They become UTC with the offset Stockholm had on that day (summer or winter time).
Other instants were always written in UTC; any without an offset just gets "+00:00".
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlite_utils

from . import migration

STOCKHOLM = ZoneInfo("Europe/Stockholm")

TYPED = {"walks": ("starts_at", "pre_meeting_at", "follow_up_at")}
UTC_COLUMNS = {
    "walks": ("created_at", "opened_at", "closed_at"),
    "walkers": ("joined_at",),
    "observations": ("recorded_at", "received_at", "updated_at"),
    "measures": ("updated_at",),
    "measure_history": ("changed_at",),
    "photos": ("created_at",),
    "users": ("created_at",),
    "places": ("updated_at",),
    "activities": ("created_at",),
    "api_tokens": ("created_at", "last_used_at", "revoked_at"),
    "audit_log": ("at",),
}


def _convert(db: sqlite_utils.Database, table: str, column: str, zone) -> None:
    rows = db.execute(
        f"select rowid, {column} from {table} where {column} is not null"
        f" and {column} not like '%+__:__' and {column} not like '%Z'"
    ).fetchall()
    for rowid, value in rows:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        stored = moment.astimezone(UTC).isoformat(timespec="seconds")
        db.execute(f"update {table} set {column} = ? where rowid = ?", [stored, rowid])


@migration("0003_coordinators_utc_times")
def coordinators_utc_times(db: sqlite_utils.Database) -> None:
    for table, columns in TYPED.items():
        for column in columns:
            _convert(db, table, column, STOCKHOLM)
    for table, columns in UTC_COLUMNS.items():
        if table not in db.table_names():
            continue
        for column in columns:
            _convert(db, table, column, UTC)
