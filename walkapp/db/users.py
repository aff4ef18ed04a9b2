"""Coordinator and admin accounts."""

from __future__ import annotations

import sqlite_utils

from . import now, one

ROLES = ("coordinator", "admin")


def create_user(db: sqlite_utils.Database, username: str, password_hash: str, role: str) -> int:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    cursor = db.execute(
        "insert into users (username, password_hash, role, created_at) values (?, ?, ?, ?)",
        [username, password_hash, role, now()],
    )
    return cursor.lastrowid


def set_password(db: sqlite_utils.Database, username: str, password_hash: str) -> bool:
    cursor = db.execute(
        "update users set password_hash = ? where username = ?", [password_hash, username]
    )
    return cursor.rowcount == 1


def get_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    return one(db, "select * from users where id = ? and active = 1", [user_id])


def get_user_by_name(db: sqlite_utils.Database, username: str) -> dict | None:
    return one(db, "select * from users where username = ? and active = 1", [username])
