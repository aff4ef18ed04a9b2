"""A joint walk's invitation in Chromium: Lidingö stad's coordinator, on a phone (390×844), finds
LPO Norrmalm's invitation on the dashboard, opens the walk and presses "Tacka ja"; the answer is
read back from the database, and the page fits the phone in light and dark with no serious
axe-core violation. Screenshots: test-artifacts/invitation-*.png."""

from __future__ import annotations

import pytest

from tests.browser.artifacts import screenshot
from tests.browser.axe import serious
from tests.helpers import PASSWORD, hash_password, query, sign_in_page
from walkapp import organisations, users, walks
from walkapp.db import connect, database_path

pytestmark = pytest.mark.browser

# The longest a walk's title may be: the invitation's heading must still wrap on a phone.
TITLE = "Kvällsvandring i Larsberg med polisen, fastighetsägarna och Lidingö stad " + "x" * 47


def test_an_invited_co_organiser_says_yes_on_a_phone(browser, server):
    db = connect(database_path(server.app))
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    users.create(db, "lidingo", hash_password(PASSWORD), "coordinator", lidingo)
    walk = walks.create(
        db, title=TITLE[:120], starts_at="2026-12-10T18:00", organisation_id=1,
        co_organisers=[lidingo],
    )  # fmt: skip
    db.close()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="sv-SE", is_mobile=True, has_touch=True,
        bypass_csp=True,  # axe-core is injected as a script
    )  # fmt: skip
    page = context.new_page()
    sign_in_page(page, server.url, "lidingo")
    page.wait_for_url("**/dashboard")
    screenshot(page, "invitation-dashboard-phone.png", full_page=True)
    invitations = page.get_by_role("region", name="Inbjudningar att arrangera tillsammans")
    invitations.get_by_role("link").click()
    page.wait_for_url(f"**/walks/{walk['id']}")
    asked = page.get_by_role("region", name="bjuder in Lidingö stad")
    assert "Lidingö stad (inbjuden, har inte svarat)" in page.locator("#organisers").inner_text()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert serious(page, colours_only=scheme == "dark") == []
        screenshot(page, f"invitation-phone-{scheme}.png", full_page=True)
    yes = asked.get_by_role("button", name="Tacka ja")
    assert yes.bounding_box()["height"] >= 44  # a thumb's target, in the cold
    yes.click()
    page.wait_for_url(f"**/walks/{walk['id']}")
    assert page.get_by_role("button", name="Tacka ja").count() == 0
    assert page.get_by_role("button", name="Lämna vandringen").is_visible()
    stored = query(
        server,
        "select accepted_at from walk_organisers where walk_id = ? and organisation_id = ?",
        [walk["id"], lidingo],
    )
    assert stored[0]["accepted_at"] is not None
    context.close()
