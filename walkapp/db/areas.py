"""The areas: the police area's districts (what "outside_area" means, walkapp.areas), the areas
of every kind with their parts, and which areas each observation lies in (its area_* columns)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from . import marks
from .places import bump_version


def list_districts(db: sqlite_utils.Database) -> list[dict]:
    rows = db.query("select * from districts order by name")
    return [
        {**row, "geometry": json.loads(row["geometry"]), "included": bool(row["included"])}
        for row in rows
    ]


def save_districts(db: sqlite_utils.Database, features: list[dict]) -> None:
    db.execute("delete from districts")
    for feature in features:
        props = feature.get("properties") or {}
        db.execute(
            "insert into districts (name, municipality, included, approximate, geometry)"
            " values (?, ?, ?, ?, ?)",
            [
                props["name"],
                props.get("municipality"),
                int(bool(props.get("included", True))),
                int(bool(props.get("approximate", False))),
                json.dumps(feature["geometry"]),
            ],
        )
    bump_version(db)


def set_district_included(db: sqlite_utils.Database, district_id: int, included: bool) -> None:
    db.execute("update districts set included = ? where id = ?", [int(included), district_id])
    bump_version(db)


def areas_version(db: sqlite_utils.Database) -> str:
    row = db.execute("select value from meta where key = 'areas_version'").fetchone()
    return row[0] if row else "0"


def set_areas_version(db: sqlite_utils.Database, version: str) -> None:
    """The areas changed: every worker's cached area index is stale."""
    db.execute("update meta set value = ? where key = 'areas_version'", [version])


def area_span(db: sqlite_utils.Database) -> tuple[int, int]:
    """How many areas and the highest id: with the version, what tells two databases apart."""
    count, highest = db.execute("select count(*), coalesce(max(id), 0) from areas").fetchone()
    return count, highest


def count_areas(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from areas").fetchone()[0]


def list_areas(db: sqlite_utils.Database, with_geometry: bool = True) -> list[dict]:
    """Every area with its part ids (geometry as GeoJSON text, None for a union of parts)."""
    columns = "id, kind, name, code, approximate, source" + (", geometry" if with_geometry else "")
    parts: dict[int, list[int]] = {}
    for area_id, part_id in db.execute("select area_id, part_id from area_parts order by 1, 2"):
        parts.setdefault(area_id, []).append(part_id)
    return [
        {**row, "parts": parts.get(row["id"], [])}
        for row in db.query(f"select {columns} from areas order by kind, name")
    ]


def insert_areas(db: sqlite_utils.Database, rows: Iterable[tuple]) -> None:
    """rows: (kind, name, code, approximate, source, geometry text or None), all new."""
    db.conn.executemany(
        "insert into areas (kind, name, code, approximate, source, geometry)"
        " values (?, ?, ?, ?, ?, ?)",
        rows,
    )


def upsert_areas(db: sqlite_utils.Database, rows: list[tuple]) -> dict:
    """Areas by (kind, name): new ones created, existing ones get the code and geometry."""
    existing = {
        (kind, name) for kind, name in db.execute("select kind, name from areas").fetchall()
    }
    new = [row for row in rows if (row[0], row[1]) not in existing]
    old = [row for row in rows if (row[0], row[1]) in existing]
    insert_areas(db, new)
    db.conn.executemany(
        "update areas set code = ?, approximate = ?, source = ?, geometry = ?"
        " where kind = ? and name = ?",
        [
            (code, approx, source, geometry, kind, name)
            for kind, name, code, approx, source, geometry in old
        ],
    )
    return {"created": len(new), "updated": len(old)}


def area_ids(db: sqlite_utils.Database, kind: str) -> dict[str, int]:
    """name -> id for the areas of one kind."""
    return {name: i for i, name in db.execute("select id, name from areas where kind = ?", [kind])}


def find_area(db: sqlite_utils.Database, kind: str, value: str) -> int | None:
    """An area of `kind` by its code or its name (any case), or None."""
    row = db.execute(
        "select id from areas where kind = ? and (code = ? or lower(name) = lower(?))"
        " order by code = ? desc limit 1",
        [kind, value, value, value],
    ).fetchone()
    return row[0] if row else None


def ids_named(db: sqlite_utils.Database, value: str, kind: str | None = None) -> list[int]:
    """The areas with this code or name (any case), of one kind or of every kind."""
    sql = "select id from areas where (code = ? or lower(name) = lower(?))"
    params = [value, value]
    if kind is not None:
        sql += " and kind = ?"
        params.append(kind)
    return [row[0] for row in db.execute(sql + " order by id", params)]


def ensure_area(db: sqlite_utils.Database, kind: str, name: str) -> int:
    """The id of the area of `kind` named `name`, created as a union of parts if missing."""
    db.execute(
        "insert or ignore into areas (kind, name, source) values (?, ?, 'parts')", [kind, name]
    )
    return db.execute("select id from areas where kind = ? and name = ?", [kind, name]).fetchone()[
        0
    ]


def set_parts(db: sqlite_utils.Database, area_id: int, part_ids: list[int]) -> None:
    db.execute("delete from area_parts where area_id = ?", [area_id])
    db.conn.executemany(
        "insert or ignore into area_parts (area_id, part_id) values (?, ?)",
        [(area_id, part_id) for part_id in part_ids],
    )


def insert_parts(db: sqlite_utils.Database, pairs: Iterable[tuple[int, int]]) -> None:
    db.conn.executemany("insert or ignore into area_parts (area_id, part_id) values (?, ?)", pairs)


# The observation's area columns, in walkapp.areas_index.KINDS order, then its free areas.
RESOLVED = ("stadsdel", "stadsdelsomrade", "kommun", "lan", "lpo", "region", "free")
_UPDATE = (
    f"update observations set {', '.join(f'area_{kind} = ?' for kind in RESOLVED)} where id = ?"
)


def save_observation_areas(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """Observations' areas. rows: (one area id or None per kind in RESOLVED order but free, the
    free areas' ids as JSON text or None, observation id)."""
    db.conn.executemany(_UPDATE, rows)


def areas_of(db: sqlite_utils.Database, observation_id: str) -> dict[str, list[dict]]:
    """kind -> [{name, code}] of one observation's areas."""
    row = db.execute(
        f"select {', '.join(f'area_{kind}' for kind in RESOLVED)} from observations where id = ?",
        [observation_id],
    ).fetchone()
    if row is None:
        return {}
    wanted = {kind: [value] for kind, value in zip(RESOLVED[:-1], row[:-1]) if value is not None}
    if row[-1]:
        wanted["free"] = json.loads(row[-1])
    found: dict[str, list[dict]] = {}
    for kind, ids in wanted.items():
        found[kind] = [
            {"name": name, "code": code}
            for name, code in db.execute(
                f"select name, code from areas where id in ({marks(ids)}) order by name", ids
            )
        ]
    return found


def existing_areas(db: sqlite_utils.Database, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return {row[0] for row in db.execute(f"select id from areas where id in ({marks(ids)})", ids)}
