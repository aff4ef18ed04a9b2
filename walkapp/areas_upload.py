"""Area files in: a GeoJSON FeatureCollection (WGS84) of polygons, checked into area rows.
Pure (no Flask, no SQL); walkapp.areas stores them. The legacy `crs` member some files still
carry (RFC 7946 dropped it) is ignored: coordinates are read as WGS84 longitude/latitude."""

from __future__ import annotations

import json

import shapely
from shapely.geometry import shape

from .areas_index import ALL_KINDS

# A code's digits by kind: kommun 0180, län 01 (a number in the file gets its leading zeros).
CODE_DIGITS = {"kommun": 4, "lan": 2}


class AreaImportError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def check_kind(kind: str) -> None:
    if kind not in ALL_KINDS:
        raise AreaImportError([f"unknown kind {kind!r}: use one of {', '.join(ALL_KINDS)}"])


def _code(kind: str, raw) -> str | None:
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    digits = CODE_DIGITS.get(kind)
    if digits and text.isdigit():
        text = text.zfill(digits)
    return text


def parse_areas(
    data: bytes,
    kind: str,
    name_property: str,
    code_property: str | None = None,
    title_case: bool = False,
    approximate: bool = False,
    source: str = "",
    check_geometry: bool = True,
) -> list[tuple]:
    """Rows (kind, name, code, approximate, source, geometry text) or AreaImportError naming
    each bad feature by its number (1 = the first). `check_geometry` False: the shipped files,
    checked by a test, so a fresh process need not validate a megabyte of polygons."""
    check_kind(kind)
    try:
        collection = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise AreaImportError([f"not JSON: {error}"]) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise AreaImportError(["the file is not a GeoJSON FeatureCollection"])
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise AreaImportError(["the FeatureCollection has no features"])
    problems: list[str] = []
    rows: list[tuple] = []
    names: set[str] = set()
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        name = properties.get(name_property)
        if name is None or not str(name).strip():
            problems.append(f"feature {number}: no property {name_property!r} (the name)")
            continue
        name = str(name).strip()
        name = name.title() if title_case else name
        code = None
        if code_property:
            code = _code(kind, properties.get(code_property))
            if code is None:
                problems.append(
                    f"feature {number} ({name}): no property {code_property!r} (the code)"
                )
                continue
            if kind in CODE_DIGITS and not (code.isdigit() and len(code) == CODE_DIGITS[kind]):
                problems.append(
                    f"feature {number} ({name}): a {kind} code has {CODE_DIGITS[kind]} digits, got {code!r}"
                )
                continue
        problem = _geometry_problem(feature.get("geometry")) if check_geometry else None
        if problem:
            problems.append(f"feature {number} ({name}): {problem}")
            continue
        if name in names:
            problems.append(f"feature {number}: the name {name!r} is used twice")
            continue
        names.add(name)
        geometry = json.dumps(feature["geometry"], separators=(",", ":"))
        rows.append((kind, name, code, int(approximate), source, geometry))
    if problems:
        raise AreaImportError(problems)
    return rows


def _geometry_problem(geometry) -> str | None:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "the geometry must be a Polygon or MultiPolygon"
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return "the geometry's coordinates are not a polygon"
    if polygon.is_empty:
        return "the geometry is empty"
    xmin, ymin, xmax, ymax = polygon.bounds
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        return "the coordinates are not WGS84 longitude/latitude"
    if not shapely.is_valid(polygon):
        return f"the geometry is not valid ({shapely.is_valid_reason(polygon)})"
    return None
