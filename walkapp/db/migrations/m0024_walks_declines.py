"""An organisation that says no to a joint walk's invitation leaves the walk; the lead's walk page
still names it with when it said no (`walk_declines`), until the lead invites it again."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0024_walks_declines")
def walks_declines(db: sqlite_utils.Database) -> None:
    db.execute("""
        create table walk_declines (
            walk_id text not null references walks(id) on delete cascade,
            organisation_id integer not null references organisations(id),
            declined_at text not null,
            primary key (walk_id, organisation_id)
        ) without rowid
    """)  # fmt: skip
