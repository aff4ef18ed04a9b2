"""Validate a GeoJSON FeatureCollection of places before anything is stored. No Flask, no SQL."""

from __future__ import annotations

import math

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from .inputs import NotJson, Unreadable, parse_json


class PlaceImportError(ValueError):
    """Every problem found, each naming the feature (index and name)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _coordinates(geometry: dict):
    stack = [geometry.get("coordinates")]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)) and item and not isinstance(item[0], (list, tuple)):
            yield item
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def _check_wgs84(geometry: dict) -> str | None:
    for position in _coordinates(geometry):
        if len(position) < 2 or not all(isinstance(v, (int, float)) for v in position[:2]):
            return "a coordinate is not a pair of numbers"
        lon, lat = position[0], position[1]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return "a coordinate is not a finite number"
        if abs(lon) > 180 or abs(lat) > 90:
            return (
                f"coordinates ({lon}, {lat}) are not WGS84 longitude/latitude"
                " (projected coordinates? export as EPSG:4326)"
            )
    return None


def parse_places(text: str | bytes) -> list[dict]:
    """Parse and validate; return places as dicts or raise PlaceImportError."""
    try:
        data = parse_json(text)
    except NotJson as exc:
        raise PlaceImportError([f"the file is not JSON: {exc.detail}"]) from None
    except Unreadable as exc:
        raise PlaceImportError(
            [f"the file is nested too deeply or holds invalid Unicode (near {exc.field!r})"]
        ) from None
    return validate_places(data)


def validate_places(data) -> list[dict]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise PlaceImportError(["the file is not a GeoJSON FeatureCollection"])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise PlaceImportError(["the FeatureCollection has no features"])
    problems: list[str] = []
    places: list[dict] = []
    seen: set[str] = set()
    for index, feature in enumerate(features):
        props = (feature or {}).get("properties") or {} if isinstance(feature, dict) else {}
        name = props.get("name")
        label = f"feature {index}" + (f" ({name!r})" if isinstance(name, str) and name else "")
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{label}: is not a GeoJSON Feature")
            continue
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{label}: has no name")
            continue
        name = name.strip()
        if name in seen:
            problems.append(f"{label}: the name {name!r} is used twice")
            continue
        seen.add(name)
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            problems.append(f"{label}: the geometry must be a Polygon or MultiPolygon")
            continue
        wgs84_problem = _check_wgs84(geometry)
        if wgs84_problem:
            problems.append(f"{label}: {wgs84_problem}")
            continue
        try:
            geom = shape(geometry)
        except Exception as exc:  # shapely raises several types for malformed rings
            problems.append(f"{label}: the polygon is malformed ({exc})")
            continue
        if geom.is_empty or not shapely.is_valid(geom):
            problems.append(f"{label}: the polygon is invalid ({explain_validity(geom)})")
            continue
        priority = props.get("priority", 3)
        if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
            problems.append(f"{label}: priority must be a whole number of 1 or more")
            continue
        partners = props.get("partners", [])
        if isinstance(partners, str):
            partners = [p.strip() for p in partners.split(",") if p.strip()]
        if not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
            problems.append(f"{label}: partners must be a list of names")
            continue
        places.append(
            {
                "name": name,
                "priority": priority,
                "description": str(props.get("description") or ""),
                "partners": partners,
                "approximate": bool(props.get("approximate", False)),
                "geometry": geometry,
            }
        )
    if problems:
        raise PlaceImportError(problems)
    return places


def places_to_geojson(places: list[dict]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": place["id"],
                "properties": {
                    "id": place["id"],
                    "name": place["name"],
                    "priority": place["priority"],
                    "description": place["description"],
                    "partners": place["partners"],
                    "approximate": place["approximate"],
                    "active": place.get("active", True),
                },
                "geometry": place["geometry"],
            }
            for place in places
        ],
    }
