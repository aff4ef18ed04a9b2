"""An organisation's languages become what its public page offers residents. The column held
Swedish and English since 0008 without anyone choosing it (it could not be edited): every
organisation that still holds that default offers all six languages, as its page did."""

from __future__ import annotations

import json

import sqlite_utils

from . import migration

# Frozen here: the residents' languages when this migration was written.
SIX = ["sv", "en", "fi", "ar", "fa", "so"]


@migration("0021_organisations_languages")
def organisations_languages(db: sqlite_utils.Database) -> None:
    db.execute(
        "update organisations set languages = ? where languages = ?",
        [json.dumps(SIX), '["sv", "en"]'],
    )
