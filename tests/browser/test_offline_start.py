"""Offline start: a walker whose tab closed in a dead zone opens the installed app (`/j`) or the
poster's link (`/j/<code>`) with no network and gets the walk's capture screen from the phone's
cache, records, and what they recorded reaches the server once the network is back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join, record
from tests.browser.test_capture_position import metres, rows
from tests.helpers import SERGELS_TORG, at
from walkapp import walks
from walkapp.db import connect, database_path

pytestmark = pytest.mark.browser


def open_offline(phone, url):
    page = phone.new_page()
    response = page.goto(url)
    assert response is not None and response.from_service_worker
    page.wait_for_selector("body[data-ready=true]")
    return page


@pytest.mark.parametrize("start", ["/j", "/j/{code}", "/j/{lower}"])
def test_the_walk_opens_offline_from_its_start_urls(phone, server, walk, start):
    page = phone.new_page()
    join(page, server, walk)
    page.wait_for_selector("body[data-offline-ready=true]")
    phone.set_offline(True)
    page.close()

    place = at(40, 25)
    phone.set_geolocation(place)
    url = server.url + start.format(code=walk["code"], lower=walk["code"].lower())
    page = open_offline(phone, url)
    assert page.url == server.url + f"/walks/{walk['id']}/capture"
    expect(page.locator(".capture-bar h1")).to_have_text(walk["title"])
    expect(page.locator("#gps-status")).to_have_attribute("data-latest-m", "6")
    record(page, "Belysning", "Åtgärda", note="Släckt lykta")
    expect(page.locator("#result")).to_have_text(
        "✓ sparad på telefonen, skickas när nätet är tillbaka"
    )
    assert rows(server, walk["id"]) == []

    phone.set_offline(False)
    expect(page.locator("#sync-status")).to_have_text("Allt är skickat", timeout=20_000)
    [row] = rows(server, walk["id"])
    assert (row["category"], row["rating"], row["note"]) == ("lighting", "red", "Släckt lykta")
    assert row["position_source"] == "gps"
    assert metres(row, place) < 0.5 and metres(row, SERGELS_TORG) > 40


def test_a_walk_this_phone_never_opened_still_gets_the_browsers_offline_page(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    page.wait_for_selector("body[data-offline-ready=true]")
    phone.set_offline(True)
    page.close()
    page = phone.new_page()
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        page.goto(server.url + "/j/ZZZZZZ")


def test_after_the_walk_closed_the_start_url_opens_the_follow_up_offline(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    db = connect(database_path(server.app))
    walks.change_state(db, walk["id"], "closed")
    db.close()
    page.reload()
    page.wait_for_selector("body[data-offline-ready=true]")
    phone.set_offline(True)
    page.close()
    page = phone.new_page()
    response = page.goto(server.url + "/j")
    assert response is not None and response.from_service_worker
    assert page.url == server.url + f"/j/{walk['code']}/follow-up"
