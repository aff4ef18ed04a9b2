"""The re-walk on a phone (390×844, Debian's Chromium): the walker joins a walk that follows up an
earlier one at Sergels torg, sees its measures on the map and in a list, taps "Finns kvar" and
"Åtgärdat" (one of them offline, through a reload), and the server's statuses are read back."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.browser.artifacts import screenshot
from tests.browser.test_capture import join
from tests.helpers import join as join_by_api
from tests.helpers import observation, post_observation, query
from walkapp import measures, walks
from walkapp.db import connect, database_path
from walkapp.db import partners as partners_db
from walkapp.db import places as places_db
from walkapp.db import walks as walks_db

pytestmark = pytest.mark.browser



@pytest.fixture
def rewalk(server):
    """An August walk at Sergels torg, held, with a lamp done, a bush planned and litter new;
    and an ongoing re-walk that follows it up."""
    db = connect(database_path(server.app))
    try:
        place = next(p for p in places_db.list_places(db) if p["name"] == "Sergels torg / Plattan")
        partners_db.ensure_partners(db, ["Trafikkontoret"])
        partner = next(p["id"] for p in partners_db.list_partners(db))
        held = walks_db.create_walk(
            db, title="Augustivandring", starts_at="2026-08-20T18:00", place_ids=[place["id"]],
            state="ongoing",
        )  # fmt: skip
        client = server.app.test_client()
        headers = join_by_api(client, held)
        found = {}
        for key, category, east in (("lamp", "lighting", 0), ("bush", "vegetation", 0.0003),
                                    ("litter", "litter", -0.0003)):  # fmt: skip
            body = observation(
                category=category, lon=18.0649 + east, recorded_at="2026-08-20T18:30:00+02:00"
            )
            assert post_observation(client, held, headers, body).status_code == 201
            found[key] = body["id"]
        measures.set_status(db, found["lamp"], "done", None, partner_id=partner)
        measures.set_status(
            db, found["bush"], "planned", None, partner_id=partner, deadline="2027-01-31"
        )
        walks.change_state(db, held["id"], "closed")
        walk = walks.create(
            db, title="Uppföljning: Sergels torg", starts_at="2026-12-03T07:00",
            place_ids=[place["id"]], follows=[held["id"]], state="ongoing",
        )  # fmt: skip
    finally:
        db.close()
    return {"walk": walk, **found}


def status(server, observation_id):
    rows = query(server, "select status from measures where observation_id = ?", [observation_id])
    return rows[0]["status"]


def wait_for_status(page, server, observation_id, wanted):
    for _ in range(200):
        if status(server, observation_id) == wanted:
            return
        page.wait_for_timeout(100)
    assert status(server, observation_id) == wanted


def test_a_walker_checks_the_measures_in_one_tap_each_also_offline(phone, server, rewalk):
    page = phone.new_page()
    errors = []
    # A walk without a planned route answers /route with a 404, which the service worker does not
    # keep: offline, that fetch fails (route_capture.js draws no route then). Anything else counts.
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.location["url"].endswith("/route")
            and errors.append(f"{m.text} {m.location['url']}")
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    join(page, server, rewalk["walk"])
    items = page.locator("#checks-list .check-item")
    expect(items).to_have_count(3)
    expect(page.locator(".check-marker")).to_have_count(3)  # a diamond each on the map
    lamp = items.filter(has_text="Belysning")
    bush = items.filter(has_text="Vegetation")
    litter = items.filter(has_text="Nedskräpning")
    expect(lamp).to_contain_text("Hittades 2026-08-20 · Åtgärdad")

    # Big enough for a cold thumb: each answer at least 44 px high, side by side.
    box = lamp.get_by_role("button", name="Finns kvar").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 140

    lamp.get_by_role("button", name="Finns kvar").click()
    wait_for_status(page, server, rewalk["lamp"], "assigned")  # opened again, to its partner
    expect(lamp.get_by_role("button", name="Finns kvar")).to_have_attribute("aria-pressed", "true")
    expect(lamp).to_contain_text("Ditt svar: Finns kvar ✓")
    bush.get_by_role("button", name="Åtgärdat").click()
    wait_for_status(page, server, rewalk["bush"], "done")
    page.get_by_text("Allt är skickat").wait_for()
    page.wait_for_selector("body[data-offline-ready=true]")

    # Offline: the tap waits on the phone, survives a reload, and is sent once.
    phone.set_offline(True)
    litter.get_by_role("button", name="Åtgärdat").click()
    expect(litter).to_contain_text("väntar")
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("body[data-ready=true]")
    litter = page.locator("#checks-list .check-item").filter(has_text="Nedskräpning")
    expect(litter.get_by_role("button", name="Åtgärdat")).to_have_attribute("aria-pressed", "true")
    page.get_by_text("1 väntar på att skickas").wait_for()
    assert status(server, rewalk["litter"]) == "new"
    phone.set_offline(False)
    page.get_by_text("Allt är skickat").wait_for(timeout=20_000)
    wait_for_status(page, server, rewalk["litter"], "done")

    # What the server stored, read back: the statuses, one check each, the answers it gives.
    assert status(server, rewalk["lamp"]) == "assigned"
    assert status(server, rewalk["bush"]) == "done"
    checks = query(server, "select observation_id, answer from rewalk_checks order by rowid")
    assert [(c["observation_id"], c["answer"]) for c in checks] == [
        (rewalk["lamp"], "still_there"),
        (rewalk["bush"], "fixed"),
        (rewalk["litter"], "fixed"),
    ]
    answers = page.evaluate(
        """async (url) => {
            const token = JSON.parse(document.getElementById("capture-config").textContent).token;
            const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
            return (await response.json()).items.map((item) => [item.id, item.answer, item.status]);
        }""",
        f"/api/walks/{rewalk['walk']['id']}/checks",
    )
    assert sorted(answers) == sorted(
        [
            [rewalk["lamp"], "still_there", "Tilldelad"],
            [rewalk["bush"], "fixed", "Åtgärdad"],
            [rewalk["litter"], "fixed", "Åtgärdad"],
        ]
    )

    # The screen shows what the server made of the taps sent after the reload too.
    expect(page.locator(".check-item[data-answer=fixed]")).to_have_count(2)
    expect(page.locator(".check-marker.answered-still_there")).to_have_count(1)
    expect(page.locator("#checks-list")).to_contain_text("Nedskräpning")
    expect(page.locator(".check-item", has_text="Nedskräpning")).to_contain_text("Åtgärdad")

    # A diamond tapped on the map brings its row into view; the screens at phone size.
    page.locator(".check-marker.answered-still_there").click()
    expect(page.locator(".check-item", has_text="Belysning")).to_be_focused()
    expect(page.locator(".check-item", has_text="Belysning")).to_be_in_viewport()
    toggle = page.locator("#theme-toggle")
    for theme in ("light", "dark"):
        if page.locator("html").get_attribute("data-theme") != theme:
            toggle.click()
        page.locator("#checks").scroll_into_view_if_needed()
        screenshot(page, f"rewalk-checks-{theme}.png")
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"rewalk-map-{theme}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
