"""Safety audits: nine parameters 0–3, stored once per id, refused naming an unknown parameter or
a score outside 0–3, per stop on the walk page and protocol, over time in the meeting view,
/export/audits.geojson with flat scores."""

from __future__ import annotations

import pytest

from tests.route_helpers import KUNGSTRADGARDEN, ROUTE, audit, join
from walkapp.audits import PARAMETERS
from walkapp.db import routes as routes_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.routes import check_route


@pytest.fixture
def walk(db):
    walk = walks_db.create_walk(
        db, title="Bedömning", starts_at="2026-11-24T18:00", state="ongoing"
    )
    with transaction(db):
        routes_db.save_route(db, walk["id"], check_route(ROUTE), None)
    return walk


def post(client, walk, headers, body):
    return client.post(f"/api/walks/{walk['id']}/audits", json=body, headers=headers)


def test_the_nine_parameters_have_four_explained_levels():
    order = "lighting openness visibility people security walk_path public_transport gender_usage"
    assert list(PARAMETERS) == [*order.split(), "feeling"]
    assert all(len(levels) == 4 for _label, levels in PARAMETERS.values())


def test_an_audit_is_stored_once_with_its_place_and_stop(client, db, walk):
    headers = join(client, walk)
    body = audit(note="Mörkt under bron")
    first = post(client, walk, headers, body)
    again = post(client, walk, headers, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json
    assert first.json["stop"] == 1 and first.json["relation"] == "inside"
    assert first.json["scores"] == {"lighting": 1, "openness": 2, "feeling": 0}
    row = db.execute("select lighting, visibility, note, walker_id from audits").fetchone()
    assert row[0] == 1 and row[1] is None and row[2] == "Mörkt under bron" and row[3]
    assert db.execute("select count(*) from audits").fetchone()[0] == 1


@pytest.mark.parametrize(
    "scores, field",
    [
        ({"lighting": 4}, "scores.lighting"),
        ({"lighting": -1}, "scores.lighting"),
        ({"lighting": 1.5}, "scores.lighting"),
        ({"lighting": True}, "scores.lighting"),
        ({"lighting": "2"}, "scores.lighting"),
        ({"darkness": 2}, "scores.darkness"),
        ({}, "scores"),
        ([], "scores"),
        ({"lighting": None}, "scores"),
    ],
)
def test_refusals_name_the_parameter(client, db, walk, scores, field):
    response = post(client, walk, join(client, walk), audit(scores=scores))
    assert response.status_code == 400
    assert field in response.json["errors"]
    if field != "scores":
        assert field.split(".")[1] in response.json["errors"][field]
    assert db.execute("select count(*) from audits").fetchone()[0] == 0


def test_other_fields_are_checked_too(client, walk):
    response = post(
        client, walk, join(client, walk), audit(id="x", lon=500, recorded_at="igår", note=5)
    )
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"id", "lon", "recorded_at", "note"}


def test_an_audit_id_of_another_walk_is_a_conflict(client, db, walk):
    other = walks_db.create_walk(db, title="Annan", starts_at="2026-11-24T18:00")
    body = audit()
    assert post(client, walk, join(client, walk), body).status_code == 201
    assert post(client, other, join(client, other), body).status_code == 409


def test_walk_page_and_protocol_show_scores_per_stop(staff, db, walk):
    walker = staff.application.test_client()
    headers = join(walker, walk)
    post(walker, walk, headers, audit(scores={"lighting": 1, "feeling": 2}))
    post(walker, walk, headers, audit(scores={"lighting": 2, "feeling": 3}))
    lon, lat = KUNGSTRADGARDEN
    post(walker, walk, headers, audit(lon=lon, lat=lat, scores={"lighting": 3}))
    post(walker, walk, headers, audit(lon=18.05, lat=59.34, scores={"people": 0}))
    for path in (f"/walks/{walk['id']}", f"/walks/{walk['id']}/protocol"):
        page = staff.get(path).get_data(as_text=True)
        assert "Trygghetsbedömning per stopp (4)" in page
        assert "1. Plattan" in page and "2. Stopp 2" in page and "Utanför stoppen" in page
        assert ">1.5</td>" in page  # lighting at Plattan: (1 + 2) / 2
        assert ">2.5</td>" in page  # feeling at Plattan


def test_meeting_view_compares_the_latest_walk_with_the_earlier(staff, db):
    walker = staff.application.test_client()
    means = []
    for day, lighting in (("2025-11-20T18:00", 0), ("2026-11-24T18:00", 2)):
        walk = walks_db.create_walk(db, title=f"Vandring {day[:4]}", starts_at=day, state="ongoing")
        post(walker, walk, join(walker, walk), audit(scores={"lighting": lighting, "feeling": 1}))
        means.append(lighting)
    place_id = db.execute("select place_id from audits limit 1").fetchone()[0]
    page = staff.get(f"/places/{place_id}").get_data(as_text=True)
    assert "Trygghetsbedömning över tid" in page
    assert "2025-11-20" in page and "2026-11-24" in page and "(senaste)" in page
    assert "+2.0" in page and "+0.0" in page


def test_audits_export_has_flat_scores_and_the_findings_filters(staff, db, walk):
    walker = staff.application.test_client()
    post(walker, walk, join(walker, walk), audit(scores={"lighting": 0, "walk_path": 3}))
    response = staff.get("/export/audits.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    [feature] = response.json["features"]
    properties = feature["properties"]
    assert feature["geometry"]["type"] == "Point"
    assert properties["lighting"] == 0 and properties["walk_path"] == 3
    assert properties["openness"] is None and properties["stop"] == 1
    assert properties["recorded_at"].endswith("+00:00")
    assert all(not isinstance(value, dict | list) for value in properties.values())
    assert staff.get(f"/export/audits.geojson?walk={walk['id']}").json["features"]
    assert staff.get("/export/audits.geojson?place=999").status_code == 400
    other_place = db.execute(
        "select id from places where id != ? limit 1", [properties["place_id"]]
    ).fetchone()[0]
    assert staff.get(f"/export/audits.geojson?place={other_place}").json["features"] == []
    assert staff.get("/export/audits.geojson?to=2020-01-01").json["features"] == []
    assert staff.get("/export/audits.geojson?place=x").status_code == 400
    assert staff.application.test_client().get("/export/audits.geojson").status_code == 401


def test_follow_up_maps_carry_route_track_and_audit_layers(staff, db, walk):
    from datetime import UTC, datetime, timedelta

    from tests.route_helpers import chunk, walk_points

    walker = staff.application.test_client()
    headers = join(walker, walk)
    post(walker, walk, headers, audit(scores={"lighting": 0}))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    walker.post(
        f"/api/walks/{walk['id']}/track", json=chunk(walk_points(3, start)), headers=headers
    )
    from tests.test_maps import map_data

    walk_map = map_data(staff.get(f"/maps/walk/{walk['id']}").get_data(as_text=True))
    # Planned route and walked track, drawn by static/js/map_layers.js from the page's data.
    assert walk_map["routes"]["colours"]["route"] == "#1d4ed8"
    kinds = [f["properties"]["kind"] for f in walk_map["routes"]["features"]]
    assert "track" in kinds and "route" in kinds
    features = walk_map["routes"]["features"]
    stops = [f["properties"] for f in features if f["properties"]["kind"] == "stop"]
    assert (stops[0]["number"], stops[0]["name"]) == (1, "Plattan")
    assert "Belysning: 0" in walk_map["audits"]["points"][0][2]
    overview = map_data(staff.get("/maps/overview").get_data(as_text=True))
    assert overview["routes"]["colours"]["route"] == "#1d4ed8"
    assert "Belysning: 0" in overview["audits"]["points"][0][2]
    # Tracks only on one walk's map.
    assert "track" not in [f["properties"]["kind"] for f in overview["routes"]["features"]]


def test_route_and_audit_words_in_english(staff, db, walk):
    staff.get("/lang/en")
    page = staff.get(f"/walks/{walk['id']}").get_data(as_text=True)
    assert "Safety audit per stop" in page and "Planned route" in page
    walker = staff.application.test_client()
    response = post(walker, walk, join(walker, walk), audit(scores={"darkness": 1}))
    assert response.json["errors"]["scores.darkness"].startswith("Okänd parameter")


def test_exports_take_the_findings_read_only_token_and_read_well_in_gdal(
    tmp_path, client, users, db, walk
):
    import shutil
    import subprocess

    from walkapp.db import api_tokens as tokens_db

    post(client, walk, join(client, walk), audit(scores={"lighting": 2, "feeling": 1}))
    _token_id, token = tokens_db.create_token(db, users["coordinator"], "QGIS")
    anonymous = client.application.test_client()
    audits_file = anonymous.get(f"/export/audits.geojson?token={token}")
    routes_file = anonymous.get(
        "/export/routes.geojson", headers={"Authorization": f"Bearer {token}"}
    )
    assert audits_file.status_code == 200 and routes_file.status_code == 200
    assert anonymous.get("/export/audits.geojson?token=wa_wrong").status_code == 401
    if shutil.which("ogrinfo") is None:
        pytest.skip("gdal-bin is not installed")
    path = tmp_path / "audits.geojson"
    path.write_bytes(audits_file.data)
    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "lighting: Integer" in info and "feeling: Integer" in info and "Point" in info


def test_the_labels_follow_the_one_list_of_parameter_keys():
    from walkapp.vocabulary import AUDIT_PARAMETERS

    assert tuple(PARAMETERS) == AUDIT_PARAMETERS
