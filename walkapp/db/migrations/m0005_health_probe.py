"""The write probe of /healthz and `walkapp status` (issue 23): one row, written and read back,
so health says whether the database takes a write, not only whether it answers a read."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0005_health_probe")
def health_probe(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        "create table health_probe (id integer primary key check (id = 1),"
        " token text not null, written_at text not null)",
    )
