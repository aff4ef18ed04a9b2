"""The database: one SQLite file through sqlite-utils. All SQL lives in this package.

`connect()` opens a connection with our pragmas; `get_db()` gives the request's
connection (kept on flask.g, closed on teardown). Query functions live in the
submodules (places, walks, observations, users, ...) and take the Database first.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from flask import current_app, g

from .migrations import migrate

BUSY_TIMEOUT_MS = 10_000


def connect(path: str | Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("pragma journal_mode = wal")
    db.execute("pragma foreign_keys = on")
    db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    # FULL: a committed observation survives a power cut, not only a crash.
    db.execute("pragma synchronous = full")
    return db


def now() -> str:
    """UTC timestamp as stored in every *_at column."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_path(app=None) -> Path:
    app = app or current_app
    return Path(app.config["WALKAPP_INSTANCE"]) / "walkapp.db"


def init(path: str | Path) -> list[str]:
    """Create or upgrade the database at path; return the migrations applied."""
    db = connect(path)
    try:
        return migrate(db)
    finally:
        db.close()


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = connect(database_path())
    return g.db


def close_db(_error=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def transaction(db: sqlite_utils.Database):
    """`with transaction(db):` — BEGIN IMMEDIATE ... COMMIT, rolled back on error."""
    return _Transaction(db)


class _Transaction:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def __enter__(self):
        self.db.execute("begin immediate")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("rollback" if exc_type else "commit")
        return False
