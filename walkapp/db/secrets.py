"""Instance secrets kept in the database, so a backup or a replica carries them."""

from __future__ import annotations

import sqlite_utils

from . import one


def get_secret(db: sqlite_utils.Database, name: str) -> str | None:
    row = one(db, "select value from instance_secrets where name = ?", [name])
    return row["value"] if row else None


def keep_first(db: sqlite_utils.Database, name: str, value: str) -> str:
    """Store value under name unless one is there already; return the one that is kept.

    One statement, atomic on its own (the first start of a new instance, before any request):
    the one write outside a word module's transaction (walkapp.settings reads the key)."""
    db.execute("insert or ignore into instance_secrets (name, value) values (?, ?)", [name, value])
    return get_secret(db, name)


def replace_secret(db: sqlite_utils.Database, name: str, value: str) -> None:
    db.execute(
        "insert into instance_secrets (name, value) values (?, ?)"
        " on conflict (name) do update set value = excluded.value",
        [name, value],
    )
