"""Coordinators' and admins' sign-ins, kept on the server: the cookie holds a random id whose
SHA-256 is stored here, so ending a session is deleting its row."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlite_utils

from . import now, one


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start(db: sqlite_utils.Database, user_id: int, hours: int) -> str:
    """A new session for user_id; returns the id for the cookie (never stored as such)."""
    session_id = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=hours)
    db.execute("delete from sessions where expires_at <= ?", [now()])
    db.execute(
        "insert into sessions (id_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)",
        [_hash(session_id), user_id, now(), expires.isoformat(timespec="seconds")],
    )
    return session_id


def user_for(db: sqlite_utils.Database, session_id: str) -> dict | None:
    """The active user of a live session, or None."""
    return one(
        db,
        "select u.* from sessions s join users u on u.id = s.user_id"
        " where s.id_hash = ? and s.expires_at > ? and u.active = 1",
        [_hash(session_id), now()],
    )


def end(db: sqlite_utils.Database, session_id: str) -> None:
    db.execute("delete from sessions where id_hash = ?", [_hash(session_id)])


def end_all(db: sqlite_utils.Database, user_id: int, keep: str | None = None) -> int:
    """End every session of user_id (but `keep`, the caller's own); returns how many."""
    cursor = db.execute(
        "delete from sessions where user_id = ? and id_hash != ?",
        [user_id, _hash(keep) if keep else ""],
    )
    return cursor.rowcount


def count_live(db: sqlite_utils.Database, user_id: int) -> int:
    return db.execute(
        "select count(*) from sessions where user_id = ? and expires_at > ?", [user_id, now()]
    ).fetchone()[0]
