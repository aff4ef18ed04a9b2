"""Walks, walkers and findings for the public-page tests, written the way walkapp.demo writes them."""

from __future__ import annotations

import uuid

from walkapp.db import places as places_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.demo import store_observation

PLATTAN = "Sergels torg / Plattan"
HOTORGET = "Hötorget"

# Strings that must never reach the public page or its data.
MARKER_NOTE = "HEMLIG-ANTECKNING-7731"
MARKER_INCIDENT = "HANDELSE-DETALJ-4242"
MARKER_NAME = "Zlatan-Markörsson"
MARKER_PHOTO = "markorbild-9911"
# A position finer than the place: its digits must not appear either.
MARKER_LON, MARKER_LAT = 18.0648731, 59.3325917


def place_id(db, name: str = PLATTAN) -> int:
    return next(p["id"] for p in places_db.list_places(db) if p["name"] == name)


def seed_walk(
    db, starts_at: str, *, state: str = "closed", places=(PLATTAN,), public: bool = False, **fields
) -> dict:
    """A walk created as planned, then opened and closed the way a coordinator does it."""
    walk = walks_db.create_walk(
        db,
        title=fields.pop("title", f"Vandring {starts_at[:10]}"),
        starts_at=starts_at,
        place_ids=[place_id(db, name) for name in places],
        public=int(public),
        **fields,
    )
    if state in ("ongoing", "closed"):
        walks_db.set_state(db, walk["id"], "ongoing")
    if state == "closed":
        walks_db.set_state(db, walk["id"], "closed")
    return walks_db.get_walk(db, walk["id"])


def add_finding(
    db,
    walk_id: str,
    walker_id: str | None,
    *,
    category: str = "lighting",
    rating: str = "red",
    note: str = "",
    place: str | None = PLATTAN,
    lon: float = 18.0649,
    lat: float = 59.3326,
) -> str:
    with transaction(db):
        return store_observation(
            db,
            walk_id,
            walker_id,
            lon=lon,
            lat=lat,
            accuracy_m=6.0,
            category=category,
            rating=rating,
            note=note,
            recorded_at="2022-03-01T19:05:00+01:00",
            place_id=place_id(db, place) if place else None,
            relation="inside" if place else "none",
            distance_m=0.0 if place else None,
        )


def seed_privacy_markers(db, year: int) -> dict:
    """A closed walk in `year` holding everything the public must never see."""
    walk = seed_walk(db, f"{year}-03-01T18:30", places=(PLATTAN, HOTORGET))
    named = walks_db.add_walker(db, walk["id"], MARKER_NAME)
    fixed = add_finding(db, walk["id"], named, note=MARKER_NOTE, lon=MARKER_LON, lat=MARKER_LAT)
    add_finding(db, walk["id"], named, category="feeling", rating="green", note=MARKER_NOTE)
    incident = add_finding(
        db, walk["id"], named, category="incident", note=MARKER_INCIDENT, place=HOTORGET
    )
    db["photos"].insert(
        {
            "id": str(uuid.uuid4()),
            "observation_id": fixed,
            "filename": f"{MARKER_PHOTO}.jpg",
            "thumb_filename": f"{MARKER_PHOTO}-thumb.jpg",
            "bytes": 1000,
            "width": 10,
            "height": 10,
            "created_at": f"{year}-03-01T18:40:00",
        }
    )
    return {"walk": walk, "walker": named, "fixed": fixed, "incident": incident}
