"""walkapp import-places: refuses bad input with a message naming the feature, changes nothing."""

from __future__ import annotations

import json

import pytest

from walkapp.db import observations as obs_db
from walkapp.db import places as places_db

SQUARE = [[[18.06, 59.33], [18.07, 59.33], [18.07, 59.335], [18.06, 59.335], [18.06, 59.33]]]
BOWTIE = [[[18.06, 59.33], [18.07, 59.335], [18.07, 59.33], [18.06, 59.335], [18.06, 59.33]]]
SWEREF = [[[674000, 6580000], [675000, 6580000], [675000, 6581000], [674000, 6580000]]]


def feature(name, coordinates=SQUARE, kind="Polygon", **props):
    properties = {"name": name, **props} if name is not None else props
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def snapshot(db):
    return [
        (p["id"], p["name"], p["active"], json.dumps(p["geometry"]))
        for p in places_db.list_places(db, False)
    ]


BAD_INPUTS = {
    "not json": ("{not json", "not JSON"),
    "not a feature collection": (
        json.dumps({"type": "Feature"}),
        "not a GeoJSON FeatureCollection",
    ),
    "feature without a name": (
        collection(feature("Good"), feature(None)),
        "feature 1: has no name",
    ),
    "self-intersecting polygon": (
        collection(feature("Bowtie", BOWTIE)),
        "feature 0 ('Bowtie'): the polygon is invalid",
    ),
    "not WGS84": (collection(feature("Projected", SWEREF)), "feature 0 ('Projected'): coordinates"),
    "a point, not a polygon": (
        collection(feature("Good"), feature("Pin", [18.06, 59.33], kind="Point")),
        "feature 1 ('Pin'): the geometry must be a Polygon or MultiPolygon",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused_with_its_message_and_nothing_changes(runner, db, tmp_path, case):
    text, message = BAD_INPUTS[case]
    path = tmp_path / "places.geojson"
    path.write_text(text)
    before = snapshot(db)
    result = runner.invoke(args=["import-places", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Nothing was changed." in result.output
    assert snapshot(db) == before


def test_good_import_reassigns_existing_observations(app, runner, db, tmp_path):
    from walkapp.demo import create_demo

    create_demo(db, 50.0)
    before = {o["id"]: o["relation"] for o in obs_db.list_for_walk(db, _walk_id(db))}
    assert "inside" in before.values()
    # A single place far away (Lidingö): every demo observation is now outside all places.
    far = [[[18.20, 59.36], [18.21, 59.36], [18.21, 59.365], [18.20, 59.365], [18.20, 59.36]]]
    path = tmp_path / "places.geojson"
    path.write_text(collection(feature("Far away", far, priority=1, partners=["Lidingö stad"])))
    result = runner.invoke(args=["import-places", str(path)])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["created"] == 1 and counts["deactivated"] == 15
    after = obs_db.list_for_walk(db, _walk_id(db))
    assert {o["relation"] for o in after} == {"none"}
    assert all(o["place_id"] is None for o in after)
    assert [p["name"] for p in places_db.list_places(db)] == ["Far away"]


def test_export_then_import_round_trips(runner, db, tmp_path):
    exported = runner.invoke(args=["export-places"])
    assert exported.exit_code == 0
    data = json.loads(exported.output)
    assert len(data["features"]) == 15
    path = tmp_path / "out.geojson"
    path.write_text(exported.output)
    result = runner.invoke(args=["import-places", str(path)])
    counts = json.loads(result.output)
    assert counts["updated"] == 0 and counts["unchanged"] == 15 and counts["created"] == 0


def test_cli_warns_of_swapped_coordinates_and_counts_what_changed(runner, db, tmp_path):
    swapped = [[[59.33, 18.06], [59.34, 18.06], [59.34, 18.07], [59.33, 18.07], [59.33, 18.06]]]
    path = tmp_path / "places.geojson"
    path.write_text(collection(feature("Bytt plats", swapped), feature("Plattan", SQUARE)))
    result = runner.invoke(args=["import-places", "--upsert", str(path)])
    assert result.exit_code == 0, result.output
    assert "warning: 'Bytt plats' lies outside Sweden (59.33, 18.06)" in result.stderr
    assert "Plattan" not in result.stderr
    assert json.loads(result.stdout)["created"] == 2
    again = runner.invoke(args=["import-places", "--upsert", str(path)])
    counts = json.loads(again.stdout)
    assert counts["created"] == 0 and counts["updated"] == 0 and counts["unchanged"] == 2


def _walk_id(db):
    return db.execute("select id from walks").fetchone()[0]
