"""A coordinator and a walker in two real browser contexts: plan a walk, join it by the code
read from the page, record on the phone, watch it arrive without reloading, triage it, and find
it open in the place view."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join, record
from tests.helpers import SERGELS_TORG, sign_in_page

pytestmark = pytest.mark.browser


def test_plan_join_record_watch_triage(browser, staff_server):
    server = staff_server
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    desk = staff.new_page()
    errors = []
    desk.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sign_in_page(desk, server.url, "kim")
    desk.get_by_role("link", name="Vandringar", exact=True).click()
    desk.get_by_role("link", name="Planera en vandring").click()
    desk.get_by_label("Rubrik").fill("Kvällsvandring Plattan")
    desk.get_by_label("Start").fill("2026-11-24T18:00")
    desk.get_by_label("Sergels torg / Plattan").check()
    desk.get_by_role("button", name="Spara").click()
    desk.get_by_role("button", name="Starta vandringen").click()
    code = desk.locator("#join-code").inner_text().strip()
    assert len(code) == 6
    expect(desk.locator("#observation-rows tr")).to_have_count(0)

    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="sv-SE"
    )
    phone_context.grant_permissions(["geolocation"], origin=server.url)
    phone_context.set_geolocation(SERGELS_TORG)
    phone = phone_context.new_page()
    join(phone, server, {"code": code}, name="Anna")
    record(phone, "Belysning", "Åtgärda", note="Lampan vid trappan är trasig")
    phone.get_by_text("Allt är skickat").wait_for()

    # Appears on the coordinator's open page, no reload.
    row = desk.locator("#observation-rows tr", has_text="Lampan vid trappan är trasig")
    row.wait_for(timeout=10_000)
    expect(desk.locator("#walker-count")).to_have_text("1")
    row.get_by_role("link").click()
    desk.get_by_label("Status").select_option("assigned")
    desk.get_by_label("Ansvarig").select_option(label="Trafikkontoret")
    deadline = (date.today() + timedelta(days=14)).isoformat()
    desk.get_by_label("Sista dag").fill(deadline)
    desk.get_by_role("button", name="Spara åtgärden").click()
    desk.get_by_text("Åtgärden är sparad.").wait_for()

    desk.get_by_role("link", name="Sergels torg / Plattan").first.click()
    open_section = desk.locator(
        "section", has=desk.get_by_role("heading", name="Öppna åtgärder (1)")
    )
    expect(open_section).to_contain_text("Lampan vid trappan är trasig")
    expect(open_section).to_contain_text("Trafikkontoret")
    expect(open_section).to_contain_text(deadline)
    assert errors == []
    staff.close()
    phone_context.close()
