"""Coordinator and admin accounts."""

from __future__ import annotations

import sqlite_utils

from . import now, one, rows

ROLES = ("coordinator", "admin", "partner")


def create_user(
    db: sqlite_utils.Database,
    username: str,
    password_hash: str,
    role: str,
    *,
    partner_id: int | None = None,
    email: str | None = None,
    language: str | None = None,
) -> int:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    cursor = db.execute(
        "insert into users (username, password_hash, role, created_at, partner_id, email,"
        " language) values (?, ?, ?, ?, ?, ?, ?)",
        [username, password_hash, role, now(), partner_id, email, language],
    )
    return cursor.lastrowid


def set_password(db: sqlite_utils.Database, user_id: int, password_hash: str) -> bool:
    cursor = db.execute("update users set password_hash = ? where id = ?", [password_hash, user_id])
    return cursor.rowcount == 1


def set_active(db: sqlite_utils.Database, user_id: int, active: bool) -> bool:
    cursor = db.execute("update users set active = ? where id = ?", [int(active), user_id])
    return cursor.rowcount == 1


def get_any_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    """Active or not (for the admin)."""
    return one(db, "select * from users where id = ?", [user_id])


def list_users(db: sqlite_utils.Database) -> list[dict]:
    """Every account with its number of live sign-ins, for the admin."""
    return rows(
        db,
        "select u.id, u.username, u.role, u.active, u.created_at,"
        " (select count(*) from sessions s where s.user_id = u.id and s.expires_at > ?)"
        " as sessions from users u order by u.active desc, u.username",
        [now()],
    )


def get_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    return one(db, "select * from users where id = ? and active = 1", [user_id])


def get_user_by_name(db: sqlite_utils.Database, username: str) -> dict | None:
    return one(db, "select * from users where username = ? and active = 1", [username])
