"""Glue between stored places and the geometry: the cached index and re-assignment. Each
organisation's observations are assigned to its own places only: one index per organisation."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import sqlite_utils
from shapely.geometry import shape

from . import areas, organisations
from .db import audit_log, file_of, transaction
from .db import observations as obs_db
from .db import organisations as organisations_db
from .db import partners as partners_db
from .db import places as places_db
from .places import RELATIONS, Place, PlaceIndex
from .places_upload import compare, parse_places

_lock = threading.Lock()
_cache: dict[tuple, PlaceIndex] = {}


def build_index(
    db: sqlite_utils.Database, near_m: float, organisation_id: int | None = None
) -> PlaceIndex:
    """The index of an organisation's places (the first organisation's for None)."""
    organisation_id = organisation_id or organisations.home_of(db, None)
    places = [
        Place(row["id"], row["name"], row["priority"], shape(row["geometry"]))
        for row in places_db.list_places(db, organisation_ids=[organisation_id])
    ]
    return PlaceIndex(places, areas.boundary(db), near_m=near_m)


def current_index(
    db: sqlite_utils.Database, near_m: float, organisation_id: int | None = None
) -> PlaceIndex:
    """The index for an organisation's current places, rebuilt only when places changed.

    Keyed by the database file and its places_version, so every worker notices an import.
    """
    organisation_id = organisation_id or organisations.home_of(db, None)
    version = (file_of(db), places_db.places_version(db), near_m)
    with _lock:
        index = _cache.get((*version, organisation_id))
        if index is None:
            index = build_index(db, near_m, organisation_id)
            for old in [k for k in _cache if k[0] == version[0] and k[:3] != version]:
                del _cache[old]
            _cache[(*version, organisation_id)] = index
    return index


def reassign_all(db: sqlite_utils.Database, near_m: float) -> int:
    """Re-assign every stored observation (its areas anew, and its place among its
    organisation's). Inside the caller's transaction."""
    areas.resolve_all(db)
    total = 0
    for organisation_id in organisations_db.with_observations(db):
        total += _reassign(db, build_index(db, near_m, organisation_id), organisation_id)
    return total


def _reassign(db: sqlite_utils.Database, index: PlaceIndex, organisation_id: int) -> int:
    ids, lons, lats = obs_db.positions(db, organisation_id)
    if not ids:
        return 0
    place_idx, relation, distance = index.assign_many(lons, lats)
    place_ids = index.place_ids(place_idx)
    rows = [
        (
            place_ids[i],
            RELATIONS[relation[i]],
            None if np.isnan(distance[i]) else round(float(distance[i]), 1),
            ids[i],
        )
        for i in range(len(ids))
    ]
    obs_db.save_assignments(db, rows)
    return len(rows)


def import_places(
    db: sqlite_utils.Database,
    places: list[dict],
    replace: bool,
    near_m: float,
    user_id: int | None = None,
    organisation_id: int | None = None,
) -> dict:
    """Store validated places of an organisation (the first's for None), re-assign every
    observation and audit it, in one transaction. Places the file leaves as they are stay
    untouched and are counted as unchanged."""
    with transaction(db):
        organisation_id = organisation_id or organisations.home_of(db, None)
        own = places_db.list_places(db, False, [organisation_id])
        unchanged = set(compare(places, own, replace)["unchanged"])
        counts = places_db.save_places(
            db,
            [place for place in places if place["name"] not in unchanged],
            replace=replace,
            keep=sorted(unchanged),
            organisation_id=organisation_id,
        )
        counts["unchanged"] = len(unchanged)
        partners_db.ensure_partners(db, sorted({p for place in places for p in place["partners"]}))
        partners_db.link_named(
            db, organisation_id, sorted({p for place in places for p in place["partners"]})
        )
        counts["reassigned"] = reassign_all(db, near_m)
        audit_log.record(db, user_id, "import", "places", None, counts)
    return counts


def update_place(db: sqlite_utils.Database, place_id: int, user_id: int | None, **fields) -> None:
    """Change a place's name, priority, description, partners (new ones join the list) or
    whether it is active, audited, in one transaction. Observations keep the place they were
    assigned; an inactive place takes no new ones."""
    with transaction(db):
        places_db.update_place(db, place_id, **fields)
        audit_log.record(db, user_id, "update", "place", place_id, fields)


def load_shipped_geodata(db: sqlite_utils.Database, geodata_dir: Path, near_m: float) -> dict:
    """Load geodata/area.geojson, areas.json and places.geojson into a database without them."""
    loaded: dict = {}
    districts = areas.load_shipped(db, geodata_dir)
    if districts:
        loaded["districts"] = districts
    if count := areas.load_shipped_areas(db, geodata_dir):
        loaded["areas"] = count
    if places_db.count_places(db) == 0:
        places = parse_places((geodata_dir / "places.geojson").read_bytes())
        loaded["places"] = import_places(db, places, replace=False, near_m=near_m)
    return loaded
