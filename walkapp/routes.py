"""The planned route of a walk: a line and numbered stops, drawn by the coordinator on the walk
form and stored as a GeoJSON FeatureCollection with the walk.

The stored shape (RFC 7946, WGS84 lon/lat): one Feature with a LineString, properties
`{"kind": "route"}`, and one Point Feature per stop, properties `{"kind": "stop", "number": n,
"name": "…"}` numbered 1, 2, … in walking order. No Flask, no SQL.
"""

from __future__ import annotations

import math

import sqlite_utils
from flask_babel import lazy_gettext as _l

from .db import audit_log
from .db import routes as routes_db
from .inputs import Unreadable, parse_json
from .places import metres_between

MAX_VERTICES = 2000
MAX_STOPS = 50
MAX_NAME = 80
# An audit this close to a stop belongs to that stop (metres, SWEREF 99 TM).
STOP_RADIUS_M = 75.0


class InvalidRoute(ValueError):
    """The drawn route cannot be stored; the message says why (Swedish, translatable)."""


def _position(raw) -> list[float] | None:
    if not isinstance(raw, list | tuple) or len(raw) < 2:
        return None
    lon, lat = raw[0], raw[1]
    for value in (lon, lat):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not math.isfinite(value):
            return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return [round(float(lon), 6), round(float(lat), 6)]


def check_route(raw: str | dict | None) -> dict | None:
    """The drawn route as the stored FeatureCollection, or None when nothing is drawn.

    Raises InvalidRoute for anything that is not a line of at least two points and stops.
    """
    if raw is None or raw == "" or raw == {}:
        return None
    if isinstance(raw, str):
        try:
            raw = parse_json(raw)  # bounded nesting, valid Unicode: `"[" * 3000` was a 500
        except Unreadable:
            raise InvalidRoute(_l("Rutten kunde inte läsas. Rita den igen.")) from None
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise InvalidRoute(_l("Rutten kunde inte läsas. Rita den igen."))
    features = raw.get("features")
    if not isinstance(features, list):
        raise InvalidRoute(_l("Rutten kunde inte läsas. Rita den igen."))
    line: list[list[float]] = []
    stops: list[dict] = []
    for feature in features:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        if not isinstance(geometry, dict) or not isinstance(properties, dict):
            raise InvalidRoute(_l("Rutten kunde inte läsas. Rita den igen."))
        if geometry.get("type") == "LineString":
            coordinates = geometry.get("coordinates")
            if line or not isinstance(coordinates, list) or len(coordinates) > MAX_VERTICES:
                raise InvalidRoute(
                    _l("Rutten ska vara en linje med högst %(n)s punkter.", n=MAX_VERTICES)
                )
            line = [_position(c) for c in coordinates]
            if any(p is None for p in line):
                raise InvalidRoute(_l("Rutten har en punkt utanför kartan. Rita den igen."))
        elif geometry.get("type") == "Point":
            position = _position(geometry.get("coordinates"))
            if position is None:
                raise InvalidRoute(_l("Ett stopp ligger utanför kartan. Flytta det."))
            name = properties.get("name") or ""
            if not isinstance(name, str) or len(name) > MAX_NAME:
                raise InvalidRoute(_l("Ett stopps namn får vara högst %(n)s tecken.", n=MAX_NAME))
            stops.append({"position": position, "name": name.strip()})
        else:
            raise InvalidRoute(_l("Rutten kan bara ha en linje och stopp."))
    if len(stops) > MAX_STOPS:
        raise InvalidRoute(_l("Högst %(n)s stopp.", n=MAX_STOPS))
    if line and len(line) < 2:
        raise InvalidRoute(_l("Rutten behöver minst två punkter."))
    if not line and not stops:
        return None
    return route_collection(line, stops)


def route_collection(line: list[list[float]], stops: list[dict]) -> dict:
    """The stored FeatureCollection: the line first, then the stops numbered from 1."""
    features = []
    if line:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"kind": "route"},
            }
        )
    for number, stop in enumerate(stops, start=1):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": stop["position"]},
                "properties": {
                    "kind": "stop",
                    "number": number,
                    # An unnamed stop stays "": each screen names it in its own language.
                    "name": stop["name"],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def line_of(route: dict | None) -> list[list[float]]:
    for feature in (route or {}).get("features", []):
        if feature["geometry"]["type"] == "LineString":
            return feature["geometry"]["coordinates"]
    return []


def stops_of(route: dict | None) -> list[dict]:
    """[{number, name, lon, lat}] in walking order."""
    return [
        {
            "number": feature["properties"]["number"],
            "name": feature["properties"]["name"],
            "lon": feature["geometry"]["coordinates"][0],
            "lat": feature["geometry"]["coordinates"][1],
        }
        for feature in (route or {}).get("features", [])
        if feature["geometry"]["type"] == "Point"
    ]


def nearest_stop(route: dict | None, lon: float, lat: float) -> int | None:
    """The number of the stop within STOP_RADIUS_M of a position (the nearest), or None."""
    stops = stops_of(route)
    if not stops:
        return None
    distances = metres_between((lon, lat), [(s["lon"], s["lat"]) for s in stops])
    best = int(distances.argmin())
    return stops[best]["number"] if distances[best] <= STOP_RADIUS_M else None


ROUTE_COLOUR = "#1d4ed8"
TRACK_COLOUR = "#d9480f"


def map_data(features: list[dict]) -> dict:
    """Planned routes, stops and walked tracks for a follow-up map (static/js/map_layers.js draws
    them: routes dashed, stops numbered, tracks solid with parts never joined). Stop names stay
    plain text: the browser sets them as text."""
    return {
        "colours": {"route": ROUTE_COLOUR, "track": TRACK_COLOUR},
        "features": [
            feature
            for feature in features
            if feature["geometry"]["type"] in ("LineString", "MultiLineString")
            or feature["properties"].get("kind") == "stop"
        ],
    }


def save_within(
    db: sqlite_utils.Database, walk_id: str, route: dict | None, user_id: int | None
) -> None:
    """Store a walk's checked route (None removes it) with its audit entry, inside the caller's
    transaction: a route is saved with its walk (walkapp.walks.create and update)."""
    routes_db.save_route(db, walk_id, route, user_id)
    detail = {"features": len(route["features"])} if route else {"removed": True}
    audit_log.record(db, user_id, "route", "walk", walk_id, detail)
