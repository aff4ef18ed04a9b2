"""One screen, really: after a save, at 390×844 and at 360×640 (there with a two-line title) and
in all six languages, the categories, the ratings, Spara and the confirmation are all wholly in
view and uncovered; the 112 reminder is whenever Händelse is chosen; the header says the walk's
title and both statuses in full (the ✓ too); no word breaks in the middle. Measured in the page
with getBoundingClientRect and document.elementFromPoint, light and dark, with screenshots kept
in test-artifacts/ when asked for (tests/browser/artifacts.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.helpers import SERGELS_TORG
from walkapp import walks
from walkapp.db import connect, database_path

pytestmark = pytest.mark.browser

LANGUAGES = ("sv", "en", "fi", "ar", "fa", "so")
SMALL = (360, 640)
SIZES = ((390, 844), SMALL)
TWO_LINES = "Trygghetsvandring Odenplan och Vasaparken med fastighetsägare"

# What hides part of an element: the viewport's edge, or something drawn over it (sampled at
# its centre and 4 px inside each corner, inside the rounded border).
HIDDEN = """(element) => {
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return "not shown";
  if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) {
    return `outside the viewport (${Math.round(box.top)}..${Math.round(box.bottom)})`;
  }
  const xs = [box.left + 4, box.left + box.width / 2, box.right - 4];
  const ys = [box.top + 4, box.top + box.height / 2, box.bottom - 4];
  for (const [x, y] of [[xs[1], ys[1]], [xs[0], ys[0]], [xs[2], ys[0]], [xs[0], ys[2]], [xs[2], ys[2]]]) {
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === element || element.contains(hit))) {
      return `covered at ${Math.round(x)},${Math.round(y)} by ${hit ? hit.id || hit.className : "nothing"}`;
    }
  }
  return "";
}"""

# Words laid over two lines (between hyphens, slashes and spaces a line may break).
BROKEN_WORDS = """(element) => {
  const broken = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/[^\\s\\-/\\u2013\\u2014]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""

# Text cut off by its box (an ellipsis, a clamp, overflow).
CUT = "(element) => element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1"

# A label running over its button's padding to the border ("Wanaagsan" at 360 px): a line wider
# than the inside of the box.
TIGHT = """(element) => {
  const style = getComputedStyle(element);
  const room = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const range = document.createRange();
  range.selectNodeContents(element);
  return [...range.getClientRects()].some((line) => line.width > room + 0.5);
}"""


# Every check above on every element `selector` finds, in one call into the page (a call per
# element and check took about 0.4 s for the eight selectors of a screen).
PROBLEMS = (
    "(elements, [selector, tight]) => {"
    f" const hidden = {HIDDEN}, broken = {BROKEN_WORDS}, cut = {CUT}, over = {TIGHT};"
    """
  const found = [];
  for (const element of elements) {
    const name = element.dataset.category || element.dataset.rating || element.id || element.tagName;
    const why = hidden(element);
    if (why) found.push(`${selector} ${name}: ${why}`);
    const words = broken(element);
    if (words.length) found.push(`${selector} ${name}: breaks ${JSON.stringify(words)}`);
    if (cut(element)) found.push(`${selector} ${name}: text cut off`);
    if (tight && over(element)) found.push(`${selector} ${name}: text over the padding`);
  }
  return found;
}"""
)


def problems(page, selector) -> list[str]:
    tight = selector in (".category", ".rating")
    return page.locator(selector).evaluate_all(PROBLEMS, [selector, tight])


def phone_at(browser, server, size, scheme="light"):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="sv-SE",
        color_scheme=scheme,
    )
    context.grant_permissions(["geolocation"], origin=server.url)
    context.set_geolocation(SERGELS_TORG)
    # The screen's own choice, else dark after sunset in Stockholm: the test starts from `scheme`
    # at any hour, as the walker's earlier tap on the theme switch would.
    context.add_init_script(
        f"if (!localStorage.getItem('walkapp-theme')) localStorage.setItem('walkapp-theme', '{scheme}')"
    )
    return context


def join_in(page, server, walk, language):
    page.goto(server.url + f"/lang/{language}?next=/j/{walk['code']}")
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("body[data-offline-ready=true]")
    expect(page.locator("#gps-status")).to_have_attribute("data-band", "good")


def save_one(page):
    page.locator(".category[data-category=lighting]").click()
    page.locator(".rating[data-rating=red]").click()
    page.locator("#save").click()
    expect(page.locator("#result")).to_have_class("result done")
    expect(page.locator("#sync-status")).to_have_attribute("data-waiting", "0")


def settled(page):
    """Until the screen's layout has held still for three frames: fit.js sizes the labels again
    after a change, and one measuring call is quick enough to catch them mid-way."""
    page.evaluate(
        """() => new Promise((resolve) => {
          let last = "", still = 0;
          const step = () => {
            const now = [...document.querySelectorAll(".category, .rating, #save, #result")]
              .map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })
              .join(";");
            still = now === last ? still + 1 : 0;
            last = now;
            if (still >= 3) resolve(); else requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        })"""
    )


def tap(page, selector):
    """A tap where the walker sees the button: no scrolling it into view first."""
    page.locator(selector).evaluate("(element) => element.click()")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_after_a_save_the_whole_form_is_on_one_screen(browser, server, walk, language, size):
    """On the small phone the walk's title takes two lines, the harder case: on a 360×640 phone
    in Somali that second line pushed the last row of categories (Dhacdo among them) under the
    Spara bar. The labels shrink until the categories fit."""
    if size == SMALL:
        db = connect(database_path(server.app))
        try:
            walk = walks.create(db, title=TWO_LINES, starts_at="2026-11-24T18:00")
        finally:
            db.close()
    context = phone_at(browser, server, size)
    try:
        page = context.new_page()
        join_in(page, server, walk, language)
        save_one(page)
        settled(page)
        assert page.evaluate("scrollY") == 0
        found = []
        for selector in (
            ".category",
            ".rating",
            "#save",
            "#result",
            ".capture-bar h1",
            "#sync-status",
            "#offline-status",
            ".bar-languages summary",
        ):
            found += problems(page, selector)
        # The check of "Redo för offline ✓" is drawn inside its line and inside the screen.
        check = page.locator("#offline-status").evaluate(
            """(element) => {
              const text = element.firstChild, at = text.data.lastIndexOf("✓");
              if (at < 0) return "no check";
              const range = document.createRange();
              range.setStart(text, at);
              range.setEnd(text, at + 1);
              const mark = range.getBoundingClientRect(), line = element.getBoundingClientRect();
              const inside = mark.width > 0 && mark.left >= line.left && mark.right <= line.right
                && mark.right <= innerWidth && mark.left >= 0;
              return inside ? "" : "check not shown";
            }"""
        )
        if check:
            found.append(check)
        name = f"{language}-{size[0]}x{size[1]}"
        screenshot(page, f"one-screen-{name}-saved.png")

        tap(page, ".category[data-category=incident]")
        expect(page.locator("#incident-note")).to_be_visible()
        settled(page)
        for selector in ("#incident-note", ".category[data-category=incident]", ".rating", "#save"):
            found += [f"with Händelse: {p}" for p in problems(page, selector)]
        screenshot(page, f"one-screen-{name}-incident.png")
        tap(page, "#theme-toggle")
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
        settled(page)
        for selector in ("#incident-note", ".category", ".rating", "#save", "#result"):
            found += [f"dark: {p}" for p in problems(page, selector)]
        screenshot(page, f"one-screen-{name}-incident-dark.png")
        assert found == []
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_no_position_prompt_shows_the_whole_map_under_the_header(browser, server, walk, size):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True, locale="sv-SE"
    )
    try:
        page = context.new_page()  # no geolocation permission: no fix, no pin
        page.goto(server.url + f"/j/{walk['code']}")
        page.get_by_role("button", name="Gå med").click()
        page.wait_for_selector("body[data-ready=true]")
        page.get_by_label("Anteckning (frivilligt)").fill("Mörkt i gången")  # scrolled down
        page.get_by_role("button", name="Gångtunnel", exact=True).click()
        page.get_by_role("button", name="Åtgärda", exact=True).click()
        page.get_by_role("button", name="Spara", exact=True).click()
        expect(page.locator("#form-error")).to_have_text(
            "Ingen position: tryck på kartan där du står, sedan Spara."
        )
        page.wait_for_timeout(300)  # any scrolling done
        box = page.evaluate(
            """() => {
              const map = document.getElementById("map").getBoundingClientRect();
              const header = document.querySelector(".capture-bar").getBoundingClientRect();
              const bar = document.querySelector(".save-bar").getBoundingClientRect();
              return {top: map.top, bottom: map.bottom, header: header.bottom, bar: bar.top};
            }"""
        )
        assert box["top"] >= box["header"] - 1, box
        assert box["bottom"] <= box["bar"] + 1, box
        assert page.locator("#map").evaluate(
            """(map) => {
              const box = map.getBoundingClientRect();
              const hit = document.elementFromPoint(box.left + box.width / 2, box.top + 8);
              return map.contains(hit);
            }"""
        )
        # Nothing of the map is drawn over the header.
        assert problems(page, ".capture-bar h1") == []
        zoom = page.locator(".leaflet-control-zoom-in")
        if zoom.is_visible():
            assert problems(page, ".leaflet-control-zoom-in") == []
        # The whole map takes the tap; the observation is stored there.
        page.mouse.click(width / 2, (box["top"] + box["bottom"]) / 2)
        expect(page.locator("#gps-status")).to_have_text(
            "Nålen är flyttad för hand – gäller bara den här observationen."
        )
    finally:
        context.close()
