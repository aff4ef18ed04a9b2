"""Leaflet's controls on staff pages' JS maps speak the reader's language (issue 23, point 10):
Leaflet titles its zoom buttons "Zoom in"/"Zoom out" in English. The walk page's route map and
live map, the route drawing of the walk form, triage and the places upload's preview read their
words from walkapp/map_controls.py (as the folium maps do) in Swedish and in English."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.browser.test_map_text import route, signed_in
from tests.helpers import PASSWORD, SERGELS_TORG, LiveServer, login, make_app, plan_walk, query
from walkapp import clock
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.passwords import hash_password

pytestmark = pytest.mark.browser

TITLES = {
    "sv": ("Zooma in", "Zooma ut"),
    "en": ("Zoom in", "Zoom out"),
}


@pytest.fixture
def world(tmp_path):
    server = LiveServer(make_app(tmp_path, TILE_URL="none"))
    db = connect(database_path(server.app))
    users_db.create_user(db, "admin", hash_password(PASSWORD), "admin")
    db.close()
    client = server.app.test_client()
    login(client, "admin")
    starts = clock.now_utc().astimezone(clock.STOCKHOLM).strftime("%Y-%m-%dT%H:%M")
    created = plan_walk(client, "Kväll", starts, place_ids=["1"], route=route("Stopp"))
    assert created.status_code == 302, created.text
    walk = query(server, "select * from walks")[0]
    joined = client.post("/api/join", json={"code": walk["code"], "name": "Anna"})
    observation_id = str(uuid.uuid4())
    recorded = client.post(
        f"/api/walks/{walk['id']}/observations",
        headers={"Authorization": "Bearer " + joined.json["token"]},
        json={
            "id": observation_id,
            "category": "lighting",
            "rating": "red",
            "note": "Lampa",
            "lon": SERGELS_TORG["longitude"],
            "lat": SERGELS_TORG["latitude"],
            "accuracy_m": 8,
            "recorded_at": clock.now_utc().isoformat(),
        },
    )
    assert recorded.status_code == 201, recorded.json
    yield {"server": server, "walk": walk, "observation": observation_id}
    server.stop()


def zoom_titles(page, box: str) -> tuple[str, str]:
    zoom_in = page.locator(f"{box} .leaflet-control-zoom-in")
    zoom_in.wait_for()
    assert page.locator(f"{box} .leaflet-control-zoom").count() == 1  # Leaflet's own is off
    zoom_out = page.locator(f"{box} .leaflet-control-zoom-out")
    return zoom_in.get_attribute("title"), zoom_out.get_attribute("title")


@pytest.mark.parametrize("language", sorted(TITLES))
def test_staff_maps_title_their_controls_in_the_readers_language(
    browser, world, tmp_path, language
):
    server, walk = world["server"], world["walk"]
    context, page = signed_in(browser, server)
    page.goto(server.url + f"/lang/{language}")
    pages = [
        (f"/walks/{walk['id']}", "#route-map"),
        (f"/walks/{walk['id']}", "#live-map"),
        (f"/walks/{walk['id']}/edit", "#route-draw-map"),
        (f"/observations/{world['observation']}/triage", "#triage-map"),
    ]
    for path, box in pages:
        page.goto(server.url + path)
        assert zoom_titles(page, box) == TITLES[language], (path, box)
    # The places upload's preview.
    upload = tmp_path / "platser.geojson"
    lon, lat = SERGELS_TORG["longitude"], SERGELS_TORG["latitude"]
    ring = [[lon, lat], [lon + 0.002, lat], [lon + 0.002, lat + 0.002], [lon, lat]]
    feature = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"name": "Ny plats", "external_id": "ny-1"},
    }
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    page.goto(server.url + "/admin/places")
    page.set_input_files("form[enctype='multipart/form-data'] input[type=file]", upload)
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/places/preview" in url)
    assert zoom_titles(page, "#preview-map") == TITLES[language]
    context.close()
