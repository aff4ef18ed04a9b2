"""Read-only API tokens for tools such as QGIS: made (shown once), revoked, and noted when used.
Each change is one transaction, audited. No Flask, no SQL."""

from __future__ import annotations

import sqlite_utils

from .db import api_tokens as api_tokens_db
from .db import audit_log, transaction


def create(
    db: sqlite_utils.Database, user_id: int, label: str, filters: str = ""
) -> tuple[int, str]:
    """A new token acting for user_id: (its id, the token to show once). `filters`, an export
    query string checked by the caller, is all the token reads (exports, Open311, photos)."""
    with transaction(db):
        token_id, token = api_tokens_db.create_token(db, user_id, label, filters)
        detail = {"label": label[:80], "filters": filters}
        audit_log.record(db, user_id, "create", "api_token", token_id, detail)
    return token_id, token


def revoke(db: sqlite_utils.Database, token_id: int, user_id: int, by_admin: bool) -> bool:
    """Revoke a token (a coordinator only their own, an admin any); False when there was none."""
    with transaction(db):
        revoked = api_tokens_db.revoke_token(db, token_id, user_id, by_admin)
        if revoked:
            audit_log.record(db, user_id, "revoke", "api_token", token_id)
    return revoked


def user_for(db: sqlite_utils.Database, token: str) -> dict | None:
    """The active user a live token belongs to, or None; the token's use is noted."""
    user = api_tokens_db.user_for_token(db, token)
    if user is not None:
        with transaction(db):
            api_tokens_db.note_use(db, user["token_id"])
    return user
