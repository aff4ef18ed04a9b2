"""Data out: the GeoJSON/CSV exports, Open311 GeoReport v2, API tokens and the admin's place upload."""

from __future__ import annotations

import csv
import io
import json
import re
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from shapely.geometry import shape

from tests.helpers import login
from tests.test_coordinators import SERGEL, add_observation, partner_id
from walkapp.db import measures as measures_db
from walkapp.db import observations as obs_db
from walkapp.db import places as places_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.db.api_tokens import hash_token

SCHEMA = json.loads(
    (Path(__file__).parent / "vendor" / "geojson-schema" / "FeatureCollection.json").read_text()
)


@pytest.fixture
def data(db):
    """Two walks, findings inside, near and outside places, in several statuses."""
    spring = walks_db.create_walk(db, title="Våren", starts_at="2026-04-01T20:00")
    autumn = walks_db.create_walk(db, title="Hösten", starts_at="2026-11-01T18:00")
    ids = {
        "lamp": add_observation(
            db, spring["id"], *SERGEL, note="Lampa <b>åäö</b>", when="2026-04-01T20:10:00+00:00"
        ),
        "litter": add_observation(
            db,
            spring["id"],
            18.0700,
            59.3330,
            category="litter",
            rating="yellow",
            when="2026-04-01T20:20:00+00:00",
        ),
        "far": add_observation(
            db,
            autumn["id"],
            18.20,
            59.40,
            category="graffiti",
            rating="green",
            when="2026-11-01T18:10:00+00:00",
        ),
        "bush": add_observation(
            db, autumn["id"], *SERGEL, category="vegetation", when="2026-11-01T18:20:00+00:00"
        ),
    }
    measures_db.update_measure(
        db, ids["lamp"], None, {"status": "done", "partner_id": partner_id(db, "Trafikkontoret")}
    )
    measures_db.update_measure(
        db,
        ids["litter"],
        None,
        {
            "status": "assigned",
            "partner_id": partner_id(db, "Trafikkontoret"),
            "deadline": "2026-12-31",
        },
    )
    return {"ids": ids, "spring": spring, "autumn": autumn}


def export(client, query=""):
    response = client.get("/export/observations.geojson" + query)
    assert response.status_code == 200, response.data[:300]
    return json.loads(response.data)


def test_geojson_is_valid_rfc7946_and_round_trips(staff, data):
    collection = export(staff)
    jsonschema.validate(collection, SCHEMA)
    assert "crs" not in collection and len(collection["features"]) == 4
    lamp = next(f for f in collection["features"] if f["id"] == data["ids"]["lamp"])
    lon, lat = lamp["geometry"]["coordinates"]
    assert 18.0 < lon < 18.1 and 59.3 < lat < 59.4  # longitude first, not swapped
    assert shape(lamp["geometry"]).x == pytest.approx(SERGEL[0], abs=1e-6)
    props = lamp["properties"]
    assert props["category"] == "lighting" and props["category_label"] == "Belysning"
    assert props["place_name"] == "Sergels torg / Plattan" and props["relation"] == "inside"
    assert props["place_id"] == 1 and props["walk_id"] == data["spring"]["id"]
    assert props["walk_title"] == "Våren" and props["status"] == "done"
    assert props["walk_light"] == data["spring"]["light"] and "accuracy_m" in props
    assert "position_source" in props and props["photo_url"] is None
    for feature in collection["features"]:  # flat: nothing GDAL would read as String(JSON)
        assert not any(isinstance(v, (dict, list)) for v in feature["properties"].values())
    assert props["partner"] == "Trafikkontoret" and props["note"] == "Lampa <b>åäö</b>"
    assert datetime.fromisoformat(props["recorded_at"]).utcoffset() == timedelta(0)
    for feature in collection["features"]:
        for value in feature["geometry"]["coordinates"]:
            assert round(value, 6) == value


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?from=2026-06-01", {"far", "bush"}),
        ("?to=2026-04-01", {"lamp", "litter"}),
        ("?from=2026-04-01&to=2026-04-01", {"lamp", "litter"}),
        ("?place=1", {"lamp", "bush"}),
        ("?category=lighting&category=graffiti", {"lamp", "far"}),
        ("?rating=yellow", {"litter"}),
        # "far" is green: kept as it is (status keep), not open work.
        ("?status=open", {"litter", "bush"}),
        ("?status=keep", {"far"}),
        ("?status=closed", {"lamp"}),
        ("?status=assigned", {"litter"}),
        # The Data page's form sends every field; empty ones mean "all".
        ("?from=&to=&place=&walk=&category=&rating=&status=open", {"litter", "bush"}),
    ],
)
def test_each_filter_narrows(staff, data, query, expected):
    names = {v: k for k, v in data["ids"].items()}
    assert {names[f["id"]] for f in export(staff, query)["features"]} == expected


def test_dates_are_days_in_stockholm(staff, db, data):
    # 23:30 UTC on 31 March is 01:30 on 1 April in Stockholm (summer time): it belongs to April.
    late = add_observation(db, data["spring"]["id"], *SERGEL, when="2026-03-31T23:30:00+00:00")
    april = {f["id"] for f in export(staff, "?from=2026-04-01&to=2026-04-01")["features"]}
    march = {f["id"] for f in export(staff, "?to=2026-03-31")["features"]}
    assert late in april and late not in march


def test_walk_filter(staff, data):
    got = {f["id"] for f in export(staff, f"?walk={data['autumn']['id']}")["features"]}
    assert got == {data["ids"]["far"], data["ids"]["bush"]}


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("?from=yesterday", "from"),
        ("?to=2026-13-01", "to"),
        ("?place=abc", "place"),
        ("?category=ufo", "category"),
        ("?rating=blue", "rating"),
        ("?status=maybe", "status"),
        ("?from=2026-05-01&to=2026-04-01", "to"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(staff, data, query, parameter):
    response = staff.get("/export/observations.geojson" + query)
    assert response.status_code == 400 and parameter in response.json["errors"]
    assert staff.get("/export/observations.csv" + query).status_code == 400


def test_csv_has_the_same_filters_and_opens_in_swedish_excel(staff, data):
    response = staff.get("/export/observations.csv?place=1")
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert {row["id"] for row in rows} == {data["ids"]["lamp"], data["ids"]["bush"]}
    lamp = next(row for row in rows if row["id"] == data["ids"]["lamp"])
    # Stockholm time (20:10 UTC is 22:10 in summer time), the note as typed, a decimal comma.
    assert lamp["recorded_at"] == "2026-04-01 22:10" and lamp["note"] == "Lampa <b>åäö</b>"
    assert lamp["longitude"].startswith("18,06") and lamp["place_name"] == "Sergels torg / Plattan"
    assert lamp["walk_id"] == data["spring"]["id"] and lamp["status_label"] == "Åtgärdad"
    # The GeoJSON's columns, same names and order, then the position.
    props = export(staff, "?place=1")["features"][0]["properties"]
    header = text.lstrip("\ufeff").splitlines()[0].split(";")
    assert header == ["id", *props, "longitude", "latitude"]


def test_without_a_session_or_token_401_and_places_are_public(client, data):
    response = client.get("/export/observations.geojson")
    assert response.status_code == 401 and response.json["error"]
    assert client.get("/export/observations.csv").status_code == 401
    places = client.get("/export/places.geojson")
    assert places.status_code == 200 and places.json["features"][0]["properties"]["name"]
    assert "note" not in places.text and "Lampa" not in places.text
    props = places.json["features"][0]["properties"]
    assert {"findings", "fixed", "year"} <= props.keys()  # counts, as the public page shows


def test_streaming_export_of_20000_observations_keeps_memory_flat(staff, db):
    walk = walks_db.create_walk(db, title="Många", starts_at="2026-10-01T18:00")
    records = [
        {
            "id": str(uuid.uuid4()),
            "walk_id": walk["id"],
            "category": "lighting",
            "rating": "red",
            "note": "anteckning " * 5,
            "lon": 18.0 + i * 1e-6,
            "lat": 59.33,
            "recorded_at": "2026-10-01T18:00:00+00:00",
            "relation": "none",
        }
        for i in range(20_000)
    ]
    with transaction(db):
        obs_db.insert_many(db, records)
    tracemalloc.start()
    response = staff.get("/export/observations.geojson", buffered=False)
    size = 0
    features = 0
    for chunk in response.response:
        size += len(chunk)
        features += (
            chunk.count('"type":"Feature"')
            if isinstance(chunk, str)
            else chunk.count(b'"type":"Feature"')
        )
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response.close()
    assert features == 20_000
    assert size > 8_000_000
    assert peak < size / 5, f"peak {peak} bytes for a {size}-byte response"


# --- Open311 ---


def test_open311_discovery_and_services(client):
    discovery = client.get("/open311/v2/discovery.json").json
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    services = client.get("/open311/v2/services.json").json
    assert len(services) == 15 and len({s["service_code"] for s in services}) == 15
    lighting = next(s for s in services if s["service_code"] == "lighting")
    assert lighting == {
        **lighting,
        "service_name": "Belysning",
        "type": "realtime",
        "metadata": False,
    }


def _requests(client, query=""):
    response = client.get("/open311/v2/requests.json" + query)
    assert response.status_code == 200, response.data
    return response.json


def test_open311_requests_fields_and_filters(staff, data, db):
    # Relative to today: three findings from last week, one from 200 days ago.
    now = datetime.now(UTC)
    recent = (now - timedelta(days=3)).isoformat(timespec="seconds")
    long_ago = (now - timedelta(days=200)).replace(microsecond=0)
    ids = data["ids"]
    with transaction(db):
        db.execute("update observations set recorded_at = ? where id != ?", [recent, ids["far"]])
        db.execute(
            "update observations set recorded_at = ? where id = ?",
            [long_ago.isoformat(), ids["far"]],
        )
    everything = _requests(staff)  # the default: the last 90 days
    assert {r["service_request_id"] for r in everything} == {
        ids["lamp"],
        ids["litter"],
        ids["bush"],
    }
    lamp = next(r for r in everything if r["service_request_id"] == ids["lamp"])
    assert set(lamp) >= {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    }
    assert lamp["status"] == "closed" and lamp["status_notes"] == "Åtgärdad"
    assert lamp["agency_responsible"] == "Trafikkontoret" and lamp["lat"] == pytest.approx(
        SERGEL[1]
    )
    litter = next(r for r in everything if r["service_request_id"] == ids["litter"])
    assert litter["status"] == "open" and litter["expected_datetime"].startswith("2026-12-31")
    assert {r["service_request_id"] for r in _requests(staff, "?status=closed")} == {ids["lamp"]}
    assert {r["service_code"] for r in _requests(staff, "?service_code=litter")} == {"litter"}
    window = f"?start_date={(long_ago - timedelta(days=1)).isoformat()}&end_date={(long_ago + timedelta(days=1)).isoformat()}"
    old = _requests(staff, window.replace("+", "%2B"))
    assert {r["service_request_id"] for r in old} == {ids["far"]}
    both = _requests(staff, f"?service_request_id={ids['far']},{ids['lamp']}")
    assert {r["service_request_id"] for r in both} == {ids["far"], ids["lamp"]}
    one = staff.get(f"/open311/v2/requests/{ids['lamp']}.json").json
    assert one[0]["service_request_id"] == ids["lamp"]


@pytest.mark.parametrize(
    "url, code",
    [
        ("/open311/v2/requests.json?status=maybe", 400),
        ("/open311/v2/requests.json?start_date=soon", 400),
        ("/open311/v2/requests.json?service_code=ufo", 400),
        ("/open311/v2/requests/00000000-0000-4000-8000-000000000000.json", 404),
    ],
)
def test_open311_error_format(staff, url, code):
    response = staff.get(url)
    assert response.status_code == code
    assert response.json[0]["code"] == code and response.json[0]["description"]


def test_open311_requests_refuse_a_token_that_opens_nothing(client):
    response = client.get("/open311/v2/requests.json?api_key=wk_guess")
    assert response.status_code == 401 and response.json[0]["code"] == 401


# --- API tokens ---


def make_token(staff, **form) -> str:
    """A token made through the data page: POST, then the page it redirects to shows it once."""
    made = staff.post("/tokens", data={"label": "QGIS planering", **form})
    assert made.status_code == 303, made.text[:300]
    page = staff.get(made.location)
    return re.search(r'id="new-token">(wk_[^<]+)<', page.text).group(1)


def test_reloading_after_making_a_token_makes_no_second_one(staff, db):
    made = staff.post("/tokens", data={"label": "QGIS"})
    assert made.status_code == 303 and made.location.endswith("/tokens")
    shown = staff.get(made.location).text
    token = re.search(r'id="new-token">(wk_[^<]+)<', shown).group(1)
    assert db.execute("select token_hash from api_tokens").fetchall() == [(hash_token(token),)]
    # The reload is a GET of the list: no second token, and the first is not shown again.
    again = staff.get(made.location).text
    assert "new-token" not in again and token not in again
    assert db.execute("select count(*) from api_tokens").fetchone()[0] == 1


def test_a_token_made_with_filters_reads_only_those_findings(staff, data, db, app):
    token = make_token(staff, place=["1"], category=["vegetation", "lighting"], status=["open"])
    assert db.execute("select filters from api_tokens").fetchone()[0] == (
        "place=1&category=vegetation&category=lighting&status=open"
    )
    listed = staff.get("/tokens").text
    assert "Platser: Sergels torg / Plattan; Kategorier: Vegetation / buskage, Belysning" in listed
    tool = app.test_client()
    # Without any filter in the address it reads only what it was made for (the open bush at
    # Plattan, not the fixed lamp there nor anything elsewhere)...
    everything = tool.get("/export/observations.geojson?token=" + token).json
    assert {f["id"] for f in everything["features"]} == {data["ids"]["bush"]}
    text = tool.get(f"/export/observations.csv?token={token}").data.decode("utf-8-sig")
    assert [row["id"] for row in csv.DictReader(io.StringIO(text), delimiter=";")] == [
        data["ids"]["bush"]
    ]
    # ... narrows further within them, and refuses naming what it does not read.
    within = tool.get(f"/export/observations.geojson?token={token}&category=vegetation").json
    assert {f["id"] for f in within["features"]} == {data["ids"]["bush"]}
    outside = tool.get(f"/export/observations.geojson?token={token}&category=litter")
    assert outside.status_code == 403 and list(outside.json["errors"]) == ["category"]
    assert "litter" in outside.json["error"]
    assert tool.get(f"/export/observations.csv?token={token}&place=2").status_code == 403
    # Open311 reads the same findings, with the token however it is sent.
    for headers, query in (({"Authorization": f"Bearer {token}"}, ""), ({}, f"?api_key={token}")):
        found = tool.get("/open311/v2/requests.json" + query, headers=headers)
        assert found.status_code == 200
        assert [r["service_request_id"] for r in found.json] == [data["ids"]["bush"]]
    lamp = tool.get(f"/open311/v2/requests/{data['ids']['lamp']}.json?api_key={token}")
    assert lamp.status_code == 404
    # A session and a token without filters still read everything.
    assert len(export(staff)["features"]) == 4
    plain = make_token(staff)
    assert len(export(tool, "?token=" + plain)["features"]) == 4


def test_a_token_with_filters_sees_only_its_findings_photos(staff, data, db, app, tmp_path):
    from PIL import Image

    from walkapp import observations, photos, settings

    with app.app_context():
        folder = settings.current().photo_folder
    image = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(image, "JPEG")
    links = {}
    for name in ("bush", "lamp"):
        stored = photos.store_photo(image.getvalue(), folder, 10 * 1024 * 1024)
        photo_id = str(uuid.uuid4())
        observations.attach_photo(db, photo_id, data["ids"][name], stored, folder)
        links[name] = f"/observations/{data['ids'][name]}/photos/{photo_id}.jpg"
    token = make_token(staff, place=["1"], category=["vegetation"])
    tool = app.test_client()
    assert tool.get(links["bush"] + "?token=" + token).status_code == 200
    assert tool.get(links["lamp"] + "?token=" + token).status_code == 404
    assert tool.get(links["lamp"] + "?token=" + make_token(staff)).status_code == 200


def test_token_created_used_revoked_and_stored_hashed(staff, data, db, runner):
    token = make_token(staff)
    stored = db.execute("select token_hash from api_tokens").fetchone()[0]
    assert stored == hash_token(token) and token not in stored
    tool = staff.application.test_client()
    assert tool.get("/export/observations.geojson?token=" + token).status_code == 200
    assert (
        tool.get(
            "/open311/v2/requests.json", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    # Read-only: a token opens no screen and changes nothing.
    assert tool.get("/walks?token=" + token).status_code == 302
    token_id = db.execute("select id from api_tokens").fetchone()[0]
    staff.post(f"/tokens/{token_id}/revoke")
    assert tool.get("/export/observations.geojson?token=" + token).status_code == 401
    assert tool.get("/export/observations.geojson?token=wk_guess").status_code == 401

    printed = runner.invoke(
        args=["create-token", "--user", "coordinator", "--label", "Stadens system"]
    )
    assert printed.exit_code == 0 and printed.output.startswith("wk_")
    assert (
        tool.get("/export/observations.geojson?token=" + printed.output.strip()).status_code == 200
    )
    assert runner.invoke(args=["create-token", "--user", "nobody"]).exit_code == 1


def test_create_token_with_filters_reads_only_those_findings(staff, data, db, app, runner):
    made = runner.invoke(
        args=[
            "create-token", "--user", "coordinator", "--label", "Plattan",
            "--place", "1", "--category", "vegetation", "--category", "lighting",
            "--status", "open",
        ]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    # The same filters as the same choice on the data page.
    assert db.execute("select filters from api_tokens").fetchone()[0] == (
        "place=1&category=vegetation&category=lighting&status=open"
    )
    assert "Platser: Sergels torg / Plattan; Kategorier: Vegetation" in staff.get("/tokens").text
    tool = app.test_client()
    found = tool.get("/export/observations.geojson?token=" + token).json
    assert {f["id"] for f in found["features"]} == {data["ids"]["bush"]}
    assert tool.get(f"/export/observations.csv?token={token}&place=2").status_code == 403
    # Bad or unknown filters make no token and say which option.
    for args, option in (
        (["--category", "ufo"], "--category"),
        (["--place", "999"], "--place"),
        (["--from", "2026-13-01"], "--from"),
    ):
        refused = runner.invoke(args=["create-token", "--user", "coordinator", *args])
        assert refused.exit_code == 2 and option in refused.output, refused.output
    assert db.execute("select count(*) from api_tokens").fetchone()[0] == 1


# --- admin place upload ---


def upload(client, body: bytes | str, mode="upsert"):
    if isinstance(body, str):
        body = body.encode()
    return client.post(
        "/admin/places/upload",
        data={"file": (io.BytesIO(body), "platser.geojson"), "mode": mode},
        content_type="multipart/form-data",
    )


def square(name, lon, lat, size=0.002, **props):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"name": name, **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.mark.parametrize(
    "body, message",
    [
        ("not json", "filen är inte JSON"),
        ('{"type": "Feature"}', "filen är inte en GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "har inga objekt"),
        (
            json.dumps({"type": "FeatureCollection", "features": [square("", 18.0, 59.3)]}),
            "objekt 0: saknar namn",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [square("A", 18.0, 59.3), square("A", 18.1, 59.3)],
                }
            ),
            "objekt 1 (”A”): namnet ”A” används två gånger",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [square("SWEREF", 674000, 6580000, size=200)],
                }
            ),
            "är inte longitud/latitud i WGS84",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [square("Bad prio", 18.0, 59.3, priority=0)],
                }
            ),
            "priority ska vara ett heltal",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"name": "Line"},
                            "geometry": {
                                "type": "LineString",
                                "coordinates": [[18, 59], [18.1, 59]],
                            },
                        }
                    ],
                }
            ),
            "geometrin ska vara Polygon eller MultiPolygon",
        ),
    ],
)
def test_admin_upload_refusals_change_nothing(client, users, db, body, message):
    login(client, "admin")
    before = places_db.list_places(db, active_only=False)
    version = places_db.places_version(db)
    response = upload(client, body)
    assert response.status_code == 400 and message in response.text
    assert places_db.list_places(db, active_only=False) == before
    assert places_db.places_version(db) == version


def test_admin_upload_refusals_speak_the_screens_language_and_escape_names(client, users):
    login(client, "admin")
    twice = {"type": "FeatureCollection", "features": [square("<b>A</b>", 18.0, 59.3)] * 2}
    swedish = upload(client, json.dumps(twice)).text
    assert (
        "objekt 1 (”&lt;b&gt;A&lt;/b&gt;”): namnet ”&lt;b&gt;A&lt;/b&gt;” används två gånger"
        in (swedish)
    )
    assert "<b>A</b>" not in swedish
    client.set_cookie("lang", "en")
    english = upload(client, json.dumps(twice)).text
    assert (
        "feature 1 (&#39;&lt;b&gt;A&lt;/b&gt;&#39;): the name &#39;&lt;b&gt;A&lt;/b&gt;&#39; is"
        in (english)
    )
    assert "the file is not JSON" in upload(client, "not json").text


def _preview(client, collection, mode="upsert"):
    response = upload(client, json.dumps(collection), mode=mode)
    assert response.status_code == 302, response.text
    preview = client.get(response.location)
    assert preview.status_code == 200
    upload_id = re.search(r'name="upload" value="([^"]+)"', preview.text).group(1)
    return preview.text, upload_id


def _counted(page: str, heading: str) -> int:
    return int(re.search(rf"<dt>{heading} \((\d+)\)</dt>", page).group(1))


def test_admin_upload_warns_of_swapped_coordinates_before_anything_is_stored(client, users, db):
    login(client, "admin")
    before = places_db.list_places(db, active_only=False)
    swapped = {"type": "FeatureCollection", "features": [square("Bytt plats", 59.33, 18.06)]}
    page, upload_id = _preview(client, swapped)
    assert "”Bytt plats” ligger utanför Sverige (59.33, 18.06)" in page
    assert "longitud och latitud verkar ha bytt plats" in page
    assert places_db.list_places(db, active_only=False) == before
    far = {
        "type": "FeatureCollection",
        "features": [square("Helsingfors", 24.3, 60.1, size=0.5)],
    }
    page, _ = _preview(client, far)
    assert "”Helsingfors” har 2 av 5 punkter utanför Sverige, t.ex. (24.8, 60.1)" in page
    fine = {"type": "FeatureCollection", "features": [square("Hornstull", 18.03, 59.315)]}
    page, _ = _preview(client, fine)
    assert "utanför Sverige" not in page
    client.set_cookie("lang", "en")
    page, _ = _preview(client, swapped)
    assert "&#39;Bytt plats&#39; lies outside Sweden" in page
    # A warning, not a refusal: the admin may still confirm.
    client.post("/admin/places/confirm", data={"upload": upload_id, "mode": "upsert"})
    assert "Bytt plats" in {p["name"] for p in places_db.list_places(db)}


def test_admin_upload_counts_only_real_changes_as_updated(client, users, db):
    login(client, "admin")
    exported = client.get("/export/places.geojson").json
    for feature in exported["features"]:
        # What the export adds beside a place's own properties is not the place's.
        for key in ("id", "active", "year", "findings", "fixed"):
            feature["properties"].pop(key)
    stamps = {p["name"]: p["updated_at"] for p in places_db.list_places(db)}
    page, _ = _preview(client, exported)
    assert _counted(page, "Uppdateras") == 0 and _counted(page, "Oförändrade") == 15
    changed = exported["features"][0]["properties"]
    changed["description"] = "Ny beskrivning"
    page, upload_id = _preview(client, exported, mode="replace")
    assert _counted(page, "Nya") == 0 and _counted(page, "Inaktiveras") == 0
    assert _counted(page, "Uppdateras") == 1 and _counted(page, "Oförändrade") == 14
    assert changed["name"] in page.split("Uppdateras")[1].split("</dd>")[0]
    done = client.post("/admin/places/confirm", data={"upload": upload_id, "mode": "replace"})
    assert done.status_code == 303
    flash = client.get(done.location).text
    assert "0 nya, 1 uppdaterade, 14 oförändrade, 0 inaktiverade" in flash
    after = {p["name"]: p for p in places_db.list_places(db)}
    assert after[changed["name"]]["description"] == "Ny beskrivning"
    # Unchanged places are not written again (their stamp stays; the changed one's stamp may
    # read the same second it was made in, so its description above is what tells).
    rewritten = [n for n in stamps if n != changed["name"] and after[n]["updated_at"] != stamps[n]]
    assert rewritten == []
    assert all(p["active"] for p in after.values()) and len(after) == 15


def test_admin_upload_previews_then_reassigns(client, users, db, data):
    login(client, "admin")
    far = data["ids"]["far"]
    assert (
        db.execute("select relation from observations where id = ?", [far]).fetchone()[0]
        != "inside"
    )
    collection = {
        "type": "FeatureCollection",
        "features": [
            square("Lidingöbron norr", 18.199, 59.399, priority=1, partners=["Lidingö stad"])
        ],
    }
    response = upload(client, json.dumps(collection))
    assert response.status_code == 302
    preview = client.get(response.location)
    assert preview.status_code == 200 and "Lidingöbron norr" in preview.text
    assert places_db.count_places(db) and "Lidingöbron norr" not in {
        p["name"] for p in places_db.list_places(db)
    }
    upload_id = re.search(r'name="upload" value="([^"]+)"', preview.text).group(1)
    assert (
        client.post(
            "/admin/places/confirm", data={"upload": upload_id, "mode": "upsert"}
        ).status_code
        == 303
    )
    row = db.execute(
        "select p.name, o.relation from observations o join places p on p.id = o.place_id where o.id = ?",
        [far],
    ).fetchone()
    assert row == ("Lidingöbron norr", "inside")


def test_admin_edits_and_deactivates_a_place(client, users, db):
    login(client, "admin")
    refused = client.post("/admin/places/1/edit", data={"name": "", "priority": "0"})
    assert refused.status_code == 400 and "Skriv platsens namn" in refused.text
    ok = client.post(
        "/admin/places/1/edit",
        data={
            "name": "Plattan",
            "priority": "1",
            "description": "Torget",
            "partners": "Trafikkontoret, SL",
        },
    )
    assert ok.status_code == 302
    place = places_db.get_place(db, 1)
    assert place["name"] == "Plattan" and place["partners"] == ["Trafikkontoret", "SL"]
    client.post("/admin/places/1/active", data={"active": "0"})
    assert 1 not in {p["id"] for p in places_db.list_places(db)}
    download = client.get("/export/places.geojson?all=1").json
    assert any(
        f["properties"]["name"] == "Plattan" and not f["properties"]["active"]
        for f in download["features"]
    )


def test_the_token_form_offers_the_latest_walks_and_names_a_tokens_older_one(
    staff, db, monkeypatch
):
    from walkapp.db import walks as walks_db
    from walkapp.views import api_tokens as api_tokens_view

    monkeypatch.setattr(api_tokens_view, "FORM_WALKS", 3)
    made = [
        walks_db.create_walk(db, title=f"Vandring {n}", starts_at=f"2026-0{n}-10T18:00")
        for n in range(1, 7)
    ]
    db.conn.commit()
    token = make_token(staff, walk=[made[0]["id"]])  # the oldest: not among the latest three
    assert token
    page = staff.get("/tokens").text
    offered = re.findall(r'<option value="([^"]+)"[^>]*>[^<]*Vandring', page)
    assert [made[n]["id"] for n in (5, 4, 3)] == offered[:3] and made[0]["id"] not in offered
    assert "de 3 senaste vandringarna" in page
    assert "Vandringar: Vandring 1" in page  # the token's own walk named, however old
