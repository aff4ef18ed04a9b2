"""Invitations to a partner's new person (the rules: walkapp/invitations.py)."""

from __future__ import annotations

import sqlite_utils

from . import now, one, rows


def create_invitation(
    db: sqlite_utils.Database,
    token_hash: str,
    partner_id: int,
    email: str | None,
    created_by: int | None,
    expires_at: str,
    organisation_id: int | None = None,
) -> int:
    return db.execute(
        "insert into invitations (token_hash, partner_id, email, created_by, created_at,"
        " expires_at, organisation_id) values (?, ?, ?, ?, ?, ?, ?)",
        [token_hash, partner_id, email, created_by, now(), expires_at, organisation_id],
    ).lastrowid


def get_by_hash(db: sqlite_utils.Database, token_hash: str) -> dict | None:
    return one(db, """
        select i.*, p.name as partner_name from invitations i
        join partners p on p.id = i.partner_id where i.token_hash = ?
    """, [token_hash])  # fmt: skip


def mark_used(db: sqlite_utils.Database, invitation_id: int, user_id: int) -> bool:
    """Used once: False when it was used in between."""
    return db.execute(
        "update invitations set used_at = ?, user_id = ? where id = ? and used_at is null",
        [now(), user_id, invitation_id],
    ).rowcount == 1


def open_for_partner(db: sqlite_utils.Database, partner_id: int, at: str) -> list[dict]:
    """A partner's invitations not used and not expired, newest first (never their tokens)."""
    return rows(db, """
        select id, email, created_at, expires_at from invitations
        where partner_id = ? and used_at is null and expires_at > ? order by id desc
    """, [partner_id, at])  # fmt: skip
