"""A phone whose clock disagrees with the server's (issue 23 point 7), in a real browser: hours
apart, the observation is stored with a warning on the screen; days apart, it stays on the phone
(not "failed"), the screen says why, and it is sent once the clocks agree. Read back from the
server each time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join, record
from tests.browser.test_capture_position import rows

pytestmark = pytest.mark.browser

# The phone's clock, moved by what the test keeps in localStorage (set before the page runs).
SHIFTED_CLOCK = """
(() => {
  const shift = Number(localStorage.getItem("test-clock-shift-ms") || 0);
  if (!shift) return;
  const Real = Date;
  class Shifted extends Real {
    constructor(...args) { super(...(args.length ? args : [Real.now() + shift])); }
    static now() { return Real.now() + shift; }
  }
  globalThis.Date = Shifted;
})();
"""


def _shift_clock(page, hours: float):
    page.evaluate(f"localStorage.setItem('test-clock-shift-ms', String({hours * 3_600_000}))")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")


def test_hours_apart_is_stored_with_a_warning(phone, server, walk):
    phone.add_init_script(SHIFTED_CLOCK)
    page = phone.new_page()
    join(page, server, walk)
    _shift_clock(page, 3)  # the phone three hours ahead: as if the server ran behind
    page.get_by_text("GPS ±").wait_for()
    record(page, "Belysning", "Åtgärda")
    expect(page.locator("#sync-status")).to_have_text("Allt är skickat", timeout=15_000)
    expect(page.locator("#clock-warning")).to_contain_text("180 minuter")
    assert [row["category"] for row in rows(server, walk["id"])] == ["lighting"]


def test_days_apart_waits_on_the_phone_and_is_never_dropped(phone, server, walk):
    phone.add_init_script(SHIFTED_CLOCK)
    page = phone.new_page()
    join(page, server, walk)
    _shift_clock(page, 72)
    page.get_by_text("GPS ±").wait_for()
    record(page, "Nedskräpning", "Bevaka")
    warning = page.locator("#clock-warning")
    expect(warning).to_contain_text("mer än två dygn", timeout=15_000)
    # Kept and retried, not "could not be received": nothing is wrong with it but the clocks.
    expect(page.locator("#sync-status")).to_have_text("1 väntar på att skickas")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(warning).to_contain_text("mer än två dygn")
    assert rows(server, walk["id"]) == []
    # Set right, the clocks agree; what was stamped three days ahead is now plain bad data: a
    # refusal that stays listed on the phone with its reason, never silently dropped.
    _shift_clock(page, 0)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#sync-status")).to_have_text(
        "1 kunde inte tas emot – se listan", timeout=15_000
    )
    expect(warning).to_be_hidden()
    expect(page.locator("#mine-list .mine-item")).to_have_count(1)
