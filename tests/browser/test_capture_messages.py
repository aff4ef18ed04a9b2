"""What the capture screen says after Spara never contradicts itself or the server: a new refusal
clears the last "✓ … på platsen", a refused observation is not confirmed with a ✓, and a screen
left open after the walk was closed says the walk has ended: after a save, a refused edit or
delete, a send from the outbox, or within a minute while it is lit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join, record
from tests.browser.test_capture_position import all_sent
from tests.helpers import query
from walkapp import walkers, walks
from walkapp.db import connect, database_path

pytestmark = pytest.mark.browser


def close(server, walk):
    """The coordinator closes the walk while the phone's screen stays open."""
    db = connect(database_path(server.app))
    try:
        walks.change_state(db, walk["id"], "closed")
    finally:
        db.close()


def test_a_new_refusal_clears_the_last_confirmation(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    record(page, "Belysning", "Åtgärda")
    result = page.locator("#result")
    expect(result).to_have_text("✓ Sergels torg / Plattan — på platsen")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator("#form-error")).to_have_text("Välj en kategori.")
    expect(result).to_have_text("")
    expect(result).to_be_hidden()


def test_an_observation_the_server_refuses_is_not_confirmed(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    db = connect(database_path(server.app))
    [walker] = list(db.query("select id from walkers where walk_id = ?", [walk["id"]]))
    walkers.revoke(db, walker["id"], None)
    db.close()
    record(page, "Klotter", "Bevaka")
    result = page.locator("#result")
    expect(result).to_contain_text("Inte mottagen:")
    expect(result).not_to_contain_text("✓")
    assert query(server, "select id from observations") == []


def one_sent_then_closed(phone, server, walk):
    """A phone that joined, sent one red lamp, and whose walk the coordinator then closed."""
    page = phone.new_page()
    join(page, server, walk)
    record(page, "Belysning", "Åtgärda")
    all_sent(page)
    close(server, walk)
    return page


def test_a_screen_left_open_after_the_walk_closed_says_so(phone, server, walk):
    page = one_sent_then_closed(phone, server, walk)
    note = page.locator("#closed-note")
    expect(note).to_be_hidden()

    record(page, "Nedskräpning", "Bevaka")
    expect(page.locator("#result")).to_have_text(
        "✓ Sergels torg / Plattan — på platsen"
        " Vandringen är avslutad – den sparades ändå, markerad som sen."
    )
    expect(note).to_be_visible()
    expect(note).to_contain_text("Vandringen är avslutad.")
    expect(note.get_by_role("link", name="Vad händer sedan? Följ upp vandringen")).to_be_visible()
    late = query(server, "select category, late from observations order by recorded_at")
    assert [(row["category"], row["late"]) for row in late] == [("lighting", 0), ("litter", 1)]
    # The walk is closed: the phone no longer offers to edit what was sent.
    expect(page.locator(".mine-item").get_by_role("button", name="Ändra")).to_have_count(0)


def test_coming_back_to_a_screen_left_open_tells_that_the_walk_has_ended(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    close(server, walk)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back from the pocket
    expect(page.locator("#closed-note")).to_be_visible()


def test_an_edit_refused_because_the_walk_closed_is_not_confirmed(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    record(page, "Belysning", "Åtgärda")
    all_sent(page)
    page.locator(".mine-item").get_by_role("button", name="Ändra").click()
    expect(page.locator("#edit-banner")).to_be_visible()
    close(server, walk)  # while the walker is changing it

    page.get_by_role("button", name="Bevaka", exact=True).click()
    page.get_by_role("button", name="Spara", exact=True).click()
    result = page.locator("#result")
    expect(result).to_have_text(
        "Inte mottagen: Vandringen är avslutad; observationer kan inte längre ändras."
    )
    expect(page.locator("#closed-note")).to_be_visible()
    expect(page.locator(".mine-item").get_by_role("button", name="Ändra")).to_have_count(0)
    [row] = query(server, "select rating from observations")
    assert row["rating"] == "red"


def test_a_delete_after_the_walk_closed_keeps_the_observation_and_says_why(phone, server, walk):
    page = one_sent_then_closed(phone, server, walk)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".mine-item").get_by_role("button", name="Ta bort").click()
    expect(page.locator("#closed-note")).to_be_visible()
    expect(page.locator("#result")).not_to_have_text("Observationen är borttagen.")
    expect(page.locator(".mine-item")).to_have_count(1)
    expect(page.locator(".mine-item").get_by_role("button", name="Ta bort")).to_have_count(0)
    expect(page.locator("#sync-status")).to_have_text("Allt är skickat")
    assert len(query(server, "select id from observations")) == 1


def test_a_screen_left_open_and_lit_learns_within_a_minute_that_the_walk_has_ended(
    phone, server, walk
):
    page = phone.new_page()
    page.clock.install()
    join(page, server, walk)
    close(server, walk)
    note = page.locator("#closed-note")
    expect(note).to_be_hidden()
    page.clock.run_for(61_000)
    expect(note).to_be_visible()
    expect(page.locator(".mine-item").get_by_role("button", name="Ändra")).to_have_count(0)


def test_an_observation_sent_after_the_walk_closed_tells_the_walker(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    phone.set_offline(True)
    record(page, "Klotter", "Bevaka")
    expect(page.locator("#result")).to_have_text(
        "✓ sparad på telefonen, skickas när nätet är tillbaka"
    )
    close(server, walk)
    phone.set_offline(False)
    all_sent(page)
    expect(page.locator("#closed-note")).to_be_visible()
    expect(page.locator(".mine-item .where")).to_contain_text("sen")
    [row] = query(server, "select late from observations")
    assert row["late"] == 1
