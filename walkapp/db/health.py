"""What restores, serving and /healthz ask of a database file: its integrity, the walkapp
schema, whether it takes a write, and whether an error means the disk is full.

Opened read-only for the checks: looking at a file must never turn an empty or foreign file into
a database."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import sqlite_utils

from .migrations import MIGRATIONS

# Tables every walkapp database has had since its first migration.
CORE_TABLES = ("walks", "walkers", "observations", "places", "measures", "users", "audit_log")
FIRST_MIGRATION = min(name for name, _ in MIGRATIONS)


def open_read_only(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10, check_same_thread=False)
    return sqlite_utils.Database(conn)


def integrity(db: sqlite_utils.Database, quick: bool = False) -> list[str]:
    """SQLite's own check (`quick_check` skips matching indexes to tables): its complaints."""
    pragma = "quick_check" if quick else "integrity_check"
    return [row[0] for row in db.execute(f"pragma {pragma}").fetchall() if row[0] != "ok"]


def schema_problems(db: sqlite_utils.Database) -> list[str]:
    """Why this is not a walkapp database (empty when it is one): our migrations table with
    the first migration, no migration unknown to this version, the core tables."""
    tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
    if not tables:
        return ["it is empty: no tables"]
    if "_migrations" not in tables:
        return ["it has no _migrations table: not a walkapp database"]
    applied = {row[0] for row in db.execute("select name from _migrations")}
    problems = []
    if FIRST_MIGRATION not in applied:
        problems.append(f"its _migrations table lacks {FIRST_MIGRATION}: not a walkapp database")
    unknown = sorted(applied - {name for name, _ in MIGRATIONS})
    if unknown:
        problems.append(
            f"it was written by a newer walkapp (migrations {', '.join(unknown)}): upgrade first"
        )
    missing = [table for table in CORE_TABLES if table not in tables]
    if missing:
        problems.append(f"it lacks the tables {', '.join(missing)}")
    return problems


def file_problems(path: Path, check: str | None = "full") -> list[str]:
    """Why the database file at path cannot be served (empty when it can): unreadable, empty,
    not a walkapp database, or (check "full" or "quick") damaged. Each reason says "it …"."""
    try:
        size = path.stat().st_size
    except OSError as error:
        return [f"it cannot be read: {error.strerror or error}"]
    if size == 0:
        return ["it is empty (0 bytes)"]
    db = None
    try:
        db = open_read_only(path)
        problems = schema_problems(db)
        if not problems and check:
            problems = [f"integrity: {line}" for line in integrity(db, quick=check == "quick")]
    except sqlite3.DatabaseError as error:
        problems = [f"it cannot be read as a database: {error}"]
    finally:
        if db is not None:
            db.close()
    return problems


# What a write may raise when the disk is full: SQLite's error, or the kernel's on a photo file.
WRITE_ERRORS = (sqlite3.OperationalError, OSError)
DatabaseError = sqlite3.DatabaseError


def disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full"), or ENOSPC/EDQUOT writing a file."""
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", None)
        return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(error)
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def write_probe(db: sqlite_utils.Database, token: str, written_at: str) -> None:
    db.execute(
        "insert into health_probe (id, token, written_at) values (1, ?, ?)"
        " on conflict (id) do update set token = excluded.token, written_at = excluded.written_at",
        [token, written_at],
    )


def read_probe(db: sqlite_utils.Database) -> str | None:
    row = db.execute("select token from health_probe where id = 1").fetchone()
    return row[0] if row else None
