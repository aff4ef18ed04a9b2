"""Coordinator, admin, region and partner accounts: created, given a new password, deactivated
or signed out everywhere. Each change is one transaction; an admin's change is audited, and a new password
or a deactivation ends the account's sessions in the same transaction. No Flask, no SQL."""

from __future__ import annotations

import sqlite_utils

from .db import audit_log, transaction
from .db import organisations as organisations_db
from .db import sessions as sessions_db
from .db import users as users_db

# A partner's person (role `partner`) signs in to their partner's measures (/partner), and gets
# mail about them (walkapp.mail); coordinators and admins to the staff screens.
PARTNER = "partner"


def create(
    db: sqlite_utils.Database,
    username: str,
    password_hash: str,
    role: str,
    organisation_id: int | None = None,
    region_area_ids: list[int] | None = None,
    **details,
) -> int:
    """A new account working for `organisation_id` (None: an instance admin, a region user, a
    partner's person); a region user reads the organisations covering `region_area_ids`.
    details: partner_id (a partner's person), email, language (of mail)."""
    if role == "region" and not region_area_ids:
        raise ValueError("a region user needs at least one area")
    with transaction(db):
        user_id = users_db.create_user(
            db, username, password_hash, role, organisation_id, **details
        )
        if role == "region":
            organisations_db.set_region_areas(db, user_id, region_area_ids)
        return user_id


def is_partners_person(user: dict) -> bool:
    return user["role"] == PARTNER


def change_password(
    db: sqlite_utils.Database, user_id: int, password_hash: str, keep_session: str | None
) -> int:
    """One's own new password: every other sign-in ends. Returns how many ended."""
    with transaction(db):
        users_db.set_password(db, user_id, password_hash)
        return sessions_db.end_all(db, user_id, keep=keep_session)


def reset_password(db: sqlite_utils.Database, user_id: int, password_hash: str, by: int) -> None:
    """A password the admin hands over: every sign-in of the user ends."""
    with transaction(db):
        users_db.set_password(db, user_id, password_hash)
        sessions_db.end_all(db, user_id)
        audit_log.record(db, by, "reset_password", "user", user_id)


def set_active(db: sqlite_utils.Database, user_id: int, active: bool, by: int) -> None:
    """Reactivate, or deactivate (every sign-in ends; API tokens stop working with it)."""
    with transaction(db):
        users_db.set_active(db, user_id, active)
        if not active:
            sessions_db.end_all(db, user_id)
        audit_log.record(db, by, "activate" if active else "deactivate", "user", user_id)


def sign_out_everywhere(db: sqlite_utils.Database, user_id: int, by: int) -> int:
    """End every sign-in of the user (a lost laptop); returns how many ended."""
    with transaction(db):
        ended = sessions_db.end_all(db, user_id)
        audit_log.record(db, by, "sign_out_everywhere", "user", user_id, {"ended": ended})
    return ended
