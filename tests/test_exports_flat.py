"""Data out, round 2: flat GeoJSON that GDAL/QGIS can filter on, photo links that open with the
export's token, multi-valued filters and unknown ids, the Data page's QGIS URL."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import uuid

import pytest
from PIL import Image

from tests.test_coordinators import add_observation
from tests.test_exports import data  # noqa: F401  (the fixture)
from walkapp.db import exports as exports_db
from walkapp.db import transaction
from walkapp.db.api_tokens import create_token
from walkapp.exports.filters import Filters
from walkapp.exports.geojson import PROPERTIES, observation_feature, photo_link


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _with_photo(staff, observation_id: str) -> str:
    photo_id = str(uuid.uuid4())
    response = staff.post(
        f"/api/observations/{observation_id}/photos",
        data={"id": photo_id, "photo": (io.BytesIO(_jpeg()), "p.jpg")},
    )
    assert response.status_code == 201, response.json
    return photo_id


def _token(db, users) -> str:
    return create_token(db, users["coordinator"], "QGIS")[1]


def test_sqlite_built_features_equal_the_python_ones(staff, db, data):  # noqa: F811
    photo_id = _with_photo(staff, data["ids"]["lamp"])
    with transaction(db):
        db.execute(
            "update observations set accuracy_m = 7.5, position_source = 'gps' where id = ?",
            [data["ids"]["lamp"]],
        )
    host = "http://example.se/"
    built = [json.loads(t) for t in exports_db.iter_feature_texts(db, Filters(), host, "?token=x")]
    by_python = [
        observation_feature(row, photo_link(host, row["id"], row["photo_id"], "?token=x"))
        for row in exports_db.iter_rows(db, Filters())
    ]
    assert built == by_python and len(built) == 4
    lamp = next(f for f in built if f["id"] == data["ids"]["lamp"])["properties"]
    assert list(lamp) == list(PROPERTIES)
    assert lamp["accuracy_m"] == 7.5 and lamp["position_source"] == "gps"
    assert lamp["photo_url"].endswith(f"/photos/{photo_id}.jpg?token=x")


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin is not installed")
def test_gdal_reads_every_property_as_a_plain_field(staff, db, data, tmp_path):  # noqa: F811
    with transaction(db):
        db.execute("update observations set accuracy_m = 12.5")
    path = tmp_path / "observations.geojson"
    path.write_bytes(staff.get("/export/observations.geojson").data)
    report = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True
    ).stdout
    fields = dict(re.findall(r"^(\w+): (\w+(?:\(\w+\))?)", report, re.MULTILINE))
    assert "Feature Count: 4" in report
    assert "(JSON)" not in report, report  # no nested object left for GDAL to stringify
    assert fields["walk_id"] == "String" and fields["walk_title"] == "String"
    assert fields["place_id"] == "Integer" and fields["place_name"] == "String"
    assert fields["walk_light"] == "String" and fields["category"] == "String"
    assert fields["accuracy_m"] == "Real" and fields["distance_m"] == "Real"
    assert {"position_source", "photo_url", "status", "note"} <= fields.keys()


def test_photo_links_open_with_the_exports_token(client, staff, db, users, data):  # noqa: F811
    _with_photo(staff, data["ids"]["lamp"])
    token = _token(db, users)
    tool = staff.application.test_client()
    by_query = tool.get(f"/export/observations.geojson?token={token}").json
    url = next(f for f in by_query["features"] if f["properties"]["photo_url"])
    url = url["properties"]["photo_url"]
    assert f"token={token}" in url  # a link QGIS opens in the browser carries the token
    path = url.split("://", 1)[1].split("/", 1)[1]
    photo = tool.get("/" + path)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["Cache-Control"].startswith("private")
    bearer = {"Authorization": f"Bearer {token}"}
    by_header = tool.get("/export/observations.geojson", headers=bearer).json
    plain = next(f for f in by_header["features"] if f["properties"]["photo_url"])
    plain_path = "/" + plain["properties"]["photo_url"].split("://", 1)[1].split("/", 1)[1]
    assert "token" not in plain_path
    assert tool.get(plain_path, headers=bearer).status_code == 200
    assert tool.get(plain_path.replace(".jpg", "/thumb.jpg"), headers=bearer).status_code == 200
    # Read-only and only a valid token: no token, a wrong one, a revoked one, a write.
    assert tool.get(plain_path).status_code == 403
    assert tool.get(plain_path + "?token=wk_guess").status_code == 403
    upload = tool.post(
        f"/api/observations/{data['ids']['lamp']}/photos?token={token}",
        data={"id": str(uuid.uuid4()), "photo": (io.BytesIO(_jpeg()), "p.jpg")},
        headers=bearer,
    )
    assert upload.status_code == 403
    with transaction(db):
        db.execute("update api_tokens set revoked_at = '2026-01-01T00:00:00+00:00'")
    assert tool.get(plain_path, headers=bearer).status_code == 403


def test_csv_photo_url_and_token(staff, db, users, data):  # noqa: F811
    _with_photo(staff, data["ids"]["lamp"])
    token = _token(db, users)
    text = staff.application.test_client().get(f"/export/observations.csv?token={token}").text
    assert f".jpg?token={token}" in text


def ids_of(client, query: str) -> set[str]:
    response = client.get("/export/observations.geojson" + query)
    assert response.status_code == 200, response.json
    return {f["id"] for f in response.json["features"]}


def test_every_filter_takes_several_values(staff, db, data):  # noqa: F811
    ids = data["ids"]
    far_place = add_observation(db, data["autumn"]["id"], 18.0725, 59.3315)  # Kungsträdgården
    place_of = dict(db.execute("select id, place_id from observations").fetchall())
    two = {place_of[ids["lamp"]], place_of[far_place]}
    assert len(two) == 2
    both = "?" + "&".join(f"place={p}" for p in two)
    expected = {i for i, p in place_of.items() if p in two}
    assert ids_of(staff, both) == expected and {ids["lamp"], ids["bush"], far_place} <= expected
    walks = f"?walk={data['spring']['id']}&walk={data['autumn']['id']}"
    assert len(ids_of(staff, walks)) == 5
    assert ids_of(staff, f"?walk={data['spring']['id']}") == {ids["lamp"], ids["litter"]}
    # "far" is green: kept (keep), not open work (issue 15).
    assert ids_of(staff, "?status=open&status=done&status=keep") == set(ids.values()) | {far_place}
    assert ids["far"] not in ids_of(staff, "?status=open&status=done")


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("?place=987654", "place"),
        ("?place=1&place=987654", "place"),
        ("?walk=no-such-walk", "walk"),
    ],
)
def test_unknown_ids_are_400_naming_the_parameter(staff, data, query, parameter):  # noqa: F811
    for path in ("/export/observations.geojson", "/export/observations.csv"):
        response = staff.get(path + query)
        assert response.status_code == 400
        assert list(response.json["errors"]) == [parameter]
        assert "987654" in response.json["error"] or "no-such-walk" in response.json["error"]


def test_data_page_has_multi_value_filters_and_a_qgis_url_with_them(staff, db, data):  # noqa: F811
    page = staff.get("/tokens").text
    assert re.search(r'<select id="x-place" name="place" multiple', page)
    assert page.count('type="checkbox" name="category"') == 2 * 15  # download and token forms
    response = staff.post(
        "/tokens",
        data={
            "label": "QGIS planering",
            "place": ["1"],
            "category": ["lighting", "vegetation"],
            "status": ["open"],
            "from": "2026-01-01",
        },
    )
    assert response.status_code == 303
    response = staff.get(response.location)
    url = re.search(r'id="qgis-url">([^<]+)<', response.text).group(1).replace("&amp;", "&")
    assert "/export/observations.geojson?token=wk_" in url
    # The URL shown works as it stands: the token itself holds the filters. The form starts over.
    tool = staff.application.test_client()
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert {f["id"] for f in tool.get(path).json["features"]} == {data["ids"]["bush"]}
    assert 'value="QGIS planering"' not in response.text
    assert not re.search(r'name="category" value="lighting" checked', response.text)
    # A filter naming nothing makes no token and says why.
    refused = staff.post("/tokens", data={"label": "Fel", "place": ["987654"]})
    assert refused.status_code == 400 and "987654" in refused.text
    assert "qgis-url" not in refused.text
    assert db.execute("select count(*) from api_tokens").fetchone()[0] == 1
