"""Retention: photos, walker display names and walked tracks past their keeping period go in
one transaction with its audit entry, then the photo files. No Flask, no SQL."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from .db import audit_log, transaction
from .db import retention as retention_db
from .db import tracks as tracks_db


def apply(
    db: sqlite_utils.Database,
    photos: list[dict],
    walkers: list[dict],
    chunks: list[dict],
    summary: dict,
    photo_folder: Path,
) -> None:
    """Delete the listed photos and tracks and forget the walkers' names, audited with
    `summary`."""
    with transaction(db):
        retention_db.delete_photos(db, [p["id"] for p in photos])
        retention_db.forget_walker_names(db, [w["id"] for w in walkers])
        tracks_db.delete_chunks(db, [chunk["id"] for chunk in chunks])
        audit_log.record(db, None, "retention", "instance", None, summary)
    # Files go after the rows are gone: a crash in between leaves files, never dangling rows.
    for photo in photos:
        for name in (photo["filename"], photo["thumb_filename"]):
            (photo_folder / name).unlink(missing_ok=True)
