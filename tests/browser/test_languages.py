"""Each of the six languages on a phone (390×844) whose language is that one: the screens follow it,
nothing overflows, the capture flow works and stores keys plus the language, axe-core finds no
serious violation in light or dark, and Arabic and Persian are really laid out right to left.
Screenshots go to test-artifacts/languages-*.png for a look."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.browser.axe import serious
from tests.conftest import PASSWORD, LiveServer, make_app
from tests.helpers import SERGELS_TORG, hash_password
from walkapp import languages
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.demo import create_demo

pytestmark = pytest.mark.browser

PHONE_LOCALES = {
    "sv": "sv-SE",
    "en": "en-GB",
    "fi": "fi-FI",
    "ar": "ar-SE",
    "fa": "fa-IR",
    "so": "so-SO",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    server = LiveServer(make_app(tmp_path_factory.mktemp("languages"), TILE_URL="none"))
    db = connect(database_path(server.app))
    create_demo(db, 50.0)  # closed and open walks with findings: the public page has figures
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator")
    db.close()
    yield server
    server.stop()


def _new_walk(server) -> dict:
    db = connect(database_path(server.app))
    try:
        return walks_db.create_walk(db, title="Kvällsvandring City", starts_at="2026-11-24T18:00")
    finally:
        db.close()


def _stored(server, walk_id) -> list[tuple]:
    db = connect(database_path(server.app))
    try:
        return [
            tuple(row)
            for row in db.execute(
                "select category, rating, note, language from observations where walk_id = ?",
                [walk_id],
            )
        ]
    finally:
        db.close()


OVERFLOWS = """() => {
  const width = document.documentElement.clientWidth;
  const hidden = (el) => el.closest('.visually-hidden, .skip, .leaflet-pane, [hidden], details:not([open]) > ul');
  // Inside a box that scrolls sideways on purpose (a wide table), content may be wider.
  const scrolls = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const bad = [];
  if (document.documentElement.scrollWidth > width + 1) bad.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.body.querySelectorAll('*')) {
    if (hidden(el) || scrolls(el)) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const style = getComputedStyle(el);
    if (box.left < -1 || box.right > width + 1) bad.push(el.tagName + '.' + el.className + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    const clips = style.textOverflow === 'ellipsis' || ['auto', 'scroll'].includes(style.overflowX);
    if (!clips && ['BUTTON', 'A', 'SUMMARY', 'LABEL', 'LEGEND', 'TH', 'TD', 'P', 'H1', 'H2', 'LI'].includes(el.tagName)
        && el.scrollWidth > el.clientWidth + 1 && style.display !== 'inline') {
      bad.push('text of ' + el.tagName + ' ' + JSON.stringify(el.textContent.trim().slice(0, 40)));
    }
  }
  return bad;
}"""


SWITCH_CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const summary = document.querySelector('.languages summary');
  let back = summary;
  while (back && (getComputedStyle(back).backgroundColor === 'rgba(0, 0, 0, 0)')) back = back.parentElement;
  const [a, b] = [lum(rgb(getComputedStyle(summary).color)), lum(rgb(getComputedStyle(back).backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _check_screen(page, code: str, name: str) -> None:
    """lang and dir, no overflow and no serious axe violation, in light and in dark."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", code)
    expect(html).to_have_attribute("dir", languages.direction(code))
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        # The capture screen picks its own theme (the sun in Stockholm): set it as the toggle does.
        page.evaluate(f"document.documentElement.dataset.theme = '{scheme}'")
        bad = page.evaluate(OVERFLOWS)
        assert bad == [], (code, name, scheme, bad)
        assert page.evaluate(SWITCH_CONTRAST) >= 4.5, (code, name, scheme)
        assert serious(page, colours_only=scheme == "dark") == [], (code, name, scheme)
        if name in ("capture", "public"):
            screenshot(page, f"languages-{code}-{name}-{scheme}.png")


ZOOM_IN = {
    "sv": "Zooma in",
    "en": "Zoom in",
    "fi": "Lähennä",
    "ar": "تكبير",
    "fa": "بزرگ‌نمایی",
    "so": "Weynee",
}


@pytest.mark.parametrize("code", list(languages.NAMES))
def test_a_phone_in_each_language(browser, site, code):
    walk = _new_walk(site)
    context = browser.new_context(
        bypass_csp=True,  # axe is injected as a script
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
        locale=PHONE_LOCALES[code],
        timezone_id="Europe/Stockholm",
    )
    context.grant_permissions(["geolocation"], origin=site.url)
    context.set_geolocation(SERGELS_TORG)
    page = context.new_page()
    try:
        page.goto(site.url + "/j")
        _check_screen(page, code, "code")
        page.locator("#code").fill(walk["code"])
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("h1")).to_have_text(walk["title"])
        _check_screen(page, code, "join")
        page.locator("#name").fill("Aino")
        page.locator("form.form button[type=submit]").click()
        page.wait_for_selector("body[data-ready=true]")
        page.locator("#gps-status").filter(has_text="GPS").wait_for()
        _check_screen(page, code, "capture")

        # The capture flow: category, rating, a note in the screen's language, Spara.
        if languages.direction(code) == "rtl":
            first, last = (page.locator(".category").nth(i).bounding_box() for i in (0, 2))
            assert first["x"] > last["x"]  # the first category sits at the right
            zoom = page.locator(".leaflet-control-zoom").bounding_box()
            assert zoom["x"] > 390 / 2  # the map's controls start at the right too
        # Leaflet's titles ("Zoom in") in the screen's language.
        assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == ZOOM_IN[code]
        page.locator("[data-category=lighting]").click()
        page.locator("[data-rating=red]").click()
        page.locator("#note").fill(f"note {code}")
        page.locator("#save").click()
        expect(page.locator("#mine-list .mine-item")).to_have_count(1)
        # The screen says where the server put it (place names stay Swedish): stored by then.
        expect(page.locator("#result")).to_contain_text("Sergels torg")
        assert _stored(site, walk["id"]) == [("lighting", "red", f"note {code}", code)]

        # The switch: open, every language named in itself; nothing overflows while open.
        page.locator(".languages summary").click()
        for other, own_name in languages.NAMES.items():
            expect(page.locator(f'.languages a[hreflang="{other}"]')).to_have_text(own_name)
        bad = page.evaluate(OVERFLOWS)
        assert bad == [], (code, "menu open", bad)
        page.keyboard.press("Escape")

        page.goto(site.url + f"/j/{walk['code']}/follow-up")
        _check_screen(page, code, "follow-up")
        page.goto(site.url + "/")
        _check_screen(page, code, "public")
    finally:
        context.close()


def test_the_walk_poster_in_persian(browser, site):
    walk = _new_walk(site)
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 390, "height": 844}, is_mobile=True, locale="sv-SE"
    )
    page = context.new_page()
    try:
        page.goto(site.url + "/login")
        page.locator("#username").fill("kim")
        page.locator("#password").fill(PASSWORD)
        page.locator("form button[type=submit]").click()
        page.goto(site.url + f"/lang/fa?next=/walks/{walk['id']}/poster")
        expect(page.locator(".poster-invitations li")).to_have_count(6)
        _check_screen(page, "fa", "poster")
        screenshot(page, "languages-fa-poster.png", full_page=True)
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.locator(".poster-qr svg")).to_be_visible()
    finally:
        context.close()
