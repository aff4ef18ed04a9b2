"""Place assignment: which prioritised place an observation belongs to.

Pure geometry (shapely 2 + pyproj), no Flask, no SQL. Distances are computed in
SWEREF 99 TM (EPSG:3006), never in degrees. See PRODUCT.md, "Place assignment rules".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

METRIC_CRS = "EPSG:3006"
INSIDE, NEAR, NONE, OUTSIDE_AREA = "inside", "near", "none", "outside_area"
RELATIONS = (INSIDE, NEAR, NONE, OUTSIDE_AREA)
DEFAULT_NEAR_M = 50.0

_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


class InvalidCoordinates(ValueError):
    """A position that is not a valid WGS84 longitude/latitude."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    priority: int
    geometry: BaseGeometry  # WGS84 lon/lat


@dataclass(frozen=True)
class Assignment:
    place_id: int | None
    relation: str
    distance_m: float | None

    def as_dict(self, names: dict[int, str] | None = None) -> dict:
        place = None
        if self.place_id is not None:
            place = {"id": self.place_id, "name": (names or {}).get(self.place_id)}
        return {"place": place, "relation": self.relation, "distance_m": self.distance_m}


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1]))
    )


def check_coordinates(lons: np.ndarray, lats: np.ndarray) -> None:
    """Raise InvalidCoordinates naming the first bad value's field."""
    for field, values, limit in (("lon", lons, 180.0), ("lat", lats, 90.0)):
        bad = ~np.isfinite(values) | (np.abs(values) > limit)
        if bad.any():
            index = int(np.argmax(bad))
            word = "longitude" if field == "lon" else "latitude"
            raise InvalidCoordinates(
                field,
                f"{word} must be a number between -{limit:g} and {limit:g}, got {float(values[index])!r}",
            )


def _as_float_array(values, field: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        word = "longitude" if field == "lon" else "latitude"
        raise InvalidCoordinates(field, f"{word} must be a number") from None
    if array.ndim == 0:
        array = array.reshape(1)
    return array


class PlaceIndex:
    """Places and area projected once, with an STRtree; rebuild when places change."""

    def __init__(
        self,
        places: Sequence[Place],
        area: BaseGeometry | None = None,
        near_m: float = DEFAULT_NEAR_M,
    ):
        self.places = list(places)
        self.near_m = float(near_m)
        self.ids = np.array([p.id for p in self.places], dtype=np.int64)
        self.names = {p.id: p.name for p in self.places}
        metric = [to_metric(p.geometry) for p in self.places]
        self._polygons = np.array(metric, dtype=object)
        areas = np.array([g.area for g in metric], dtype=float)
        priorities = np.array([p.priority for p in self.places], dtype=float)
        # Rank 0 = wins: highest priority (lowest number), then the smallest polygon.
        order = np.lexsort((areas, priorities)) if len(self.places) else np.array([], dtype=int)
        self._rank = np.empty(len(self.places), dtype=np.int64)
        self._rank[order] = np.arange(len(self.places))
        self._by_rank = order
        self._tree = shapely.STRtree(self._polygons)
        for polygon in self._polygons:
            shapely.prepare(polygon)
        self._grid = _CandidateGrid(self._polygons, self.near_m) if len(self.places) else None
        self._area = None
        if area is not None:
            self._area = to_metric(area)
            shapely.prepare(self._area)

    def assign(self, lon: float, lat: float) -> Assignment:
        place_idx, relation, distance = self.assign_many([lon], [lat])
        place_id = None if place_idx[0] < 0 else int(self.ids[place_idx[0]])
        dist = None if np.isnan(distance[0]) else round(float(distance[0]), 1)
        return Assignment(place_id, RELATIONS[relation[0]], dist)

    def assign_many(self, lons, lats) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised assignment.

        Returns (place index into self.places or -1, relation code into RELATIONS,
        distance in metres or NaN). Use `place_ids()` to turn indexes into ids.
        """
        lons = _as_float_array(lons, "lon")
        lats = _as_float_array(lats, "lat")
        if lons.shape != lats.shape:
            raise ValueError("lons and lats must have the same length")
        check_coordinates(lons, lats)
        n = lons.size
        x, y = _TO_METRIC.transform(lons, lats)
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        place_idx = np.full(n, -1, dtype=np.int64)
        relation = np.full(n, RELATIONS.index(NONE), dtype=np.int8)
        distance = np.full(n, np.nan)
        if n == 0:
            return place_idx, relation, distance

        if self._grid is not None:
            # Only points in grid cells near some place need shapely geometries.
            candidates = np.flatnonzero(self._grid.may_be_near(x, y))
            if candidates.size:
                found = self._match(shapely.points(x[candidates], y[candidates]))
                place_idx[candidates], relation[candidates], distance[candidates] = found
        if self._area is not None:
            rest = np.flatnonzero(place_idx < 0)
            if rest.size:
                in_area = shapely.contains_xy(self._area, x[rest], y[rest])
                relation[rest[~in_area]] = RELATIONS.index(OUTSIDE_AREA)
        return place_idx, relation, distance

    def _match(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Inside (winner by rank) or near (nearest, ties by rank) for metric points."""
        n = points.size
        place_idx = np.full(n, -1, dtype=np.int64)
        relation = np.full(n, RELATIONS.index(NONE), dtype=np.int8)
        distance = np.full(n, np.nan)
        no_rank = np.iinfo(np.int64).max
        hit_point, hit_poly = self._tree.query(points, predicate="intersects")
        if hit_point.size:
            best_rank = np.full(n, no_rank)
            np.minimum.at(best_rank, hit_point, self._rank[hit_poly])
            inside = best_rank < no_rank
            place_idx[inside] = self._by_rank[best_rank[inside]]
            relation[inside] = RELATIONS.index(INSIDE)
            distance[inside] = 0.0
        outside = np.flatnonzero(place_idx < 0)
        if outside.size and self.near_m > 0:
            near_point, near_poly = self._tree.query(
                points[outside], predicate="dwithin", distance=self.near_m
            )
            if near_point.size:
                dists = shapely.distance(points[outside[near_point]], self._polygons[near_poly])
                order = np.lexsort((self._rank[near_poly], dists, near_point))
                first = np.ones(order.size, dtype=bool)
                first[1:] = near_point[order][1:] != near_point[order][:-1]
                chosen = order[first]
                targets = outside[near_point[chosen]]
                place_idx[targets] = near_poly[chosen]
                relation[targets] = RELATIONS.index(NEAR)
                distance[targets] = dists[chosen]
        return place_idx, relation, distance

    def place_ids(self, place_idx: np.ndarray) -> list[int | None]:
        return [None if i < 0 else int(self.ids[i]) for i in place_idx]


class _CandidateGrid:
    """A coarse raster of cells that lie within near_m of some place.

    Points outside every marked cell cannot be inside or near a place, so the exact
    (and costlier) shapely tests run only on the few points in marked cells.
    """

    MAX_CELLS = 4_000_000

    def __init__(self, polygons: np.ndarray, near_m: float, cell_m: float = 100.0):
        xmin, ymin, xmax, ymax = shapely.total_bounds(polygons)
        pad = near_m + 1.0
        self.x0, self.y0 = xmin - pad, ymin - pad
        width, height = xmax - xmin + 2 * pad, ymax - ymin + 2 * pad
        cell_m = max(cell_m, float(np.sqrt(width * height / self.MAX_CELLS)))
        self.cell = cell_m
        self.nx, self.ny = int(np.ceil(width / cell_m)), int(np.ceil(height / cell_m))
        # Only cells under a place's padded bounds can be near it: test those, not the whole
        # extent (places far apart, or one with swapped coordinates, span millions of cells).
        candidates = np.unique(
            np.concatenate([self._cells_under(bounds, pad) for bounds in shapely.bounds(polygons)])
        )
        x0s = self.x0 + (candidates % self.nx) * cell_m
        y0s = self.y0 + (candidates // self.nx) * cell_m
        boxes = shapely.box(x0s, y0s, x0s + cell_m, y0s + cell_m)
        cells, _ = shapely.STRtree(polygons).query(boxes, predicate="dwithin", distance=pad)
        self.mask = np.zeros(self.nx * self.ny, dtype=bool)
        self.mask[candidates[cells]] = True

    def _cells_under(self, bounds: np.ndarray, pad: float) -> np.ndarray:
        """Flat indexes of the cells a polygon's bounds, padded, overlap."""
        xmin, ymin, xmax, ymax = bounds
        ix = np.arange(
            max(int((xmin - pad - self.x0) // self.cell), 0),
            min(int((xmax + pad - self.x0) // self.cell) + 1, self.nx),
        )
        iy = np.arange(
            max(int((ymin - pad - self.y0) // self.cell), 0),
            min(int((ymax + pad - self.y0) // self.cell) + 1, self.ny),
        )
        return (iy[:, None] * self.nx + ix[None, :]).ravel()

    def may_be_near(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ix = np.floor((x - self.x0) / self.cell)
        iy = np.floor((y - self.y0) / self.cell)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        flat = np.where(inside, iy * self.nx + ix, 0).astype(np.int64)
        return inside & self.mask[flat]


def metric_xy(points: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat points in metres (SWEREF 99 TM), as x and y arrays."""
    lons = np.array([p[0] for p in points], dtype=float)
    lats = np.array([p[1] for p in points], dtype=float)
    x, y = _TO_METRIC.transform(lons, lats)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def metres_between(
    origin: tuple[float, float], points: Sequence[tuple[float, float]]
) -> np.ndarray:
    """Distances in metres (SWEREF 99 TM) from one lon/lat to each of several."""
    if not len(points):
        return np.zeros(0)
    lons = np.array([origin[0], *(p[0] for p in points)], dtype=float)
    lats = np.array([origin[1], *(p[1] for p in points)], dtype=float)
    x, y = _TO_METRIC.transform(lons, lats)
    return np.hypot(x[1:] - x[0], y[1:] - y[0])
