"""Walked tracks: chunks of points, each stored once per chunk id."""

from __future__ import annotations

from collections.abc import Iterator

import sqlite_utils

from . import now, one, rows


def insert_chunk(
    db: sqlite_utils.Database, chunk_id: str, walk_id: str, walker_id: str | None, points: list
) -> bool:
    """Store a chunk and its points once; False when the id was there already (a retry)."""
    cursor = db.execute(
        "insert or ignore into track_chunks (id, walk_id, walker_id, points, received_at)"
        " values (?, ?, ?, ?, ?)",
        [chunk_id, walk_id, walker_id, len(points), now()],
    )
    if cursor.rowcount == 0:
        return False
    db.conn.executemany(
        "insert into track_points"
        " (chunk_id, seq, walk_id, walker_id, t, lon, lat, accuracy_m, gap)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (chunk_id, seq, walk_id, walker_id, p["t"], p["lon"], p["lat"], p["accuracy_m"])
            + (int(p["gap"]),)
            for seq, p in enumerate(points)
        ],
    )
    return True


def get_chunk(db: sqlite_utils.Database, chunk_id: str) -> dict | None:
    return one(db, "select * from track_chunks where id = ?", [chunk_id])


def chunk_points(db: sqlite_utils.Database, chunk_id: str) -> list[dict]:
    """A chunk's points as they were checked: lon, lat, accuracy_m, t and gap, in order."""
    return [
        {**row, "gap": bool(row["gap"])}
        for row in db.query(
            "select lon, lat, accuracy_m, t, gap from track_points where chunk_id = ? order by seq",
            [chunk_id],
        )
    ]


def points_for_walk(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """Every walker's points of a walk, per walker in time order."""
    return rows(
        db,
        "select walker_id, t, lon, lat, accuracy_m, gap from track_points where walk_id = ?"
        " order by walker_id, t, chunk_id, seq",
        [walk_id],
    )


def iter_points(db: sqlite_utils.Database, walk_ids: list[str]) -> Iterator[dict]:
    for walk_id in walk_ids:
        yield from points_for_walk(db, walk_id)


def chunks_older_than(db: sqlite_utils.Database, cutoff_day: str) -> list[dict]:
    """Chunks of walks whose day (the follow-up meeting's, when later than the walk's) is
    before cutoff_day (YYYY-MM-DD)."""
    return rows(
        db,
        "select c.id, c.walk_id, c.points, w.starts_at from track_chunks c"
        " join walks w on w.id = c.walk_id"
        " where max(substr(w.starts_at, 1, 10), substr(coalesce(w.follow_up_at, ''), 1, 10))"
        " < ? order by w.starts_at",
        [cutoff_day],
    )


def delete_chunks(db: sqlite_utils.Database, chunk_ids: list[str]) -> None:
    """Points go with their chunk."""
    db.conn.executemany("delete from track_chunks where id = ?", [(i,) for i in chunk_ids])
