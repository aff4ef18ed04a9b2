"""The walker's phone stores every observation where the walker was: a GPS reading or a pin
placed for that one observation, never a pin left over and never an invented position. Each
test reads the stored position back from the server."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join, record
from tests.helpers import SERGELS_TORG
from walkapp.db import connect, database_path

pytestmark = pytest.mark.browser

KUNGSTRADGARDEN = {"latitude": 59.3307, "longitude": 18.0716}


def rows(server, walk_id) -> list[dict]:
    db = connect(database_path(server.app))
    try:
        return list(
            db.query(
                "select id, category, rating, note, lon, lat, accuracy_m, position_source"
                " from observations where walk_id = ? order by recorded_at",
                [walk_id],
            )
        )
    finally:
        db.close()


def by_category(server, walk_id) -> dict:
    return {row["category"]: row for row in rows(server, walk_id)}


def metres(row, point) -> float:
    rad = math.pi / 180
    x = (row["lon"] - point["longitude"]) * rad * math.cos(point["latitude"] * rad)
    y = (row["lat"] - point["latitude"]) * rad
    return math.hypot(x, y) * 6_371_000


def move(phone, page, point, accuracy):
    phone.set_geolocation({**point, "accuracy": accuracy})
    expect(page.locator("#gps-status")).to_have_attribute("data-latest-m", str(accuracy))


def all_sent(page):
    expect(page.locator("#sync-status")).to_have_text("Allt är skickat", timeout=15_000)


def save_new(page, category, rating, **fields):
    """Record one and wait until the phone has listed it and the server has it."""
    items = page.locator("#mine-list .mine-item")
    before = items.count()
    record(page, category, rating, **fields)
    expect(items).to_have_count(before + 1)
    all_sent(page)


def tap_map(page, dx=0, dy=0):
    box = page.locator("#map").bounding_box()
    page.locator("#map").click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy})


def test_a_tapped_pin_holds_for_one_observation_then_the_gps_again(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    page.locator(".walker-pin").wait_for()
    tap_map(page, dx=120)
    expect(page.locator("#gps-status")).to_contain_text("Nålen är flyttad för hand")
    save_new(page, "Belysning", "Åtgärda")
    move(phone, page, KUNGSTRADGARDEN, 6)
    save_new(page, "Klotter", "Bevaka")
    stored = by_category(server, walk["id"])
    pinned, walked = stored["lighting"], stored["graffiti"]
    assert pinned["position_source"] == "pin" and pinned["accuracy_m"] is None
    assert 40 < metres(pinned, SERGELS_TORG) < 120  # where the walker tapped, east of the GPS
    assert walked["position_source"] == "gps" and walked["accuracy_m"] == 6
    assert metres(walked, KUNGSTRADGARDEN) < 1  # the live GPS, not the old pin


def test_after_an_edit_new_observations_follow_the_gps_and_the_edit_keeps_its_position(
    phone, server, walk
):
    page = phone.new_page()
    join(page, server, walk)
    save_new(page, "Nedskräpning", "Bevaka")
    before = by_category(server, walk["id"])["litter"]
    move(phone, page, KUNGSTRADGARDEN, 7)
    page.locator(".mine-item", has_text="Nedskräpning").get_by_role("button", name="Ändra").click()
    expect(page.locator("#edit-banner")).to_contain_text("Du ändrar Nedskräpning · Bevaka")
    page.get_by_label("Anteckning (frivilligt)").fill("Fulla papperskorgar")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".mine-item .note")).to_have_text("Fulla papperskorgar")
    all_sent(page)
    expect(page.locator("#edit-banner")).to_be_hidden()
    save_new(page, "Klotter", "Bra")
    stored = by_category(server, walk["id"])
    edited, new = stored["litter"], stored["graffiti"]
    # Only the note changed: position, accuracy and source are as first stored.
    assert edited["note"] == "Fulla papperskorgar" and edited["rating"] == "yellow"
    assert before["position_source"] == "gps" and before["accuracy_m"] is not None
    for field in ("lon", "lat", "accuracy_m", "position_source"):
        assert edited[field] == before[field]
    assert metres(new, KUNGSTRADGARDEN) < 1 and new["position_source"] == "gps"


def test_editing_straight_after_saving_keeps_the_typed_text(phone_without_worker, server, walk):
    # No service worker, so the route below sees the page's own requests.
    context = phone_without_worker
    edited = []

    def lose_answers_until_edited(route):
        if route.request.method == "POST" and not edited:
            route.fetch()  # stored on the server, but the phone does not hear back yet
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/api/walks/*/observations", lose_answers_until_edited)
    page = context.new_page()
    join(page, server, walk)
    record(page, "Belysning", "Åtgärda", note="Lampan")
    page.locator(".mine-item", has_text="Belysning").get_by_role("button", name="Ändra").click()
    expect(page.get_by_label("Anteckning (frivilligt)")).to_have_value("Lampan")
    page.get_by_label("Anteckning (frivilligt)").fill("Lampan vid trappan är trasig")
    page.get_by_role("button", name="Spara", exact=True).click()
    edited.append(True)
    all_sent(page)
    [row] = rows(server, walk["id"])
    assert row["note"] == "Lampan vid trappan är trasig"


def test_without_a_fix_spara_asks_for_a_tap_and_stores_a_pin(browser, server, walk):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    page = context.new_page()  # no geolocation permission: indoors, or refused
    page.goto(server.url + f"/j/{walk['code']}")
    page.get_by_role("button", name="Gå med").click()
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_role("button", name="Belysning", exact=True).click()
    page.get_by_role("button", name="Åtgärda", exact=True).click()
    page.get_by_role("button", name="Spara", exact=True).click()
    hint = page.locator("#form-error")
    expect(hint).to_have_text("Ingen position: tryck på kartan där du står, sedan Spara.")
    assert rows(server, walk["id"]) == []  # nothing stored at an invented position
    expect(page.locator(".walker-pin")).to_have_count(0)
    tap_map(page, dx=80)
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#result")).to_contain_text("✓")
    all_sent(page)
    [row] = rows(server, walk["id"])
    assert row["position_source"] == "pin" and row["accuracy_m"] is None
    context.close()


def test_spara_uses_the_best_recent_fix_and_waits_for_a_good_one(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    status = page.locator("#gps-status")
    # 300 m north of where the phone started: the walker has moved, older readings drop out.
    start = {"latitude": 59.3353, "longitude": 18.0649}
    move(phone, page, start, 15)
    expect(status).to_have_attribute("data-band", "good")
    # A poorer reading nearby does not replace the good one of a moment ago.
    nearby = {"latitude": start["latitude"] + 0.0002, "longitude": start["longitude"]}
    move(phone, page, nearby, 45)
    expect(status).to_have_text("GPS ±15 m")
    save_new(page, "Belysning", "Åtgärda")
    lighting = by_category(server, walk["id"])["lighting"]
    assert lighting["accuracy_m"] == 15 and metres(lighting, start) < 1

    # Only a poor fix: Spara waits a few seconds for a good one and takes it.
    far = {"latitude": 59.3380, "longitude": 18.0640}
    move(phone, page, far, 80)
    expect(status).to_have_attribute("data-band", "poor")
    page.get_by_role("button", name="Klotter", exact=True).click()
    page.get_by_role("button", name="Bevaka", exact=True).click()
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#form-error")).to_contain_text("bättre GPS (nu ±80 m)")
    phone.set_geolocation({**far, "accuracy": 12})
    expect(page.locator("#mine-list .mine-item")).to_have_count(2)
    all_sent(page)
    graffiti = by_category(server, walk["id"])["graffiti"]
    assert graffiti["accuracy_m"] == 12 and metres(graffiti, far) < 1


def test_a_map_tap_puts_the_pin_where_the_finger_lifted(phone, server, walk):
    """A touch screen may move the click it makes from a tap towards a nearby target; the pin
    goes where the pointer was, not where the click says (once 4.9 m off on the ground), and the
    server stores that place: within 0.5 m of the ground under the finger."""
    phone.set_geolocation({**SERGELS_TORG, "accuracy": 30})
    page = phone.new_page()
    join(page, server, walk)
    page.locator(".walker-pin").wait_for()
    # The GPS reading's accuracy circle gives the map's scale and the reading's pixel (a path's
    # centre is not rounded to the pixel as a marker is). Measured once the map has stopped
    # moving (a busy machine may still be panning it to the reading), and in the same script
    # as the tap, so nothing moves between them.
    page.wait_for_function(
        """async () => {
          const at = () => JSON.stringify(document.querySelector(".walker-pin").getBoundingClientRect());
          const first = at();
          await new Promise(done => setTimeout(done, 300));
          return at() === first;
        }"""
    )
    gps = page.locator("#map").evaluate(
        """(map) => {
          const pin = document.querySelector(".walker-pin").getBoundingClientRect();
          const tip = {x: pin.left + 18, y: pin.top + 47};
          const gps = [...document.querySelectorAll(".leaflet-overlay-pane path")]
            .map(path => path.getBoundingClientRect())
            .map(box => ({x: box.left + box.width / 2, y: box.top + box.height / 2,
                          px_per_m: box.width / 60, wide: box.width > 20}))
            .find(c => c.wide && Math.abs(c.x - tip.x) < 1.5 && Math.abs(c.y - tip.y) < 1.5);
          if (gps === undefined) return null;
          const lifted = {x: gps.x - 60.4, y: gps.y - 30.7};
          const clicked = {x: lifted.x + 7, y: lifted.y + 5};
          const at = ({x, y}) => ({clientX: x, clientY: y, bubbles: true, cancelable: true});
          const pointer = {pointerId: 7, pointerType: "touch", isPrimary: true};
          map.dispatchEvent(new PointerEvent("pointerdown", {...at(lifted), ...pointer}));
          map.dispatchEvent(new PointerEvent("pointerup", {...at(lifted), ...pointer}));
          map.dispatchEvent(new MouseEvent("click", at(clicked)));
          return gps;
        }"""
    )
    assert gps is not None
    lifted = {"x": gps["x"] - 60.4, "y": gps["y"] - 30.7}
    expect(page.locator("#gps-status")).to_contain_text("Nålen är flyttad för hand")
    # The pin stands where the finger lifted, relative to the reading (the map may pan after).
    now = page.evaluate(
        """() => {
          const pin = document.querySelector(".walker-pin").getBoundingClientRect();
          const circle = [...document.querySelectorAll(".leaflet-overlay-pane path")]
            .map(p => p.getBoundingClientRect()).find(b => b.width > 20);
          return {tip: {x: pin.left + 18, y: pin.top + 47},
                  gps: {x: circle.left + circle.width / 2, y: circle.top + circle.height / 2}};
        }"""
    )
    moved = {"x": now["gps"]["x"] - gps["x"], "y": now["gps"]["y"] - gps["y"]}
    tip = {"x": now["tip"]["x"] - moved["x"], "y": now["tip"]["y"] - moved["y"]}
    assert abs(tip["x"] - lifted["x"]) <= 1 and abs(tip["y"] - lifted["y"]) <= 1, (tip, lifted)
    save_new(page, "Belysning", "Åtgärda")
    [row] = rows(server, walk["id"])
    assert row["position_source"] == "pin"
    rad = math.pi / 180
    east = (row["lon"] - SERGELS_TORG["longitude"]) * rad * math.cos(SERGELS_TORG["latitude"] * rad)
    north = (row["lat"] - SERGELS_TORG["latitude"]) * rad
    stored = {"east": east * 6_371_000, "north": north * 6_371_000}
    under_finger = {
        "east": (lifted["x"] - gps["x"]) / gps["px_per_m"],
        "north": -(lifted["y"] - gps["y"]) / gps["px_per_m"],
    }
    off = math.hypot(stored["east"] - under_finger["east"], stored["north"] - under_finger["north"])
    assert off < 0.5, (stored, under_finger)
