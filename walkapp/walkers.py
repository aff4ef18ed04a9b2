"""How long a walker's token lasts (PRODUCT.md: "a walker's token lives as long as the walk and
its follow-up, not forever"). No Flask, no SQL.

A token is good until WALKAPP_WALKER_TOKEN_DAYS (default 42, six weeks) after the last of: the
walk's start (plus a day), its opening, its closing and its follow-up meeting — long enough to
send what waited on the phone and to read the follow-up page; a coordinator may revoke one
walker's token sooner (a lost phone).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .clock import STOCKHOLM

OK, REVOKED, EXPIRED, UNKNOWN = "ok", "revoked", "expired", "unknown"


def _instant(stored: str | None) -> datetime | None:
    """Stored text as an instant: with an offset as is, without one as Stockholm time."""
    if not stored:
        return None
    try:
        moment = datetime.fromisoformat(stored)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)


def token_expires_at(walk: dict, days: int) -> datetime:
    """When tokens for `walk` stop working."""
    start = _instant(walk["starts_at"]) or datetime.now(UTC)
    moments = [start + timedelta(days=1)]
    for key in ("opened_at", "closed_at", "follow_up_at"):
        if moment := _instant(walk.get(key)):
            moments.append(moment)
    return max(moments) + timedelta(days=days)


def token_expiry_day(walk: dict, days: int) -> str:
    """The Stockholm date tokens stop working, for people to read (YYYY-MM-DD)."""
    return token_expires_at(walk, days).astimezone(STOCKHOLM).date().isoformat()


def standing(walker: dict | None, walk: dict | None, days: int, now: datetime | None = None) -> str:
    """OK, REVOKED, EXPIRED or UNKNOWN for a walker (row) of a walk (row)."""
    if walker is None or walk is None or walker["walk_id"] != walk["id"]:
        return UNKNOWN
    if walker.get("revoked_at"):
        return REVOKED
    if (now or datetime.now(UTC)) >= token_expires_at(walk, days):
        return EXPIRED
    return OK
