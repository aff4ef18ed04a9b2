"""Numbered schema migrations, applied in order on start and recorded in `_migrations`.

One module per change in this package, `mNNNN_<word>_<what>.py`, with a function decorated
`@migration("NNNN_<word>_<what>")`; names sort into the order they run. Never edit one that
has shipped. From 0007 on each number is used once (tests/test_app.py): the thirteen 0003s
and the 0005s and 0006s shipped sharing one, and renaming them would run them again.

A migration that rebuilds a table others refer to (SQLite changes a CHECK or a column only by
copying the table) says `foreign_keys_off=True`: SQLite's own procedure, foreign keys off
around its transaction (dropping the old table would otherwise cascade into its children) and
`foreign_key_check` before the commit.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str, *, foreign_keys_off: bool = False) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        fn.foreign_keys_off = foreign_keys_off  # type: ignore[attr-defined]
        MIGRATIONS.append((name, fn))
        return fn

    return register


def applied(db: sqlite_utils.Database) -> set[str]:
    if "_migrations" not in db.table_names():
        return set()
    return {row["name"] for row in db.query("select name from _migrations")}


def migrate(db: sqlite_utils.Database, upto: str | None = None) -> list[str]:
    """Apply pending migrations (each in its own transaction); return their names."""
    db.execute(
        "create table if not exists _migrations (name text primary key, applied_at text not null)"
    )
    ran = []
    for name, fn in sorted(MIGRATIONS, key=lambda item: item[0]):
        if upto is not None and name > upto:
            break
        # One explicit transaction per migration, DDL included: all of it or none of it.
        # Checked again under the write lock: several workers may start at once.
        keys_off = getattr(fn, "foreign_keys_off", False)
        if keys_off:
            db.execute("pragma foreign_keys = off")  # a no-op inside a transaction
        db.execute("begin immediate")
        try:
            if db.execute("select 1 from _migrations where name = ?", [name]).fetchone():
                db.execute("commit")
                continue
            fn(db)
            if keys_off and db.execute("pragma foreign_key_check").fetchone():
                raise RuntimeError(f"migration {name} left rows pointing at nothing")
            db.execute(
                "insert into _migrations (name, applied_at) values (?, ?)",
                [name, datetime.now(UTC).isoformat(timespec="seconds")],
            )
            db.execute("commit")
        except BaseException:
            db.execute("rollback")
            raise
        finally:
            if keys_off:
                db.execute("pragma foreign_keys = on")
        ran.append(name)
    return ran


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one (executescript would commit the open transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _load_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")


_load_all()
