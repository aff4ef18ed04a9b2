"""Photo rows and their bytes (`photo_blobs`, committed with the row so a replica carries them).
The served files are written by walkapp.photos."""

from __future__ import annotations

import sqlite_utils

from . import now, one


def get_photo(db: sqlite_utils.Database, photo_id: str) -> dict | None:
    return one(db, "select * from photos where id = ?", [photo_id])


def insert_photo(
    db: sqlite_utils.Database,
    photo_id: str,
    observation_id: str,
    stored,
    kind: str = "before",
    walker_id: str | None = None,
) -> bool:
    """Record a stored photo once per id; False when the id was already there (a retry).
    kind: before (of the observation) or after (of the measure done); walker_id: who added it (None
    for staff)."""
    cursor = db.execute(
        "insert or ignore into photos (id, observation_id, filename, thumb_filename,"
        " content_type, bytes, width, height, created_at, kind, walker_id)"
        " values (?, ?, ?, ?, 'image/jpeg', ?, ?, ?, ?, ?, ?)",
        [
            photo_id,
            observation_id,
            stored.filename,
            stored.thumb_filename,
            stored.bytes,
            stored.width,
            stored.height,
            now(),
            kind,
            walker_id,
        ],
    )
    if cursor.rowcount == 1:
        db.execute(
            "insert into photo_blobs (photo_id, photo, thumb) values (?, ?, ?)",
            [photo_id, stored.data, stored.thumb_data],
        )
    return cursor.rowcount == 1


def count_photos(
    db: sqlite_utils.Database, observation_id: str | None = None, kind: str | None = None
) -> int:
    if observation_id is None:
        return db.execute("select count(*) from photos").fetchone()[0]
    return db.execute(
        "select count(*) from photos where observation_id = ? and kind = coalesce(?, kind)",
        [observation_id, kind],
    ).fetchone()[0]


def walker_bytes_since(db: sqlite_utils.Database, walker_id: str, since: str) -> int:
    """The bytes on disk of the photos a walker added since an instant: each photo's every stored
    size (the full-size photo and its thumbnail, whose bytes photo_blobs holds as written)."""
    return db.execute(
        "select coalesce(sum(p.bytes + coalesce(length(b.thumb), 0)), 0) from photos p"
        " left join photo_blobs b on b.photo_id = p.id"
        " where p.walker_id = ? and p.created_at >= ?",
        [walker_id, since],
    ).fetchone()[0]


def delete_photo(db: sqlite_utils.Database, photo_id: str) -> list[str]:
    """Delete a photo's row (its bytes go with it); return its files to remove once the
    transaction has committed."""
    row = get_photo(db, photo_id)
    if row is None:
        return []
    db.execute("delete from photos where id = ?", [photo_id])
    return [row["filename"], row["thumb_filename"]]


def all_files(db: sqlite_utils.Database) -> list[dict]:
    """Every photo's file names: which served files the database expects."""
    return list(db.query("select id, filename, thumb_filename from photos"))


def file_names(db: sqlite_utils.Database) -> set[str]:
    """The names of every served file (photo and thumbnail) the database expects."""
    return {name for row in all_files(db) for name in (row["filename"], row["thumb_filename"])}


def photo_bytes(db: sqlite_utils.Database, photo_id: str) -> dict | None:
    """The stored bytes of a photo and its thumbnail, or None for a photo without them."""
    return one(db, "select photo, thumb from photo_blobs where photo_id = ?", [photo_id])


def photo_ids_by_kind(db: sqlite_utils.Database, observation_ids: list[str]) -> dict[str, dict]:
    """{observation id: {"before": [photo ids], "after": [photo ids]}} in upload order."""
    found: dict[str, dict] = {oid: {"before": [], "after": []} for oid in observation_ids}
    if not observation_ids:
        return found
    marks = ", ".join("?" * len(observation_ids))
    for row in db.execute(
        "select observation_id, id, kind from photos"
        f" where observation_id in ({marks}) order by created_at, id",
        observation_ids,
    ):
        found[row[0]][row[2]].append(row[1])
    return found


def set_public(db: sqlite_utils.Database, photo_id: str, public: bool) -> bool:
    """Publish an "after" photo (or take it back). False: no after photo of that id."""
    cursor = db.execute(
        "update photos set public = ? where id = ? and kind = 'after'", [int(public), photo_id]
    )
    return cursor.rowcount == 1
