"""The public page in a real browser at phone size: works without JavaScript, passes axe-core."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from PIL import Image

from tests.browser.artifacts import screenshot
from tests.browser.axe import serious
from tests.public_page.seeding import HOTORGET, PLATTAN, add_finding, seed_walk
from walkapp import measures, observations, promises
from walkapp.db import connect, database_path
from walkapp.db import partners as partners_db
from walkapp.db import promises as promises_db
from walkapp.photos import store_photo
from walkapp.public import today

pytestmark = pytest.mark.browser

HEADINGS = (
    "Ungdomar",
    "Särskilt utsatta brottsoffer",
    "Otrygga och brottsutsatta platser",
    "Kriminella nätverk",
)


@pytest.fixture
def public_site(live_server):
    """This year's promise (copied from 2022) with two walks held, findings and an activity."""
    db = connect(database_path(live_server.app))
    year = today().year
    promise_id = promises.create(
        db, year, "Lokalpolisområde Norrmalm", f"Medborgarlöfte {year}", None, copy_from=1
    )
    youth = promises_db.list_commitments(db, promise_id)[0]
    promises.add_activity(
        db, youth["id"], f"{year}-01-02", "Uppsökande arbete vid Sergels torg", None, None
    )
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    for day, places in (("01-01", (PLATTAN,)), ("01-02", (PLATTAN, HOTORGET))):
        walk = seed_walk(db, f"{year}-{day}T18:00", places=places)
        first = add_finding(db, walk["id"], None, category="lighting")
        add_finding(db, walk["id"], None, category="feeling", rating="green", place=HOTORGET)
        measures.set_status(db, first, "done", None, 1)
    # Each measure in words, a long reason and a published after photo among them.
    impossible = add_finding(db, walk["id"], None, category="vegetation", place=HOTORGET)
    measures.set_status(db, impossible, "not_possible", None, reason="Fastighetsägaren" * 12)
    _publish_after_photo(db, live_server.app, first)
    seed_walk(
        db,
        f"{year + 1}-01-20T18:30",
        state="planned",
        public=True,
        meeting_point="Vid glasobelisken på Sergels torg",
    )
    db.close()
    return live_server


def _publish_after_photo(db, app, observation_id: str) -> None:
    folder = app.extensions["walkapp_settings"].photo_folder
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 140, 60)).save(buffer, "JPEG")
    stored = store_photo(buffer.getvalue(), folder, 10_000_000)
    photo_id = str(uuid.uuid4())
    observations.attach_photo(db, photo_id, observation_id, stored, folder, kind="after")
    observations.set_photo_public(db, photo_id, True, None)


def test_public_page_without_javascript_at_phone_size_shows_every_commitment(
    browser, browser_context_args, public_site
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(public_site.url + "/")
    assert page.viewport_size["width"] == 390
    for heading in HEADINGS:
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    bars = page.get_by_role("progressbar")
    assert bars.count() == 4
    assert [bars.nth(i).get_attribute("value") for i in range(4)] == ["1", "0", "2", "0"]
    assert page.get_by_role("progressbar", name="Otrygga och brottsutsatta platser").is_visible()
    for text in ("1 av 6", "0 av 6", "2 av 8", "0 av 4"):
        assert page.get_by_text(text, exact=True).first.is_visible()
    # Headline first: walks against the promise, things fixed of those to fix, the pace in words.
    headline = page.locator(".headline").inner_text()
    assert "2 av 8" in headline and "2 av 3" in headline and "saker åtgärdade" in headline
    assert page.get_by_text("i jämn takt hade vi gjort", exact=False).first.is_visible()
    # "Ni sa, vi gjorde" as cards on a phone (the table is for wide screens), and no box on the
    # page scrolls sideways.
    assert page.get_by_role("heading", name=PLATTAN, exact=True).is_visible()
    assert not page.get_by_role("table").is_visible()
    assert page.get_by_text("Vid glasobelisken på Sergels torg").is_visible()
    assert _sideways(page) == []
    # Each measure in words, with the after photo published.
    page.get_by_text("Åtgärd för åtgärd").first.click()
    assert page.get_by_text("Åtgärdat", exact=False).first.is_visible()
    assert page.locator(".measure-words img").first.evaluate("i => i.naturalWidth") > 0
    assert _sideways(page) == []
    details = page.get_by_text("Vad vi lovade och gjorde (1 insats)")
    details.click()  # <details> opens without JavaScript
    assert page.get_by_text("Uppsökande arbete vid Sergels torg").is_visible()
    context.close()


def _sideways(page) -> list[str]:
    """Every element whose content is wider than its box (a box that would scroll sideways)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'
                         || e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => e.tagName + '.' + e.className)"""
    )


def test_the_map_loads_leaflet_only_when_opened_and_wide_screens_keep_the_table(
    browser, browser_context_args, public_site
):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(public_site.url + "/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "leaflet" in url or "/maps/public" in url]
    page.get_by_text("Visa på karta").click()
    frame = page.frame_locator("iframe.public-map")
    frame.locator(".leaflet-container").wait_for()
    assert any("vendor/leaflet/leaflet.js" in url for url in fetched)
    assert not any("markercluster" in url or "heat" in url for url in fetched)
    context.close()
    wide = browser.new_context(viewport={"width": 1366, "height": 768})
    page = wide.new_page()
    page.goto(public_site.url + "/")
    table = page.get_by_role("table")
    assert table.is_visible() and table.get_by_role("rowheader", name=PLATTAN).is_visible()
    wide.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_page_has_no_serious_accessibility_violations(
    browser, browser_context_args, public_site, scheme
):
    # axe is injected as a script: the page's CSP (rightly) forbids that, so bypass it here.
    context = browser.new_context(**browser_context_args, bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(public_site.url + "/")
    page.evaluate("document.querySelectorAll('.place-card details').forEach(d => d.open = true)")
    page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert _sideways(page) == []
    found = serious(page, colours_only=scheme == "dark")
    screenshot(page, f"public-{scheme}.png", full_page=True)
    assert found == [], found
    context.close()


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.fixture
def long_attribution_site(tmp_path):
    """Tiles from a port where nothing answers (no internet here), with a long attribution: on a
    phone it fills the bottom line the scale used to share."""
    from tests.helpers import LiveServer, make_app

    server = LiveServer(
        make_app(
            tmp_path,
            TILE_URL="http://127.0.0.1:9/{z}/{x}/{y}.png",
            TILE_ATTRIBUTION="&copy; OpenStreetMap-bidragsgivare, kartdata under ODbL",
        )
    )
    yield server
    server.stop()


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)])
@pytest.mark.parametrize("code", ["ar", "fa", "sv"])
def test_the_public_maps_controls_speak_the_page_language_and_never_cover_each_other(
    browser, browser_context_args, long_attribution_site, code, width, height
):
    words = {
        "ar": ("تكبير", "تصغير"),
        "fa": ("بزرگ‌نمایی", "کوچک‌نمایی"),
        "sv": ("Zooma in", "Zooma ut"),
    }
    server = long_attribution_site
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": height}}
    )
    context.add_cookies([{"name": "lang", "value": code, "url": server.url}])
    page = context.new_page()
    page.goto(server.url + "/maps/public")
    zoom = page.locator(".leaflet-control-zoom")
    zoom.wait_for()
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == words[code][0]
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == words[code][1]
    boxes = {
        name: _box(page.locator(selector))
        for name, selector in (
            ("zoom", ".leaflet-control-zoom"),
            ("scale", ".leaflet-control-scale"),
            ("attribution", ".leaflet-control-attribution"),
        )
    }
    right_to_left = code in ("ar", "fa")
    # The zoom at the reading start: the right on an Arabic or Persian page.
    assert (boxes["zoom"]["x"] > width / 2) == right_to_left, boxes["zoom"]
    for one, other in (("zoom", "scale"), ("zoom", "attribution"), ("scale", "attribution")):
        assert not _overlap(boxes[one], boxes[other]), (one, other, boxes)
    scale = page.locator(".leaflet-control-scale-line").first.inner_text()
    assert re.fullmatch(r"\d+ k?m", scale), scale
    assert page.locator(".leaflet-control-scale-line").count() == 1  # metric only
    screenshot(page, f"public-map-{code}-{width}.png")
    context.close()
