"""Leaflet's controls on staff pages' JS maps speak the reader's language (issue 23, point 10):
Leaflet titles its zoom buttons "Zoom in"/"Zoom out" and its attribution link "A JavaScript
library for interactive maps" in English. The walk page's route map and live map, the route
drawing of the walk form, triage and the places upload's preview read their words from
walkapp/map_controls.py (as the folium maps do) in Swedish and in English; so does the walkers'
capture screen, through the same static/js/map_controls.js, in all six languages."""

from __future__ import annotations

import json
import uuid

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.browser.test_languages import PHONE_LOCALES
from tests.browser.test_map_text import route, signed_in
from tests.helpers import PASSWORD, SERGELS_TORG, hash_password, login, plan_walk, query
from walkapp import clock, languages, map_controls
from walkapp.db import connect, database_path
from walkapp.db import users as users_db

pytestmark = pytest.mark.browser

TITLES = {
    "sv": ("Zooma in", "Zooma ut"),
    "en": ("Zoom in", "Zoom out"),
}
LEAFLET = {
    "sv": "Ett JavaScript-bibliotek för interaktiva kartor",
    "en": "A JavaScript library for interactive maps",
}


@pytest.fixture
def world(server, tmp_path):
    # the shared browser app on a live server (tests/browser/conftest.py), stopped there
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


def zoom_titles(page, box: str) -> tuple[str, str]:
    zoom_in = page.locator(f"{box} .leaflet-control-zoom-in")
    zoom_in.wait_for()
    assert page.locator(f"{box} .leaflet-control-zoom").count() == 1  # Leaflet's own is off
    zoom_out = page.locator(f"{box} .leaflet-control-zoom-out")
    return zoom_in.get_attribute("title"), zoom_out.get_attribute("title")


def leaflet_title(page, box: str) -> str:
    """The title of Leaflet's own link in the attribution (its prefix)."""
    link = page.locator(f"{box} .leaflet-control-attribution a[href='https://leafletjs.com']")
    link.wait_for(state="attached")
    return link.get_attribute("title")


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
        assert leaflet_title(page, box) == LEAFLET[language], (path, box)
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
    assert leaflet_title(page, "#preview-map") == LEAFLET[language]
    # The folium maps, the public one in the reader's language.
    for path in ("/maps/overview", "/maps/public"):
        page.goto(server.url + path)
        expected = LEAFLET["sv"] if path == "/maps/overview" else LEAFLET[language]
        assert leaflet_title(page, ".folium-map") == expected, path
    context.close()


def _in(server, code: str, text: str) -> str:
    with server.app.test_request_context(), force_locale(code):
        return _(text)


@pytest.mark.parametrize("code", list(languages.NAMES))
def test_the_capture_screen_titles_its_controls_through_the_shared_module(browser, world, code):
    server, walk = world["server"], world["walk"]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale=PHONE_LOCALES[code]
    )
    page = context.new_page()
    page.goto(server.url + f"/j/{walk['code']}")
    page.locator("#name").fill("Aino")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("html").get_attribute("lang") == code
    # The options come from walkapp/map_controls.py, as on every other map.
    controls = json.loads(page.locator("#map").get_attribute("data-controls"))
    assert controls["zoom_in"] == _in(server, code, map_controls.WORDS_SV["zoom_in"])
    assert zoom_titles(page, "#map") == (
        _in(server, code, "Zooma in"),
        _in(server, code, "Zooma ut"),
    )
    assert leaflet_title(page, "#map") == _in(server, code, LEAFLET["sv"])
    if code != "sv":
        assert leaflet_title(page, "#map") != LEAFLET["sv"]
    if languages.direction(code) == "rtl":  # the zoom at the reading start: the right
        assert page.locator("#map .leaflet-control-zoom").bounding_box()["x"] > 390 / 2
    else:
        assert page.locator("#map .leaflet-control-zoom").bounding_box()["x"] < 390 / 2
    context.close()
