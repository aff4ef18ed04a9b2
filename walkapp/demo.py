"""Demo data: one realistic evening walk at Sergels torg/Plattan, so a newcomer sees something."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlite_utils

from . import assigning
from .db import observations as obs_db
from .db import places as places_db
from .db import transaction
from .db import walks as walks_db
from .places import RELATIONS

DEMO_TITLE = "Demovandring Sergels torg / Plattan"

# (lon, lat, category, rating, note)
DEMO_OBSERVATIONS = [
    (18.06470, 59.33250, "lighting", "red", "Två armaturer släckta vid trappan ner mot Plattan."),
    (
        18.06395,
        59.33270,
        "gathering",
        "red",
        "Samlingsplats vid pelarna, upplevs stökigt efter 21.",
    ),
    (18.06560, 59.33225, "litter", "yellow", "Överfulla papperskorgar vid glasobelisken."),
    (
        18.06330,
        59.33310,
        "sightlines",
        "yellow",
        "Skymd sikt bakom byggstaket vid Klarabergsgatan.",
    ),
    (18.06620, 59.33290, "feeling", "green", "Mycket folk och god belysning vid Kulturhuset."),
    (
        18.06500,
        59.33205,
        "underpass",
        "red",
        "Gångtunneln mot tunnelbanan är mörk och luktar urin.",
    ),
    (18.06700, 59.33330, "graffiti", "yellow", "Klotter på elskåp vid Drottninggatan."),
    (18.06250, 59.33240, "path", "yellow", "Trasiga plattor, snubbelrisk i mörker."),
    (18.06455, 59.33345, "vandalism", "red", "Krossad glasruta i busskur."),
    (
        18.06890,
        59.33290,
        "lighting",
        "red",
        "Belysningen på Brunkebergstorg bländar men lämnar skuggor.",
    ),
    (18.06180, 59.33460, "wayfinding", "green", "Tydlig skyltning mot Centralstationen."),
    (18.06520, 59.33280, "people", "yellow", "Öde efter att butikerna stängt."),
]


def walk_summary(walk: dict, base_url: str = "http://127.0.0.1:8000") -> dict:
    return {
        "id": walk["id"],
        "code": walk["code"],
        "title": walk["title"],
        "starts_at": walk["starts_at"],
        "state": walk["state"],
        "join_url": f"{base_url.rstrip('/')}/j/{walk['code']}",
    }


def create_demo(
    db: sqlite_utils.Database, near_m: float, base_url: str = "http://127.0.0.1:8000"
) -> dict:
    existing = walks_db.find_walk_by_title(db, DEMO_TITLE)
    if existing:
        return walk_summary(existing, base_url)
    by_name = {place["name"]: place["id"] for place in places_db.list_places(db)}
    place_ids = [by_name[n] for n in ("Sergels torg / Plattan", "Brunkebergstorg") if n in by_name]
    start = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    walk = walks_db.create_walk(
        db,
        title=DEMO_TITLE,
        starts_at=start.isoformat(),
        place_ids=place_ids,
        light="dark",
        meeting_point="Vid glasobelisken på Sergels torg",
        leader="Demo",
        state="ongoing",
    )
    index = assigning.current_index(db, near_m)
    with transaction(db):
        walker_id = walks_db.add_walker(db, walk["id"], "Demodeltagare")
        for minute, (lon, lat, category, rating, note) in enumerate(DEMO_OBSERVATIONS):
            place_idx, relation, distance = index.assign_many([lon], [lat])
            obs_db.insert_observation(
                db,
                {
                    "id": str(uuid.uuid4()),
                    "walk_id": walk["id"],
                    "walker_id": walker_id,
                    "category": category,
                    "rating": rating,
                    "note": note,
                    "lon": lon,
                    "lat": lat,
                    "accuracy_m": 8.0,
                    "recorded_at": (start + timedelta(minutes=3 * minute)).isoformat(),
                    "late": 0,
                    "place_id": index.place_ids(place_idx)[0],
                    "relation": RELATIONS[relation[0]],
                    "distance_m": None
                    if distance[0] != distance[0]
                    else round(float(distance[0]), 1),
                },
            )
    return walk_summary(walks_db.get_walk(db, walk["id"]), base_url)
