"""The observations by area: one partial index per resolved kind, so "what was found inside these
areas" (an organisation's public page lists the walks others held inside it) reads those
observations, not every observation of the year (4–8 s at 1 000 000)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script

KINDS = ("stadsdel", "stadsdelsomrade", "kommun", "lan", "lpo", "region")


@migration("0020_observations_area_indexes")
def observations_area_indexes(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        ";".join(
            f"create index observations_area_{kind} on observations (area_{kind})"
            f" where area_{kind} is not null"
            for kind in KINDS
        ),
    )
