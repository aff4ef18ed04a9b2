"""The walker's phone in a real browser (Debian's Chromium) at 390×844, positioned at Sergels torg:
join, record with a photo, offline with a reload, a lost answer retried, installability, themes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from walkapp.db import connect, database_path

pytestmark = pytest.mark.browser



def stored(server, walk_id):
    db = connect(database_path(server.app))
    try:
        rows = list(
            db.query(
                "select o.id, o.category, o.rating, o.relation, p.name as place,"
                " (select count(*) from photos ph where ph.observation_id = o.id) as photos"
                " from observations o left join places p on p.id = o.place_id where o.walk_id = ?",
                [walk_id],
            )
        )
    finally:
        db.close()
    return rows


def join(page, server, walk, name="Anna"):
    page.goto(server.url + "/j")
    page.get_by_label("Kod").fill(walk["code"].lower())
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Ditt namn (frivilligt)").fill(name)
    page.get_by_role("button", name="Gå med").click()
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_text("GPS ±").wait_for()


def record(page, category, rating, note="", photo=None):
    page.get_by_role("button", name=category, exact=True).click()
    page.get_by_role("button", name=rating, exact=True).click()
    if note:
        page.get_by_label("Anteckning (frivilligt)").fill(note)
    if photo:
        page.set_input_files("input[type=file]", photo)
        page.locator("#photo-preview").wait_for()
    page.get_by_role("button", name="Spara", exact=True).click()
    # Done when the screen says where it landed, or that it waits on the phone.
    expect(page.locator("#result")).not_to_have_text("Sparar …")


def photo_file(tmp_path) -> Path:
    path = tmp_path / "lampa.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (200, 180, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_join_record_three_with_photo(phone, server, walk, tmp_path):
    page = phone.new_page()
    join(page, server, walk)
    result = page.locator("#result")
    record(
        page,
        "Belysning",
        "Åtgärda",
        note="Lampan vid trappan är trasig",
        photo=photo_file(tmp_path),
    )
    result.filter(has_text="Sergels torg / Plattan — på platsen").wait_for()
    record(page, "Nedskräpning", "Bevaka")
    page.get_by_text("Allt är skickat").wait_for()
    record(page, "Klotter", "Bra")
    page.get_by_text("Allt är skickat").wait_for()
    expect(page.locator("#mine-list .mine-item")).to_have_count(3)

    rows = stored(server, walk["id"])
    assert sorted(row["category"] for row in rows) == ["graffiti", "lighting", "litter"]
    assert {row["place"] for row in rows} == {"Sergels torg / Plattan"}
    assert {row["relation"] for row in rows} == {"inside"}
    lighting = next(row for row in rows if row["category"] == "lighting")
    assert lighting["rating"] == "red" and lighting["photos"] == 1
    # Scaled on the phone: long side at most 1600 px.
    db = connect(database_path(server.app))
    width, height = db.execute("select width, height from photos").fetchone()
    db.close()
    assert max(width, height) <= 1600

    # Edit one's rating and delete another, on the phone, while the walk is open.
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".mine-item", has_text="Klotter").get_by_role("button", name="Ändra").click()
    page.get_by_role("button", name="Åtgärda", exact=True).click()
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".mine-item", has_text="Klotter · Åtgärda")).to_be_visible()
    page.locator(".mine-item", has_text="Nedskräpning").get_by_role(
        "button", name="Ta bort"
    ).click()
    expect(page.locator("#mine-list .mine-item")).to_have_count(2)

    def synced():
        rows = {row["category"]: row for row in stored(server, walk["id"])}
        return set(rows) == {"lighting", "graffiti"} and rows["graffiti"]["rating"] == "red"

    for _ in range(300):  # the phone sends in the background; give it up to 30 s
        if synced():
            break
        page.wait_for_timeout(100)
    assert synced()


def test_offline_records_survive_reload_and_are_sent_once(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    record(page, "Belysning", "Åtgärda")
    page.get_by_text("Allt är skickat").wait_for()
    record(page, "Klotter", "Bevaka")
    page.get_by_text("Allt är skickat").wait_for()
    record(page, "Nedskräpning", "Bra")
    page.get_by_text("Allt är skickat").wait_for()
    page.wait_for_selector("body[data-offline-ready=true]")

    phone.set_offline(True)
    record(page, "Vegetation / buskage", "Åtgärda", note="Buskar skymmer gången")
    page.locator("#result").filter(has_text="sparad på telefonen").wait_for()
    record(page, "Gångtunnel", "Bevaka")
    page.get_by_text("2 väntar på att skickas").wait_for()

    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_text("2 väntar på att skickas").wait_for()
    assert len(stored(server, walk["id"])) == 3
    # Still works offline after the reload.
    assert page.get_by_role("button", name="Spara", exact=True).is_enabled()

    phone.set_offline(False)
    page.get_by_text("Allt är skickat").wait_for(timeout=20_000)
    rows = stored(server, walk["id"])
    assert len(rows) == 5 and len({row["id"] for row in rows}) == 5
    assert page.locator("#sync-status").get_attribute("data-waiting") == "0"


def test_lost_answer_is_retried_and_stored_once(phone_without_worker, server, walk):
    # No service worker here, so the route below sees the page's own request.
    context = phone_without_worker
    dropped = []

    def drop_first_answer(route):
        if route.request.method == "POST" and not dropped:
            route.fetch()  # the server stores it ...
            dropped.append(route.request.url)
            route.abort("connectionreset")  # ... but the phone never hears back
        else:
            route.continue_()

    context.route("**/api/walks/*/observations", drop_first_answer)
    page = context.new_page()
    join(page, server, walk)
    record(page, "Belysning", "Åtgärda")
    page.get_by_text("Allt är skickat").wait_for(timeout=20_000)
    assert dropped
    rows = stored(server, walk["id"])
    assert len(rows) == 1


def test_installable_and_screenshots_without_console_errors(phone, server, walk):
    page = phone.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    join(page, server, walk)
    page.wait_for_selector("body[data-offline-ready=true]")
    installability = phone.new_cdp_session(page).send("Page.getInstallabilityErrors")
    problems = [e for e in installability["installabilityErrors"] if e["errorId"] != "in-incognito"]
    assert problems == []
    toggle = page.locator("#theme-toggle")
    for theme in ("light", "dark"):
        if page.locator("html").get_attribute("data-theme") != theme:
            toggle.click()
        assert page.locator("html").get_attribute("data-theme") == theme
        screenshot(page, f"capture-{theme}.png")
    assert errors == []
