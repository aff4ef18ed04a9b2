"""Walkers: joining a walk, a coordinator revoking one (each one transaction, the revocation
audited), and how long a walker's token lasts (PRODUCT.md: "a walker's token lives as long as
the walk and its follow-up, not forever"). No Flask, no SQL.

While the walk is open (planned or ongoing) its tokens work. Once it is closed, they work until
WALKAPP_WALKER_TOKEN_DAYS (default 42, six weeks) after the later of the close and the follow-up
meeting — long enough to send what waited on the phone and to read the follow-up page. A
coordinator may revoke one walker's token sooner (a lost phone).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from . import mail
from .clock import STOCKHOLM
from .db import audit_log, transaction
from .db import walks as walks_db

OK, REVOKED, EXPIRED, UNKNOWN = "ok", "revoked", "expired", "unknown"
MAX_NAME = 80  # a display name, at most
# The largest join body read (walkapp/bodies.py): a code, a name of MAX_NAME characters and an
# address of mail.MAX_ADDRESS.
JOIN_BODY_BYTES = 2048


def join(
    db: sqlite_utils.Database,
    walk_id: str,
    name: str = "",
    email: str = "",
    language: str | None = None,
) -> str:
    """A new walker of the walk (the name they gave, or none; an address if they want to hear
    back, in the language they joined in); returns the walker's id."""
    email = email.strip()
    if email and not mail.is_address(email):
        raise ValueError("not an e-mail address")
    with transaction(db):
        return walks_db.add_walker(db, walk_id, name, email or None, language)


def revoke(db: sqlite_utils.Database, walker_id: str, user_id: int) -> bool:
    """A lost phone: the walker's token stops working (audited). False when already revoked."""
    with transaction(db):
        revoked = walks_db.revoke_walker(db, walker_id, user_id)
        if revoked:
            audit_log.record(db, user_id, "revoke", "walker", walker_id)
    return revoked


def _instant(stored: str | None) -> datetime | None:
    """Stored text as an instant: with an offset as is, without one as Stockholm time."""
    if not stored:
        return None
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)


def token_expires_at(walk: dict, days: int) -> datetime | None:
    """When tokens for `walk` stop working; None while the walk is open."""
    if walk["state"] != "closed":
        return None
    closed = _instant(walk.get("closed_at")) or _instant(walk.get("starts_at"))
    moments = [closed or datetime.now(UTC)]
    if follow_up := _instant(walk.get("follow_up_at")):
        moments.append(follow_up)
    return max(moments) + timedelta(days=days)


def token_expiry_day(walk: dict, days: int) -> str | None:
    """The Stockholm date tokens stop working, for people to read (YYYY-MM-DD); None while open."""
    expires = token_expires_at(walk, days)
    return expires.astimezone(STOCKHOLM).date().isoformat() if expires else None


def standing(walker: dict | None, walk: dict | None, days: int, now: datetime | None = None) -> str:
    """OK, REVOKED, EXPIRED or UNKNOWN for a walker (row) of a walk (row)."""
    if walker is None or walk is None or walker["walk_id"] != walk["id"]:
        return UNKNOWN
    if walker.get("revoked_at"):
        return REVOKED
    expires = token_expires_at(walk, days)
    if expires is not None and (now or datetime.now(UTC)) >= expires:
        return EXPIRED
    return OK
