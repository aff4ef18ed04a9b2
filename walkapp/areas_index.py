"""Which areas hold a point: every kind at once, vectorised (shapely 2, numpy). No Flask, no SQL.

Rules (docs/developers/architecture.md, "Areas"):

- Each kind but `free` gives a point at most one area; where polygons of one kind overlap (the
  simplified kommun shores do) the smallest wins. Free areas may overlap and all count.
- An area with parts holds a point when one of its parts does (LPO Norrmalm = three
  stadsdelsområden + Lidingö kommun; a stadsdelsområde = its stadsdelar; Stockholm kommun = its
  117 stadsdelar; a län = its kommuner). Parts are exact data and win over the area's own
  polygon, which counts only where no part decides (kinds resolve in KINDS order, parts first).
- A kind in SHORE_M whose polygons are rough (kommun, län) takes the nearest area within that
  many metres (SWEREF 99 TM) for a point in none: the water off a simplified shore.

Containment is tested in WGS84 degrees, as GeoJSON draws the polygons; a coarse grid of cells
decides whole cells at once so only points near a boundary meet an exact test.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .places import _TO_METRIC, to_metric

# Resolution order: an area's parts are of kinds earlier in this list.
KINDS = ("stadsdel", "stadsdelsomrade", "kommun", "lan", "lpo", "region")
FREE = "free"
ALL_KINDS = (*KINDS, FREE)
CODED = ("kommun", "lan")
SHORE_M = {"kommun": 1000.0, "lan": 1000.0}
CELL_DEG = (0.001, 0.0005)  # lon, lat: about 55 m square at Stockholm
MAX_CELLS = 4_000_000
MAX_KNOWN_CELLS = 1_000_000  # classified cells an index keeps (some 40 MB), then it starts anew
_GLOBAL_NX = int(np.ceil(360.0 / CELL_DEG[0])) + 1


@dataclass(frozen=True)
class Area:
    id: int
    kind: str
    name: str
    code: str | None = None
    geometry: BaseGeometry | None = None  # WGS84 lon/lat
    parts: tuple[int, ...] = field(default=())  # ids of other areas


@dataclass
class Resolution:
    """Per point: `by_kind[:, k]` the index into AreaIndex.areas of its KINDS[k] area, or -1;
    `free` the (point, area index) pairs of free areas."""

    by_kind: np.ndarray
    free: tuple[np.ndarray, np.ndarray]


class AreaIndex:
    """Areas with their polygons prepared once; rebuilt when the areas change."""

    def __init__(self, areas: Sequence[Area]):
        self.areas = list(areas)
        self.ids = np.array([a.id for a in self.areas], dtype=np.int64)
        self.kinds = [a.kind for a in self.areas]
        position = {a.id: i for i, a in enumerate(self.areas)}
        drawn = [i for i, a in enumerate(self.areas) if a.geometry is not None]
        self._drawn = np.array(drawn, dtype=np.int64)
        self._polygons = np.array([self.areas[i].geometry for i in drawn], dtype=object)
        for polygon in self._polygons:
            shapely.prepare(polygon)
        kind_no = {kind: k for k, kind in enumerate(ALL_KINDS)}
        self._poly_kind = np.array([kind_no[self.areas[i].kind] for i in drawn], dtype=np.int64)
        # Rank 0 wins within a kind: the smallest polygon (degrees² only order, never measure).
        sizes = shapely.area(self._polygons) if drawn else np.zeros(0)
        order = np.lexsort((sizes, self._poly_kind)) if drawn else np.zeros(0, dtype=np.int64)
        self._rank = np.empty(len(drawn), dtype=np.int64)
        self._rank[order] = np.arange(len(drawn))
        self._by_rank = order
        self._tree = shapely.STRtree(self._polygons)
        self._bounds = shapely.total_bounds(self._polygons) if drawn else None
        # For each kind K: part area index -> whole area index of kind K (last slot: "none").
        self._wholes: dict[int, list[tuple[int, np.ndarray]]] = {}
        for i, area in enumerate(self.areas):
            for part_id in area.parts:
                j = position.get(part_id)
                if j is None or self.kinds[j] not in KINDS:
                    continue
                whole_k, part_k = KINDS.index(area.kind), KINDS.index(self.kinds[j])
                tables = self._wholes.setdefault(whole_k, [])
                table = next((t for k, t in tables if k == part_k), None)
                if table is None:
                    table = np.full(len(self.areas) + 1, -1, dtype=np.int32)
                    tables.append((part_k, table))
                if table[j] < 0:
                    table[j] = i
        self._shore: dict[int, tuple[np.ndarray, shapely.STRtree]] = {}
        self._cells = _Cells.empty(len(ALL_KINDS), len(drawn))

    def resolve(self, lons, lats) -> Resolution:
        x = np.asarray(lons, dtype=float).reshape(-1)
        y = np.asarray(lats, dtype=float).reshape(-1)
        n = x.size
        drawn, free = self._contained(x, y)
        by_kind = np.full((len(KINDS), n), -1, dtype=np.int32)
        for k, kind in enumerate(KINDS):
            column = drawn.get(k)
            for part_k, table in self._wholes.get(k, []):
                derived = table[by_kind[part_k]]
                column = derived if column is None else np.where(derived >= 0, derived, column)
            if column is None:
                continue
            if kind in SHORE_M and n:
                missing = np.flatnonzero(column < 0)
                if missing.size:
                    column[missing] = self._nearest(k, x[missing], y[missing], SHORE_M[kind])
            by_kind[k] = column
        return Resolution(by_kind, free)

    def rows(self, observation_ids: Sequence[str], resolution: Resolution) -> list[tuple]:
        """Per point: (the area id of each of KINDS or None, the free areas' ids as a JSON list
        or None, observation id), as walkapp.db.areas stores them."""
        ids = np.append(self.ids, -1)
        columns = [
            [None if value < 0 else value for value in ids[column].tolist()]
            for column in resolution.by_kind
        ]
        free: list = [None] * len(observation_ids)
        points, areas = resolution.free
        for point, area in zip(points.tolist(), self.ids[areas].tolist()):
            free[point] = [*(free[point] or []), area]
        free = [None if f is None else json.dumps(sorted(f)) for f in free]
        return list(zip(*columns, free, observation_ids))

    def names(self, lon: float, lat: float) -> dict[str, list[str]]:
        """The areas holding one point by kind, as names (the `walkapp areas resolve` answer)."""
        resolution = self.resolve([lon], [lat])
        found: dict[str, list[str]] = {}
        for k, kind in enumerate(KINDS):
            if (i := resolution.by_kind[k, 0]) >= 0:
                found[kind] = [self.areas[i].name]
        for i in resolution.free[1].tolist():
            found.setdefault(FREE, []).append(self.areas[i].name)
        return found

    def _contained(self, x: np.ndarray, y: np.ndarray) -> tuple[dict[int, np.ndarray], tuple]:
        """For each kind with polygons, the best one's area index per point (-1: none), and
        the free (point, area index) pairs; whole grid cells decided at once."""
        n = x.size
        free_k = len(ALL_KINDS) - 1
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        kinds = sorted(set(self._poly_kind.tolist()) - {free_k})
        if n == 0 or self._bounds is None:
            return {k: np.full(n, -1, dtype=np.int32) for k in kinds}, empty
        lookup = np.append(self._drawn[self._by_rank], -1).astype(np.int32)
        x0, y0, x1, y1 = self._bounds
        inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
        within = None if inside.all() else np.flatnonzero(inside)
        px, py = (x, y) if within is None else (x[within], y[within])
        none = len(self._drawn)  # the rank that means "no polygon"
        ranks = {k: np.full(n, none, dtype=np.int32) for k in kinds} if within is not None else {}
        free_points, free_polys = [], []
        if px.size:
            used, cell = _cells(px, py)
            cells = self._cells_known(used)
            rows = np.searchsorted(cells.ids, used)
            point_row = rows[cell]
            for k in kinds:
                column = cells.best[k][point_row]
                if within is None:
                    ranks[k] = column
                else:
                    ranks[k][within] = column
            pts, polys = self._hits(cells, rows, cell, px, py)
            if within is not None:
                pts = within[pts]
            poly_kind = self._poly_kind[polys]
            free_points.append(pts[poly_kind == free_k])
            free_polys.append(polys[poly_kind == free_k])
            for k in kinds:
                of_k = poly_kind == k
                if of_k.any():
                    _lower(ranks[k], pts[of_k], self._rank[polys[of_k]])
        free = empty
        if free_points and sum(f.size for f in free_points):
            pairs = np.column_stack([np.concatenate(free_points), np.concatenate(free_polys)])
            pairs = np.unique(pairs, axis=0)
            free = (pairs[:, 0], self._drawn[pairs[:, 1]])
        return {k: lookup[ranks[k]] for k in kinds}, free

    def _hits(self, cells: _Cells, rows: np.ndarray, cell: np.ndarray, x, y) -> tuple:
        """(point, polygon) for each polygon of a point's cell left to test that holds it, and
        each free area holding the whole cell; rows: the used cells' rows in `cells`."""
        sizes = cells.start[rows + 1] - cells.start[rows]
        total = int(sizes.sum())
        if not total:
            nothing = np.zeros(0, dtype=np.int64)
            return nothing, nothing
        first = np.repeat(cells.start[rows], sizes)
        pair = first + np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        pair_cells = np.repeat(np.arange(rows.size), sizes)
        pts, chosen = _expand(cell, pair_cells, pair, rows.size)
        polys, test = cells.poly[chosen], cells.test[chosen]
        hit = np.ones(pts.size, dtype=bool)
        hit[test] = shapely.contains_xy(self._polygons[polys[test]], x[pts[test]], y[pts[test]])
        return pts[hit], polys[hit]

    def _cells_known(self, used: np.ndarray) -> _Cells:
        """The classification of the grid cells `used` (sorted ids): those met before are kept,
        so an index that lives in a worker classifies each cell once."""
        cells = self._cells
        pos = np.minimum(np.searchsorted(cells.ids, used), max(cells.ids.size - 1, 0))
        known = cells.ids[pos] == used if cells.ids.size else np.zeros(used.size, dtype=bool)
        if known.all():
            return cells
        if cells.ids.size > MAX_KNOWN_CELLS:
            cells = _Cells.empty(len(ALL_KINDS), len(self._drawn))
            known[:] = False
        cells = cells.merged(self._classify(used[~known]))
        self._cells = cells
        return cells

    def _classify(self, ids: np.ndarray) -> _Cells:
        """Per cell and kind, the best polygon holding the whole cell (its rank), and the pairs
        left to test point by point: polygons that cut the cell and could beat that winner,
        and free areas (all count; tested unless they hold the whole cell)."""
        free_k = len(ALL_KINDS) - 1
        none = len(self._drawn)
        cw, ch = CELL_DEG
        bx = (ids % _GLOBAL_NX) * cw - 180.0
        by = (ids // _GLOBAL_NX) * ch - 90.0
        boxes = shapely.box(bx, by, bx + cw, by + ch)
        c, p = self._tree.query(boxes, predicate="intersects")
        full = shapely.contains(self._polygons[p], boxes[c])
        kind, rank = self._poly_kind[p], self._rank[p]
        best = np.full((len(ALL_KINDS), ids.size), none, dtype=np.int32)
        exclusive = full & (kind != free_k)
        np.minimum.at(best, (kind[exclusive], c[exclusive]), rank[exclusive])
        exact = ~full & ((kind == free_k) | (rank < best[kind, c]))
        keep = exact | (full & (kind == free_k))
        return _Cells.of(ids, best, c[keep], p[keep], exact[keep])

    def _nearest(self, k: int, x: np.ndarray, y: np.ndarray, max_m: float) -> np.ndarray:
        """The nearest area of KINDS[k] within max_m metres of each point, or -1."""
        if k not in self._shore:
            members = np.flatnonzero(self._poly_kind == ALL_KINDS.index(KINDS[k]))
            metric = np.array([to_metric(g) for g in self._polygons[members]], dtype=object)
            self._shore[k] = (self._drawn[members], shapely.STRtree(metric))
        members, tree = self._shore[k]
        found = np.full(x.size, -1, dtype=np.int32)
        if not members.size:
            return found
        mx, my = _TO_METRIC.transform(x, y)
        points = shapely.points(np.asarray(mx), np.asarray(my))
        point_i, area_i = tree.query_nearest(points, max_distance=max_m)
        found[point_i] = members[area_i]
        return found


@dataclass(frozen=True)
class _Cells:
    """Classified grid cells: sorted ids, best rank per kind and cell, and the pairs to test
    (polygon `poly` for the cell at row r in start[r]:start[r + 1], `test` False: holds it)."""

    ids: np.ndarray
    best: np.ndarray
    start: np.ndarray
    poly: np.ndarray
    test: np.ndarray

    @classmethod
    def empty(cls, n_kinds: int, none: int) -> _Cells:
        nothing = np.zeros(0, dtype=np.int64)
        best = np.full((n_kinds, 0), none, dtype=np.int32)
        return cls(nothing, best, np.zeros(1, dtype=np.int64), nothing, np.zeros(0, dtype=bool))

    @classmethod
    def of(cls, ids, best, pair_rows, poly, test) -> _Cells:
        order = np.argsort(pair_rows, kind="stable")
        start = np.concatenate([[0], np.cumsum(np.bincount(pair_rows, minlength=ids.size))])
        return cls(ids, best, start.astype(np.int64), poly[order], test[order])

    def merged(self, other: _Cells) -> _Cells:
        ids = np.concatenate([self.ids, other.ids])
        order = np.argsort(ids, kind="stable")
        row_of = np.empty(ids.size, dtype=np.int64)
        row_of[order] = np.arange(ids.size)
        pair_rows = np.concatenate(
            [
                np.repeat(np.arange(self.ids.size), np.diff(self.start)),
                self.ids.size + np.repeat(np.arange(other.ids.size), np.diff(other.start)),
            ]
        )
        return _Cells.of(
            ids[order],
            np.concatenate([self.best, other.best], axis=1)[:, order],
            row_of[pair_rows],
            np.concatenate([self.poly, other.poly]),
            np.concatenate([self.test, other.test]),
        )


def _cells(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The global grid cells holding the points (sorted ids) and each point's among them."""
    cw, ch = CELL_DEG
    # Truncation is flooring here: both are positive.
    gx = ((x + 180.0) * (1.0 / cw)).astype(np.int64)
    gy = ((y + 90.0) * (1.0 / ch)).astype(np.int64)
    gx0, gy0 = gx.min(), gy.min()
    nx, ny = int(gx.max() - gx0) + 1, int(gy.max() - gy0) + 1
    if nx * ny > MAX_CELLS:  # points spread far apart: sort rather than count
        used, inverse = np.unique(gy * _GLOBAL_NX + gx, return_inverse=True)
        return used, inverse.reshape(-1)
    flat = (gy - gy0) * nx + (gx - gx0)
    local = np.flatnonzero(np.bincount(flat, minlength=nx * ny))
    number = np.full(nx * ny, -1, dtype=np.int64)
    number[local] = np.arange(local.size)
    used = (local // nx + gy0) * _GLOBAL_NX + (local % nx + gx0)
    return used, number[flat]


def _lower(ranks: np.ndarray, points: np.ndarray, values: np.ndarray) -> None:
    """ranks[points] = min(ranks[points], values), for repeated points too. A test hit always
    beats its cell's winner, so a point hit once just takes the value (np.minimum.at is slow)."""
    once = np.bincount(points, minlength=ranks.size)[points] == 1
    ranks[points[once]] = values[once]
    np.minimum.at(ranks, points[~once], values[~once])


def _expand(cell: np.ndarray, pair_cells: np.ndarray, pair_polys: np.ndarray, n_cells: int):
    """Every (point, polygon) for (cell, polygon) pairs: the points of each pair's cell."""
    needed = np.zeros(n_cells, dtype=bool)
    needed[pair_cells] = True
    sub = np.flatnonzero(needed[cell])
    order = sub[np.argsort(cell[sub], kind="stable")]
    counts = np.bincount(cell[sub], minlength=n_cells)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sizes = counts[pair_cells]
    total = int(sizes.sum())
    pair_of = np.repeat(np.arange(pair_cells.size), sizes)
    offset = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    points = order[starts[pair_cells][pair_of] + offset]
    return points, pair_polys[pair_of]
