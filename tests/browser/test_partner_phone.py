"""A partner's person on a phone in the street: sign in, open the measure, "Åtgärdat – ta ett
foto", the photo — and the measure is done with its after photo, read back from the database.
The screens at 390×844 in light and dark: nothing wider than the screen, no serious axe finding."""

from __future__ import annotations

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.browser.axe import serious
from tests.helpers import PASSWORD, hash_password, query, sign_in_page
from tests.test_coordinators import SERGEL, add_observation
from walkapp import measures
from walkapp.db import connect, database_path
from walkapp.db import partners as partners_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db

pytestmark = pytest.mark.browser


@pytest.fixture
def street(server, tmp_path):
    db = connect(database_path(server.app))
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
    users_db.create_user(db, "anna", hash_password(PASSWORD), "partner", partner_id=tk)
    walk = walks_db.create_walk(db, title="Kväll vid Plattan", starts_at="2026-11-24T18:00")
    note = "Armaturen vid trappan ner mot Plattan är släckt sedan i förrgår" * 3
    found = add_observation(db, walk["id"], *SERGEL, note=note)
    db.conn.commit()
    measures.set_status(db, found, "assigned", None, partner_id=tk)
    db.close()
    photo = tmp_path / "efter.jpg"
    Image.new("RGB", (800, 600), (200, 180, 40)).save(photo, "JPEG")
    return {"server": server, "found": found, "photo": photo}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_done_with_a_photo_in_three_taps(browser, street, scheme):
    server = street["server"]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        locale="sv-SE", color_scheme=scheme, bypass_csp=True,
    )  # fmt: skip
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sign_in_page(page, server.url, "anna")
    page.wait_for_url("**/partner")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the list is {wide} px wide"
    assert serious(page, colours_only=scheme == "dark") == []
    screenshot(page, f"partner-desk-{scheme}.png", full_page=True)
    # Tap 1: the measure.
    page.get_by_role("link", name="Belysning").click()
    expect(page.get_by_text("Åtgärdat – ta ett foto")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious(page, colours_only=scheme == "dark") == []
    screenshot(page, f"partner-measure-{scheme}.png", full_page=True)
    # Taps 2 and 3: the button opens the camera; the photo taken sends the form.
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Åtgärdat – ta ett foto").click()
    chooser.value.set_files(str(street["photo"]))
    expect(page.get_by_role("status")).to_contain_text("Sparat: åtgärdad")
    [row] = query(server, "select status from measures where observation_id = ?", [street["found"]])
    assert row["status"] == "done"
    photos = query(server, "select kind from photos where observation_id = ?", [street["found"]])
    assert [p["kind"] for p in photos] == ["after"]
    expect(page.locator("img[alt='Foto efter']")).to_have_count(1)
    assert errors == []
    context.close()
