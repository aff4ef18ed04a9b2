"""A joint walk: LPO Norrmalm leads it, Lidingö stad holds it with it. Each organiser sees and
works the walk, its findings and their measures, in every list and export, hears of its
partners' answers and counts it for its promise; a third organisation never learns of it; only
the lead (or the instance's admin) chooses who co-organises."""

from __future__ import annotations

import html
import json

import pytest

from tests.helpers import database_at, hash_password, plan_walk, post_observation
from tests.helpers import observation as an_observation
from tests.test_organisations import _as, _db, world  # noqa: F401  (world is a fixture)
from walkapp import measures, organisations, users, walks
from walkapp.db import mail as mail_db
from walkapp.db import promises as promises_db
from walkapp.db import public as public_db
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate


def _last_audit(db, walk_id: str) -> dict:
    """The detail of the walk's newest audit log entry."""
    detail = db.execute(
        "select detail from audit_log where entity = 'walk' and entity_id = ? order by id desc",
        [walk_id],
    ).fetchone()[0]
    return json.loads(detail)


def _one_finding(app, walk: dict, note: str) -> str:
    """A walker joins the walk and records one red lamp at Sergels torg: its id."""
    client = app.test_client()
    token = client.post("/api/join", json={"code": walk["code"]}).json["token"]
    body = an_observation(note=note)
    headers = {"Authorization": "Bearer " + token}
    assert post_observation(client, walk, headers, body).status_code == 201
    return body["id"]


def _invited(db, joint, title: str, starts_at: str = "2026-11-25T18:00", **fields) -> dict:
    """A walk of LPO Norrmalm that invites Lidingö stad, not yet answered."""
    return walks.create(db, title=title, starts_at=starts_at, organisation_id=1,
                        co_organisers=[joint["lidingo"]], **fields)  # fmt: skip


@pytest.fixture
def joint(world):  # noqa: F811
    """World's two organisations and a third; a joint walk of Norrmalm with Lidingö, at
    Norrmalm's Sergels torg, with one red lamp."""
    db = _db(world)
    third = organisations.create(db, "sollentuna", "Sollentuna kommun", ("kommun:0163",))
    world["users"]["third"] = users.create(
        db, "third", hash_password("x" * 12), "coordinator", third
    )
    sergel = db.execute(
        "select id from places where organisation_id = 1 and name like 'Sergels torg%'"
    ).fetchone()[0]
    walk = walks.create(
        db,
        place_ids=[sergel],
        title="Gemensam vandring",
        starts_at="2026-11-24T18:00",
        state="ongoing",
        organisation_id=1,
        co_organisers=[world["lidingo"]],
    )
    # Invited by the lead, Lidingö says yes (test_an_invited_co_organiser_... : before it does).
    assert walks.accept(db, walk["id"], world["lidingo"], world["users"]["lidingo"])
    db.close()
    found = _one_finding(world["app"], walk, "Gemensam lampa")
    world["joint"] = {"walk": walk, "observation": found}
    return world


def test_each_organiser_sees_and_works_a_joint_walk_and_a_third_learns_nothing(joint):
    walk_id, found = joint["joint"]["walk"]["id"], joint["joint"]["observation"]
    lidingo = _as(joint, "lidingo")
    page = lidingo.get(f"/walks/{walk_id}").get_data(as_text=True)
    assert "Gemensam vandring" in page
    assert 'id="organisers">Polisen · Lokalpolisområde Norrmalm (ansvarig), Lidingö stad<' in page
    # The lead's place is named, not linked: a co-organiser does not read Norrmalm's places.
    facts = page.split('id="organisers"')[1].split("</dl>")[0]
    assert "Sergels torg" in facts and "/places/" not in facts
    assert "/places/" in _as(joint, "norrmalm").get(f"/walks/{walk_id}").get_data(as_text=True)
    assert "Gemensam vandring" in lidingo.get("/walks").get_data(as_text=True)
    assert lidingo.get(f"/walks/{walk_id}/protocol.csv").status_code == 200
    assert lidingo.get(f"/maps/walk/{walk_id}").status_code == 200
    triage = lidingo.get(f"/observations/{found}/triage")
    assert triage.status_code == 200 and "/places/" not in triage.get_data(as_text=True)
    assert "/places/" in _as(joint, "norrmalm").get(f"/observations/{found}/triage").get_data(
        as_text=True
    )
    features = lidingo.get("/export/observations.geojson").json["features"]
    assert found in {f["id"] for f in features}
    assert lidingo.get(f"/export/observations.geojson?walk={walk_id}").status_code == 200
    assert found[:8] in lidingo.get("/measures").get_data(as_text=True)
    # The co-organiser works the measure: triaged, stored, audited under its coordinator.
    answer = lidingo.post(f"/observations/{found}/triage", data={"status": "keep"})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:500]
    db = _db(joint)
    assert db.execute(
        "select status from measures where observation_id = ?", [found]
    ).fetchone() == ("keep",)
    # A third organisation: 404 for every id, nothing in its lists.
    third = _as(joint, "third")
    for path in (
        f"/walks/{walk_id}",
        f"/walks/{walk_id}/protocol.csv",
        f"/maps/walk/{walk_id}",
        f"/observations/{found}/triage",
        f"/walks/{walk_id}/edit",
    ):
        assert third.get(path).status_code == 404, path
    assert "Gemensam vandring" not in third.get("/walks").get_data(as_text=True)
    assert third.get("/export/observations.geojson").json["features"] == []


def test_only_the_lead_chooses_the_co_organisers(joint):
    walk_id = joint["joint"]["walk"]["id"]
    lidingo = _as(joint, "lidingo")
    # A co-organiser does not open the lead's form (test_only_the_lead_changes_the_walk_…).
    assert lidingo.get(f"/walks/{walk_id}/edit").status_code == 403
    saved = lidingo.post(
        f"/walks/{walk_id}/edit",
        data={"title": "Gemensam vandring", "starts_at": "2026-11-24T18:00", "light": "dark",
              "co_organiser_ids": []},
    )  # fmt: skip
    assert saved.status_code == 403
    db = _db(joint)
    assert walks_db.co_organiser_ids(db, walk_id) == [joint["lidingo"]]
    # The lead's coordinator offers every other organisation, and a choice not offered is a 400.
    norrmalm = _as(joint, "norrmalm")
    form = norrmalm.get(f"/walks/{walk_id}/edit").get_data(as_text=True)
    assert form.count('name="co_organiser_ids"') == 2  # Lidingö stad, Sollentuna kommun
    refused = norrmalm.post(
        f"/walks/{walk_id}/edit",
        data={"title": "Gemensam vandring", "starts_at": "2026-11-24T18:00", "light": "dark",
              "co_organiser_ids": ["1"]},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "Välj arrangörer ur listan." in refused.get_data(as_text=True)
    # Taking Lidingö off: the walk is gone from its people, as any other organisation's.
    saved = norrmalm.post(
        f"/walks/{walk_id}/edit",
        data={"title": "Gemensam vandring", "starts_at": "2026-11-24T18:00", "light": "dark"},
    )  # fmt: skip
    assert saved.status_code in (302, 303)
    assert walks_db.co_organiser_ids(db, walk_id) == []
    assert lidingo.get(f"/walks/{walk_id}").status_code == 404
    assert _last_audit(db, walk_id)["co_organisers"] == []


def test_a_walk_planned_with_a_co_organiser_stores_it(joint):
    norrmalm = _as(joint, "norrmalm")
    planned = plan_walk(norrmalm, "Med Lidingö", co_organiser_ids=[str(joint["lidingo"])])
    assert planned.status_code in (302, 303), planned.get_data(as_text=True)[:800]
    db = _db(joint)
    walk_id = db.execute("select id from walks where title = 'Med Lidingö'").fetchone()[0]
    assert walks_db.co_organiser_ids(db, walk_id) == [joint["lidingo"]]
    # With one organisation in the instance there is nothing to offer.


def test_a_joint_walk_counts_for_each_organisers_promise_and_public_page(joint):
    db = _db(joint)
    walk_id = joint["joint"]["walk"]["id"]
    year = 2026
    before = {
        oid: promises_db.closed_walks_in_year(db, year, oid) for oid in (1, joint["lidingo"])
    }
    walks.change_state(db, walk_id, "closed")
    for oid in (1, joint["lidingo"]):
        assert promises_db.closed_walks_in_year(db, year, oid) == before[oid] + 1
    third = organisations.by_slug_or_refused(db, "sollentuna")
    assert promises_db.closed_walks_in_year(db, year, third) == 0
    # Held together: on the co-organiser's public page, its finding among the counted.
    held = public_db.walks_held(db, year, joint["lidingo"])
    assert any(row["findings"] >= 1 and "Sergels torg" in " ".join(row["places"]) for row in held)
    counted = public_db.observation_counts(db, year, joint["lidingo"])
    assert sum(row["n"] for row in counted) >= 1
    assert public_db.walks_held(db, year, third) == []


def test_each_organisers_coordinators_hear_of_the_walk(joint):
    db = _db(joint)
    db.execute("update users set email = username || '@example.se'")
    db.conn.commit()
    walk_id = joint["joint"]["walk"]["id"]
    told = {row["username"] for row in mail_db.walk_coordinators(db, walk_id, "answered")}
    assert told == {"norrmalm", "lidingo"}


def test_create_walk_takes_co_organisers_by_slug(joint):
    runner = joint["app"].test_cli_runner()
    made = runner.invoke(
        args=["create-walk", "--title", "Larsberg med polisen", "--organisation", "lidingo",
              "--co-organiser", "lpo-norrmalm", "--starts-at", "2026-12-03T18:00"]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    db = _db(joint)
    walk_id = json.loads(made.output)["id"]
    assert walks_db.co_organiser_ids(db, walk_id) == [1]
    refused = runner.invoke(
        args=["create-walk", "--title", "x", "--co-organiser", "nowhere",
              "--starts-at", "2026-12-03T18:00"]
    )  # fmt: skip
    assert refused.exit_code == 1 and "nowhere" in refused.output


def test_the_upgrade_to_0017_keeps_every_walk_and_adds_no_co_organiser(tmp_path):
    db = database_at(tmp_path, "0016_mail_digest_week")
    db.execute(
        "insert into walks (id, title, code, starts_at, created_at, organisation_id)"
        " values ('w1', 'Före', 'ABCDEF', '2026-11-24T17:00:00+00:00', ?, 1)",
        ["2026-11-01T00:00:00+00:00"],
    )
    db.conn.commit()
    assert "0017_walks_organisers" in migrate(db)
    assert db.execute("select count(*) from walk_organisers").fetchone() == (0,)
    assert walks_db.co_organiser_ids(db, "w1") == []


def test_a_partner_invited_by_a_co_organiser_works_the_joint_walks_measure(joint):
    db = _db(joint)
    found = joint["joint"]["observation"]
    partner = db.execute("select id from partners order by id limit 1").fetchone()[0]
    hashed = hash_password("x" * 12)
    by_lidingo = users.create(db, "tk_lidingo", hashed, "partner", joint["lidingo"],
                              partner_id=partner)  # fmt: skip
    third = organisations.by_slug_or_refused(db, "sollentuna")
    by_third = users.create(db, "tk_third", hashed, "partner", third, partner_id=partner)
    with joint["app"].app_context():
        measures.set_status(db, found, "assigned", None, partner_id=partner)
    joint["users"].update(tk_lidingo=by_lidingo, tk_third=by_third)
    lidingo = _as(joint, "tk_lidingo")
    assert found[:8] in lidingo.get("/partner").get_data(as_text=True)
    assert lidingo.get(f"/partner/measures/{found}").status_code == 200
    third_partner = _as(joint, "tk_third")
    assert third_partner.get(f"/partner/measures/{found}").status_code == 404


def test_a_rewalk_of_a_joint_walk_is_planned_with_the_same_co_organisers(joint):
    db = _db(joint)
    walk_id = joint["joint"]["walk"]["id"]
    walks.change_state(db, walk_id, "closed")
    place = walks_db.walk_place_ids(db, walk_id)[0]
    form = _as(joint, "norrmalm").get(f"/places/{place}/rewalk").get_data(as_text=True)
    ticked = [
        line for line in form.split("<label") if 'name="co_organiser_ids"' in line
    ]
    assert [("checked" in line, "Lidingö stad" in line) for line in ticked if "Lidingö" in line] == [
        (True, True)
    ]
    assert all("checked" not in line for line in ticked if "Sollentuna" in line)


def test_a_kommuns_public_page_shows_the_walks_others_held_inside_it(joint):
    db = _db(joint)
    larsberg = walks.create(
        db, title="Polisens Larsbergsvandring", starts_at="2026-11-24T18:00", state="ongoing",
        organisation_id=1,
    )  # fmt: skip
    db.close()
    client = joint["app"].test_client()
    token = client.post("/api/join", json={"code": larsberg["code"]}).json["token"]
    headers = {"Authorization": "Bearer " + token}
    for note in ("Mörk gångväg", "Trasig lampa"):
        body = an_observation(lon=18.1352, lat=59.3531, note=note)
        assert post_observation(client, larsberg, headers, body).status_code == 201
    db = _db(joint)
    walks.change_state(db, larsberg["id"], "closed")
    db.close()
    page = client.get("/o/lidingo/").get_data(as_text=True)
    others = page.split('id="walks-by-others"')[1].split("</ul>")[0]
    assert "Andra arrangörers vandringar här 2026" in page
    # Norrmalm's walk at Larsberg, its two findings there; the joint walk is Lidingö's own.
    assert others.count("<li>") == 1
    assert "Polisen · Lokalpolisområde Norrmalm" in others and "2 iakttagelser" in others
    # Not counted as Lidingö's: its own walks held are the joint one only.
    data = client.get("/o/lidingo/promise/2026/data.json").json
    assert data["walks_by_others"][0]["findings"] == 2
    assert data["totals"]["walks"] == 0  # the joint walk is still under way
    english = client.get("/o/lidingo/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Walks other organisers held here in 2026" in english
    # A third organisation covering neither sees none of them.
    assert 'id="walks-by-others"' not in client.get("/o/sollentuna/").get_data(as_text=True)


def test_the_share_text_names_the_organisation(joint):
    page = joint["app"].test_client().get("/o/lidingo/").get_data(as_text=True)
    assert "Lidingö stad 2026: trygghetsvandringar" in page or "Lidingö stad 2026:" in page
    assert "lokalpolisområde Norrmalm" not in page


def test_the_front_page_links_a_map_of_every_organisers_places(joint):
    client = joint["app"].test_client()
    front = client.get("/").get_data(as_text=True)
    link = front.split('id="every-organisers-map"')[0].rsplit('href="', 1)[1].split('"')[0]
    every = client.get(html.unescape(link)).get_data(as_text=True)
    one = client.get("/maps/public").get_data(as_text=True)
    # Lidingö's own Larsbergs centrum is on the map of all, not on the first organisation's.
    assert "Larsbergs centrum" in every and "Larsbergs centrum" not in one
    assert "Centralstationen" in every and "Centralstationen" in one


def test_a_co_organiser_can_leave_a_joint_walk_and_the_lead_cannot(joint):
    walk_id = joint["joint"]["walk"]["id"]
    norrmalm = _as(joint, "norrmalm")
    assert "Lämna vandringen" not in norrmalm.get(f"/walks/{walk_id}").get_data(as_text=True)
    assert norrmalm.post(f"/walks/{walk_id}/leave").status_code == 403
    lidingo = _as(joint, "lidingo")
    assert "Lämna vandringen" in lidingo.get(f"/walks/{walk_id}").get_data(as_text=True)
    left = lidingo.post(f"/walks/{walk_id}/leave")
    assert left.status_code == 303
    db = _db(joint)
    assert walks_db.co_organiser_ids(db, walk_id) == []
    assert lidingo.get(f"/walks/{walk_id}").status_code == 404
    assert _last_audit(db, walk_id) == {"left": joint["lidingo"]}


def test_an_invited_co_organiser_sees_the_walk_but_it_counts_for_it_only_after_yes(joint):
    """The lead invites; until the co-organiser says yes, the walk is not on its public page,
    calendar or promise, and its dashboard and the walk's page ask it. Yes once is enough."""
    db = _db(joint)
    lidingo_id = joint["lidingo"]
    invited = _invited(db, joint, "Inbjuden vandring", state="ongoing")
    walks.change_state(db, invited["id"], "closed")
    counted = promises_db.closed_walks_in_year(db, 2026, lidingo_id)
    assert promises_db.closed_walks_in_year(db, 2026, 1) >= 1
    assert not any(row["title"] == "Inbjuden vandring"
                   for row in walks_db.walks_for_calendar(db, "2026-01-01", False, lidingo_id))
    db.close()

    lidingo = _as(joint, "lidingo")
    page = lidingo.get(f"/walks/{invited['id']}").get_data(as_text=True)
    assert "bjuder in Lidingö stad att arrangera vandringen tillsammans" in page
    assert "Lidingö stad (inbjuden, har inte svarat)" in page
    assert "Lämna vandringen" not in page and "Tacka nej" in page
    assert "Registrera själv" not in page  # its first finding would start the lead's walk
    dashboard = lidingo.get("/dashboard").get_data(as_text=True)
    assert "Inbjudningar att arrangera tillsammans" in dashboard
    listed = lidingo.get("/walks").get_data(as_text=True)
    row = listed.split("Inbjuden vandring")[1].split("</tr>")[0]
    assert "Inbjudna, inte svarat" in row
    assert "Inbjudna, inte svarat" not in listed.split("Gemensam vandring")[1].split("</tr>")[0]
    assert f"/walks/{invited['id']}" in dashboard
    # The lead sees the answer is missing; it cannot say yes for Lidingö, nor can a third.
    norrmalm = _as(joint, "norrmalm")
    assert "(inbjuden, har inte svarat)" in norrmalm.get(f"/walks/{invited['id']}").get_data(
        as_text=True
    )
    assert "Inbjudningar" not in norrmalm.get("/dashboard").get_data(as_text=True)
    assert norrmalm.post(f"/walks/{invited['id']}/accept").status_code == 403
    assert _as(joint, "third").post(f"/walks/{invited['id']}/accept").status_code == 404
    assert _as(joint, "region").post(f"/walks/{invited['id']}/accept").status_code in (403, 404)

    yes = lidingo.post(f"/walks/{invited['id']}/accept")
    assert yes.status_code == 303 and yes.location.endswith(f"/walks/{invited['id']}")
    db = _db(joint)
    assert promises_db.closed_walks_in_year(db, 2026, lidingo_id) == counted + 1
    assert any(row["title"] == "Inbjuden vandring"
               for row in walks_db.walks_for_calendar(db, "2026-01-01", False, lidingo_id))
    assert _last_audit(db, invited["id"]) == {"accepted": lidingo_id}
    accepted_at = db.execute(
        "select accepted_at from walk_organisers where walk_id = ?", [invited["id"]]
    ).fetchone()[0]
    # A second yes (a double tap) changes nothing and says so; the lead's save keeps the yes.
    again = lidingo.post(f"/walks/{invited['id']}/accept", follow_redirects=True)
    assert "Ni hade redan tackat ja" in again.get_data(as_text=True)
    walks.update(db, invited["id"], {"title": "Inbjuden vandring"}, None,
                 co_organisers=[lidingo_id])  # fmt: skip
    assert db.execute(
        "select accepted_at from walk_organisers where walk_id = ?", [invited["id"]]
    ).fetchone()[0] == accepted_at
    page = lidingo.get(f"/walks/{invited['id']}").get_data(as_text=True)
    assert "Tacka ja" not in page and "Lämna vandringen" in page
    assert "Inbjudna, inte svarat" not in lidingo.get("/walks").get_data(as_text=True)
    assert "Inbjudningar" not in lidingo.get("/dashboard").get_data(as_text=True)


def test_saying_no_to_an_invitation_takes_the_walk_away_and_the_lead_reads_it(joint):
    db = _db(joint)
    invited = _invited(db, joint, "Nej tack")
    db.close()
    lidingo, norrmalm = _as(joint, "lidingo"), _as(joint, "norrmalm")
    assert lidingo.post(f"/walks/{invited['id']}/leave").status_code == 303
    assert lidingo.get(f"/walks/{invited['id']}").status_code == 404
    assert walks_db.invitations(_db(joint), [joint["lidingo"]]) == []
    page = norrmalm.get(f"/walks/{invited['id']}").get_data(as_text=True)
    said = page.split('id="declined">')[1].split("</dd>")[0]
    assert said.startswith("Lidingö stad (") and "Tackade nej" in page
    # Invited again, the no is forgotten; one who leaves after a yes is no "no".
    db = _db(joint)
    walks.update(db, invited["id"], {}, co_organisers=[joint["lidingo"]])
    assert 'id="declined"' not in norrmalm.get(f"/walks/{invited['id']}").get_data(as_text=True)
    assert lidingo.post(f"/walks/{invited['id']}/accept").status_code == 303
    assert lidingo.post(f"/walks/{invited['id']}/leave").status_code == 303
    assert walks_db.declines(db, invited["id"]) == []


def test_the_upgrade_to_0023_keeps_every_co_organiser_counted(tmp_path):
    db = database_at(tmp_path, "0022_observations_measure_status")
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ())
    walk = walks_db.create_walk(db, title="Före", starts_at="2026-11-24T18:00", organisation_id=1)
    db.execute(  # a co-organiser as 0017 kept them
        "insert into walk_organisers (walk_id, organisation_id) values (?, ?)", [walk["id"], lidingo]
    )
    db.conn.commit()
    assert "0023_walks_organisers_accepted" in migrate(db)
    answered = db.execute("select invited_at is not null, accepted_at is not null"
                          " from walk_organisers").fetchall()  # fmt: skip
    assert answered == [(1, 1)]
    assert walks_db.invitations(db, [lidingo]) == []
    assert walks_db.co_organiser_ids(db, walk["id"]) == [lidingo]


def test_open311_lists_a_joint_walks_findings_under_an_invited_jurisdiction_after_yes(joint):
    """Anyone reading an organisation's jurisdiction reads the walks that count as its own: an
    invited co-organiser's only once it said yes; its own people see them at once."""
    db = _db(joint)
    lidingo = joint["lidingo"]
    db.execute("update organisations set jurisdiction_id = 'lidingo.se' where id = ?", [lidingo])
    db.conn.commit()
    invited = _invited(db, joint, "Inbjuden", "2026-11-24T18:00", state="ongoing")
    db.close()
    found = _one_finding(joint["app"], invited, "Mörk passage")
    db = _db(joint)
    walks.change_state(db, invited["id"], "closed")
    query = {"jurisdiction_id": "lidingo.se", "start_date": "2026-01-01T00:00:00Z"}

    def listed(reader) -> bool:
        answer = reader.get("/open311/v2/requests.json", query_string=query)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return found in {row["service_request_id"] for row in answer.json}

    anyone = joint["app"].test_client()
    assert not listed(anyone)
    assert listed(_as(joint, "lidingo"))  # its own people: invited, they see the walk
    assert walks.accept(db, invited["id"], lidingo, joint["users"]["lidingo"])
    assert listed(anyone)


def test_only_the_lead_changes_the_walk_and_an_invited_one_does_not_run_it(joint):
    """The walk's facts and places are the lead's (a co-organiser's form would list the lead's
    places): a co-organiser gets 403 on the form. An invited one may not start or close the walk
    either; once it said yes it runs it with the lead."""
    db = _db(joint)
    invited = _invited(db, joint, "Inbjuden")
    db.close()
    lidingo = _as(joint, "lidingo")
    page = lidingo.get(f"/walks/{invited['id']}").get_data(as_text=True)
    assert f"/walks/{invited['id']}/edit" not in page and "Starta vandringen" not in page
    assert lidingo.get(f"/walks/{invited['id']}/edit").status_code == 403
    moved = lidingo.post(
        f"/walks/{invited['id']}/edit",
        data={"title": "Flyttad", "starts_at": "2026-11-26T19:00", "light": "dark"},
    )  # fmt: skip
    assert moved.status_code == 403
    started = lidingo.post(f"/walks/{invited['id']}/state", data={"state": "ongoing"})
    assert started.status_code == 403
    db = _db(joint)
    unchanged = walks_db.get_walk(db, invited["id"])
    assert (unchanged["title"], unchanged["state"]) == ("Inbjuden", "planned")
    # The dashboard lists it as an invitation, not among the organisation's planned walks.
    dashboard = lidingo.get("/dashboard").get_data(as_text=True)
    assert dashboard.count("Inbjuden") == 1
    assert lidingo.post(f"/walks/{invited['id']}/accept").status_code == 303
    page = lidingo.get(f"/walks/{invited['id']}").get_data(as_text=True)
    assert "Starta vandringen" in page and f"/walks/{invited['id']}/edit" not in page
    started = lidingo.post(f"/walks/{invited['id']}/state", data={"state": "ongoing"})
    assert started.status_code in (302, 303)
    assert walks_db.get_walk(db, invited["id"])["state"] == "ongoing"
    # A no to an invitation says so, not "no longer".
    other = _invited(db, joint, "Nej", "2026-11-27T18:00")
    said = lidingo.post(f"/walks/{other['id']}/leave", follow_redirects=True)
    assert "Ni har tackat nej till vandringen Nej." in said.get_data(as_text=True)


def test_a_second_organisations_admin_makes_its_own_promise_for_the_same_year(joint):
    """LPO Norrmalm has 2026's promise; Lidingö's admin makes Lidingö's own 2026 promise, with a
    title naming Lidingö, not a 500 on the shared area."""
    admin = _as(joint, "lidingo_admin")
    form = admin.get("/admin/promises").get_data(as_text=True)
    assert "för Lidingö stad" in form and "Stockholm, Norrmalm" not in form
    for year in (2026, 2027):
        db = _db(joint)
        if not promises_db.promise_for_year(db, year, [1]):
            from walkapp import promises

            promises.create(db, year, promises_db.DEFAULT_AREA, "Norrmalm", None,
                            organisation_id=1)  # fmt: skip
        made = admin.post("/admin/promises", data={"year": year, "title": f"Lidingö {year}",
                                                   "copy_from": 0})  # fmt: skip
        assert made.status_code in (302, 303), made.get_data(as_text=True)[:500]
        promise = promises_db.promise_for_year(_db(joint), year, [joint["lidingo"]])
        assert promise["title"] == f"Lidingö {year}" and promise["area"] == "Lidingö stad"
    # Before each organisation named its own area, every promise named the first one's: a year
    # another organisation made first that way still leaves the first its own (no 500).
    db = _db(joint)
    from walkapp import promises

    promises.create(db, 2030, promises_db.DEFAULT_AREA, "Lidingö förr", None,
                    organisation_id=joint["lidingo"])  # fmt: skip
    area = promises.area_for(db, 2030, 1)
    assert area == f"{promises_db.DEFAULT_AREA} (lpo-norrmalm)"
    promises.create(db, 2030, area, "Norrmalm", None, organisation_id=1)
    assert promises_db.promise_for_year(db, 2030, [1])["area"] == area
    again = admin.post("/admin/promises", data={"year": 2026, "title": "x", "copy_from": 0})
    assert again.status_code == 400 and "Det finns redan ett löfte för 2026" in again.get_data(
        as_text=True
    )
