"""Areas (PRODUCT.md "area kinds"): police region ⊃ LPO, län ⊃ kommun ⊃ stadsdelsområde ⊃
stadsdel, and free areas, each a polygon or a union of other areas (its parts); every
observation resolves to each area that holds it (walkapp.areas_index has the rules).

The police area — what an observation's "outside_area" relation means — is still the union
of the districts marked as included (geodata/area.geojson, the districts table).

Shipped: geodata/areas.json names the boundary files and the unions (LPO Norrmalm, its three
stadsdelsområden, Stockholm kommun = its stadsdelar, each län = its kommuner).
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
import sqlite_utils
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .areas_index import KINDS, Area, AreaIndex
from .areas_upload import AreaImportError, check_kind, parse_areas
from .db import areas as areas_db
from .db import audit_log, transaction
from .db import observations as obs_db

SHIPPED = "area.geojson"
SHIPPED_AREAS = "areas.json"

_lock = threading.Lock()
_index_cache: dict[tuple, AreaIndex] = {}
_shipped_cache: dict[str, tuple[str, list[tuple], list[dict]]] = {}


def from_features(features: Sequence[dict]) -> BaseGeometry | None:
    """The police area from its district features (GeoJSON): the union of those included."""
    geoms = [
        shape(f["geometry"]) for f in features if f.get("properties", {}).get("included", True)
    ]
    return shapely.union_all(geoms) if geoms else None


def boundary(db: sqlite_utils.Database) -> BaseGeometry | None:
    """The stored police area (None when no district is included: nothing is "outside")."""
    return from_features(
        [
            {"geometry": d["geometry"], "properties": {"included": d["included"]}}
            for d in areas_db.list_districts(db)
        ]
    )


def load_shipped(db: sqlite_utils.Database, geodata_dir: Path) -> int:
    """Read geodata/area.geojson into a database that has no districts; how many were loaded."""
    if areas_db.list_districts(db):
        return 0
    features = json.loads((geodata_dir / SHIPPED).read_text(encoding="utf-8"))["features"]
    with transaction(db):
        # Asked again under the write lock: the workers of a fresh instance start together.
        if areas_db.list_districts(db):
            return 0
        areas_db.save_districts(db, features)
    return len(features)


def _shipped(geodata_dir: Path) -> tuple[str, list[tuple], list[dict]]:
    """The shipped areas' rows, unions and version, read once a process (a fresh database per
    test must not parse a megabyte of polygons each time)."""
    key = str(geodata_dir.resolve())
    with _lock:
        if key not in _shipped_cache:
            spec_bytes = (geodata_dir / SHIPPED_AREAS).read_bytes()
            spec = json.loads(spec_bytes)
            digest = hashlib.sha256(spec_bytes)
            rows: list[tuple] = []
            for entry in spec["files"]:
                data = (geodata_dir / entry["file"]).read_bytes()
                digest.update(data)
                rows += parse_areas(
                    data,
                    entry["kind"],
                    entry["name_property"],
                    entry.get("code_property"),
                    title_case=entry.get("title_case", False),
                    approximate=entry.get("approximate", False),
                    source=entry.get("source", ""),
                    check_geometry=False,
                )
            _shipped_cache[key] = (f"shipped-{digest.hexdigest()[:16]}", rows, spec["parts"])
        return _shipped_cache[key]


def load_shipped_areas(db: sqlite_utils.Database, geodata_dir: Path) -> int:
    """Load geodata/areas.json's boundaries and unions into a database that has no areas (and
    resolve observations an upgraded database already holds); how many areas were loaded."""
    if areas_db.count_areas(db):
        return 0
    version, rows, unions = _shipped(geodata_dir)
    with transaction(db):
        # Asked again under the write lock: two gunicorn workers of a fresh instance both found
        # none and the second failed on UNIQUE(kind, name).
        if areas_db.count_areas(db):
            return 0
        areas_db.insert_areas(db, rows)
        for union in unions:
            _store_union(db, union)
        areas_db.set_areas_version(db, version)
        if obs_db.count_observations(db):
            resolve_all(db)
    return areas_db.count_areas(db)


def _store_union(db: sqlite_utils.Database, union: dict) -> None:
    """One entry of areas.json's "parts": named parts, every area of a kind, or (län) every
    kommun whose code starts with the area's code."""
    parts_of = areas_db.area_ids(db, union["every"]) if "every" in union else {}
    if union.get("by_code_prefix"):
        codes = dict(_codes(db, union["every"]))
        whole_ids = areas_db.area_ids(db, union["kind"])
        pairs = [
            (whole_ids[name], parts_of[part])
            for name, code in _codes(db, union["kind"])
            for part, part_code in codes.items()
            if code and part_code and part_code.startswith(code)
        ]
        areas_db.insert_parts(db, pairs)
        return
    whole = areas_db.ensure_area(db, union["kind"], union["name"])
    if "every" in union:
        part_ids = list(parts_of.values())
    else:
        part_ids = [_part_id(db, kind, name) for kind, name in union["parts"]]
    areas_db.set_parts(db, whole, part_ids)


def _codes(db: sqlite_utils.Database, kind: str) -> list[tuple[str, str]]:
    return [(a["name"], a["code"]) for a in areas_db.list_areas(db, False) if a["kind"] == kind]


def _part_id(db: sqlite_utils.Database, kind: str, value: str) -> int:
    part = areas_db.find_area(db, kind, value)
    if part is None:
        raise AreaImportError([f"there is no {kind} {value!r}"])
    return part


def build_index(db: sqlite_utils.Database) -> AreaIndex:
    rows = areas_db.list_areas(db)
    texts = [row["geometry"] for row in rows if row["geometry"]]
    geometries = iter(shapely.from_geojson(np.array(texts, dtype=object))) if texts else iter(())
    return AreaIndex(
        [
            Area(
                row["id"],
                row["kind"],
                row["name"],
                row["code"],
                next(geometries) if row["geometry"] else None,
                tuple(row["parts"]),
            )
            for row in rows
        ]
    )


def current_index(db: sqlite_utils.Database) -> AreaIndex:
    """The index of the database's areas, keyed by their version: databases holding the same
    shipped areas share one, and every worker notices an import."""
    version = (areas_db.areas_version(db), *areas_db.area_span(db))
    with _lock:
        index = _index_cache.get(version)
    if index is None:
        index = build_index(db)
        with _lock:
            if len(_index_cache) > 8:
                _index_cache.clear()
            _index_cache[version] = index
    return index


def resolve_all(db: sqlite_utils.Database) -> int:
    """Every stored observation's areas anew. Inside the caller's transaction."""
    ids, lons, lats = obs_db.positions(db)
    index = current_index(db)
    if ids:
        areas_db.save_observation_areas(db, index.rows(ids, index.resolve(lons, lats)))
    return len(ids)


def resolve_one(db: sqlite_utils.Database, observation_id: str, lon: float, lat: float) -> None:
    """One observation's areas, inside the caller's transaction (recording or moving it)."""
    index = current_index(db)
    areas_db.save_observation_areas(db, index.rows([observation_id], index.resolve([lon], [lat])))


def import_areas(db: sqlite_utils.Database, rows: list[tuple], user_id: int | None = None) -> dict:
    """Store checked areas (walkapp.areas_upload.parse_areas) by kind and name and re-resolve
    every observation, audited, in one transaction."""
    with transaction(db):
        counts = areas_db.upsert_areas(db, rows)
        areas_db.set_areas_version(db, uuid.uuid4().hex)
        counts["resolved"] = resolve_all(db)
        audit_log.record(db, user_id, "import", "areas", None, counts)
    return counts


def set_parts(
    db: sqlite_utils.Database,
    kind: str,
    name: str,
    parts: list[tuple[str, str]],
    user_id: int | None = None,
) -> dict:
    """Make the area `kind` `name` the union of `parts` ((kind, code or name) pairs, each of a
    kind resolved before it, KINDS), re-resolving every observation, audited, in one
    transaction. AreaImportError names a part that does not exist or cannot be one."""
    check_kind(kind)
    if kind not in KINDS:
        raise AreaImportError([f"a {kind} area cannot have parts"])
    problems = [
        f"a {part_kind} cannot be a part of a {kind}: parts come before it in {', '.join(KINDS)}"
        for part_kind, _value in parts
        if part_kind not in KINDS or KINDS.index(part_kind) >= KINDS.index(kind)
    ]
    if problems:
        raise AreaImportError(problems)
    with transaction(db):
        part_ids = [_part_id(db, part_kind, value) for part_kind, value in parts]
        whole = areas_db.ensure_area(db, kind, name)
        areas_db.set_parts(db, whole, part_ids)
        areas_db.set_areas_version(db, uuid.uuid4().hex)
        resolved = resolve_all(db)
        audit_log.record(db, user_id, "update", "area", whole, {"parts": [list(p) for p in parts]})
    return {"area": whole, "parts": len(part_ids), "resolved": resolved}
