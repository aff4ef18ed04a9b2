"""The planned route of a walk: a GeoJSON FeatureCollection (the line and numbered stops)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0003_route_planned")
def route_planned(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table routes (
            walk_id text primary key references walks(id) on delete cascade,
            geojson text not null,
            updated_at text not null,
            updated_by integer references users(id)
        );
        """,
    )
