"""Observations found by position: triage's possible duplicates (open, same category, within a
few metres) and its map of what is nearby. Without an index on the position every triage page
read each observation of the category (or of the instance) to compare its lon and lat: 1.5 s at
1 000 000 observations (benchmarks/national.py). A range on lon, then lat, in a B-tree: a box of
0.004° of longitude holds a sliver of Sweden's observations."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0012_observations_position_index")
def observations_position_index(db: sqlite_utils.Database) -> None:
    db.execute("create index observations_position on observations (lon, lat)")
