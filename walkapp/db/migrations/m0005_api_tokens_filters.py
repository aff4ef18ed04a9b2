"""An API token may read only part of the findings: the export filters chosen when it was made,
kept as the query string the exports read (empty: everything)."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0005_api_tokens_filters")
def add_filters(db: sqlite_utils.Database) -> None:
    db.execute("alter table api_tokens add column filters text not null default ''")
