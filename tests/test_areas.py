"""The area: the LPO boundary, the union of the districts marked as included (walkapp.areas)."""

from __future__ import annotations

from shapely.geometry import Point

from walkapp import areas, places_index
from walkapp.db import areas as areas_db
from walkapp.db import places as places_db
from walkapp.places import OUTSIDE_AREA, RELATIONS
from walkapp.settings import ROOT

SERGELS = Point(18.0649, 59.3326)
LIDINGO = Point(18.2000, 59.3600)  # eastern Lidingö, far from every place
UPPSALA = Point(17.6389, 59.8586)


def test_the_shipped_area_holds_central_stockholm_and_lidingo_not_uppsala(db):
    area = areas.boundary(db)
    assert area.contains(SERGELS) and area.contains(LIDINGO)
    assert not area.contains(UPPSALA)


def test_a_district_left_out_is_outside_the_area_and_the_place_index_notices(db):
    before = places_db.places_version(db)
    lidingo = next(d for d in areas_db.list_districts(db) if d["name"] == "Lidingö")
    areas_db.set_district_included(db, lidingo["id"], False)
    assert not areas.boundary(db).contains(LIDINGO)
    assert areas.boundary(db).contains(SERGELS)
    assert places_db.places_version(db) > before  # every worker rebuilds its index
    index = places_index.current_index(db, 50.0)
    _place, relation, _distance = index.assign_many([LIDINGO.x], [LIDINGO.y])
    assert relation.tolist() == [RELATIONS.index(OUTSIDE_AREA)]


def test_the_shipped_area_is_loaded_once(db):
    count = len(areas_db.list_districts(db))
    assert count == 18
    assert areas.load_shipped(db, ROOT / "geodata") == 0
    assert len(areas_db.list_districts(db)) == count
