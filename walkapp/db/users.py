"""Coordinator, admin and region accounts."""

from __future__ import annotations

import sqlite_utils

from . import now, one, rows
from .organisations import in_scope_clause

ROLES = ("coordinator", "admin", "region", "partner")
# The first organisation, for a coordinator made without one (seeding; the door names one).
FIRST_ORGANISATION = "(select min(id) from organisations)"


def create_user(
    db: sqlite_utils.Database,
    username: str,
    password_hash: str,
    role: str,
    organisation_id: int | None = None,
    *,
    partner_id: int | None = None,
    email: str | None = None,
    language: str | None = None,
) -> int:
    """A new account; a coordinator works for an organisation (the first when none is named),
    an admin without one is the instance's admin, a region user has areas instead, a partner's
    person its partner."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    organisation = FIRST_ORGANISATION if role == "coordinator" else "null"
    cursor = db.execute(
        "insert into users (username, password_hash, role, created_at, partner_id, email,"
        f" language, organisation_id) values (?, ?, ?, ?, ?, ?, ?, coalesce(?, {organisation}))",
        [username, password_hash, role, now(), partner_id, email, language, organisation_id],
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


def list_users(db: sqlite_utils.Database, organisation_ids=None) -> list[dict]:
    """Every account (of these organisations, when given) with its organisation's name and its
    number of live sign-ins, for the admin."""
    where, params = in_scope_clause("u.organisation_id", organisation_ids)
    return rows(
        db,
        "select u.id, u.username, u.role, u.active, u.created_at, o.name as organisation,"
        " (select count(*) from sessions s where s.user_id = u.id and s.expires_at > ?)"
        " as sessions from users u left join organisations o on o.id = u.organisation_id"
        f" where {where} order by u.active desc, u.username",
        [now(), *params],
    )


def get_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    return one(db, "select * from users where id = ? and active = 1", [user_id])


def get_user_by_name(db: sqlite_utils.Database, username: str) -> dict | None:
    return one(db, "select * from users where username = ? and active = 1", [username])


def name_taken(db: sqlite_utils.Database, username: str) -> bool:
    """Any account has the name, active or not (names are unique)."""
    return one(db, "select 1 as taken from users where username = ?", [username]) is not None
