"""The planned route in a real browser: the coordinator draws the route and stops on the walk
form (checked on the server); and the phone's track filter (static/js/track_filter.js, pure)
unit-tested in the page against the rules of walkapp/tracks.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD, hash_password, sign_in_page
from walkapp import tracks
from walkapp.db import connect, database_path
from walkapp.db import routes as routes_db
from walkapp.db import users as users_db
from walkapp.routes import stops_of

pytestmark = pytest.mark.browser


def test_coordinator_draws_the_route_and_stops_on_the_walk_form(page, server, walk):
    db = connect(database_path(server.app))
    users_db.create_user(db, "samordnare", hash_password(PASSWORD), "coordinator")
    db.close()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_page(page, server.url, "samordnare")
    page.goto(f"{server.url}/walks/{walk['id']}/edit")
    page.locator("#route-draw[data-ready=true]").wait_for()
    drawing = page.locator("#route-draw-map")
    drawing.scroll_into_view_if_needed()
    box = drawing.bounding_box()
    for dx in (-150, -50, 50, 150):
        drawing.click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2})
    page.get_by_role("button", name="Lägg till stopp").click()
    for dx in (-150, 150):
        drawing.click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + 30})
    expect(page.locator("#route-summary")).to_have_text("4 punkter i rutten, 2 stopp")
    page.get_by_role("button", name="Ångra").click()
    expect(page.locator("#route-summary")).to_have_text("4 punkter i rutten, 1 stopp")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#route-map[data-ready=true]")).to_have_count(1)
    expect(page.locator("#route-map")).to_have_attribute("data-features", "2")
    db = connect(database_path(server.app))
    route = routes_db.get_route(db, walk["id"])
    db.close()
    line = route["features"][0]["geometry"]["coordinates"]
    assert len(line) == 4 and line[0][0] < line[-1][0]  # drawn west to east
    assert [(s["number"], s["name"]) for s in stops_of(route)] == [(1, "")]


def test_track_filter_rules_in_the_page(page, server):
    """track_filter.js, the phone's pure module, against the rules handed over by tracks.RULES."""
    page.goto(server.url + "/static/icons/icon.svg")
    results = page.evaluate(
        """async (rules) => {
          const { TrackFilter } = await import('/static/js/track_filter.js');
          const east = (m) => 18.0649 + m / (111320 * Math.cos(59.3326 * Math.PI / 180));
          const run = (fixes) => {
            const filter = new TrackFilter(rules);
            return fixes.map(([s, m, acc]) => {
              const { point, reason } = filter.add({ lon: east(m), lat: 59.3326, accuracy: acc, t: s * 1000 });
              return point ? (point.gap ? 'gap' : 'kept') : reason;
            });
          };
          return {
            walk: run([[0, 0, 5], [8, 11, 5], [12, 14, 5], [27, 16, 5]]),
            accuracy: run([[0, 0, 5], [10, 13, 31], [20, 26, 30]]),
            jump: run([[0, 0, 5], [10, 200, 5], [20, 26, 5], [30, 400, 5], [31, 404, 5], [32, 408, 5]]),
            gap: run([[0, 0, 5], [10, 13, 5], [70, 100, 5]]),
            broken: (() => {
              const filter = new TrackFilter(rules);
              filter.add({ lon: east(0), lat: 59.3326, accuracy: 5, t: 0 });
              filter.break();
              return filter.add({ lon: east(12), lat: 59.3326, accuracy: 5, t: 10000 }).point.gap;
            })(),
          };
        }""",
        tracks.RULES,
    )
    # every 10 m or 15 s; closer and sooner is dropped
    assert results["walk"] == ["kept", "kept", "close", "kept"]
    assert results["accuracy"] == ["kept", "accuracy", "kept"]
    # a jump is dropped; three in a row start a new part there
    assert results["jump"] == ["kept", "jump", "kept", "jump", "jump", "gap"]
    # 60 s without a point: the next one starts a new part, never a line across the gap
    assert results["gap"] == ["kept", "kept", "gap"]
    assert results["broken"] is True
