"""The walkers' follow-up page: what became of the walk's findings, without an account."""

from __future__ import annotations

import json

from babel.dates import format_date

from walkapp import measures
from walkapp.access import make_walker_token
from walkapp.db import partners as partners_db
from walkapp.db import walks as walks_db
from walkapp.public import today

from .seeding import add_finding, seed_walk

OWN_NOTE = "Lampan vid trappan har varit trasig i veckor"
OTHER_NOTE = "ANNANS-ANTECKNING-5150"
OTHER_NAME = "Bertil-Annansson"
OTHER_INCIDENT = "ANNANS-HANDELSE-6160"


def _walk_with_two_walkers(app, db):
    walk = seed_walk(db, "2022-03-01T18:30")
    me = walks_db.add_walker(db, walk["id"], "Anna")
    other = walks_db.add_walker(db, walk["id"], OTHER_NAME)
    mine = add_finding(db, walk["id"], me, note=OWN_NOTE)
    theirs = add_finding(db, walk["id"], other, category="litter", rating="yellow", note=OTHER_NOTE)
    add_finding(db, walk["id"], other, category="incident", note=OTHER_INCIDENT)
    with app.test_request_context():
        token = make_walker_token(walk["id"], me)
    return walk, token, mine, theirs


def test_follow_up_shows_the_coordinators_change_and_own_note_but_not_the_others(
    app, db, client, users
):
    walk, token, mine, theirs = _walk_with_two_walkers(app, db)
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    partner = db.execute("select id from partners where name = 'Trafikkontoret'").fetchone()[0]
    url = f"/j/{walk['code']}/follow-up"

    client.set_cookie("walker", token)
    before = client.get(url).get_data(as_text=True)
    assert "Inte behandlad ännu" in before and "Åtgärdat" not in before

    measures.set_status(db, mine, "done", users["coordinator"], partner)
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"  # the walker's own notes
    when = format_date(today(), "d MMMM", locale="sv")
    assert f"Åtgärdat {when} av Trafikkontoret." in html
    assert OWN_NOTE in html
    assert "Nedskräpning" in html  # the other walker's finding is listed...
    for secret in (OTHER_NOTE, OTHER_NAME, OTHER_INCIDENT, "Händelse"):
        assert secret not in html  # ...without their note, name or incident


def test_follow_up_works_with_a_bearer_token_and_gives_a_summary_for_the_phone(app, db, client):
    walk, token, mine, _ = _walk_with_two_walkers(app, db)
    headers = {"Authorization": f"Bearer {token}"}
    summary = client.get(f"/api/follow-up/{walk['code']}", headers=headers)
    data = json.loads(summary.get_data(as_text=True))
    assert data["url"] == f"/j/{walk['code']}/follow-up"
    assert data["state"] == "closed" and data["findings"] == 2 and data["mine"] == 1
    assert OTHER_NOTE not in summary.get_data(as_text=True)
    assert client.get(data["url"], headers=headers).status_code == 200


def test_follow_up_needs_the_walks_own_token(app, db, client):
    walk, _, _, _ = _walk_with_two_walkers(app, db)
    assert client.get(f"/j/{walk['code']}/follow-up").status_code == 403
    elsewhere = seed_walk(db, "2022-04-01T18:30")
    with app.test_request_context():
        foreign = make_walker_token(elsewhere["id"], walks_db.add_walker(db, elsewhere["id"]))
    client.set_cookie("walker", foreign)
    assert client.get(f"/j/{walk['code']}/follow-up").status_code == 403
    assert client.get(f"/api/follow-up/{walk['code']}").status_code == 403


def test_the_capture_screen_can_include_the_follow_up_link(app):
    with app.test_request_context():
        html = app.jinja_env.get_template("follow_up/_link.html").render(code="ABC234")
    assert 'href="/j/ABC234/follow-up"' in html


def test_follow_up_says_why_each_measure_stands_where_it_does(app, db, client, users):
    """Issue 25, the public hears why: planned with its month, not possible with the reason,
    passed on to the partner it belongs to."""
    walk, token, mine, theirs = _walk_with_two_walkers(app, db)
    third = add_finding(db, walk["id"], None, category="graffiti")
    partners_db.ensure_partners(db, ["Trafikkontoret", "Fastighetsägaren AB"])
    tk, landlord = (
        partners_db.find_by_name(db, n)["id"] for n in ("Trafikkontoret", "Fastighetsägaren AB")
    )
    measures.set_status(db, mine, "planned", users["coordinator"], tk, deadline="2026-11-20")
    measures.set_status(db, theirs, "not_possible", users["coordinator"], tk,
                        reason="Marken ägs av Trafikverket")  # fmt: skip
    measures.set_status(db, third, "assigned", users["coordinator"], landlord)
    client.set_cookie("walker", token)
    html = client.get(f"/j/{walk['code']}/follow-up").get_data(as_text=True)
    assert "Planerad av Trafikkontoret, klar i november 2026." in html
    assert "Går inte att åtgärda: Marken ägs av Trafikverket" in html
    assert "Lämnad vidare till Fastighetsägaren AB" in html
    client.set_cookie("lang", "en")
    english = client.get(f"/j/{walk['code']}/follow-up").get_data(as_text=True)
    assert "Planned by Trafikkontoret, to be done in November 2026." in english
