"""The walks that planned a place, found by the place (the meeting's place page asks for them):
walk_places had only its (walk_id, place_id) key, so each ask read every walk's places."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0006_walks_place_index")
def walks_place_index(db: sqlite_utils.Database) -> None:
    db.execute("create index walk_places_place on walk_places (place_id)")
