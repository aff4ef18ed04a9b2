"""Switching language halfway through an observation keeps it: the category, the rating, the
note, the pin the walker placed and the photo are there on the new language's screen, and Spara
stores all of it (read back from the server)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join, photo_file
from tests.browser.test_capture_position import metres, rows, tap_map
from tests.helpers import SERGELS_TORG, query

pytestmark = pytest.mark.browser


def test_a_half_filled_observation_survives_the_language_switch(phone, server, walk, tmp_path):
    page = phone.new_page()
    join(page, server, walk)
    page.locator(".walker-pin").wait_for()
    page.get_by_role("button", name="Gångtunnel", exact=True).click()
    page.get_by_role("button", name="Åtgärda", exact=True).click()
    page.get_by_label("Anteckning (frivilligt)").fill("Trasig lampa i tunneln")
    page.set_input_files("input[type=file]", photo_file(tmp_path))
    page.locator("#photo-preview").wait_for()
    tap_map(page, dx=90)
    expect(page.locator("#gps-status")).to_contain_text("Nålen är flyttad för hand")

    page.locator(".bar-languages summary").click()
    page.get_by_role("link", name="English").click()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".category[aria-pressed=true]")).to_have_text("Underpass")
    expect(page.locator(".rating[aria-pressed=true]")).to_have_text("Fix")
    expect(page.get_by_label("Note (optional)")).to_have_value("Trasig lampa i tunneln")
    expect(page.locator("#photo-preview")).to_be_visible()
    expect(page.locator("#gps-status")).to_contain_text("moved by hand")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#mine-list .mine-item")).to_have_count(1)
    expect(page.locator("#sync-status")).to_have_text("Everything is sent", timeout=15_000)
    [row] = rows(server, walk["id"])
    assert (row["category"], row["rating"], row["note"]) == (
        "underpass",
        "red",
        "Trasig lampa i tunneln",
    )
    assert row["position_source"] == "pin"
    assert 30 < metres(row, SERGELS_TORG) < 120  # where the walker tapped, east of the GPS
    [photo] = query(server, "select observation_id from photos")
    assert photo["observation_id"] == row["id"]
    # Nothing is put back a second time: the draft went with the save.
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator(".category[aria-pressed=true]")).to_have_count(0)


def test_switching_language_with_no_network_keeps_the_screen(phone, server, walk):
    """In a dead zone the language switch cannot reach the server: the screen stays, with what
    was half filled, and says so; with the network back the switch works and keeps it too."""
    page = phone.new_page()
    join(page, server, walk)
    page.wait_for_selector("body[data-offline-ready=true]")
    page.get_by_role("button", name="Klotter", exact=True).click()
    page.get_by_label("Anteckning (frivilligt)").fill("Taggar på elskåpet")
    phone.set_offline(True)
    page.locator(".bar-languages summary").click()
    page.get_by_role("link", name="English").click()
    expect(page.locator("#form-error")).to_have_text("Språket kan bytas när nätet är tillbaka.")
    assert page.url == server.url + f"/walks/{walk['id']}/capture"
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator(".category[aria-pressed=true]")).to_have_text("Klotter")
    expect(page.get_by_label("Anteckning (frivilligt)")).to_have_value("Taggar på elskåpet")

    phone.set_offline(False)
    page.locator(".bar-languages summary").click()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator(".category[aria-pressed=true]")).to_have_text("Graffiti")
    page.get_by_role("button", name="Watch", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#sync-status")).to_have_text("Everything is sent", timeout=15_000)
    # The status may read "sent" for the empty outbox a moment before the save is queued: ask
    # the server until the observation is there (15 s at most).
    stored = rows(server, walk["id"])
    for _ in range(75):
        if stored:
            break
        page.wait_for_timeout(200)
        stored = rows(server, walk["id"])
    [row] = stored
    assert (row["category"], row["rating"], row["note"]) == (
        "graffiti",
        "yellow",
        "Taggar på elskåpet",
    )
