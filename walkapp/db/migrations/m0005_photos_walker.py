"""Who added a photo: the walker whose token uploaded it (null for staff), so a walker's daily
photo budget is counted and a walker may remove the photos they added. Photos of a finding stored
before this came through its walker's token (or a coordinator's session): they are the finding's
walker's."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0005_photos_walker")
def photos_walker(db: sqlite_utils.Database) -> None:
    db.execute(
        "alter table photos add column walker_id text references walkers(id) on delete set null"
    )
    db.execute(
        "update photos set walker_id = (select o.walker_id from observations o"
        " where o.id = photos.observation_id) where kind = 'before'"
    )
    db.execute("create index photos_walker on photos (walker_id, created_at)")
