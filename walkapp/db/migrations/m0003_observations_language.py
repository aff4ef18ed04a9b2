"""Observations remember the language of the walker's screen when they were written, so
coordinators know when a note needs translating (walkapp/languages.py; NULL = not told)."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0003_observations_language")
def observations_language(db: sqlite_utils.Database) -> None:
    db.execute("alter table observations add column language text")
