"""The walked track: chunks sent by a phone (stored once per chunk id) and their points."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0003_track_points")
def track_points(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table track_chunks (
            id text primary key,
            walk_id text not null references walks(id) on delete cascade,
            walker_id text references walkers(id) on delete set null,
            points integer not null,
            received_at text not null
        );
        create index track_chunks_walk on track_chunks (walk_id);

        create table track_points (
            chunk_id text not null references track_chunks(id) on delete cascade,
            seq integer not null,
            walk_id text not null,
            walker_id text,
            t text not null,
            lon real not null,
            lat real not null,
            accuracy_m real,
            gap integer not null default 0,
            primary key (chunk_id, seq)
        );
        create index track_points_walk on track_points (walk_id, walker_id, t);
        """,
    )
