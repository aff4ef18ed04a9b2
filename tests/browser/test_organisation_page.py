"""An organisation's own public page (/o/<slug>/) in a real browser on a phone, in Swedish and in
Arabic (right to left): its name, its walks, the walks others held inside it, the figures as
stored; nothing scrolls sideways; axe finds nothing serious."""

from __future__ import annotations

import json

import pytest

from tests.browser.artifacts import screenshot
from tests.browser.axe import serious
from tests.browser.test_public_page import _sideways
from tests.helpers import observation, post_observation
from walkapp import organisations, walks
from walkapp.db import connect, database_path
from walkapp.public import today

pytestmark = pytest.mark.browser

LARSBERG = {"lon": 18.1352, "lat": 59.3531}  # in kommun Lidingö (0186)


def _walk(client, db, title: str, organisation_id: int, notes: list[str]) -> dict:
    year = today().year
    walk = walks.create(
        db, title=title, starts_at=f"{year}-02-10T18:00", state="ongoing",
        organisation_id=organisation_id, light="dark",
    )  # fmt: skip
    db.conn.commit()
    token = client.post("/api/join", json={"code": walk["code"]}).json["token"]
    for note in notes:
        body = observation(note=note, recorded_at=f"{year}-02-10T18:30:00+01:00", **LARSBERG)
        assert post_observation(
            client, walk, {"Authorization": f"Bearer {token}"}, body
        ).status_code == 201
    walks.change_state(db, walk["id"], "closed")
    return walk


@pytest.fixture
def lidingo_site(live_server):
    """Lidingö stad, a kommun, held one walk at Larsberg; the police (LPO Norrmalm) held another
    there, with two findings."""
    db = connect(database_path(live_server.app))
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    client = live_server.app.test_client()
    _walk(client, db, "Larsberg i februari", lidingo, ["Mörk gångväg"])
    _walk(client, db, "Polisens Larsberg", 1, ["Trasig lampa", "Buskar skymmer"])
    db.close()
    return live_server


@pytest.mark.parametrize("language", ["sv", "ar"])
def test_an_organisations_page_on_a_phone_in_two_languages(
    browser, browser_context_args, lidingo_site, language
):
    context = browser.new_context(
        **{**browser_context_args, "locale": language}, bypass_csp=True,
        extra_http_headers={"Accept-Language": language},
    )  # fmt: skip
    page = context.new_page()
    page.goto(lidingo_site.url + "/o/lidingo/")
    assert page.viewport_size["width"] == 390
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator(".brand").inner_text().strip() == "Lidingö stad"
    # The figures the page shows are those stored: its own walk held, the police's inside it.
    data = json.loads(
        context.request.get(f"{lidingo_site.url}/o/lidingo/promise/{today().year}/data.json").text()
    )
    assert data["totals"]["walks"] == 1 and data["totals"]["findings"] == 1
    assert [w["findings"] for w in data["walks_by_others"]] == [2]
    others = page.locator("#walks-by-others li")
    assert others.count() == 1
    assert "Polisen · Lokalpolisområde Norrmalm" in others.inner_text()
    heading = {"sv": "Andra arrangörers vandringar här", "ar": "جولات نظّمها منظّمون آخرون هنا"}
    assert page.get_by_role("heading", name=heading[language]).is_visible()
    # A kommun's page names itself, not the police area's promise, and lists no empty places.
    lead = page.locator(".lead").inner_text()
    assert "Lidingö stad" in lead and "Vasastan" not in lead
    assert page.locator("#priority-title").count() == 0  # Lidingö has no priority places yet
    assert _sideways(page) == []
    screenshot(page, f"organisation-page-{language}.png", full_page=True)
    assert serious(page) == []
    context.close()


def test_a_long_organisation_name_wraps_on_a_phone(browser, browser_context_args, live_server):
    """The longest name an organisation may have (120 characters), with a long word in it: the
    header wraps it, and nothing scrolls sideways."""
    db = connect(database_path(live_server.app))
    name = "Stadsdelsförvaltningen " + "Trygghetssamverkansområdesgruppen" * 2 + "x" * 31
    assert len(name) == organisations.MAX_NAME
    organisations.create(db, "lang", name, ("kommun:0186",))
    db.close()
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.goto(live_server.url + "/o/lang/")
    assert page.locator(".brand").inner_text() == name
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert _sideways(page) == []
    context.close()
