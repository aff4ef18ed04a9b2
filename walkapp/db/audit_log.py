"""The audit log: who changed what in the admin and triage screens."""

from __future__ import annotations

import json

import sqlite_utils

from . import now, rows


def record(
    db: sqlite_utils.Database,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: dict | None = None,
) -> None:
    """Append one entry. Call it inside the transaction that makes the change."""
    db.execute(
        "insert into audit_log (at, user_id, action, entity, entity_id, detail) values (?, ?, ?, ?, ?, ?)",
        [
            now(),
            user_id,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            json.dumps(detail or {}, ensure_ascii=False, default=str),
        ],
    )


def list_entries(db: sqlite_utils.Database, limit: int = 200) -> list[dict]:
    return rows(
        db,
        "select a.*, u.username from audit_log a left join users u on u.id = a.user_id"
        " order by a.id desc limit ?",
        [limit],
    )
