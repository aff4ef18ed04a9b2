"""The database: one SQLite file through sqlite-utils. All SQL lives in this package.

`connect()` opens a connection with our pragmas; `get_db()` gives the request's
connection (kept on flask.g, closed on teardown). Query functions live in the
submodules (places, walks, observations, users, ...) and take the Database first; they never
open or commit a transaction. `transaction()` is the one transaction, opened by the word
modules' doors (walkapp/<word>.py, docs/developers/architecture.md "One door per write").
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path

import sqlite_utils
from flask import current_app, g

from .. import clock
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
    # ANALYZE reads at most this many rows an index (init's statistics for the planner).
    db.execute("pragma analysis_limit = 1000")
    return db


def now() -> str:
    """UTC timestamp as stored in every *_at column."""
    return clock.stamp()


def marks(values) -> str:
    """Placeholders for `in (…)`: marks(["a", "b"]) == "?, ?"."""
    return ", ".join("?" * len(values))


def file_of(db: sqlite_utils.Database) -> str:
    """The path of the database's main file ("" for an in-memory database)."""
    return db.execute("pragma database_list").fetchone()[2]


def quoted(values) -> str:
    """An `in (…)` list of the product's own constants (never user input): "'a', 'b'"."""
    return ", ".join(f"'{value}'" for value in values)


def rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    """Every row of a query, as dicts."""
    return list(db.query(sql, params))


def one(db: sqlite_utils.Database, sql: str, params=()) -> dict | None:
    """The first row of a query as a dict, or None."""
    return next(iter(db.query(sql, params)), None)


def database_path(app=None) -> Path:
    app = app or current_app
    return app.extensions["walkapp_settings"].database_file


def init(path: str | Path) -> list[str]:
    """Create or upgrade the database at path; return the migrations applied.

    Readable by its owner only (SQLite gives the -wal and -shm files the same mode): it holds
    the secret key that signs sessions and walkers' tokens."""
    # Never open (and close) an existing database file here: closing any descriptor of it
    # drops the POSIX locks this process's SQLite connections hold on it.
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        os.chmod(path, 0o600)
    db = connect(path)
    try:
        applied = migrate(db)
        # Table statistics for the query planner, refreshed where the data grew (bounded work):
        # without them SQLite may pick an index that reads every observation of a place per walk.
        # SQLite before 3.46 (Debian 12 has 3.40) never analyses a database with no statistics
        # yet: the first start does it (bounded by analysis_limit), later ones keep it fresh.
        if not db.execute("select 1 from sqlite_master where name = 'sqlite_stat1'").fetchone():
            db.execute("analyze")
        db.execute("pragma optimize = 0x10002")
        return applied
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
    """`with transaction(db):` — BEGIN IMMEDIATE ... COMMIT, rolled back on error, under the
    write lock. For word modules only (tests/test_one_door.py); not re-entrant."""
    return _Transaction(db)


class _WriteLock:
    """One writer at a time across threads and processes, queued by the kernel (flock).

    SQLite's own busy handler polls with sleeps of up to 100 ms, which shows as tail latency when
    a dozen gunicorn threads write at once; waiting on flock wakes the next writer at once.
    The SQLite lock (BEGIN IMMEDIATE + busy timeout) stays the real guarantee.
    """

    def __init__(self, database_file: str):
        self.path = database_file + ".writelock"
        self.thread_lock = threading.Lock()
        self.fd: int | None = None
        self.pid = 0

    def acquire(self) -> None:
        self.thread_lock.acquire()
        try:
            # A forked worker must not share its parent's open file: flock would not exclude.
            if self.fd is None or self.pid != os.getpid():
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self.pid = os.getpid()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.thread_lock.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


_write_locks: dict[str, _WriteLock] = {}
_write_locks_guard = threading.Lock()


def _write_lock(db: sqlite_utils.Database) -> _WriteLock | None:
    database_file = file_of(db)
    if not database_file:  # in-memory database: nothing to share
        return None
    with _write_locks_guard:
        if database_file not in _write_locks:
            _write_locks[database_file] = _WriteLock(database_file)
        return _write_locks[database_file]


class _Transaction:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.lock = None

    def __enter__(self):
        if self.db.conn.in_transaction:
            # The write lock is not re-entrant: a nested transaction would wait for itself.
            raise RuntimeError("transaction() inside another transaction on the same connection")
        self.lock = _write_lock(self.db)
        if self.lock:
            self.lock.acquire()
        try:
            self.db.execute("begin immediate")
        except BaseException:
            if self.lock:
                self.lock.release()
            raise
        return self.db

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.db.execute("commit")
            elif self.db.conn.in_transaction:
                # Not after SQLite rolled back itself (a full disk): "cannot rollback" would hide
                # the error that says why.
                self.db.execute("rollback")
        finally:
            if self.lock:
                self.lock.release()
        return False
