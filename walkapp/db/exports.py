"""The exports' queries: observations by filter (GeoJSON/CSV) and by Open311 query, streamed.

The GeoJSON features are built by SQLite itself (json_object), one text per observation, so the
server only joins them: 100 000 features stream in well under a second (benchmarks/export.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import sqlite_utils

from ..vocabulary import (
    CATEGORY_LABELS_SV,
    NEVER_PUBLIC_CATEGORIES,
    OPEN_STATUSES,
    STATUS_LABELS_SV,
)
from . import marks
from .areas import find_area
from .measures import iter_observations
from .organisations import in_scope_clause, walks_in_scope


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _label_case(column: str, labels: dict[str, str]) -> str:
    """A label looked up by a CASE of constants: cheaper per row than a join to a label table."""
    whens = " ".join(f"when {_sql_text(k)} then {_sql_text(v)}" for k, v in labels.items())
    return f"case {column} {whens} else {column} end"


# Each flat property of the GeoJSON export as SQL, in its order (photo_url is built apart). The
# names are walkapp.exports.geojson.PROPERTIES; tests/test_exports_flat.py holds the two together,
# so the queries need not import a format.
_PROPERTY_SQL = {
    "category": "o.category",
    "category_label": _label_case("o.category", CATEGORY_LABELS_SV),
    "rating": "o.rating",
    "recorded_at": "o.recorded_at",
    "walk_id": "o.walk_id",
    "walk_title": "w.title",
    "walk_light": "w.light",
    "place_id": "o.place_id",
    "place_name": "p.name",
    "relation": "o.relation",
    "distance_m": "round(o.distance_m, 1)",
    "accuracy_m": "o.accuracy_m",
    "position_source": "o.position_source",
    "status": "m.status",
    "status_label": _label_case("m.status", STATUS_LABELS_SV),
    "partner": "pa.name",
    "deadline": "m.deadline",
    "note": "o.note",
    **{
        name: f"a_{kind}.{column}"
        for name, kind, column in (
            ("stadsdel", "stadsdel", "name"),
            ("stadsdelsomrade", "stadsdelsomrade", "name"),
            ("kommun", "kommun", "name"),
            ("kommun_code", "kommun", "code"),
            ("lan", "lan", "name"),
            ("lan_code", "lan", "code"),
            ("lpo", "lpo", "name"),
            ("region", "region", "name"),
        )
    },
    "free_areas": "case when o.area_free is null then null else (select group_concat(a.name, '; ')"
    " from json_each(o.area_free) j join areas a on a.id = j.value) end",
}

# Each observation's first photo, found once for all rows: a subquery per row cost more than the
# whole JSON (benchmarks/export.py).
_FIRST_PHOTOS = """
    with first_photos as materialized (
        select observation_id, id as photo_id from photos
        where rowid in (select min(rowid) from photos group by observation_id)
    )
"""


_JOINS = """
    from observations o
    join measures m on m.observation_id = o.id
    join walks w on w.id = o.walk_id
    left join places p on p.id = o.place_id
    left join partners pa on pa.id = m.partner_id
    left join first_photos fp on fp.observation_id = o.id
""" + "".join(
    f"    left join areas a_{kind} on a_{kind}.id = o.area_{kind}\n"
    for kind in ("stadsdel", "stadsdelsomrade", "kommun", "lan", "lpo", "region")
)


def _in(column: str, values: list, clauses: list, params: list) -> None:
    if values:
        clauses.append(f"{column} in ({marks(values)})")
        params.extend(values)


def recorded_place_walk(filters, alias: str) -> tuple[list[str], list]:
    """The exports' filters every kind of record shares: from/to on `alias.recorded_at`, and
    its place and walk; the clauses and their parameters."""
    clauses: list[str] = []
    params: list = []
    if filters.start:
        clauses.append(f"{alias}.recorded_at >= ?")
        params.append(filters.start)
    if filters.end:
        clauses.append(f"{alias}.recorded_at < ?")
        params.append(filters.end)
    _in(f"{alias}.place_id", filters.places, clauses, params)
    _in(f"{alias}.walk_id", filters.walks, clauses, params)
    if filters.organisations is not None:
        scoped, ids = walks_in_scope(
            f"{alias}.walk_id", filters.organisations, accepted_only=filters.own_walks_only
        )
        clauses.append(scoped)
        params.extend(ids)
    return clauses, params


def _observation_clauses(filters) -> tuple[list[str], list]:
    """Every filter of the observations (observation `o`): clauses and parameters. The status is
    the observation's copy of its measure's (migration 0022): no measure looked up."""
    clauses, params = recorded_place_walk(filters, "o")
    _in("o.category", filters.categories, clauses, params)
    _in("o.rating", filters.ratings, clauses, params)
    _in("o.measure_status", filters.statuses, clauses, params)
    _areas_within(filters, clauses, params)
    return clauses, params


def _areas_within(filters, clauses: list, params: list) -> None:
    """Each area filter: the observation lies in one of its areas (filters of two kinds: both)."""
    for kind, ids in filters.area_ids.items():
        if kind == "free":
            clauses.append(
                f"exists (select 1 from json_each(o.area_free) where value in ({marks(ids)}))"
            )
        else:
            clauses.append(f"o.area_{kind} in ({marks(ids)})")
        params.extend(ids)


def known_areas(
    db: sqlite_utils.Database, asked: dict[str, list[str]], kinds: dict[str, str]
) -> dict[str, dict]:
    """parameter -> value -> the id of the area of its kind (`kinds`: parameter -> kind) with
    that code or name, or None."""
    return {
        name: {value: find_area(db, kinds[name], value) for value in values}
        for name, values in asked.items()
    }


def _where(filters) -> tuple[str, list]:
    clauses, params = _observation_clauses(filters)
    where = (" where " + " and ".join(clauses)) if clauses else ""
    # rowid breaks ties: it is in observations_recorded, so the order needs no sort.
    return where + " order by o.recorded_at, o.rowid", params


def _stream(cursor, size: int = 1000) -> Iterator[tuple]:
    while rows := cursor.fetchmany(size):
        yield from rows


def iter_rows(db: sqlite_utils.Database, filters) -> Iterator[dict]:
    """Flat export rows (id, lon, lat, every property but photo_url, photo_id), oldest first."""
    where, params = _where(filters)
    columns = ", ".join(f"{sql} as {name}" for name, sql in _PROPERTY_SQL.items())
    cursor = db.execute(
        f"{_FIRST_PHOTOS} select o.id, o.lon, o.lat, {columns}, fp.photo_id {_JOINS}{where}",
        params,
    )
    names = [column[0] for column in cursor.description]
    for values in _stream(cursor):
        yield dict(zip(names, values))


def iter_feature_texts(
    db: sqlite_utils.Database, filters, photo_prefix: str, photo_suffix: str = ""
) -> Iterator[bytes]:
    """Each observation as a GeoJSON Feature's UTF-8 text, made by SQLite (the same as
    walkapp.exports.geojson.observation_feature of iter_rows). Bytes, as the response sends
    them: no decoding into Python text and encoding back."""
    where, where_params = _where(filters)
    properties = ", ".join(f"'{name}', {sql}" for name, sql in _PROPERTY_SQL.items())
    feature = (
        "cast(json_object('type', 'Feature', 'id', o.id, 'geometry', json_object('type', 'Point',"
        " 'coordinates', json_array(round(o.lon, 6), round(o.lat, 6))), 'properties',"
        f" json_object({properties}, 'photo_url',"
        " ? || 'observations/' || o.id || '/photos/' || fp.photo_id || '.jpg' || ?)) as blob)"
    )
    cursor = db.execute(
        f"{_FIRST_PHOTOS} select {feature} {_JOINS}{where}",
        [photo_prefix, photo_suffix, *where_params],
    )
    for (text,) in _stream(cursor):
        yield text


def _existing(db: sqlite_utils.Database, table: str, ids: list, organisation_ids) -> set:
    if not ids:
        return set()
    if table == "walks":
        scoped, params = walks_in_scope("id", organisation_ids)
    else:
        scoped, params = in_scope_clause("organisation_id", organisation_ids)
    return {
        row[0]
        for row in db.execute(
            f"select id from {table} where id in ({marks(ids)}) and {scoped}", [*ids, *params]
        )
    }


def known_ids(
    db: sqlite_utils.Database, place_ids: list[int], walk_ids: list[str], organisation_ids=None
):
    """Which of these place and walk ids exist (inactive places too), among those of these
    organisations when given: another's are not there."""
    places = _existing(db, "places", place_ids, organisation_ids)
    walks = _existing(db, "walks", walk_ids, organisation_ids)
    return places, walks


def count_and_extent(db: sqlite_utils.Database, filters) -> tuple[int, tuple | None]:
    """How many observations match Filters in every status, and their (west, south, east,
    north). The overview sizes its cells by it and counts the statuses in them."""
    clauses, params = _observation_clauses(replace(filters, statuses=()))
    where = (" where " + " and ".join(clauses)) if clauses else ""
    count, *extent = db.execute(
        "select count(*), min(o.lon), min(o.lat), max(o.lon), max(o.lat)"
        " from observations o" + where,
        params,
    ).fetchone()
    return count, (tuple(extent) if count else None)


# A cell's column and row count from 180° W and 90° S.
_AXES = (("lon", 180), ("lat", 90))


def cells_filtered(db: sqlite_utils.Database, filters, cell_deg: float) -> list[tuple]:
    """Observations matching Filters counted per cell of `cell_deg` degrees, in one pass over
    the observations alone (each carries its measure's status, migration 0022; joining every
    one to its measure took 3.6 s of the instance's 1 000 000, 1.0 s without): (the cell's
    column and row from 180° W and 90° S, the sums of longitude and latitude, count, the worst
    rating's index in red, yellow, green, open measures). walkapp.maps.cell_levels makes the
    map's cells and coarser ones from them."""
    column, row = (f"cast((o.{axis} + {shift}) / ? as integer)" for axis, shift in _AXES)
    return db.execute(*_cells_sql(filters, column, row, [cell_deg, cell_deg])).fetchall()


# The instance's grid (migration 0026): every observation's cell of GRID_DEG degrees (a power of
# two, so the cells of any map counted on it are whole numbers of its cells), in index
# `observations_grid` in the grid's order with what a cell counts. The index holds these very
# expressions: SQLite uses it only for a query that names them as written there.
GRID_DEG = 2.0**-9
GRID_CELL = tuple(f"cast(({axis} + {shift}) / {GRID_DEG!r} as integer)" for axis, shift in _AXES)


def on_the_grid(filters) -> bool:
    """Whether the observations matching Filters are counted on the instance's grid: every
    organisation's (the instance admin's), filtered by time, category, rating or status at
    most. Any other filter (an organisation, place, walk or area) reads its own index first."""
    return filters.organisations is None and not (
        filters.places or filters.walks or filters.area_ids
    )


def grid_bounds(db: sqlite_utils.Database) -> tuple[int, int, int, int] | None:
    """The first and last column and row of the grid's cells that hold an observation (the
    whole instance's, from grid_counts), None without any."""
    bounds = db.execute(
        "select min(x), min(y), max(x), max(y) from grid_counts where n > 0"
    ).fetchone()
    return None if bounds[0] is None else tuple(bounds)


def grid_cells(db: sqlite_utils.Database, filters, step: int = 1) -> list[tuple]:
    """Observations matching Filters (on_the_grid) counted per cell of `step` × `step` of the
    instance's grid's: the tuples of cells_filtered at GRID_DEG × step. Every observation,
    unfiltered or only the open ones, as table grid_counts keeps them counted (migration 0027:
    60 000 rows at 1 000 000 observations); filtered otherwise, from index observations_grid
    alone, in its order (no sort of the observations; the grid's cells are sorted to be summed
    into the map's, by SQLite): 0.45 s at 1 000 000, counted per map, reading the table, 1.0 s.
    The index is named (`indexed by`): the planner would take a category's or a time's index
    and sort, and a query whose cell no longer matches the index's fails instead of running
    slow."""
    kept = None
    if not (filters.start or filters.end or filters.categories or filters.ratings):
        if not filters.statuses:
            kept = ("lon_sum", "lat_sum", "n", "red", "yellow", "open", "n > 0")
        elif set(filters.statuses) == set(OPEN_STATUSES):  # the meeting's "only open"
            kept = ("open_lon_sum", "open_lat_sum", "open", "open_red", "open_yellow", "open",
                    "open > 0")  # fmt: skip
    if kept:
        lon, lat, n, red, yellow, open_, held = kept
        grid, params = (
            f"select x, y, {lon} as lon, {lat} as lat, {n} as n, case when {red} > 0 then 0"
            f" when {yellow} > 0 then 1 else 2 end as worst, {open_} as open"
            f" from grid_counts where {held}"
        ), []
    else:
        grid, params = _cells_sql(filters, *GRID_CELL, [], " indexed by observations_grid")
    if step == 1:
        return db.execute(grid, params).fetchall()
    return db.execute(
        "select x / ? as x, y / ? as y, sum(lon), sum(lat), sum(n), min(worst), sum(open)"
        f" from ({grid}) group by 1, 2",
        [step, step, *params],
    ).fetchall()


def _cells_sql(filters, column: str, row: str, params: list, index: str = "") -> tuple[str, list]:
    clauses, where_params = _observation_clauses(filters)
    where = (" where " + " and ".join(clauses)) if clauses else ""
    return (
        f"select {column} as x, {row} as y, sum(o.lon) as lon, sum(o.lat) as lat,"
        " count(*) as n, min(case o.rating when 'red' then 0 when 'yellow' then 1 else 2 end)"
        f" as worst, sum(o.measure_status in ({marks(OPEN_STATUSES)})) as open"
        f" from observations o{index}" + where + " group by x, y",
        [*params, *OPEN_STATUSES, *where_params],
    )


def iter_filtered(db: sqlite_utils.Database, filters) -> Iterator[dict]:
    """Observations matching Filters as the maps' lines (walkapp.db.measures), oldest first."""
    where, params = _where(filters)
    return iter_observations(db, where, params)


def iter_open311(
    db: sqlite_utils.Database, query: dict, limit: int, public: bool = False, within=None
) -> Iterator[dict]:
    """Open311 requests, newest first. `public`: only what anyone may see (PRODUCT.md): walks
    held, no incident or gathering observations, nothing a coordinator marked "inte publik".
    `within`: Filters an API token is limited to (every one of them applies too)."""
    clauses, params = _observation_clauses(within) if within is not None else ([], [])
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
    if public:
        clauses.append("w.state = 'closed' and o.not_public = 0")
        _in_not("o.category", NEVER_PUBLIC_CATEGORIES, clauses, params)
    where = " where " + " and ".join(clauses)
    return iter_observations(db, where + f" order by o.recorded_at desc limit {int(limit)}", params)


def matches(db: sqlite_utils.Database, observation_id: str, filters) -> bool:
    """Whether the observation is one of the observations Filters let through."""
    clauses, params = _observation_clauses(filters)
    clauses, params = ["o.id = ?", *clauses], [observation_id, *params]
    sql = "select 1 from observations o join measures m on m.observation_id = o.id where "
    return db.execute(sql + " and ".join(clauses), params).fetchone() is not None


def _in_not(column: str, values, clauses: list, params: list) -> None:
    clauses.append(f"{column} not in ({marks(values)})")
    params.extend(values)
