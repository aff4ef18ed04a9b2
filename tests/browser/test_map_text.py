"""User text on every map stays text, in a real browser (issue 23, point 1).

A coordinator named a route stop `${…}`: folium wrote it into a JavaScript template literal in an
inline script that carried the page's nonce, and it ran when an admin opened the overview map.
Here each payload is planted through the forms and the phone's API in every field that reaches a
map (stop names, walk titles, place names, partner names, observation notes), and every map
page and a downloaded map file is opened: no dialog, no console error, no injected element, no script
that holds the text, and the text shows literally in the tooltips and popups.
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.browser.artifacts import screenshot
from tests.helpers import (
    PASSWORD,
    SERGELS_TORG,
    hash_password,
    login,
    plan_walk,
    query,
    sign_in_page,
)
from walkapp import clock
from walkapp.db import connect, database_path
from walkapp.db import users as users_db

pytestmark = pytest.mark.browser

PAYLOADS = {
    "template": "${alert(1)}",
    "script": "</script><script>alert(1)</script>",
    "element": "<img src=x onerror=alert(1)>",
}
LON, LAT = SERGELS_TORG["longitude"], SERGELS_TORG["latitude"]
KUNGSTRADGARDEN = [18.0716, 59.3310]


def planted(payload: str) -> dict[str, str]:
    """The text each field gets: the payload, then a word saying which field it is."""
    return {
        field: f"{payload} {word}"
        for field, word in {
            "stop": "stopp",
            "title": "titel",
            "place": "plats",
            "partner": "partner",
            "note": "anteckning",
        }.items()
    }


def route(stop_name: str) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[LON, LAT], KUNGSTRADGARDEN],
                    },
                    "properties": {},
                },
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [LON, LAT]},
                    "properties": {"name": stop_name},
                },
            ],
        }
    )


@pytest.fixture(params=sorted(PAYLOADS))
def world(request, server, tmp_path):
    """The payload planted the way people plant it: the admin's and coordinator's forms, the
    walker's phone API. Returns the server, the texts, the walk and the observation."""
    texts = planted(PAYLOADS[request.param])
    # the shared browser app on a live server (tests/browser/conftest.py), stopped there
    db = connect(database_path(server.app))
    for role in ("coordinator", "admin"):
        users_db.create_user(db, role, hash_password(PASSWORD), role)
    db.close()
    client = server.app.test_client()
    login(client, "admin")
    assert client.post(
        "/admin/places/1/edit", data={"name": texts["place"], "priority": "1"}
    ).status_code in (302, 303)
    assert client.post(
        "/admin/partners", data={"name": texts["partner"], "kind": "other"}
    ).status_code in (302, 303)
    starts = clock.now_utc().astimezone(clock.STOCKHOLM).strftime("%Y-%m-%dT%H:%M")
    created = plan_walk(client, texts["title"], starts, place_ids=["1"], route=route(texts["stop"]))
    assert created.status_code == 302, created.text
    walk = query(server, "select * from walks")[0]
    joined = client.post("/api/join", json={"code": walk["code"], "name": "Anna"})
    token = {"Authorization": "Bearer " + joined.json["token"]}
    observation_id = str(uuid.uuid4())
    recorded = client.post(
        f"/api/walks/{walk['id']}/observations",
        headers=token,
        json={
            "id": observation_id,
            "category": "lighting",
            "rating": "red",
            "note": texts["note"],
            "lon": LON,
            "lat": LAT,
            "accuracy_m": 8,
            "recorded_at": clock.now_utc().isoformat(),
        },
    )
    assert recorded.status_code == 201, recorded.json
    partner = query(server, "select id from partners where name = ?", [texts["partner"]])[0]
    assigned = client.post(
        f"/observations/{observation_id}/triage",
        data={"status": "assigned", "partner_id": str(partner["id"])},
    )
    assert assigned.status_code in (302, 303), assigned.text
    # Stored as typed: the fix is in how maps show text, not in what is kept.
    assert query(server, "select name from places where id = 1")[0]["name"] == texts["place"]
    assert walk["title"] == texts["title"]
    stored = query(server, "select geojson from routes where walk_id = ?", [walk["id"]])[0]
    assert json.loads(stored["geojson"])["features"][1]["properties"]["name"] == texts["stop"]
    assert query(server, "select note from observations")[0]["note"] == texts["note"]
    yield {"server": server, "texts": texts, "walk": walk, "observation": observation_id}


class Watch:
    """Everything a page did that it must not: dialogs, console errors, uncaught errors."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("dialog", lambda d: (self.problems.append("dialog: " + d.message), d.dismiss()))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(str(e)))

    def _console(self, message) -> None:
        where = (message.location or {}).get("url", "")
        # A folium page names no icon, so Chromium asks for /favicon.ico: not the page's doing.
        if message.type == "error" and not where.endswith("/favicon.ico"):
            self.problems.append(f"{message.text} {where}")


INJECTED = """() => ({
  images: document.querySelectorAll('img[src="x"], [onerror]').length,
  scripts: [...document.scripts]
    .filter((s) => !s.type || s.type === "module" || s.type.includes("javascript"))
    .filter((s) => s.textContent.includes("alert(1)")).length,
})"""


def assert_nothing_injected(page, watch: Watch) -> None:
    assert page.evaluate(INJECTED) == {"images": 0, "scripts": 0}
    assert watch.problems == []


HOVER = """() => [...document.querySelectorAll('.leaflet-interactive')].flatMap((element) => {
  const at = {bubbles: true, clientX: 100, clientY: 100};
  element.dispatchEvent(new MouseEvent('mouseover', at));
  const shown = [...document.querySelectorAll('.leaflet-tooltip')].map((t) => t.textContent);
  element.dispatchEvent(new MouseEvent('mouseout', at));
  return shown;
})"""


def hover_everything(page) -> list[str]:
    """The pointer over each shape and marker in turn; the tooltips' text as the page shows it."""
    page.wait_for_function("document.querySelectorAll('.leaflet-interactive').length > 0")
    return page.evaluate(HOVER)


def show_tooltip(page, text: str, shot: str) -> None:
    """Leave the tooltip holding `text` open and keep a picture of it (test-artifacts/)."""
    page.evaluate(
        """(text) => [...document.querySelectorAll('.leaflet-interactive')].some((element) => {
             const at = {bubbles: true, clientX: 200, clientY: 200};
             element.dispatchEvent(new MouseEvent('mouseover', at));
             const tips = [...document.querySelectorAll('.leaflet-tooltip')];
             if (tips.some((t) => t.textContent.includes(text))) return true;
             element.dispatchEvent(new MouseEvent('mouseout', at));
             return false;
           })""",
        text,
    )
    screenshot(page, shot)


def assert_shown(texts: list[str], *expected: str) -> None:
    for text in expected:
        assert any(text in shown for shown in texts), (text, texts)


def open_popup(page) -> str:
    page.locator(".wm-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    return popup.text_content()


def signed_in(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE")
    page = context.new_page()
    sign_in_page(page, server.url, "admin")
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def test_folium_maps_show_user_text_as_text(browser, world, tmp_path):
    server, texts, walk = world["server"], world["texts"], world["walk"]
    context, page = signed_in(browser, server)
    watch = Watch(page)
    for path, expected in [
        ("/maps/overview", ("place", "stop")),
        (f"/maps/walk/{walk['id']}", ("place", "stop")),
        ("/maps/place/1", ("place",)),
    ]:
        page.goto(server.url + path)
        page.wait_for_selector("html[data-map-ready=true]")
        assert_shown(hover_everything(page), *(texts[k] for k in expected))
        popup = open_popup(page)
        assert_shown([popup], texts["note"], texts["place"], texts["partner"])
        assert_nothing_injected(page, watch)
        if path == "/maps/overview":
            show_tooltip(page, texts["stop"], "map-text-overview-1366.png")
    assert page.title() == texts["place"]
    page.goto(server.url + f"/maps/walk/{walk['id']}")
    page.wait_for_selector("html[data-map-ready=true]")
    assert page.title() == texts["title"]

    page.goto(server.url + "/maps/public")
    assert_shown(hover_everything(page), texts["place"])
    assert_nothing_injected(page, watch)

    # Downloaded maps, opened from disk with the network off.
    for path in ("/maps/overview", f"/maps/walk/{walk['id']}"):
        saved = tmp_path / "karta.html"
        saved.write_bytes(context.request.get(server.url + path + "?download=1").body())
        offline = browser.new_context(viewport={"width": 390, "height": 844})
        offline.set_offline(True)
        disk = offline.new_page()
        disk_watch = Watch(disk)
        disk.goto(saved.as_uri())
        disk.wait_for_selector("html[data-map-ready=true]")
        assert_shown(hover_everything(disk), texts["place"], texts["stop"])
        assert_shown([open_popup(disk)], texts["note"], texts["partner"])
        assert_nothing_injected(disk, disk_watch)
        offline.close()
    context.close()


def test_walk_page_protocol_and_triage_maps_show_user_text_as_text(browser, world):
    server, texts, walk = world["server"], world["texts"], world["walk"]
    context, page = signed_in(browser, server)
    watch = Watch(page)
    for name, path in (
        ("walk", f"/walks/{walk['id']}"),
        ("protocol", f"/walks/{walk['id']}/protocol"),
    ):
        page.goto(server.url + path)
        page.wait_for_selector("#route-map[data-ready=true]")
        assert_shown(hover_everything(page), texts["stop"])
        assert_shown([page.locator("h1").text_content()], texts["title"])
        assert_nothing_injected(page, watch)
        show_tooltip(page, texts["stop"], f"map-text-{name}-1366.png")
    page.goto(server.url + f"/observations/{world['observation']}/triage")
    page.wait_for_selector("#triage-map .leaflet-interactive")
    assert_nothing_injected(page, watch)
    context.close()


def test_capture_screen_shows_user_text_as_text(context, world):
    server, texts, walk = world["server"], world["texts"], world["walk"]
    context.grant_permissions(["geolocation"], origin=server.url)
    context.set_geolocation(SERGELS_TORG)
    page = context.new_page()
    watch = Watch(page)
    page.goto(server.url + "/j/" + walk["code"])
    page.get_by_role("button", name="Gå med").click()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("#route-tools[data-route]")
    page.wait_for_selector(".stop-number")
    assert_shown(hover_everything(page), texts["stop"], texts["place"])
    assert_nothing_injected(page, watch)
    show_tooltip(page, texts["stop"], "map-text-capture-390.png")
