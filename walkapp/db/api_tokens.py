"""Read-only API tokens for tools such as QGIS: shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

import sqlite_utils

from . import now, one
from .organisations import in_scope_clause

PREFIX = "wk_"


def hash_token(token: str) -> str:
    # The token is 256 random bits: a plain hash is enough (no password stretching needed).
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    db: sqlite_utils.Database, user_id: int, label: str, filters: str = ""
) -> tuple[int, str]:
    """A new token for user_id reading what `filters` (an export query string, empty for
    everything) lets through, of its maker's organisation (every one for an instance admin):
    (its id, the token, shown once and stored only hashed)."""
    token = PREFIX + secrets.token_urlsafe(32)
    cursor = db.execute(
        "insert into api_tokens (user_id, label, token_hash, created_at, filters, organisation_id)"
        " values (?, ?, ?, ?, ?, (select organisation_id from users where id = ?))",
        [user_id, label.strip()[:80], hash_token(token), now(), filters, user_id],
    )
    return cursor.lastrowid, token


def user_for_token(db: sqlite_utils.Database, token: str) -> dict | None:
    """The active user a live token belongs to (with `token_id` and `token_filters`), or None."""
    return one(
        db,
        "select t.id as token_id, t.filters as token_filters,"
        " t.organisation_id as token_organisation_id, u.* from api_tokens t"
        " join users u on u.id = t.user_id"
        " where t.token_hash = ? and t.revoked_at is null and u.active = 1",
        [hash_token(token)],
    )


def note_use(db: sqlite_utils.Database, token_id: int) -> None:
    db.execute("update api_tokens set last_used_at = ? where id = ?", [now(), token_id])


def list_tokens(
    db: sqlite_utils.Database, user_id: int | None = None, organisation_ids=None
) -> list[dict]:
    """The tokens (of one user, of these organisations, when asked), newest first."""
    where, params = in_scope_clause("t.organisation_id", organisation_ids)
    sql = (
        "select t.id, t.label, t.filters, t.created_at, t.last_used_at, t.revoked_at, u.username"
        f" from api_tokens t join users u on u.id = t.user_id where {where}"
    )
    if user_id is not None:
        sql += " and t.user_id = ?"
        params.append(user_id)
    return list(db.query(sql + " order by t.created_at desc, t.id desc", params))


def revoke_token(db: sqlite_utils.Database, token_id: int, user_id: int, by_admin: bool) -> bool:
    """Revoke a live token (a coordinator only their own); False when there was none."""
    sql = "update api_tokens set revoked_at = ? where id = ? and revoked_at is null"
    params: list = [now(), token_id]
    if not by_admin:
        sql += " and user_id = ?"
        params.append(user_id)
    return db.execute(sql, params).rowcount == 1
