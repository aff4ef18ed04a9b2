"""A finding a coordinator marked "inte publik" (near a shelter, a private entrance) leaves
every public output: the public page, its data and map, places' counts, Open311 without a key."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0003_observations_not_public")
def add_not_public(db: sqlite_utils.Database) -> None:
    db.execute("alter table observations add column not_public integer not null default 0")
