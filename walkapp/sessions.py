"""Coordinators' and admins' sign-ins, kept on the server (walkapp.db.sessions): starting and
ending one, each one transaction. No Flask, no SQL."""

from __future__ import annotations

import sqlite_utils

from .db import sessions as sessions_db
from .db import transaction


def start(db: sqlite_utils.Database, user_id: int, hours: int) -> str:
    """A new session for user_id (expired ones are cleared); returns the id for the cookie."""
    with transaction(db):
        return sessions_db.start(db, user_id, hours)


def end(db: sqlite_utils.Database, session_id: str) -> None:
    with transaction(db):
        sessions_db.end(db, session_id)
