"""Observations stored before the phone sent a position's source: an accuracy means a GPS
reading; without one the source stays unknown (null)."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0004_observations_position_backfill")
def backfill_position_source(db: sqlite_utils.Database) -> None:
    db.execute(
        "update observations set position_source = 'gps'"
        " where position_source is null and accuracy_m is not null"
    )
