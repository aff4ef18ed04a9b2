"""The walked track: what the phone records when a walker switches on "Spela in rutten".

The phone keeps a point every ~10 m or ~15 s with an accuracy of at most 30 m, drops jumps that
imply walking faster than ~3 m/s and never joins the two ends of a gap (screen off, no fix) by a
line (static/js/track_filter.js applies RULES, handed to it from here). The server stores the
points of each chunk once, and splits a walker's points into parts wherever a gap or an
impossible jump lies between two of them. A track is a person's movement: coordinators only,
never public, deleted by the retention command. No Flask, no SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np
import sqlite_utils
from flask_babel import lazy_gettext as _l
from pyproj import Transformer

from . import inputs
from .db import tracks as tracks_db
from .db import transaction
from .inputs import Conflict, Invalid
from .places import METRIC_CRS

RULES = {
    "min_distance_m": 10.0,  # a new point after walking this far …
    "max_interval_s": 15.0,  # … or after this long standing still
    "max_accuracy_m": 30.0,  # poorer fixes are not kept
    "max_speed_m_s": 3.0,  # a jump implying a faster pace is a GPS error
    "gap_s": 45.0,  # no point for this long: the track has a gap here
    "chunk_points": 20,  # the phone sends this many points at a time (or on leaving the screen)
}
MAX_POINTS_PER_CHUNK = 500
# The largest chunk body read (walkapp/bodies.py): a phone's point is about 120 bytes of JSON.
CHUNK_BODY_BYTES = MAX_POINTS_PER_CHUNK * 256 + 1024

_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def check_point(raw, field: str, now: datetime, errors: dict) -> dict | None:
    if not isinstance(raw, dict):
        errors[field] = _l("En punkt ska vara ett objekt med lon, lat, accuracy_m och t.")
        return None
    lon = inputs.longitude(raw.get("lon"), errors, f"{field}.lon")
    lat = inputs.latitude(raw.get("lat"), errors, f"{field}.lat")
    accuracy = inputs.accuracy_metres(raw.get("accuracy_m"), errors, f"{field}.accuracy_m")
    t = inputs.moment(raw.get("t"), now, errors, f"{field}.t", "milliseconds")
    gap = raw.get("gap", False)
    if not isinstance(gap, bool):
        errors[f"{field}.gap"] = _l("gap ska vara true eller false.")
    if lon is None or lat is None or t is None or f"{field}.accuracy_m" in errors:
        return None
    return {
        "lon": round(lon, 7),
        "lat": round(lat, 7),
        "accuracy_m": None if accuracy is None else round(accuracy, 1),
        "t": t,
        "gap": gap is True,
    }


def check_chunk(payload, now: datetime | None = None) -> dict:
    """A chunk of track points: {"id": uuid, "points": [{lon, lat, accuracy_m, t, gap?}]}, where
    `gap: true` marks the first point after a gap; raises Invalid naming each bad field."""
    now = now or datetime.now(UTC)
    if not isinstance(payload, dict):
        raise Invalid({"_": _l("Skicka spåret som ett JSON-objekt.")})
    errors: dict = {}
    chunk_id = inputs.phone_id(payload, errors)
    raw_points = payload.get("points")
    points = []
    if not isinstance(raw_points, list) or not raw_points:
        errors["points"] = _l("points ska vara en lista med minst en punkt.")
    elif len(raw_points) > MAX_POINTS_PER_CHUNK:
        errors["points"] = _l("Högst %(n)s punkter i en del.", n=MAX_POINTS_PER_CHUNK)
    else:
        for index, raw in enumerate(raw_points):
            point = check_point(raw, f"points[{index}]", now, errors)
            if point is not None:
                points.append(point)
    if errors:
        raise Invalid(errors)
    return {"id": chunk_id, "points": sorted(points, key=lambda p: p["t"])}


def parts(points: list[dict], rules: dict = RULES) -> list[list[dict]]:
    """One walker's points in time order, split wherever they must not be joined by a line:
    a point the phone marked `gap` (the screen was off, recording paused), a gap of more than
    `gap_s` without a point, or a jump implying more than `max_speed_m_s`.
    A part of a single point is kept (it is where the walker was), drawn as a dot."""
    if not points:
        return []
    x, y = _TO_METRIC.transform([p["lon"] for p in points], [p["lat"] for p in points])
    distances = np.hypot(np.diff(x), np.diff(y)).tolist()
    times = [datetime.fromisoformat(p["t"]) for p in points]
    gap_s, max_speed = rules["gap_s"], rules["max_speed_m_s"]
    result = [[points[0]]]
    for i in range(1, len(points)):
        seconds = (times[i] - times[i - 1]).total_seconds()
        if (
            points[i].get("gap")
            or seconds > gap_s
            or distances[i - 1] > max_speed * max(seconds, 1.0)
        ):
            result.append([points[i]])
        else:
            result[-1].append(points[i])
    return result


def by_walker(rows: Iterable[dict]) -> dict[str | None, list[dict]]:
    """Point rows (ordered by walker, then time) grouped per walker."""
    grouped: dict[str | None, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["walker_id"], []).append(row)
    return grouped


def multi_line(track_parts: list[list[dict]]) -> dict | None:
    """A MultiLineString of the parts (a one-point part repeats its point: a valid line of zero
    length, shown as a dot), or None without points."""
    lines = []
    for part in track_parts:
        coordinates = [[round(p["lon"], 6), round(p["lat"], 6)] for p in part]
        if len(coordinates) == 1:
            coordinates = coordinates * 2
        lines.append(coordinates)
    return {"type": "MultiLineString", "coordinates": lines} if lines else None


def record(
    db: sqlite_utils.Database, walk_id: str, walker_id: str | None, chunk: dict
) -> tuple[bool, dict]:
    """Store a checked chunk once. Returns (created now?, reply)."""
    with transaction(db):
        created = tracks_db.insert_chunk(db, chunk["id"], walk_id, walker_id, chunk["points"])
        stored = tracks_db.get_chunk(db, chunk["id"])
        points = [] if created else tracks_db.chunk_points(db, chunk["id"])
    if stored["walk_id"] != walk_id:
        raise Conflict(inputs.TAKEN_BY_ANOTHER_WALK)
    if not created and (stored["walker_id"] != walker_id or points != chunk["points"]):
        # Not a retry (that repeats the points): refused without showing what is stored.
        raise Conflict(inputs.STORED_WITH_ANOTHER_BODY)
    return created, {"id": stored["id"], "walk_id": walk_id, "points": stored["points"]}


def track_features(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """One MultiLineString feature per walker who recorded on a walk, split into parts at gaps.
    Walkers are numbered, never named: a track is shown to coordinators only."""
    features = []
    grouped = by_walker(tracks_db.points_for_walk(db, walk_id))
    for number, points in enumerate(grouped.values(), start=1):
        features.append(
            {
                "type": "Feature",
                "geometry": multi_line(parts(points)),
                "properties": {
                    "kind": "track",
                    "track": number,
                    "points": len(points),
                    "start": points[0]["t"],
                    "end": points[-1]["t"],
                },
            }
        )
    return features
