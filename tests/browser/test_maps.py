"""Follow-up maps in a real browser with every request to another host blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.helpers import PASSWORD, LiveServer, hash_password, make_app, open_offline, sign_in_page
from tests.test_coordinators import add_observation
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    # A tile URL on another host: the test proves the page needs nothing from it.
    server = LiveServer(
        make_app(tmp_path, TILE_URL="https://tiles.example.invalid/{z}/{x}/{y}.png")
    )
    db = connect(database_path(server.app))
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator")
    walk = walks_db.create_walk(db, title="Karta", starts_at="2026-11-24T18:00")
    for i in range(60):  # a crowd at Plattan that clusters
        add_observation(
            db,
            walk["id"],
            18.0640 + (i % 10) * 0.0001,
            59.3322 + (i // 10) * 0.0001,
            category=["lighting", "litter", "graffiti"][i % 3],
        )
    add_observation(
        db,
        walk["id"],
        18.0800,
        59.3400,
        category="lighting",
        note="<script>alert(1)</script> Ensam lampa",
    )
    db.close()
    yield server
    server.stop()


def signed_in_page(browser, server, blocked):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")

    def only_our_server(route):
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_our_server)
    page = context.new_page()
    sign_in_page(page, server.url, "kim")
    return context, page


def visible_categories(page) -> list[str]:
    return page.evaluate("window.walkappFollowUpState.visible()")


def test_overview_map_offline_clusters_popup_and_layer_toggle(browser, server, tmp_path):
    blocked = []
    context, page = signed_in_page(browser, server, blocked)
    errors = []
    # Tiles are the one thing allowed to fail (blocked here); nothing else may.
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and "tiles.example.invalid" not in (m.location or {}).get("url", "")
            and errors.append(m.text)
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/maps/overview")
    page.wait_for_selector("html[data-map-ready=true]")
    expect(page.locator(".wm-cluster").first).to_be_visible()
    assert len(visible_categories(page)) == 61

    # The lone lamp is its own marker: its popup shows the note as text.
    popup = page.locator(".leaflet-popup-content")
    # On a busy machine the first click can land while Leaflet still moves the map: click again.
    for _attempt in range(3):
        page.locator(".wm-icon").first.click()
        try:
            popup.wait_for(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            continue
    expect(popup).to_contain_text("<script>alert(1)</script> Ensam lampa")
    assert page.locator(".leaflet-popup-content script").count() == 0

    page.get_by_label("Belysning (21)").uncheck()
    remaining = visible_categories(page)
    assert "lighting" not in remaining and len(remaining) == 40
    page.get_by_label("Belysning (21)").check()
    assert len(visible_categories(page)) == 61
    assert {url.split("/")[2] for url in blocked} <= {"tiles.example.invalid"}
    assert errors == []
    screenshot(page, "map-overview.png")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner kartan").click()
    saved = tmp_path / "karta.html"
    download.value.save_as(saved)
    context.close()

    offline, disk, disk_errors = open_offline(browser, saved, console_errors=False)
    disk.wait_for_selector("html[data-map-ready=true]")
    expect(disk.locator(".wm-cluster").first).to_be_visible()
    assert len(visible_categories(disk)) == 61
    assert disk_errors == []
    offline.close()


def test_an_overview_above_the_points_limit_shows_counted_cells(
    browser, server, tmp_path, monkeypatch
):
    from walkapp import maps

    monkeypatch.setattr(maps, "POINTS_MAX", 10)
    blocked, errors = [], []
    context, page = signed_in_page(browser, server, blocked)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/maps/overview")
    page.wait_for_selector("html[data-map-ready=true]")
    cells = page.evaluate("window.walkappFollowUpState.cells")
    counts = [int(text) for text in page.locator(".wm-cluster span").all_text_contents()]
    assert len(counts) == cells > 1 and sum(counts) == 61 and 1 in counts  # the lone lamp
    expect(page.locator(".map-notice")).to_contain_text("61 observationer, räknade per ruta")
    assert "Ensam lampa" not in page.content()
    # Zoomed in, finer cells. Here the walk's findings lie within some hundred metres, so the
    # extent's cells are fine already; cells of a quarter of the extent each make the levels show.
    monkeypatch.setattr(maps, "CELLS_ACROSS", 4)
    page.reload()
    page.wait_for_selector("html[data-map-ready=true]")
    before = page.evaluate("window.walkappFollowUpState.level")
    notice = page.locator(".map-notice").inner_text()
    for _ in range(4):
        page.get_by_title("Zooma in").click()
        page.wait_for_timeout(350)
    after = page.evaluate("window.walkappFollowUpState.level")
    assert after > before and page.locator(".map-notice").inner_text() != notice
    assert page.locator(".wm-cluster").count() == page.evaluate("window.walkappFollowUpState.cells")
    assert errors == []
    screenshot(page, "map-overview-cells.png")
    context.close()
