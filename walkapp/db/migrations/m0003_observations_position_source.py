"""Where a position came from: the phone's GPS or a pin the walker placed (PRODUCT.md).

Shared name with the phone work: whichever branch lands second keeps this one file.
"""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0003_observations_position_source")
def add_position_source(db: sqlite_utils.Database) -> None:
    columns = {row[1] for row in db.execute("pragma table_info(observations)")}
    if "position_source" not in columns:
        db.execute("alter table observations add column position_source text")
