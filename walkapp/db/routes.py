"""Planned routes, one per walk, stored as GeoJSON text."""

from __future__ import annotations

import json

import sqlite_utils

from . import marks, now
from .organisations import walks_in_scope


def get_route(db: sqlite_utils.Database, walk_id: str) -> dict | None:
    row = db.execute("select geojson from routes where walk_id = ?", [walk_id]).fetchone()
    return json.loads(row[0]) if row else None


def save_route(
    db: sqlite_utils.Database, walk_id: str, route: dict | None, user_id: int | None
) -> None:
    """Store (or with None remove) a walk's route."""
    if route is None:
        db.execute("delete from routes where walk_id = ?", [walk_id])
        return
    db.execute(
        "insert into routes (walk_id, geojson, updated_at, updated_by) values (?, ?, ?, ?)"
        " on conflict (walk_id) do update set geojson = excluded.geojson,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        [walk_id, json.dumps(route, separators=(",", ":")), now(), user_id],
    )


def walks_filtered(db: sqlite_utils.Database, filters, routed_only: bool = False) -> list[dict]:
    """Walks by the exports' filters (from/to on the walk's start, place covered, walk), with
    their planned route (or None), oldest first; `routed_only`: only those with a planned route
    (the overview draws routes alone: every walk of the instance is 20 000 rows)."""
    clauses: list[str] = []
    params: list = []
    if filters.start:
        clauses.append("w.starts_at >= ?")
        params.append(filters.start[:16])
    if filters.end:
        clauses.append("w.starts_at < ?")
        params.append(filters.end[:16])
    if filters.places:
        places = marks(filters.places)
        clauses.append(
            f"(exists (select 1 from walk_places wp where wp.walk_id = w.id and wp.place_id in ({places}))"
            f" or exists (select 1 from audits a where a.walk_id = w.id and a.place_id in ({places})))"
        )
        params.extend([*filters.places, *filters.places])
    if filters.walks:
        clauses.append(f"w.id in ({marks(filters.walks)})")
        params.extend(filters.walks)
    if filters.organisations is not None:
        scoped, ids = walks_in_scope("w.id", filters.organisations)
        clauses.append(scoped)
        params.extend(ids)
    where = (" where " + " and ".join(clauses)) if clauses else ""
    rows = list(
        db.query(
            "select w.id, w.title, w.starts_at, w.state, w.public, r.geojson from walks w"
            f" {'' if routed_only else 'left '}join routes r on r.walk_id = w.id" + where
            + " order by w.starts_at, w.id",
            params,
        )
    )
    for row in rows:
        row["route"] = json.loads(row.pop("geojson")) if row["geojson"] else None
    return rows
