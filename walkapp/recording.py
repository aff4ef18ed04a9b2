"""Storing what a walker records: place assignment, exactly-once insert, edits and deletes.

No Flask here; the API views call these with the request's database and the place index.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from .db import observations as obs_db
from .db import photos as photos_db
from .db import transaction
from .photos import StoredPhoto, remove_files
from .places import PlaceIndex


class Conflict(Exception):
    """The id is taken by another walk's observation, or the walk no longer takes changes."""


def _assigned(index: PlaceIndex, lon: float, lat: float) -> dict:
    assignment = index.assign(lon, lat)
    distance = assignment.distance_m
    return {
        "place_id": assignment.place_id,
        "relation": assignment.relation,
        "distance_m": None if distance is None else round(float(distance), 1),
    }


def landing(db: sqlite_utils.Database, row: dict) -> dict:
    """What the phone is told about a stored observation (the same on every retry)."""
    return {
        "id": row["id"],
        "walk_id": row["walk_id"],
        "place": obs_db.place_name(db, row["place_id"]),
        "place_id": row["place_id"],
        "relation": row["relation"],
        "distance_m": row["distance_m"],
        "late": bool(row["late"]),
    }


def record(
    db: sqlite_utils.Database, index: PlaceIndex, walk: dict, walker_id: str | None, clean: dict
) -> tuple[bool, dict]:
    """Store a checked observation once. Returns (created now?, landing)."""
    fields = {
        **clean,
        **_assigned(index, clean["lon"], clean["lat"]),
        "walk_id": walk["id"],
        "walker_id": walker_id,
        # Recorded while the walker was offline and the walk has closed since: kept, flagged.
        "late": 1 if walk["state"] == "closed" else 0,
    }
    with transaction(db):
        created = obs_db.insert_observation(db, fields)
        row = obs_db.get_observation(db, clean["id"])
    if row["walk_id"] != walk["id"]:
        raise Conflict("id belongs to another walk")
    return created, landing(db, row)


def edit(db: sqlite_utils.Database, index: PlaceIndex, observation: dict, changes: dict) -> dict:
    if "lon" in changes:
        changes = {**changes, **_assigned(index, changes["lon"], changes["lat"])}
    with transaction(db):
        obs_db.update_observation(db, observation["id"], changes)
        row = obs_db.get_observation(db, observation["id"])
    return landing(db, row)


def delete(db: sqlite_utils.Database, observation_id: str, photo_folder: Path) -> None:
    with transaction(db):
        files = obs_db.delete_observation(db, observation_id)
    remove_files(photo_folder, files)


def attach_photo(
    db: sqlite_utils.Database,
    photo_id: str,
    observation_id: str,
    stored: StoredPhoto,
    photo_folder: Path,
) -> tuple[bool, dict]:
    """Record a stored photo once; a retry that lost the race removes its own files."""
    with transaction(db):
        created = photos_db.insert_photo(db, photo_id, observation_id, stored)
        row = photos_db.get_photo(db, photo_id)
    if not created:
        remove_files(photo_folder, (stored.filename, stored.thumb_filename))
    if row["observation_id"] != observation_id:
        raise Conflict("photo id belongs to another observation")
    return created, row
