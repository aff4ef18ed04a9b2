"""Validate a GeoJSON FeatureCollection of places before anything is stored, warn about what
looks wrong but may be meant (points outside Sweden), and tell what an import would change.
No Flask, no SQL.

Problems and warnings are lazy translations (Swedish source): the admin screen shows them in the
reader's language; `walkapp import-places` prints them in English."""

from __future__ import annotations

import math

import shapely
from flask_babel import lazy_gettext as _l
from shapely.geometry import shape
from shapely.validation import explain_validity

from .inputs import NotJson, Unreadable, parse_json

# Sweden's extent in WGS84 (Smygehuk to Treriksröset, Koster to Haparanda), with a margin: a
# place outside it is most likely longitude and latitude swapped (Stockholm's lands off Somalia).
SWEDEN_BOUNDS = (10.5, 55.0, 24.5, 69.5)  # west, south, east, north


class PlaceImportError(ValueError):
    """Every problem found, each naming the feature (index and name)."""

    def __init__(self, problems: list):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _feature_label(index: int, name) -> object:
    if isinstance(name, str) and name:
        return _l("objekt %(index)s (”%(name)s”)", index=index, name=name[:80])
    return _l("objekt %(index)s", index=index)


def _problem(label, problem) -> object:
    return _l("%(feature)s: %(problem)s", feature=label, problem=problem)


def _coordinates(geometry: dict):
    stack = [geometry.get("coordinates")]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)) and item and not isinstance(item[0], (list, tuple)):
            yield item
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))  # popped in the file's order


def _check_wgs84(geometry: dict) -> object | None:
    for position in _coordinates(geometry):
        if len(position) < 2 or not all(isinstance(v, (int, float)) for v in position[:2]):
            return _l("en koordinat är inte ett par tal")
        lon, lat = position[0], position[1]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return _l("en koordinat är inte ett ändligt tal")
        if abs(lon) > 180 or abs(lat) > 90:
            return _l(
                "koordinaterna (%(lon)s, %(lat)s) är inte longitud/latitud i WGS84"
                " (projicerade koordinater? Exportera som EPSG:4326)",
                lon=lon,
                lat=lat,
            )
    return None


def parse_places(text: str | bytes) -> list[dict]:
    """Parse and validate; return places as dicts or raise PlaceImportError."""
    try:
        data = parse_json(text)
    except NotJson as exc:
        raise PlaceImportError(
            [_l("filen är inte JSON: %(detail)s", detail=str(exc.detail)[:200])]
        ) from None
    except Unreadable as exc:
        raise PlaceImportError(
            [
                _l(
                    "filen är för djupt nästlad eller har ogiltig Unicode (nära %(field)s)",
                    field=repr(exc.field)[:80],
                )
            ]
        ) from None
    return validate_places(data)


def validate_places(data) -> list[dict]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise PlaceImportError([_l("filen är inte en GeoJSON FeatureCollection")])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise PlaceImportError([_l("FeatureCollection har inga objekt (features)")])
    problems: list = []
    places: list[dict] = []
    seen: set[str] = set()
    for index, feature in enumerate(features):
        props = (feature or {}).get("properties") or {} if isinstance(feature, dict) else {}
        name = props.get("name")
        label = _feature_label(index, name)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(_problem(label, _l("är inte ett GeoJSON Feature")))
            continue
        if not isinstance(name, str) or not name.strip():
            problems.append(_problem(label, _l("saknar namn (name)")))
            continue
        name = name.strip()
        if name in seen:
            problems.append(
                _problem(label, _l("namnet ”%(name)s” används två gånger", name=name[:80]))
            )
            continue
        seen.add(name)
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            problems.append(_problem(label, _l("geometrin ska vara Polygon eller MultiPolygon")))
            continue
        wgs84_problem = _check_wgs84(geometry)
        if wgs84_problem:
            problems.append(_problem(label, wgs84_problem))
            continue
        try:
            geom = shape(geometry)
        except Exception as exc:  # shapely raises several types for malformed rings
            problems.append(
                _problem(label, _l("polygonen är trasig (%(detail)s)", detail=str(exc)[:200]))
            )
            continue
        if geom.is_empty or not shapely.is_valid(geom):
            problems.append(
                _problem(
                    label,
                    _l("polygonen är ogiltig (%(detail)s)", detail=explain_validity(geom)[:200]),
                )
            )
            continue
        priority = props.get("priority", 3)
        if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
            problems.append(_problem(label, _l("priority ska vara ett heltal, 1 eller mer")))
            continue
        partners = props.get("partners", [])
        if isinstance(partners, str):
            partners = [p.strip() for p in partners.split(",") if p.strip()]
        if not isinstance(partners, list) or not all(isinstance(p, str) for p in partners):
            problems.append(_problem(label, _l("partners ska vara en lista med namn")))
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


def _outside(lon: float, lat: float) -> bool:
    west, south, east, north = SWEDEN_BOUNDS
    return not (west <= lon <= east and south <= lat <= north)


def warnings(places: list[dict]) -> list:
    """What looks wrong in valid places but may be meant: points outside Sweden (most often
    longitude and latitude swapped). Shown before anything is stored; nothing is refused."""
    found = []
    for place in places:
        points = [(p[0], p[1]) for p in _coordinates(place["geometry"])]
        outside = [point for point in points if _outside(*point)]
        if not outside:
            continue
        lon, lat = outside[0]
        if all(not _outside(lat, lon) for lon, lat in outside):
            found.append(
                _l(
                    "”%(name)s” ligger utanför Sverige (%(lon)s, %(lat)s): longitud och latitud"
                    " verkar ha bytt plats. GeoJSON skriver longitud först.",
                    name=place["name"][:80],
                    lon=lon,
                    lat=lat,
                )
            )
        else:
            found.append(
                _l(
                    "”%(name)s” har %(n)s av %(total)s punkter utanför Sverige, t.ex."
                    " (%(lon)s, %(lat)s). Kontrollera koordinaterna.",
                    name=place["name"][:80],
                    n=len(outside),
                    total=len(points),
                    lon=lon,
                    lat=lat,
                )
            )
    return found


def _same_geometry(a: dict, b: dict) -> bool:
    if a == b:
        return True
    try:
        return bool(shape(a).equals(shape(b)))
    except Exception:  # a stored geometry shapely cannot read is not the same as a valid one
        return False


def _changed(place: dict, stored: dict) -> bool:
    return (
        place["priority"] != stored["priority"]
        or (place.get("description") or "") != (stored.get("description") or "")
        or list(place["partners"]) != list(stored["partners"])
        or bool(place.get("approximate")) != bool(stored.get("approximate"))
        or not stored.get("active", True)
        or not _same_geometry(place["geometry"], stored["geometry"])
    )


def compare(places: list[dict], stored: list[dict], replace: bool) -> dict[str, list[str]]:
    """What importing `places` over the `stored` ones would do, by name: new, updated (the
    geometry, priority, description, partners or approximate flag differ, or the place comes
    back from inactive), unchanged, and deactivated (with replace: active ones not in the file)."""
    by_name = {place["name"]: place for place in stored}
    incoming = {place["name"] for place in places}
    result: dict[str, list[str]] = {"new": [], "updated": [], "unchanged": [], "deactivated": []}
    for place in places:
        known = by_name.get(place["name"])
        if known is None:
            result["new"].append(place["name"])
        elif _changed(place, known):
            result["updated"].append(place["name"])
        else:
            result["unchanged"].append(place["name"])
    if replace:
        result["deactivated"] = [
            place["name"]
            for place in stored
            if place["name"] not in incoming and place.get("active", True)
        ]
    return {key: sorted(names) for key, names in result.items()}


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
