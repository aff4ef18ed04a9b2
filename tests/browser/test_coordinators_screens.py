"""Coordinators' screens in a real browser (issue 15): long text never widens a page (laptop and
phone), the protocol prints on A4 with every column, the meeting's quick change moves the row
at once and stores what was typed inline, and map controls are big enough for a finger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.browser.test_capture import join, photo_file
from tests.helpers import SERGELS_TORG, sign_in_page
from tests.test_coordinators import SERGEL, add_observation
from walkapp import clock
from walkapp.db import connect, database_path
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import walks as walks_db

pytestmark = pytest.mark.browser

LONG_NOTE = "https://example.org/" + "a" * 1980  # a pasted link: 2 000 characters, no space
LONG_TITLE = "Trygghetsvandring" * 7 + "X"  # 120 characters, no space
SCREENS = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def world(staff_server):
    server = staff_server
    db = connect(database_path(server.app))
    walk = walks_db.create_walk(
        db, title=LONG_TITLE[:120], starts_at="2026-11-24T18:00", place_ids=[1], state="ongoing"
    )
    long_one = add_observation(db, walk["id"], *SERGEL, note=LONG_NOTE)
    tk = next(p["id"] for p in partners_db.list_partners(db) if p["name"] == "Trafikkontoret")
    measures_db.update_measure(db, long_one, None, {"status": "assigned", "partner_id": tk})
    other = add_observation(db, walk["id"], *SERGEL, category="litter", note="Skräp vid bänken")
    measures_db.update_measure(db, other, None, {"status": "assigned", "partner_id": tk})
    yield {"server": server, "db": db, "walk": walk, "long": long_one, "other": other}
    db.close()


def signed_in(browser, server, size):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="sv-SE",
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    page = context.new_page()
    sign_in_page(page, server.url, "kim")
    page.wait_for_url("**/dashboard")
    return context, page


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_long_note_and_title_never_widen_a_page(browser, world, screen, tmp_path):
    context, page = signed_in(browser, world["server"], SCREENS[screen])
    walk = world["walk"]
    paths = {
        "walk": f"/walks/{walk['id']}",
        "walks": "/walks",
        "place": "/places/1",
        "measures": "/measures",
        "protocol": f"/walks/{walk['id']}/protocol",
        "triage": f"/observations/{world['long']}/triage",
    }
    too_wide = {}
    for name, path in paths.items():
        page.goto(world["server"].url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SCREENS[screen][0]:
            too_wide[name] = width
        screenshot(page, f"{screen}-{name}.png")
        # innerWidth on a phone grows with the content: the viewport width is the measure.
    assert too_wide == {}
    context.close()


def test_protocol_prints_on_a4_with_every_column(browser, world):
    context, page = signed_in(browser, world["server"], (1366, 768))
    page.goto(world["server"].url + f"/walks/{world['walk']['id']}/protocol")
    page.emulate_media(media="print")
    # A4 at 96 dpi minus the 15 mm margins: 210 mm - 30 mm = 180 mm ≈ 680 px.
    page.set_viewport_size({"width": 680, "height": 1000})
    tables = page.evaluate(
        """[...document.querySelectorAll('.protocol-table')].map(t => ({
            right: Math.max(...[...t.querySelectorAll('th')].map(c => c.getBoundingClientRect().right)),
            page: document.documentElement.clientWidth,
            wide: t.scrollWidth > t.clientWidth + 1}))"""
    )
    assert tables and all(t["right"] <= t["page"] and not t["wide"] for t in tables), tables
    assert page.evaluate("document.documentElement.scrollWidth") <= 680
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    context.close()


def test_meeting_quick_change_takes_a_deadline_inline_and_moves_the_row(browser, world):
    context, page = signed_in(browser, world["server"], (1366, 768))
    page.goto(world["server"].url + "/places/1")
    row = page.locator(f"#m-{world['other']}")
    open_box = page.locator("[data-section-box=open]")
    fixed_box = page.locator("[data-section-box=fixed]")
    expect(open_box.locator(f"#m-{world['other']}")).to_have_count(1)
    deadline_field = row.get_by_label("Sista dag")
    # Each status shows the fields it carries (vocabulary.STATUS_FIELDS), no others.
    row.get_by_label("Status").select_option("new")
    expect(deadline_field).to_be_hidden()
    expect(row.get_by_label("Ansvarig")).to_be_hidden()
    row.get_by_label("Status").select_option("planned")
    expect(deadline_field).to_be_visible()
    expect(row.get_by_label("Skäl")).to_be_hidden()
    deadline = (clock.today() + timedelta(days=10)).isoformat()
    deadline_field.fill(deadline)
    row.get_by_role("button", name="Ändra").click()
    expect(row.locator(".status-result")).to_contain_text("Planerad")
    expect(row.locator("td.deadline")).to_have_text(deadline)
    line = measures_db.get_observation(world["db"], world["other"])
    assert (line["status"], line["deadline"]) == ("planned", deadline)
    row.get_by_label("Status").select_option("done")
    row.get_by_role("button", name="Ändra").click()
    expect(fixed_box.locator(f"#m-{world['other']}")).to_have_count(1)
    expect(open_box.locator(f"#m-{world['other']}")).to_have_count(0)
    expect(page.locator("#open-heading")).to_contain_text("(1)")
    assert measures_db.get_observation(world["db"], world["other"])["status"] == "done"
    # Not possible asks for its reason in the row itself.
    long_row = page.locator(f"#m-{world['long']}")
    long_row.get_by_label("Status").select_option("not_possible")
    long_row.get_by_role("button", name="Ändra").click()
    expect(long_row.locator(".status-result")).to_contain_text("Skriv varför")
    long_row.get_by_label("Skäl").fill("Privat mark")
    long_row.get_by_role("button", name="Ändra").click()
    expect(open_box.locator(f"#m-{world['long']}")).to_have_count(0)
    assert measures_db.get_observation(world["db"], world["long"])["reason"] == "Privat mark"
    context.close()


def test_the_meeting_sets_a_partner_inline_and_undoes_a_not_possible(browser, world):
    """Issue 23.12: the meeting gives a finding its partner and deadline in the row, and a row
    set to "Går inte att åtgärda" lands in its own section with an "Ångra"."""
    db = world["db"]
    fresh = add_observation(db, world["walk"]["id"], *SERGEL, category="path", note="Hål i gången")
    for name, size in SCREENS.items():
        context, page = signed_in(browser, world["server"], size)
        page.goto(world["server"].url + "/places/1")
        row = page.locator(f"#m-{fresh}")
        expect(row.get_by_label("Ansvarig")).to_be_hidden()  # Ny carries no partner
        row.get_by_label("Status").select_option("planned")
        expect(row.get_by_label("Ansvarig")).to_be_visible()
        screenshot(row, f"meeting-inline-{name}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        context.close()
    context, page = signed_in(browser, world["server"], SCREENS["laptop"])
    page.goto(world["server"].url + "/places/1")
    row = page.locator(f"#m-{fresh}")
    row.get_by_label("Status").select_option("planned")
    row.get_by_label("Ansvarig").select_option(label="Trafikkontoret")
    deadline = (clock.today() + timedelta(days=20)).isoformat()
    row.get_by_label("Sista dag").fill(deadline)
    row.get_by_role("button", name="Ändra").click()
    expect(row.locator("td.partner")).to_have_text("Trafikkontoret")
    line = measures_db.get_observation(db, fresh)
    assert (line["status"], line["partner_name"], line["deadline"]) == (
        "planned",
        "Trafikkontoret",
        deadline,
    )
    # Not possible: the deadline field goes away and is not stored.
    row.get_by_label("Status").select_option("not_possible")
    expect(row.get_by_label("Sista dag")).to_be_hidden()
    row.get_by_label("Skäl").fill("Fastighetsägaren vill inte")
    row.get_by_role("button", name="Ändra").click()
    closed_box = page.locator("[data-section-box=closed]")
    expect(closed_box.locator(f"#m-{fresh}")).to_have_count(1)
    expect(page.locator("#closed-heading")).to_contain_text("(1)")
    line = measures_db.get_observation(db, fresh)
    assert (line["status"], line["deadline"]) == ("not_possible", None)
    screenshot(closed_box, "meeting-closed.png")
    row.get_by_role("button", name="Ångra").click()
    open_box = page.locator("[data-section-box=open]")
    expect(open_box.locator(f"#m-{fresh}")).to_have_count(1)
    expect(row.get_by_role("button", name="Ångra")).to_have_count(0)
    expect(row.locator("td.deadline")).to_have_text(deadline)
    line = measures_db.get_observation(db, fresh)
    assert (line["status"], line["deadline"], line["reason"]) == ("planned", deadline, "")
    changes = [
        (e["old_value"], e["new_value"])
        for e in measures_db.history(db, fresh)
        if e["field"] == "status"
    ]
    assert changes[:2] == [("not_possible", "planned"), ("planned", "not_possible")]
    context.close()


def test_map_controls_fit_a_finger_and_the_filter_panel_starts_folded_on_a_phone(browser, world):
    context, page = signed_in(browser, world["server"], SCREENS["phone"])
    page.goto(world["server"].url + f"/walks/{world['walk']['id']}")
    zoom = page.locator("#live-map .leaflet-control-zoom-in")
    box = zoom.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    page.goto(world["server"].url + f"/maps/walk/{world['walk']['id']}")
    expect(page).to_have_title(LONG_TITLE[:120])
    assert page.locator("details.wm-control").evaluate("d => d.open") is False
    back = page.get_by_role("link", name="← Vandringen")
    back.click()
    page.wait_for_url(f"**/walks/{world['walk']['id']}")
    context.close()


def test_walker_on_a_repeat_walk_adds_an_after_photo_from_the_capture_screen(
    browser, world, tmp_path
):
    db = world["db"]
    measures_db.update_measure(db, world["other"], None, {"status": "done"})
    repeat = walks_db.create_walk(
        db, title="Återbesök Plattan", starts_at="2027-03-01T18:00", place_ids=[1], state="ongoing"
    )
    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="sv-SE"
    )
    phone_context.grant_permissions(["geolocation"], origin=world["server"].url)
    phone_context.set_geolocation(SERGELS_TORG)
    phone = phone_context.new_page()
    join(phone, world["server"], repeat, name="Bo")
    item = phone.locator(f"li[data-observation='{world['other']}']")
    expect(item).to_contain_text("Nedskräpning")
    expect(phone.locator(f"li[data-observation='{world['long']}']")).to_have_count(0)  # not done
    item.locator("input[type=file]").set_input_files(str(photo_file(tmp_path)))
    expect(item.locator(".after-result")).to_contain_text("Efter-fotot är sparat")
    assert len(measures_db.get_observation(db, world["other"])["after_photo_ids"]) == 1
    screenshot(phone, "phone-after-photo.png", full_page=True)
    phone_context.close()
