"""The exports' queries: findings by filter (GeoJSON/CSV) and by Open311 query, streamed."""

from __future__ import annotations

from collections.abc import Iterator

import sqlite_utils

from . import marks
from .measures import iter_lines


def _in(column: str, values: list, clauses: list, params: list) -> None:
    if values:
        clauses.append(f"{column} in ({marks(values)})")
        params.extend(values)


def iter_filtered(db: sqlite_utils.Database, filters) -> Iterator[dict]:
    """Findings matching walkapp.exports.filters.Filters, oldest first."""
    clauses: list[str] = []
    params: list = []
    if filters.start:
        clauses.append("o.recorded_at >= ?")
        params.append(filters.start)
    if filters.end:
        clauses.append("o.recorded_at < ?")
        params.append(filters.end)
    if filters.place is not None:
        clauses.append("o.place_id = ?")
        params.append(filters.place)
    if filters.walk:
        clauses.append("o.walk_id = ?")
        params.append(filters.walk)
    _in("o.category", filters.categories, clauses, params)
    _in("o.rating", filters.ratings, clauses, params)
    _in("m.status", filters.statuses, clauses, params)
    where = (" where " + " and ".join(clauses)) if clauses else ""
    return iter_lines(db, where + " order by o.recorded_at, o.id", params)


def iter_open311(db: sqlite_utils.Database, query: dict, limit: int) -> Iterator[dict]:
    clauses: list[str] = []
    params: list = []
    if "ids" in query:
        _in("o.id", query["ids"], clauses, params)
    else:
        _in("o.category", query["categories"], clauses, params)
        _in("m.status", query["statuses"], clauses, params)
        clauses.append("o.recorded_at >= ?")
        params.append(query["start"])
        if query["end"]:
            clauses.append("o.recorded_at <= ?")
            params.append(query["end"])
    where = " where " + " and ".join(clauses)
    return iter_lines(db, where + f" order by o.recorded_at desc limit {int(limit)}", params)
