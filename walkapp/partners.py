"""Partners (ansvariga aktörer): the admin adds them and marks them active or not; each change
is one transaction, audited. No Flask, no SQL."""

from __future__ import annotations

import sqlite_utils

from .db import audit_log, transaction
from .db import organisations as organisations_db
from .db import partners as partners_db


def add(
    db: sqlite_utils.Database,
    name: str,
    kind: str,
    user_id: int | None,
    organisation_id: int | None = None,
) -> bool:
    """Add a partner working with the organisation; a partner of that name another
    organisation works with is shared instead (PRODUCT.md). False when the name is taken."""
    with transaction(db):
        shared = partners_db.find_by_name(db, name) if organisation_id else None
        partner_id = shared["id"] if shared else partners_db.add_partner(db, name, kind)
        if partner_id is not None:
            if organisation_id:
                organisations_db.add_partner(db, organisation_id, partner_id)
            detail = {"name": name, "kind": kind, "shared": bool(shared)}
            audit_log.record(db, user_id, "create", "partner", partner_id, detail)
    return partner_id is not None


def set_active(db: sqlite_utils.Database, partner_id: int, active: bool, user_id) -> None:
    with transaction(db):
        partners_db.set_partner_active(db, partner_id, active)
        audit_log.record(db, user_id, "update", "partner", partner_id, {"active": active})
