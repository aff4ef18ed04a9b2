"""The region view in Chromium: a region user whose area (kommun Lidingö) covers two
organisations signs in through the form, opens **Jämförelse** from the menu and reads each
organisation's figures — checked against what the database holds, counted here by SQL of the
test's own — on a projector (1366×768, the whole table, no sideways scrolling) and a phone
(390×844, a card per organisation), light and dark, in Swedish and English, with no serious
axe-core violation. Screenshots: test-artifacts/region-*.png."""

from __future__ import annotations

import pytest

from tests.browser.artifacts import screenshot
from tests.browser.axe import serious
from tests.helpers import PASSWORD, hash_password, query, sign_in_page
from tests.test_region import (
    LIDINGO_FINDINGS,
    NORRMALM_FINDINGS,
    make_promise,
    make_walk,
    record_findings,
)
from walkapp import organisations, users
from walkapp.db import connect, database_path
from walkapp.vocabulary import FIXED_STATUSES, OPEN_STATUSES

pytestmark = pytest.mark.browser

SCREENS = {"projector": (1366, 768), "phone": (390, 844)}
KINDS = ("inside", "near", "none", "outside_area")


@pytest.fixture
def region_site(server):
    db = connect(database_path(server.app))
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    make_promise(db, 1, "Lokalpolisområde Norrmalm", 3)
    make_promise(db, lidingo, "Lidingö", 8)
    norrmalm = [make_walk(db, 1, day) for day in ("2026-03-10T18:00", "2026-06-02T18:00")]
    record_findings(db, norrmalm[0], NORRMALM_FINDINGS[:6])
    record_findings(db, norrmalm[1], NORRMALM_FINDINGS[6:])
    record_findings(db, make_walk(db, lidingo, "2026-05-05T18:00"), LIDINGO_FINDINGS)
    users.create(
        db, "regionen", hash_password(PASSWORD), "region", None,
        organisations.area_ids_named(db, ("kommun:0186",)),
    )  # fmt: skip
    db.close()
    return server


def stored(server, slug: str, kind: str, statuses: tuple[str, ...]) -> int:
    """How many findings of the organisation's 2026 walks at that place kind are in `statuses`,
    read straight from the database."""
    marks = ", ".join("?" * len(statuses))
    return query(
        server,
        "select count(*) as n from observations o join measures m on m.observation_id = o.id"
        " join walks w on w.id = o.walk_id join organisations g on g.id = w.organisation_id"
        f" where g.slug = ? and o.relation = ? and m.status in ({marks})"
        " and w.starts_at >= '2026-01-01' and w.starts_at < '2027-01-01'",
        [slug, kind, *statuses],
    )[0]["n"]


def held(server, slug: str) -> int:
    return query(
        server,
        "select count(*) as n from walks w join organisations g on g.id = w.organisation_id"
        " where g.slug = ? and w.state = 'closed' and w.starts_at >= '2026-01-01'"
        " and w.starts_at < '2027-01-01'",
        [slug],
    )[0]["n"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_a_region_user_compares_two_organisations(browser, region_site, screen, scheme):
    server = region_site
    width, height = SCREENS[screen]
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        locale="sv-SE",
        is_mobile=phone,
        has_touch=phone,
        bypass_csp=True,  # axe-core is injected as a script
    )
    page = context.new_page()
    sign_in_page(page, server.url, "regionen")
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Jämförelse").click()
    page.wait_for_url("**/region")
    assert page.get_by_role("heading", level=1).inner_text() == "Arrangörer jämförda 2026"

    for slug in ("lpo-norrmalm", "lidingo"):
        row = page.locator(f'tr[data-organisation="{slug}"]')
        assert row.is_visible()
        walks = row.locator("td.walks").inner_text()
        target = 3 if slug == "lpo-norrmalm" else 8
        assert walks.endswith(f"{held(server, slug)} av {target}"), walks
        for kind in KINDS:
            for standing, statuses in (("open", OPEN_STATUSES), ("fixed", FIXED_STATUSES)):
                cell = row.locator(f'td[data-kind="{kind}"][data-standing="{standing}"]')
                assert cell.is_visible()
                shown = int(cell.inner_text().rsplit(" ", 1)[-1])  # a phone labels it first
                assert shown == stored(server, slug, kind, statuses), (slug, kind, standing)
    # Norrmalm's fixed: 5, 10, 30 and 40 days after their walks; Lidingö's one after 7.
    assert "20 dagar" in page.locator('tr[data-organisation="lpo-norrmalm"] td.days').inner_text()
    assert "7 dagar" in page.locator('tr[data-organisation="lidingo"] td.days').inner_text()

    # Nothing wider than the screen: the projector shows the whole table, the phone cards.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table_wrap = page.locator(".table-wrap")
    assert table_wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
    header = page.locator(".region-table thead")
    assert header.is_visible() is not phone  # a phone has cards, labelled cell by cell
    assert serious(page, colours_only=scheme == "dark") == []
    screenshot(page, f"region-{screen}-{scheme}.png", full_page=True)

    # In English, from the menu's switch: the same table, still no wider than the screen.
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/region")
    assert page.get_by_role("heading", level=1).inner_text() == "Organisations compared, 2026"
    assert "20 days" in page.locator('tr[data-organisation="lpo-norrmalm"] td.days').inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"region-{screen}-{scheme}-en.png", full_page=True)
    page.get_by_role("link", name="Svenska").click()
    page.wait_for_url("**/region")

    # The year picker asks for its year.
    page.get_by_label("År").select_option("2026")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url("**/region?year=2026")
    assert page.locator('tr[data-organisation="lidingo"]').is_visible()
    context.close()
