"""Photo bytes in the database (issue 18): the replica carries them with their rows."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from . import migration, run_script


@migration("0003_replication_photo_blobs")
def replication_photo_blobs(db: sqlite_utils.Database) -> None:
    """Photo bytes in the database, committed with their row, so a replica carries them too.

    Photos stored as files before this migration are read in; the files stay as served copies.
    """
    run_script(
        db,
        """
        create table photo_blobs (
            photo_id text primary key references photos(id) on delete cascade,
            photo blob not null,
            thumb blob not null
        )
        """,
    )
    database_file = db.execute("pragma database_list").fetchone()[2]
    if not database_file:
        return
    folder = Path(database_file).parent / "photos"
    rows = db.execute("select id, filename, thumb_filename from photos").fetchall()
    for photo_id, filename, thumb_filename in rows:
        full, thumb = folder / filename, folder / thumb_filename
        if full.is_file() and thumb.is_file():
            db.execute(
                "insert into photo_blobs (photo_id, photo, thumb) values (?, ?, ?)",
                [photo_id, full.read_bytes(), thumb.read_bytes()],
            )
