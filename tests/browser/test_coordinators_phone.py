"""A coordinator with a keyboard or on a phone (issue 23): triage's Status within a few Tab
presses past a map of 120 findings and within the first screen of a phone, words that never
break letter by letter (status chips, labels, headings) at phone, laptop and full-HD sizes in
light and dark, and a place page of a busy place that stays a few screens long."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.browser.test_coordinators_screens import signed_in
from tests.helpers import PASSWORD, hash_password
from tests.test_coordinators import SERGEL, add_observation
from walkapp.db import connect, database_path
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db

pytestmark = pytest.mark.browser

SCREENS = {"phone": (390, 844), "laptop": (1366, 768), "full-hd": (1920, 1080)}
CATEGORIES = ("lighting", "litter", "graffiti", "vegetation", "path", "sightlines")
STATES = ("planned", "ongoing", "closed")


@pytest.fixture
def busy(server, tmp_path):
    """A busy place: three walks (one in each state), 120 findings around Sergels torg, a third
    of them assigned, some fixed, some kept as good."""
    # the shared browser app on a live server (tests/browser/conftest.py), stopped there
    db = connect(database_path(server.app))
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator")
    partners_db.ensure_partners(db, ["Trafikkontoret", "Norra innerstadens stadsdelsförvaltning"])
    tk = next(p["id"] for p in partners_db.list_partners(db) if p["name"] == "Trafikkontoret")
    walks = [
        walks_db.create_walk(
            db,
            title=f"Kvällsvandring Plattan {i + 1}",
            starts_at=f"2026-{9 + i:02d}-24T18:00",
            place_ids=[1],
            state=state,
        )
        for i, state in enumerate(STATES)
    ]
    findings = []
    for i in range(120):
        lon = SERGEL[0] + ((i % 11) - 5) * 0.00012
        lat = SERGEL[1] + ((i // 11) - 5) * 0.00006
        findings.append(
            add_observation(
                db,
                walks[i % 3]["id"],
                lon,
                lat,
                category=CATEGORIES[i % len(CATEGORIES)],
                rating="green" if i % 10 == 9 else "red",
                note=f"Iakttagelse {i}: trasig belysning vid trappan mot tunnelbanan",
                when=f"2026-11-24T18:{i % 60:02d}:{i // 60:02d}+00:00",
            )
        )
    for i, finding in enumerate(findings):
        if i % 3 == 1:
            measures_db.update_measure(db, finding, None, {"status": "assigned", "partner_id": tk})
        elif i % 7 == 2:
            measures_db.update_measure(db, finding, None, {"status": "done", "partner_id": tk})
        elif i % 7 == 3:
            planned = {"status": "planned", "partner_id": tk, "deadline": "2027-03-01"}
            measures_db.update_measure(db, finding, None, planned)
    first = measures_db.untriaged_queue(db, walk_id=walks[2]["id"])[0]
    yield {"server": server, "db": db, "walks": walks, "first": first}
    db.close()


def presses_to(page, selector: str, limit: int = 400) -> int:
    """How many Tab presses from where the focus is until `selector` has it."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return presses
    return limit + 1


def from_the_top(page) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")


def test_keyboard_reaches_triage_status_in_a_few_presses(browser, busy, tmp_path):
    context, page = signed_in(browser, busy["server"], SCREENS["laptop"])
    page.goto(busy["server"].url + f"/observations/{busy['first']}/triage?queue=walk")
    page.wait_for_load_state("networkidle")
    assert page.locator("#triage-map .leaflet-interactive").count() > 90  # findings nearby
    # Without a skip link: the map is one stop (and its buttons), never one per finding on it.
    from_the_top(page)
    assert presses_to(page, "#status") <= 20
    # The second stop is "Hoppa till åtgärden": Enter, and the next Tab is Status.
    page.reload()
    from_the_top(page)
    to_skip = presses_to(page, "a.skip[href='#measure-heading']")
    page.keyboard.press("Enter")
    presses = to_skip + 1 + presses_to(page, "#status")
    screenshot(page, "triage-keyboard.png")
    assert presses <= 10, presses
    inside = page.evaluate(
        """[...document.querySelectorAll('#triage-map *')].filter(e => e.tabIndex >= 0
            && !e.closest('.leaflet-control')).length"""
    )
    assert inside == 0
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_triage_status_is_on_a_phones_first_screen(browser, busy, scheme, tmp_path):
    context, page = signed_in(browser, busy["server"], SCREENS["phone"])
    page.emulate_media(color_scheme=scheme)
    page.goto(busy["server"].url + f"/observations/{busy['first']}/triage?queue=walk")
    page.wait_for_load_state("networkidle")
    screenshot(page, f"triage-phone-{scheme}.png")
    status = page.locator("#status").bounding_box()
    assert status["y"] + status["height"] <= 844, status
    assert page.get_by_role("button", name="Spara och nästa").count() == 1
    context.close()


# Words of up to 12 letters (labels, statuses, dates, headings) that a line break cuts in two;
# what a person typed (.long-text) may break anywhere.
BROKEN_WORDS = """(() => {
  const broken = new Set();
  const texts = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node; (node = texts.nextNode()); ) {
    const parent = node.parentElement;
    if (!parent || !parent.getClientRects().length) continue;
    if (parent.closest(".long-text, script, select, option, .leaflet-container")) continue;
    for (const word of node.data.matchAll(/\\S+/g)) {
      if (word[0].length > 12) continue;
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
        .map(r => Math.round(r.top)));
      if (lines.size > 1) broken.add(`${word[0]} (${parent.tagName.toLowerCase()}.${parent.className})`);
    }
  }
  return [...broken];
})()"""


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_no_word_breaks_letter_by_letter(browser, busy, screen, tmp_path):
    context, page = signed_in(browser, busy["server"], SCREENS[screen])
    triage = f"/observations/{busy['first']}/triage?queue=walk"
    paths = dict(walks="/walks", place="/places/1", measures="/measures", triage=triage)
    broken = {}
    for name, path in paths.items():
        page.emulate_media(color_scheme="light")
        page.goto(busy["server"].url + path)
        page.wait_for_load_state("networkidle")
        # Dark mode changes colours, not sizes: one check, a screenshot of each.
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            screenshot(page, f"{screen}-{scheme}-{name}.png")
        if found := page.evaluate(BROKEN_WORDS):
            broken[name] = found[:5]
        # A status is one line ("Planerad", not "Pl/a/n/er/a/d").
        tall = page.evaluate(
            """[...document.querySelectorAll('main .state')].filter(e =>
                e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).lineHeight))
                .map(e => e.textContent)"""
        )
        if tall:
            broken[f"{name} states"] = tall
    # The quick change's "Sista dag" beside a planned measure's date.
    page.goto(busy["server"].url + "/places/1")
    label = page.locator("tr:has(option[value=planned][selected]) label:text('Sista dag')").first
    if label.is_visible():
        box = label.bounding_box()
        line = label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert box["height"] <= 2 * line, box
    assert broken == {}
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen][0]
    context.close()


def test_a_busy_place_page_stays_a_few_screens_long_on_a_phone(browser, busy, tmp_path):
    context, page = signed_in(browser, busy["server"], SCREENS["phone"])
    page.goto(busy["server"].url + "/places/1")
    page.wait_for_load_state("networkidle")
    height = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "place-phone.png", full_page=True)
    assert height <= 16 * 844, height  # 120 findings: it was 36 screens, now about 11
    # Every section folds; the latest rows first, the rest one tap away.
    folds = page.locator("main details.fold > summary")
    assert folds.count() >= 5
    more = page.locator("[data-section-box=open] details.more-rows")
    expect(more.locator("summary")).to_contain_text("Visa fler")
    hidden_rows = more.locator("tbody tr")
    assert hidden_rows.count() > 0 and not hidden_rows.first.is_visible()
    more.locator("summary").click()
    expect(hidden_rows.first).to_be_visible()
    total = page.locator("[data-section-box=open] tbody tr").count()
    expect(page.locator("#open-heading .section-count")).to_have_text(str(total))
    good = page.locator("[data-section-box=good] details.fold")
    assert good.evaluate("d => d.open") is False
    page.get_by_text("Det här fungerar").click()
    assert good.evaluate("d => d.open") is True
    context.close()
