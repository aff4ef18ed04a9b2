"""The area: the LPO boundary, the union of the districts marked as included (walkapp.areas)."""

from __future__ import annotations

import numpy as np
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


# Areas of every kind: the shipped boundaries, the resolve rules, the import command, exports.

import json  # noqa: E402

import pytest  # noqa: E402

from tests.helpers import join, observation, post_observation  # noqa: E402
from walkapp import areas as areas_module  # noqa: E402
from walkapp.areas_index import KINDS  # noqa: E402
from walkapp.areas_upload import AreaImportError, parse_areas  # noqa: E402
from walkapp.db import transaction  # noqa: E402

SERGELS_TORG = (18.0649, 59.3326)
LARSBERG = (18.1430, 59.3437)  # Larsberg centrum, southern Lidingö
LILLA_VARTAN_WEST = (18.1180, 59.3500)  # water inside Stockholm's stadsdel Ladugårdsgärdet
LILLA_VARTAN_EAST = (18.1260, 59.3520)  # water off Lidingö, in no stadsdel
BOTH_SHORES = (18.1585, 59.3354)  # in stadsdel Ladugårdsgärdet and in Lidingö's rough outline
OFF_VARMDO = (18.6923, 59.0045)  # open water 260 m off Värmdö's simplified shore
OPEN_SEA = (18.7475, 59.0000)  # 3 km from any kommun


def _names(db, point):
    return areas_module.current_index(db).names(*point)


def test_the_shipped_boundaries_are_the_real_files(db):
    rows = areas_db.list_areas(db, with_geometry=False)
    by_kind = {kind: [a for a in rows if a["kind"] == kind] for kind in KINDS}
    assert len(by_kind["stadsdel"]) == 117 and len(by_kind["kommun"]) == 290
    assert len(by_kind["lan"]) == 21
    codes = {a["name"]: a["code"] for a in by_kind["kommun"]}
    assert codes["Stockholm"] == "0180" and codes["Lidingö"] == "0186" and codes["Kiruna"] == "2584"
    assert {a["name"]: a["code"] for a in by_kind["lan"]}["Stockholm"] == "01"
    names = {a["id"]: (a["kind"], a["name"]) for a in rows}
    lpo = next(a for a in by_kind["lpo"] if a["name"] == "Norrmalm")
    assert sorted(names[p] for p in lpo["parts"]) == [
        ("kommun", "Lidingö"),
        ("stadsdelsomrade", "Kungsholmen"),
        ("stadsdelsomrade", "Norrmalm"),
        ("stadsdelsomrade", "Östermalm"),
    ]
    ostermalm = next(a for a in by_kind["stadsdelsomrade"] if a["name"] == "Östermalm")
    assert ("stadsdel", "Djurgården") in [names[p] for p in ostermalm["parts"]]


def test_the_shipped_boundary_files_pass_the_import_check():
    spec = json.loads((ROOT / "geodata" / "areas.json").read_text(encoding="utf-8"))
    for entry in spec["files"]:
        data = (ROOT / "geodata" / entry["file"]).read_bytes()
        args = (entry["kind"], entry["name_property"], entry.get("code_property"))
        assert parse_areas(data, *args) == parse_areas(data, *args, check_geometry=False)


def test_sergels_torg_is_in_stadsdel_norrmalm_kommun_stockholm_and_lpo_norrmalm(db):
    assert _names(db, SERGELS_TORG) == {
        "stadsdel": ["Norrmalm"],
        "stadsdelsomrade": ["Norrmalm"],
        "kommun": ["Stockholm"],
        "lan": ["Stockholm"],
        "lpo": ["Norrmalm"],
    }


def test_larsberg_is_in_kommun_lidingo_and_lpo_norrmalm_and_no_stadsdel(db):
    # The simplified län outline misses Larsberg: the län comes from the kommun's code.
    assert _names(db, LARSBERG) == {
        "kommun": ["Lidingö"],
        "lan": ["Stockholm"],
        "lpo": ["Norrmalm"],
    }


def test_lilla_vartan_is_in_one_kommun_and_in_lpo_norrmalm_on_either_side(db):
    west, east = _names(db, LILLA_VARTAN_WEST), _names(db, LILLA_VARTAN_EAST)
    assert west["kommun"] == ["Stockholm"] and west["stadsdel"] == ["Ladugårdsgärdet"]
    assert east["kommun"] == ["Lidingö"] and "stadsdel" not in east
    assert west["lpo"] == east["lpo"] == ["Norrmalm"]


def test_a_stadsdel_wins_over_a_rough_kommun_outline(db):
    names = _names(db, BOTH_SHORES)
    assert names["stadsdel"] == ["Ladugårdsgärdet"] and names["kommun"] == ["Stockholm"]


def test_water_off_a_simplified_shore_takes_the_nearest_kommun_within_a_kilometre(db):
    assert _names(db, OFF_VARMDO) == {"kommun": ["Värmdö"], "lan": ["Stockholm"]}
    assert _names(db, OPEN_SEA) == {}


def test_the_vectorised_resolution_agrees_with_testing_each_polygon(db):
    index = areas_module.current_index(db)
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(17.9, 18.25, 3000), rng.uniform(59.28, 59.40, 3000)
    index.resolve(lons[:300] + 0.05, lats[:300])  # cells met before are kept: merged after
    resolution = index.resolve(lons, lats)
    stadsdelar = [(i, a) for i, a in enumerate(index.areas) if a.kind == "stadsdel"]
    for n in range(0, 3000, 7):
        point = Point(lons[n], lats[n])
        expected = [i for i, a in stadsdelar if a.geometry.contains(point)]
        assert resolution.by_kind[0, n] == (expected[0] if expected else -1)


def _record(client, walk, point):
    headers = join(client, walk)
    body = observation(lon=point[0], lat=point[1])
    assert post_observation(client, walk, headers, body).status_code == 201
    return body["id"]


def test_a_recorded_observation_stores_its_areas(client, db, walk):
    observation_id = _record(client, walk, LARSBERG)
    stored = areas_db.areas_of(db, observation_id)
    assert stored["kommun"] == [{"name": "Lidingö", "code": "0186"}]
    assert stored["lpo"] == [{"name": "Norrmalm", "code": None}]
    assert "stadsdel" not in stored


@pytest.fixture
def recorded(client, db, walk):
    return {
        "sergels": _record(client, walk, SERGELS_TORG),
        "larsberg": _record(client, walk, LARSBERG),
    }


def test_exports_carry_the_areas_as_flat_properties(staff, recorded):
    features = staff.get("/export/observations.geojson").get_json()["features"]
    by_id = {f["id"]: f["properties"] for f in features}
    sergels, larsberg = by_id[recorded["sergels"]], by_id[recorded["larsberg"]]
    assert (sergels["stadsdel"], sergels["stadsdelsomrade"]) == ("Norrmalm", "Norrmalm")
    assert (sergels["kommun"], sergels["kommun_code"], sergels["lpo"]) == (
        "Stockholm",
        "0180",
        "Norrmalm",
    )
    assert (larsberg["kommun"], larsberg["kommun_code"], larsberg["stadsdel"]) == (
        "Lidingö",
        "0186",
        None,
    )
    assert (larsberg["lan"], larsberg["lan_code"], larsberg["free_areas"]) == (
        "Stockholm",
        "01",
        None,
    )
    csv_text = staff.get("/export/observations.csv").get_data(as_text=True)
    header = csv_text.lstrip("\ufeff").splitlines()[0].split(";")
    assert {"stadsdel", "kommun", "kommun_code", "lan", "lpo"} <= set(header)
    larsberg_line = next(line for line in csv_text.splitlines() if recorded["larsberg"] in line)
    assert ";Lidingö;0186;" in larsberg_line


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kommun=0186", {"larsberg"}),
        ("kommun=lidingö", {"larsberg"}),
        ("kommun=0180", {"sergels"}),
        ("stadsdel=NORRMALM", {"sergels"}),
        ("lpo=Norrmalm", {"sergels", "larsberg"}),
        ("lan=01&kommun=0186", {"larsberg"}),
        ("kommun=0180&kommun=0186", {"sergels", "larsberg"}),
        ("stadsdelsomrade=Östermalm", set()),
    ],
)
def test_area_filters_narrow_the_export(staff, recorded, query, expected):
    response = staff.get(f"/export/observations.geojson?{query}")
    assert response.status_code == 200, response.get_json()
    ids = {f["id"] for f in response.get_json()["features"]}
    assert ids == {recorded[name] for name in expected}


def test_an_area_filter_naming_no_area_is_a_400_naming_it(staff, recorded):
    response = staff.get("/export/observations.csv?kommun=9999&stadsdel=Atlantis")
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert "9999" in errors["kommun"] and "Atlantis" in errors["stadsdel"]
    response = staff.get("/export/audits.geojson?kommun=0186")
    assert response.status_code == 400 and "kommun" in response.get_json()["errors"]


def _write(tmp_path, collection, name="areas.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(collection), encoding="utf-8")
    return str(path)


def _square(lon, lat, half=0.003):
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_the_import_command_loads_free_areas_and_re_resolves_every_observation(
    runner, db, recorded, tmp_path
):
    collection = {
        "type": "FeatureCollection",
        # The legacy member Stockholm's file still carries: ignored.
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [_feature(_square(*SERGELS_TORG), namn="City BID")],
    }
    result = runner.invoke(
        args=[
            "areas",
            "import",
            _write(tmp_path, collection),
            "--kind",
            "free",
            "--name-property",
            "namn",
        ]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1]) == {
        "created": 1,
        "updated": 0,
        "resolved": 2,
    }
    assert areas_db.areas_of(db, recorded["sergels"])["free"] == [
        {"name": "City BID", "code": None}
    ]
    assert "free" not in areas_db.areas_of(db, recorded["larsberg"])
    resolved = runner.invoke(args=["areas", "resolve", *map(str, SERGELS_TORG)])
    assert json.loads(resolved.output)["free"] == ["City BID"]


def test_the_import_command_reads_codes_and_replaces_an_outline(runner, db, recorded, tmp_path):
    # A new "Lidingö" outline that leaves out Larsberg: the observation there leaves the kommun.
    collection = {
        "type": "FeatureCollection",
        "features": [_feature(_square(18.20, 59.37, 0.02), kom_namn="Lidingö", id=186)],
    }
    args = ["areas", "import", _write(tmp_path, collection), "--kind", "kommun"]
    result = runner.invoke(args=[*args, "--name-property", "kom_namn", "--code-property", "id"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["updated"] == 1
    assert areas_db.find_area(db, "kommun", "0186") is not None
    larsberg = areas_db.areas_of(db, recorded["larsberg"])
    # Now outside Lidingö, the nearest rough outline within a kilometre (Stockholm's) takes it.
    assert larsberg["kommun"] != [{"name": "Lidingö", "code": "0186"}] and "lpo" not in larsberg


@pytest.mark.parametrize(
    "features, options, message",
    [
        ([_feature(_square(18.0, 59.3), other="x")], ["--kind", "free"], "no property 'namn'"),
        (
            [
                _feature(
                    {
                        "type": "Polygon",
                        "coordinates": [[[18, 59], [18.1, 59.1], [18.1, 59], [18, 59.1], [18, 59]]],
                    },
                    namn="Bowtie",
                )
            ],
            ["--kind", "free"],
            "not valid",
        ),
        (
            [_feature({"type": "Point", "coordinates": [18, 59]}, namn="Dot")],
            ["--kind", "free"],
            "Polygon",
        ),
        ([_feature(_square(18.0, 59.3), namn="X")], ["--kind", "county"], "unknown kind 'county'"),
        (
            [_feature(_square(18.0, 59.3), namn="X", kod="12345")],
            ["--kind", "kommun", "--code-property", "kod"],
            "4 digits",
        ),
    ],
)
def test_the_import_command_refuses_a_bad_file_and_changes_nothing(
    runner, db, tmp_path, features, options, message
):
    before = areas_db.areas_version(db), areas_db.count_areas(db)
    path = _write(tmp_path, {"type": "FeatureCollection", "features": features})
    result = runner.invoke(args=["areas", "import", path, "--name-property", "namn", *options])
    assert result.exit_code == 1
    assert message in result.output and "Nothing was changed." in result.output
    assert (areas_db.areas_version(db), areas_db.count_areas(db)) == before


def test_parse_areas_names_each_bad_feature_by_number():
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [_feature(_square(18, 59), n="A"), _feature(_square(18, 59))],
        }
    ).encode()
    with pytest.raises(AreaImportError) as error:
        parse_areas(data, "free", "n")
    assert error.value.problems == ["feature 2: no property 'n' (the name)"]


def test_the_parts_command_makes_an_lpo_of_other_areas(runner, db, recorded):
    args = ["areas", "parts", "lpo", "Lidingö LPO", "--part", "kommun:0186"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert areas_db.areas_of(db, recorded["larsberg"])["lpo"][0]["name"] in (
        "Lidingö LPO",
        "Norrmalm",
    )
    assert _names(db, LARSBERG)["lpo"] in (["Lidingö LPO"], ["Norrmalm"])
    bad = runner.invoke(args=["areas", "parts", "lpo", "X", "--part", "kommun:Atlantis"])
    assert bad.exit_code == 1 and "there is no kommun 'Atlantis'" in bad.output
    wrong = runner.invoke(args=["areas", "parts", "stadsdel", "X", "--part", "lpo:Norrmalm"])
    assert wrong.exit_code == 1 and "cannot be a part" in wrong.output


def test_a_place_import_re_resolves_every_observation(app, db, recorded):
    with transaction(db):
        db.execute("update observations set area_stadsdel = null, area_kommun = null")
    places = places_db.list_places(db)
    places_index.import_places(db, places, replace=False, near_m=50.0)
    assert areas_db.areas_of(db, recorded["sergels"])["stadsdel"] == [
        {"name": "Norrmalm", "code": None}
    ]


def test_an_upgraded_database_resolves_the_observations_it_holds(db, recorded):
    # As migration 0006 leaves a database of an earlier version: no areas, nothing resolved.
    columns = ", ".join(f"area_{kind} = null" for kind in areas_db.RESOLVED)
    with transaction(db):
        db.execute("delete from area_parts")
        db.execute("delete from areas")
        db.execute(f"update observations set {columns}")
    assert areas_db.areas_of(db, recorded["larsberg"]) == {}
    assert areas_module.load_shipped_areas(db, ROOT / "geodata") == 432
    assert areas_db.areas_of(db, recorded["larsberg"])["kommun"][0]["code"] == "0186"


def test_workers_starting_together_load_the_shipped_areas_once(tmp_path):
    """Two gunicorn workers of a fresh instance both find no areas; the second must not fail on
    UNIQUE(kind, name): the check is made again under the write lock."""
    import threading

    from tests.helpers import database_at
    from walkapp.db import connect
    from walkapp.db.migrations import MIGRATIONS

    database_at(tmp_path, MIGRATIONS[-1][0]).close()
    path = tmp_path / "old.db"
    results, errors = [], []

    def start():
        db = connect(path)
        try:
            results.append(areas.load_shipped_areas(db, ROOT / "geodata"))
            results.append(areas.load_shipped(db, ROOT / "geodata"))
        except Exception as error:  # what the second worker died of
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = connect(path)
    assert sorted(results)[:2] == [0, 0] and areas_db.count_areas(db) == max(results)
    db.close()
