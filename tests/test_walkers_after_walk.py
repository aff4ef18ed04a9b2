"""Before and after the walk: a planned walk starts by its time or its first observation; after
it closes the poster's code and the installed app lead to the walk's follow-up page."""

from __future__ import annotations

from walkapp.db import walks as walks_db


def join(client, walk):
    client.get(f"/j/{walk['code']}")
    response = client.post(f"/j/{walk['code']}", data={"name": "Anna"})
    assert response.status_code == 302
    return response


def test_joining_after_the_start_time_makes_a_planned_walk_ongoing(client, walk, db):
    join(client, walk)
    assert walks_db.get_walk(db, walk["id"])["state"] == "ongoing"


def test_joining_before_the_start_keeps_it_planned(client, db):
    later = walks_db.create_walk(db, title="Nästa år", starts_at="2099-11-24T18:00")
    join(client, later)
    assert walks_db.get_walk(db, later["id"])["state"] == "planned"


def test_after_closing_the_code_and_the_app_lead_to_the_follow_up(client, walk, db):
    join(client, walk)
    walks_db.set_state(db, walk["id"], "closed")
    follow_up = f"/j/{walk['code']}/follow-up"
    assert client.get(f"/j/{walk['code']}").headers["Location"] == follow_up
    assert client.get("/j").headers["Location"] == follow_up  # the installed app's start
    assert client.get(follow_up).status_code == 200


def test_a_stranger_scanning_the_poster_after_the_walk_gets_no_empty_code_form(app, walk, db):
    walks_db.set_state(db, walk["id"], "closed")
    response = app.test_client().get(f"/j/{walk['code']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "koden gäller inte längre" in page and "Följ med i hur det går" in page
    assert 'name="code"' not in page


def test_a_closed_walks_capture_screen_offers_no_spara_and_the_follow_up_first(client, walk, db):
    join(client, walk)
    walks_db.set_state(db, walk["id"], "closed")
    page = client.get(f"/walks/{walk['id']}/capture").get_data(as_text=True)
    assert 'id="save"' not in page
    assert page.index("follow-up") < page.index('id="map"')
