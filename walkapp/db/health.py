"""What restores, serving and /healthz ask of a database file: its integrity, the walkapp
schema, whether it takes a write, and whether an error means the disk is full.

Opened read-only for the checks: looking at a file must never turn an empty or foreign file into
a database."""

from __future__ import annotations

import errno
import sqlite3
import struct
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


WAL_MAGIC = (0x377F0682, 0x377F0683)  # the low bit: checksums over big-endian words
WAL_HEADER = 32
FRAME_HEADER = 24


def _checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum, carried on from (s0, s1) over data (a multiple of 8 bytes)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_damage(wal: Path) -> str | None:
    """Why SQLite would cut this WAL short, when committed transactions follow the cut.

    SQLite replays a WAL up to the first frame whose checksum does not match (a flipped byte)
    and silently drops every frame after it, committed or not: the frames of this WAL (its
    salts) from the damaged one on are lost. A torn last frame (a crash mid-commit, never
    acknowledged) has none after it and is not reported."""
    try:
        data = wal.read_bytes()
    except OSError:
        return None
    if len(data) < WAL_HEADER:
        return None
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:32])
    if magic not in WAL_MAGIC or not 512 <= page_size <= 65536:
        return None
    big_endian = bool(magic & 1)
    frame = FRAME_HEADER + page_size
    frames = [data[at : at + frame] for at in range(WAL_HEADER, len(data) - frame + 1, frame)]

    def ours(this: bytes) -> bool:
        return struct.unpack(">II", this[8:16]) == (salt1, salt2)

    if _checksum(data[:24], big_endian, 0, 0) != (c0, c1):
        damaged_at, where = 0, "the WAL's header is damaged"
    else:
        s0, s1, damaged_at = c0, c1, None
        for number, this in enumerate(frames):
            if not ours(this):
                return None  # the end of this WAL: what follows is an older one's
            s0, s1 = _checksum(this[:8], big_endian, s0, s1)
            s0, s1 = _checksum(this[FRAME_HEADER:], big_endian, s0, s1)
            if (s0, s1) != struct.unpack(">II", this[16:24]):
                damaged_at = number
                break
        if damaged_at is None:
            return None
        where = f"frame {damaged_at + 1} of {len(frames)} in the WAL is damaged"
    dropped = [this for this in frames[damaged_at:] if ours(this)]
    commits = sum(1 for this in dropped if struct.unpack(">I", this[4:8])[0] != 0)
    if len(dropped) < 2 or not commits:
        return None  # a torn last frame: a crash mid-commit, which was never acknowledged
    return (
        f"{where}: SQLite drops {len(dropped)} frame(s) from there on, "
        f"{commits} committed transaction(s)"
    )
