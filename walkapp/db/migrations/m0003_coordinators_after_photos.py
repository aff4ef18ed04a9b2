"""Before and after: a photo is either of the finding (before) or of the measure done (after)."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0003_coordinators_after_photos")
def coordinators_after_photos(db: sqlite_utils.Database) -> None:
    db.execute(
        "alter table photos add column kind text not null default 'before'"
        " check (kind in ('before', 'after'))"
    )
