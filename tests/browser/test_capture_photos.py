"""A walker's photos on the phone (issue 23 point 4): listed under their observation, one over the
count refused for good with the server's sentence (not sent again), and each removable with
"Ta bort bilden" — a refused one on the phone, a sent one on the server too."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.browser.test_capture import join, photo_file, record
from walkapp.db import connect, database_path

pytestmark = pytest.mark.browser


def stored_photos(server) -> list[str]:
    db = connect(database_path(server.app))
    try:
        return [row[0] for row in db.execute("select id from photos order by created_at, id")]
    finally:
        db.close()


def photo_files(server) -> list[str]:
    folder = server.app.extensions["walkapp_settings"].photo_folder
    return sorted(path.name for path in folder.iterdir())


def add_photo(page, item, photo):
    item.get_by_role("button", name="Ändra").click()
    page.set_input_files("input[type=file]", photo)
    page.locator("#photo-preview").wait_for()
    page.get_by_role("button", name="Spara", exact=True).click()


def test_photos_are_listed_refused_past_the_count_and_removed(phone, server, walk, tmp_path):
    settings = server.app.extensions["walkapp_settings"]
    server.app.extensions["walkapp_settings"] = replace(settings, photos_per_observation=2)
    photo = photo_file(tmp_path)
    page = phone.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    uploads = []
    page.on(
        "request",
        lambda request: (
            uploads.append(request.url)
            if request.method == "POST" and request.url.endswith("/photos")
            else None
        ),
    )
    join(page, server, walk)
    record(page, "Belysning", "Åtgärda", photo=photo)
    page.get_by_text("Allt är skickat").wait_for()
    item = page.locator(".mine-item", has_text="Belysning")
    photos = item.locator(".mine-photos li")
    expect(photos).to_have_count(1)
    add_photo(page, item, photo)
    page.get_by_text("Allt är skickat").wait_for()
    expect(photos).to_have_count(2)
    # The server's thumbnails, shown with the walker's own cookie.
    images = photos.locator("img")
    for n in range(2):
        expect(images.nth(n)).to_have_attribute("alt", f"Bild {n + 1}")
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=images.nth(n).element_handle()
        )

    # A third is one over the count: refused for good, its reason shown, never sent again.
    add_photo(page, item, photo)
    page.get_by_text("1 kunde inte tas emot – se listan").wait_for()
    expect(item.locator(".error")).to_contain_text("högst 2")
    expect(photos).to_have_count(3)
    assert len(stored_photos(server)) == 2 and len(photo_files(server)) == 4
    tried = len(uploads)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1500)
    assert len(uploads) == tried
    screenshot(page, "capture-photos-refused.png", full_page=True)

    # The refused one goes from the phone; a sent one from the server, files and all.
    photos.nth(2).get_by_role("button", name="Ta bort bilden", exact=True).click()
    page.get_by_text("Allt är skickat").wait_for()
    expect(item.locator(".error")).to_have_count(0)
    both = stored_photos(server)
    photos.nth(0).get_by_role("button", name="Ta bort bilden", exact=True).click()
    expect(photos).to_have_count(1)
    for _ in range(300):  # sent in the background; up to 30 s
        if stored_photos(server) != both:
            break
        page.wait_for_timeout(100)
    remaining = stored_photos(server)
    assert len(remaining) == 1 and len(photo_files(server)) == 2
    expect(photos.first).to_have_attribute("data-photo", remaining[0])
    page.get_by_text("Allt är skickat").wait_for()
    screenshot(page, "capture-photos-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "capture-photos-1366.png", full_page=True)
