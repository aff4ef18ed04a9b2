"""The start page in a real browser (Debian's Chromium) at phone size."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_start_page_lists_places_and_switches_language(page, live_server):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", name="Prioriterade platser").is_visible()
    # The public page's switch is a menu of six languages, each named in itself.
    page.locator(".languages summary").click()
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Priority places").is_visible()
    assert errors == []
