"""One screen, one hand, at 390×844: category, rating and Spara reachable without hunting, what
is missing said beside Spara, a confirmation that cannot be missed, no text dropped silently,
the screen kept on, and ready for offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join
from tests.browser.test_capture_position import all_sent, rows

pytestmark = pytest.mark.browser


def topmost(page, locator) -> bool:
    """The element is in the viewport and nothing (a sticky bar) covers its centre."""
    return page.evaluate(
        """(element) => {
          const box = element.getBoundingClientRect();
          const x = box.left + box.width / 2, y = box.top + box.height / 2;
          if (y < 0 || y > innerHeight) return false;
          const hit = document.elementFromPoint(x, y);
          return hit === element || element.contains(hit);
        }""",
        locator.element_handle(),
    )


def test_category_rating_and_spara_are_in_reach_and_spara_says_what_is_missing(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    save = page.get_by_role("button", name="Spara", exact=True)
    expect(save).to_have_attribute("data-complete", "false")
    save.click()
    hint = page.locator("#form-error")
    expect(hint).to_have_text("Välj en kategori.")
    assert topmost(page, hint) and hint.bounding_box()["y"] < save.bounding_box()["y"]
    category = page.get_by_role("button", name="Övrigt", exact=True)  # the last one
    assert topmost(page, category)
    category.click()
    for name in ("Åtgärda", "Bevaka", "Bra"):
        assert topmost(page, page.get_by_role("button", name=name, exact=True))
    save.click()
    expect(hint).to_have_text("Välj Åtgärda, Bevaka eller Bra.")
    page.get_by_role("button", name="Bra", exact=True).click()
    expect(save).to_have_attribute("data-complete", "true")
    assert topmost(page, save)
    save.click()

    result = page.locator("#result")
    expect(result).to_have_text("✓ Sergels torg / Plattan — på platsen")
    assert topmost(page, result)
    # Ready for the next one: the map and the categories in view, nothing chosen.
    assert page.evaluate("scrollY") == 0
    assert topmost(page, page.get_by_role("button", name="Belysning", exact=True))
    expect(page.locator(".category[aria-pressed=true]")).to_have_count(0)
    expect(save).to_have_attribute("data-complete", "false")


def test_a_long_pasted_note_is_never_cut_silently(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    note = page.get_by_label("Anteckning (frivilligt)")
    pasted = "Belysningen" * 191  # 2 101 characters, no spaces
    note.fill(pasted)
    counter = page.locator("#note-count")
    expect(counter).to_have_text("2101 av 2000 tecken")
    page.get_by_role("button", name="Belysning", exact=True).click()
    page.get_by_role("button", name="Åtgärda", exact=True).click()
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#form-error")).to_have_text(
        "Anteckningen är 2101 tecken, högst 2000 – korta den."
    )
    assert note.input_value() == pasted  # all of it still there
    assert rows(server, walk["id"]) == []
    note.fill(pasted[:2000])
    expect(counter).to_have_text("2000 av 2000 tecken")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#mine-list .mine-item")).to_have_count(1)
    all_sent(page)
    [row] = rows(server, walk["id"])
    assert row["note"] == pasted[:2000]


def test_screen_on_switch_and_ready_for_offline(phone, server, walk):
    page = phone.new_page()
    # Headless Chromium refuses a wake lock unless allowed, as a phone may on low battery.
    cdp = phone.new_cdp_session(page)
    context_id = cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "screen-wake-lock"},
            "setting": "granted",
            "origin": server.url,
            "browserContextId": context_id,
        },
    )
    join(page, server, walk)
    expect(page.locator("#offline-status")).to_have_text("Redo för offline ✓")
    switch = page.get_by_role("button", name="Skärmen tänd")
    expect(switch).to_be_visible()
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "false")


def test_tiles_over_the_walks_places_are_kept_ahead_where_allowed(browser, tmp_path):
    from tests.helpers import LiveServer, make_app
    from walkapp.db import connect, database_path
    from walkapp.db import walks as walks_db

    # A tile server of our own (here the app's own icon stands in for every tile).
    tiles = "/static/icons/icon-192.png?z={z}&x={x}&y={y}"
    server = LiveServer(make_app(tmp_path, TILE_URL=tiles, TILE_PRECACHE=500))
    db = connect(database_path(server.app))
    walk = walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")
    db.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    try:
        page = context.new_page()
        page.goto(server.url + f"/j/{walk['code']}")
        page.get_by_role("button", name="Gå med").click()
        expect(page.locator("#offline-status")).to_have_text("Redo för offline ✓", timeout=30_000)
        kept = page.evaluate(
            "caches.open('walkapp-tiles').then((cache) => cache.keys()).then((keys) => keys.length)"
        )
        assert 0 < kept <= 500
    finally:
        context.close()
        server.stop()
