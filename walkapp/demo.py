"""Demo data: one realistic evening walk at Sergels torg/Plattan, so a newcomer sees something."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from . import measures, places_index, promises, walks
from .db import observations as obs_db
from .db import partners as partners_db
from .db import places as places_db
from .db import transaction
from .db import walks as walks_db
from .places import RELATIONS

DEMO_TITLE = "Demovandring Sergels torg / Plattan"

# The demo walk's observations and the earlier walk's, with what became of them, are data:
# walkapp/demo.json.
_DATA = json.loads((Path(__file__).with_name("demo.json")).read_text(encoding="utf-8"))
DEMO_OBSERVATIONS = [tuple(o.values()) for o in _DATA["demo"]]


# An earlier, closed walk at Odenplan/Vasaparken: (lon, lat, category, rating, note, status,
# partner) for each of its observations.
EARLIER_TITLE = "Kvällsvandring Odenplan och Vasaparken"
EARLIER_OBSERVATIONS = [tuple(o.values()) for o in _DATA["earlier"]]


def walk_summary(walk: dict, base_url: str) -> dict:
    return {
        "id": walk["id"],
        "code": walk["code"],
        "title": walk["title"],
        "starts_at": walk["starts_at"],
        "state": walk["state"],
        "join_url": f"{base_url.rstrip('/')}/j/{walk['code']}",
    }


def create_demo(db: sqlite_utils.Database, near_m: float, base_url: str = "") -> dict:
    existing = walks_db.find_walk_by_title(db, DEMO_TITLE)
    if existing:
        return walk_summary(existing, base_url)
    by_name = {place["name"]: place["id"] for place in places_db.list_places(db)}
    place_ids = [by_name[n] for n in ("Sergels torg / Plattan", "Brunkebergstorg") if n in by_name]
    start = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    walk = walks.create(
        db,
        title=DEMO_TITLE,
        starts_at=start.isoformat(),
        place_ids=place_ids,
        light="dark",
        meeting_point="Vid glasobelisken på Sergels torg",
        leader="Demo",
        state="ongoing",
    )
    index = places_index.current_index(db, near_m, walk["organisation_id"])
    with transaction(db):
        walker_id = walks_db.add_walker(db, walk["id"], "Demodeltagare")
        for minute, (lon, lat, category, rating, note) in enumerate(DEMO_OBSERVATIONS):
            when = start + timedelta(minutes=3 * minute)
            _store(db, index, walk["id"], walker_id, when, lon, lat, category, rating, note)
    _create_earlier_walk(db, index, start)
    _ensure_promise_this_year(db, start.year)
    return walk_summary(walks_db.get_walk(db, walk["id"]), base_url)


def store_observation(db, walk_id: str, walker_id: str | None, **fields) -> str:
    """Insert one observation as a phone would have sent it (demo data and tests)."""
    observation_id = fields.pop("id", None) or str(uuid.uuid4())
    obs_db.insert_observation(
        db,
        {
            "id": observation_id,
            "walk_id": walk_id,
            "walker_id": walker_id,
            "note": "",
            "accuracy_m": 8.0,
            "position_source": "gps",
            "late": 0,
            **fields,
        },
    )
    return observation_id


def _store(db, index, walk_id, walker_id, when, lon, lat, category, rating, note) -> str:
    place_idx, relation, distance = index.assign_many([lon], [lat])
    return store_observation(
        db,
        walk_id,
        walker_id,
        category=category,
        rating=rating,
        note=note,
        lon=lon,
        lat=lat,
        recorded_at=when.isoformat(),
        place_id=index.place_ids(place_idx)[0],
        relation=RELATIONS[relation[0]],
        distance_m=None if distance[0] != distance[0] else round(float(distance[0]), 1),
    )


def _create_earlier_walk(db, index, now: datetime) -> None:
    """A walk two months back, closed, its observations followed up to various statuses."""
    by_name = {place["name"]: place["id"] for place in places_db.list_places(db)}
    start = (now - timedelta(days=60)).replace(hour=18, minute=30)
    if start.year != now.year:
        start = now.replace(month=1, day=15, hour=18, minute=30)
    walk = walks.create(
        db,
        title=EARLIER_TITLE,
        starts_at=start.isoformat(),
        light="dark",
        leader="Demo",
        meeting_point="Odenplans tunnelbaneuppgång",
        place_ids=[by_name[n] for n in ("Odenplan", "Vasaparken") if n in by_name],
    )
    partners = {p["name"]: p["id"] for p in partners_db.list_partners(db)}
    stored = []
    with transaction(db):
        walker_id = walks_db.add_walker(db, walk["id"], "")
        for minute, (lon, lat, category, rating, note, status, partner) in enumerate(
            EARLIER_OBSERVATIONS
        ):
            when = start + timedelta(minutes=4 * minute)
            stored.append(
                (
                    _store(
                        db, index, walk["id"], walker_id, when, lon, lat, category, rating, note
                    ),
                    status,
                    partner,
                )
            )
    walks.change_state(db, walk["id"], "closed")
    for observation_id, status, partner in stored:
        if status != "new":
            # A planned measure has its deadline (PRODUCT.md): four weeks after the walk.
            deadline = (
                (start + timedelta(days=28)).date().isoformat() if status == "planned" else None
            )
            measures.set_status(
                db,
                observation_id,
                status,
                None,
                partner_id=partners.get(partner),
                deadline=deadline,
            )


def _ensure_promise_this_year(db, year: int) -> None:
    """This year's promise, copied from the latest one, so the public page has commitments."""
    from .db import promises as promises_db

    if promises_db.promise_for_year(db, year) is None:
        latest = promises_db.list_promises(db)
        promises.create(
            db,
            year,
            promises_db.DEFAULT_AREA,
            f"Medborgarlöfte {year}",
            None,
            copy_from=latest[0]["id"] if latest else None,
        )
