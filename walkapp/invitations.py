"""Invitations: a coordinator invites a partner's new person with a link (valid seven days, used
once); opening it, they choose a name and a password and have an account of role partner for
that partner. The token is shown once and kept only as its hash. No Flask, no SQL."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlite_utils
from flask_babel import lazy_gettext as _l

from . import clock
from .db import audit_log, transaction
from .db import invitations as invitations_db
from .db import users as users_db

VALID_DAYS = 7


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    db: sqlite_utils.Database,
    partner_id: int,
    email: str | None,
    user_id: int | None,
    organisation_id: int | None = None,
) -> str:
    """A new invitation for `partner_id` from `organisation_id` (whose walks only the person
    will see, when the partner is shared); the token (shown once, never stored)."""
    token = secrets.token_urlsafe(24)
    expires = clock.stamp(clock.now_utc() + timedelta(days=VALID_DAYS))
    with transaction(db):
        made = invitations_db.create_invitation(
            db, _hash(token), partner_id, email or None, user_id, expires, organisation_id
        )
        audit_log.record(db, user_id, "create", "invitation", made, {"partner_id": partner_id})
    return token


def usable(db: sqlite_utils.Database, token: str) -> tuple[dict | None, str | None]:
    """(the invitation, None) when the token may still make an account, else (None, why)."""
    found = invitations_db.get_by_hash(db, _hash(token)) if token else None
    if found is None:
        return None, str(_l("Länken gäller inte. Be samordnaren om en ny."))
    if found["used_at"]:
        return None, str(_l("Länken är redan använd. Logga in med kontot som skapades."))
    if found["expires_at"] <= clock.stamp():
        return None, str(_l("Länken gällde i sju dagar och har gått ut. Be samordnaren om en ny."))
    return found, None


def accept(
    db: sqlite_utils.Database, token: str, username: str, password_hash: str
) -> tuple[int | None, str | None]:
    """Make the partner's person's account, once: (user id, None) or (None, why not)."""
    with transaction(db):
        found, problem = usable(db, token)
        if problem:
            return None, problem
        if users_db.name_taken(db, username):
            return None, str(_l("Det användarnamnet finns redan. Välj ett annat."))
        user_id = users_db.create_user(
            db, username, password_hash, "partner", found["organisation_id"],
            partner_id=found["partner_id"], email=found["email"],
        )  # fmt: skip
        invitations_db.mark_used(db, found["id"], user_id)
        audit_log.record(db, user_id, "accept", "invitation", found["id"], {})
    return user_id, None
