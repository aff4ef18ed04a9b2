"""A place named like an HTML element stays text in every tooltip, in a real browser: on the
capture screen, in the admin's upload preview and in a downloaded public map opened from disk
(issue 13, point 4)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join
from tests.helpers import PASSWORD, SERGELS_TORG, hash_password, open_offline, sign_in_page
from walkapp import settings
from walkapp.db import connect, database_path, transaction
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=window.pwned=1>"


@pytest.fixture
def server(server, tmp_path):
    # the shared browser app on a live server (tests/browser/conftest.py), stopped there
    db = connect(database_path(server.app))
    with transaction(db):  # as an admin's GeoJSON upload could name them
        db.execute("update places set name = ? || name", [EVIL])
    server.walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00")
    db.close()
    yield server


def hover_places(page) -> None:
    """The pointer over every shape (a place's centre may lie under another one)."""
    shapes = page.locator("path.leaflet-interactive")
    shapes.first.wait_for()
    for index in range(shapes.count()):
        shapes.nth(index).dispatch_event("mouseover", {"clientX": 100, "clientY": 100})


def assert_tooltip_is_text(page) -> None:
    tooltip = page.locator(".leaflet-tooltip", has_text="onerror").first
    expect(tooltip).to_contain_text(EVIL)
    assert tooltip.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None


def test_capture_screen_tooltips_are_text(context, server):
    context.grant_permissions(["geolocation"], origin=server.url)
    context.set_geolocation(SERGELS_TORG)
    page = context.new_page()
    join(page, server, server.walk)
    hover_places(page)
    assert_tooltip_is_text(page)


def test_downloaded_public_map_from_disk_keeps_names_as_text(browser, server, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/")
    with page.expect_download() as download:
        page.evaluate(
            "() => { const a = document.createElement('a'); a.href = '/maps/public?download=1';"
            " document.body.append(a); a.click(); }"
        )
    saved = tmp_path / "karta.html"
    download.value.save_as(saved)
    context.close()

    offline, disk, problems = open_offline(browser, saved)
    hover_places(disk)
    assert_tooltip_is_text(disk)
    assert problems == []  # the file's own CSP lets every one of its scripts run
    offline.close()


def test_admin_upload_preview_tooltips_are_text(browser, server):
    db = connect(database_path(server.app))
    users_db.create_user(db, "admin", hash_password(PASSWORD), "admin")
    db.close()
    ring = [[18.06, 59.33], [18.07, 59.33], [18.07, 59.335], [18.06, 59.335], [18.06, 59.33]]
    upload = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"name": EVIL + "Ny plats"},
            }
        ],
    }
    with server.app.app_context():
        folder = settings.current().pending_folder
    folder.mkdir(exist_ok=True)
    (folder / "evilupload.geojson").write_text(json.dumps(upload))
    context = browser.new_context()
    page = context.new_page()
    sign_in_page(page, server.url, "admin")
    page.goto(server.url + "/admin/places/preview?upload=evilupload&mode=upsert")
    hover_places(page)
    assert_tooltip_is_text(page)
    context.close()
