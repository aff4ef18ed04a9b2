"""What restores and serving ask of a database file: its integrity and the walkapp schema.

Opened read-only for the checks: looking at a file must never turn an empty or foreign file into
a database."""

from __future__ import annotations

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
