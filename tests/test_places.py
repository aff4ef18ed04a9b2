"""Place assignment rules (PRODUCT.md) on the shipped places and area."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import Polygon, shape

from walkapp import areas
from walkapp.places import (
    INSIDE,
    NEAR,
    NONE,
    OUTSIDE_AREA,
    RELATIONS,
    InvalidCoordinates,
    Place,
    PlaceIndex,
)
from walkapp.settings import ROOT

GEOD = Geod(ellps="GRS80")
SERGELS = (18.0649, 59.3326)
LIDINGO_OUTSIDE_PLACES = (18.1500, 59.3550)
UPPSALA = (17.6389, 59.8586)


def _features(name):
    return json.loads((ROOT / "geodata" / name).read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def shipped():
    places = [
        Place(i + 1, f["properties"]["name"], f["properties"]["priority"], shape(f["geometry"]))
        for i, f in enumerate(_features("places.geojson"))
    ]
    return PlaceIndex(places, areas.from_features(_features("area.geojson")))


def by_name(index, name):
    return next(p for p in index.places if p.name == name)


def east_of(place: Place, metres: float, lat: float | None = None) -> tuple[float, float]:
    """A point `metres` due east of the place's easternmost edge, at the given latitude."""
    minx, miny, maxx, maxy = place.geometry.bounds
    lat = (miny + maxy) / 2 if lat is None else lat
    lon, _, _ = GEOD.fwd(maxx, lat, 90, metres)
    return lon, lat


def test_point_in_sergels_torg_is_inside(shipped):
    result = shipped.assign(*SERGELS)
    assert result.relation == INSIDE
    assert shipped.names[result.place_id] == "Sergels torg / Plattan"
    assert result.distance_m == 0.0


def test_point_30m_outside_a_place_is_near_with_distance(shipped):
    place = by_name(shipped, "Humlegården")
    result = shipped.assign(*east_of(place, 30))
    assert result.relation == NEAR
    assert result.place_id == place.id
    assert 25 <= result.distance_m <= 35


def test_point_80m_outside_is_not_that_place(shipped):
    place = by_name(shipped, "Humlegården")
    result = shipped.assign(*east_of(place, 80))
    assert result.place_id != place.id


def test_point_on_lidingo_outside_every_place_is_none(shipped):
    result = shipped.assign(*LIDINGO_OUTSIDE_PLACES)
    assert result.relation == NONE
    assert result.place_id is None


def test_point_in_uppsala_is_outside_area(shipped):
    result = shipped.assign(*UPPSALA)
    assert result.relation == OUTSIDE_AREA
    assert result.place_id is None


def test_overlapping_places_go_to_the_higher_priority():
    square = Polygon([(18.0, 59.3), (18.01, 59.3), (18.01, 59.31), (18.0, 59.31)])
    small = Polygon([(18.004, 59.304), (18.006, 59.304), (18.006, 59.306), (18.004, 59.306)])
    index = PlaceIndex([Place(1, "big-high", 1, square), Place(2, "small-low", 2, small)])
    assert index.assign(18.005, 59.305).place_id == 1
    # Same priority: the smaller one wins.
    index = PlaceIndex([Place(1, "big", 2, square), Place(2, "small", 2, small)])
    assert index.assign(18.005, 59.305).place_id == 2


def test_shipped_overlap_sergels_over_brunkebergstorg(shipped):
    sergels = by_name(shipped, "Sergels torg / Plattan").geometry
    brunkebergstorg = by_name(shipped, "Brunkebergstorg").geometry
    overlap = sergels.intersection(brunkebergstorg)
    assert not overlap.is_empty
    point = overlap.representative_point()
    result = shipped.assign(point.x, point.y)
    assert shipped.names[result.place_id] == "Sergels torg / Plattan"


@pytest.mark.parametrize(
    "lon, lat, field",
    [
        (float("nan"), 59.3, "lon"),
        (18.0, float("inf"), "lat"),
        (181.0, 59.3, "lon"),
        (18.0, -90.5, "lat"),
        ("east", 59.3, "lon"),
        (18.0, None, "lat"),
    ],
)
def test_invalid_coordinates_raise_a_clear_error(shipped, lon, lat, field):
    with pytest.raises(InvalidCoordinates) as caught:
        shipped.assign(lon, lat)
    assert caught.value.field == field
    assert ("longitude" if field == "lon" else "latitude") in str(caught.value)


def test_near_distance_is_a_setting():
    square = Polygon([(18.0, 59.3), (18.01, 59.3), (18.01, 59.31), (18.0, 59.31)])
    place = Place(1, "square", 1, square)
    point = east_of(place, 70, lat=59.305)
    assert PlaceIndex([place], near_m=50).assign(*point).relation == NONE
    assert PlaceIndex([place], near_m=100).assign(*point).relation == NEAR


def test_bulk_assignment_equals_single_assignment(shipped):
    rng = np.random.default_rng(7)
    n = 100_000
    # Half spread over the area and beyond, half close to the places.
    lons = np.concatenate([rng.uniform(17.9, 18.25, n // 2), rng.uniform(18.05, 18.09, n // 2)])
    lats = np.concatenate([rng.uniform(59.29, 59.40, n // 2), rng.uniform(59.325, 59.345, n // 2)])
    place_idx, relation, distance = shipped.assign_many(lons, lats)
    assert len(set(relation.tolist())) == 4  # every relation occurs
    ids = shipped.place_ids(place_idx)
    for i in rng.choice(n, 2_000, replace=False):
        single = shipped.assign(lons[i], lats[i])
        assert single.relation == RELATIONS[relation[i]]
        assert single.place_id == ids[i]
        if single.distance_m is None:
            assert math.isnan(distance[i])
        else:
            assert single.distance_m == pytest.approx(distance[i], abs=0.06)


def test_a_place_far_away_changes_no_assignment_near_the_others(shipped):
    """The candidate grid spans every place: one in Kiruna (or one with swapped coordinates)
    makes its cells coarse, and points near the Stockholm places still get the same answer."""
    kiruna = Place(999, "Kiruna", 1, Polygon([(20.2, 67.85), (20.21, 67.85), (20.21, 67.86)]))
    area = areas.from_features(_features("area.geojson"))
    wide = PlaceIndex([*shipped.places, kiruna], area, shipped.near_m)
    assert wide._grid.cell > shipped._grid.cell
    rng = np.random.default_rng(11)
    lons, lats = rng.uniform(18.03, 18.16, 20_000), rng.uniform(59.32, 59.37, 20_000)
    for index_a, index_b in zip(shipped.assign_many(lons, lats), wide.assign_many(lons, lats)):
        np.testing.assert_array_equal(index_a, index_b)
    assert wide.assign(20.205, 67.852).place_id == 999
