"""Photo rows. The files themselves are written by walkapp.photos."""

from __future__ import annotations

import sqlite_utils

from . import now, one


def get_photo(db: sqlite_utils.Database, photo_id: str) -> dict | None:
    return one(db, "select * from photos where id = ?", [photo_id])


def insert_photo(db: sqlite_utils.Database, photo_id: str, observation_id: str, stored) -> bool:
    """Record a stored photo once per id; False when the id was already there (a retry).
    Inside the caller's transaction."""
    cursor = db.execute(
        "insert or ignore into photos (id, observation_id, filename, thumb_filename,"
        " content_type, bytes, width, height, created_at)"
        " values (?, ?, ?, ?, 'image/jpeg', ?, ?, ?, ?)",
        [
            photo_id,
            observation_id,
            stored.filename,
            stored.thumb_filename,
            stored.bytes,
            stored.width,
            stored.height,
            now(),
        ],
    )
    return cursor.rowcount == 1


def count_photos(db: sqlite_utils.Database, observation_id: str | None = None) -> int:
    if observation_id is None:
        return db.execute("select count(*) from photos").fetchone()[0]
    return db.execute(
        "select count(*) from photos where observation_id = ?", [observation_id]
    ).fetchone()[0]
