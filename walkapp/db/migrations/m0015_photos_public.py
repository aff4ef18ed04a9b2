"""An "after" photo the public may see (issue 25: the public hears why — "done, with the after
photo where not private"). Photos are never public by default: a coordinator publishes an after
photo of a fixed measure from its page, or a partner's person when they upload it. A before
photo, a walker's photo of an observation, is never public (walkapp/db/public.py says when a
published one is shown)."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0015_photos_public")
def photos_public(db: sqlite_utils.Database) -> None:
    db.execute("alter table photos add column public integer not null default 0")
