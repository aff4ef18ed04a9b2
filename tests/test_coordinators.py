"""Coordinators' screens over HTTP: planning walks, triage refusals and history, the protocol
grouped by place and partner, its Excel CSV, the place view and the partners' view."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date, timedelta

import pytest

from tests.helpers import PASSWORD, login, make_app, plan_walk, sign_in_directly
from walkapp.db import connect, database_path, transaction
from walkapp.db import measures as measures_db
from walkapp.db import observations as obs_db
from walkapp.db import partners as partners_db
from walkapp.db import walks as walks_db
from walkapp.places_index import current_index

SERGEL = (18.0649, 59.3326)


def add_observation(db, walk_id, lon, lat, category="lighting", rating="red", note="", when=None):
    index = current_index(db, 50.0)
    assigned = index.assign(lon, lat)
    observation_id = str(uuid.uuid4())
    with transaction(db):
        obs_db.insert_observation(
            db,
            {
                "id": observation_id,
                "walk_id": walk_id,
                "category": category,
                "rating": rating,
                "note": note,
                "lon": lon,
                "lat": lat,
                "recorded_at": when or "2026-11-24T18:30:00+00:00",
                "late": 0,
                "place_id": assigned.place_id,
                "relation": assigned.relation,
                "distance_m": assigned.distance_m,
            },
        )
    return observation_id


def partner_id(db, name):
    partners_db.ensure_partners(db, [name])
    return next(p["id"] for p in partners_db.list_partners(db) if p["name"] == name)


def test_plan_a_walk_and_see_its_join_code(staff, db):
    response = plan_walk(
        staff, "Vandring vid Plattan", meeting_point="Glasobelisken", place_ids=["1"], leader="Kim"
    )
    assert response.status_code == 302
    page = staff.get(response.location)
    walk = walks_db.find_walk_by_title(db, "Vandring vid Plattan")
    assert walk["code"] in page.text and f"/j/{walk['code']}" in page.text
    assert "<svg" in page.text  # the QR code
    assert walks_db.walk_place_ids(db, walk["id"]) == [1]


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"starts_at": "2026-12-03T18:00", "light": "dark"}, "Skriv en rubrik"),
        ({"title": "X", "light": "dark"}, "Skriv när vandringen börjar"),
        ({"title": "X", "starts_at": "i morgon", "light": "dark"}, "ÅÅÅÅ-MM-DD TT:MM"),
        ({"title": "X", "starts_at": "2026-12-03T18:00", "light": "noon"}, "Inte ett giltigt val"),
        (
            {"title": "X", "starts_at": "2026-12-03T18:00", "light": "dark", "place_ids": ["999"]},
            "",
        ),
    ],
)
def test_walk_form_refusals(staff, db, data, field_message):
    response = staff.post("/walks/new", data=data)
    assert response.status_code == 400
    assert field_message in response.text and 'class="field-error"' in response.text
    assert walks_db.list_walks(db) == []


def test_walk_form_without_csrf_is_refused(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    db = connect(database_path(app))
    from tests.helpers import hash_password
    from walkapp.db import users as users_db

    user = users_db.create_user(db, "kim", hash_password("x" * 12), "coordinator")
    sign_in_directly(client, db, user)
    response = client.post(
        "/walks/new", data={"title": "X", "starts_at": "2026-12-03T18:00", "light": "dark"}
    )
    assert response.status_code == 400 and "säkerhetstoken" in response.text
    assert walks_db.list_walks(db) == []
    db.close()


def test_walk_states_and_live_list(staff, db, walk):
    add_observation(db, walk["id"], *SERGEL, note="Trasig lampa")
    assert staff.post(f"/walks/{walk['id']}/state", data={"state": "ongoing"}).status_code == 302
    assert walks_db.get_walk(db, walk["id"])["state"] == "ongoing"
    live = staff.get(f"/walks/{walk['id']}/observations.json").json
    assert live["observations"][0]["note"] == "Trasig lampa"
    assert live["observations"][0]["place"] == "Sergels torg / Plattan"
    staff.post(f"/walks/{walk['id']}/state", data={"state": "closed"})
    assert walks_db.get_walk(db, walk["id"])["state"] == "closed"


def triage(staff, observation_id, **data):
    return staff.post(f"/observations/{observation_id}/triage", data=data)


def test_triage_refusals_each_with_its_message(staff, db, walk):
    observation_id = add_observation(db, walk["id"], *SERGEL)
    trafikkontoret = partner_id(db, "Trafikkontoret")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    cases = [
        ({"status": ""}, "Välj en status"),
        ({"status": "assigned"}, "Välj vem som ansvarar"),
        ({"status": "assigned", "partner_id": trafikkontoret, "deadline": yesterday}, "förflutna"),
        ({"status": "assigned", "partner_id": trafikkontoret, "deadline": "snart"}, "ÅÅÅÅ-MM-DD"),
        ({"status": "planned", "partner_id": trafikkontoret}, "behöver en sista dag"),
        ({"status": "not_possible"}, "Skriv varför"),
        ({"status": "duplicate"}, "Ange vilken observation"),
        ({"status": "duplicate", "duplicate_of": str(uuid.uuid4())}, "Det finns ingen observation"),
        ({"status": "duplicate", "duplicate_of": observation_id}, "sig själv"),
    ]
    for data, message in cases:
        response = triage(staff, observation_id, **data)
        assert response.status_code == 400, data
        assert message in response.text, data
    assert measures_db.history(db, observation_id) == []
    assert measures_db.get_observation(db, observation_id)["status"] == "new"


def test_triage_records_history_of_each_change(staff, db, walk, users):
    observation_id = add_observation(db, walk["id"], *SERGEL)
    trafikkontoret = partner_id(db, "Trafikkontoret")
    deadline = (date.today() + timedelta(days=30)).isoformat()
    response = triage(
        staff,
        observation_id,
        status="assigned",
        partner_id=trafikkontoret,
        deadline=deadline,
        comment="Ring förvaltningen",
    )
    assert response.status_code == 302
    triage(staff, observation_id, status="done", partner_id=trafikkontoret, deadline=deadline)
    rows = measures_db.history(db, observation_id)
    changes = sorted((r["field"], r["old_value"], r["new_value"]) for r in rows)
    assert ("status", "new", "assigned") in changes
    assert ("status", "assigned", "done") in changes
    assert ("partner_id", None, str(trafikkontoret)) in [(f, o, str(n)) for f, o, n in changes]
    assert ("deadline", None, deadline) in changes
    assert all(r["username"] == "coordinator" for r in rows)
    assert any(r["comment"] == "Ring förvaltningen" for r in rows)
    page = staff.get(f"/observations/{observation_id}/triage").text
    assert "Ring förvaltningen" in page and "Status: Tilldelad → Åtgärdad" in page
    assert "Ansvarig: – → Trafikkontoret" in page and "assigned" not in page.split("Historik")[1]
    # An overdue deadline already stored may stay while the status changes.
    with transaction(db):
        db.execute(
            "update measures set deadline = '2020-01-01' where observation_id = ?", [observation_id]
        )
    ok = triage(
        staff, observation_id, status="verified", partner_id=trafikkontoret, deadline="2020-01-01"
    )
    assert ok.status_code == 302


def test_duplicates_within_25_m_are_suggested(staff, db, walk):
    other = walks_db.create_walk(db, title="Förra året", starts_at="2025-11-20T18:00")
    here = add_observation(db, walk["id"], *SERGEL)
    close = add_observation(db, other["id"], SERGEL[0] + 0.0002, SERGEL[1])  # ~11 m east
    far = add_observation(db, other["id"], SERGEL[0] + 0.0009, SERGEL[1])  # ~51 m east
    other_kind = add_observation(db, other["id"], *SERGEL, category="litter")
    page = staff.get(f"/observations/{here}/triage").text
    assert close in page and far not in page and other_kind not in page
    response = triage(staff, here, status="duplicate", duplicate_of=close)
    assert response.status_code == 302
    assert measures_db.get_observation(db, here)["duplicate_of"] == close
    # The history names the other finding in words: its walk, its category's label.
    history = staff.get(f"/observations/{here}/triage").text.split("Historik")[1]
    assert f"Dubblett av: – → Förra året · Belysning · {close[:8]}" in history
    assert "lighting" not in history


def test_protocol_groups_by_place_then_partner_and_csv_round_trips(staff, db, walk):
    plattan = add_observation(db, walk["id"], *SERGEL, note="Mörk trappa – åäö")
    plattan2 = add_observation(db, walk["id"], *SERGEL, category="litter", note="Skräp")
    outside = add_observation(db, walk["id"], 18.2, 59.40, note="Långt bort")
    measures_db.update_measure(
        db, plattan, None, {"status": "assigned", "partner_id": partner_id(db, "Trafikkontoret")}
    )
    measures_db.update_measure(
        db,
        plattan2,
        None,
        {
            "status": "assigned",
            "partner_id": partner_id(db, "Norra innerstadens stadsdelsförvaltning"),
        },
    )
    page = staff.get(f"/walks/{walk['id']}/protocol").text
    order = [
        page.index(text)
        for text in (
            "Sergels torg / Plattan",
            "Norra innerstadens",
            "Skräp",
            "Trafikkontoret",
            "Mörk trappa",
            "Utanför prioriterade platser",
            "Långt bort",
        )
    ]
    assert order == sorted(order)

    response = staff.get(f"/walks/{walk['id']}/protocol.csv")
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    raw = response.data.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Plats", "Ansvarig", "Kategori"]
    by_id = {row[rows[0].index("Observation")]: row for row in rows[1:]}
    assert by_id[plattan][1] == "Trafikkontoret" and by_id[plattan][4] == "Mörk trappa – åäö"
    assert by_id[plattan][7] == "2026-11-24"
    assert by_id[outside][0] == "utanför prioriterade platser"


def test_place_view_open_first_overdue_marked_and_inline_status(staff, db, walk):
    late = add_observation(db, walk["id"], *SERGEL, note="Försenad lampa")
    fresh = add_observation(db, walk["id"], *SERGEL, category="litter", note="Nytt skräp")
    tk = partner_id(db, "Trafikkontoret")
    measures_db.update_measure(
        db, late, None, {"status": "assigned", "partner_id": tk, "deadline": "2020-01-01"}
    )
    page = staff.get("/places/1").text
    assert page.index("Försenad lampa") < page.index("Nytt skräp")
    assert "försenad" in page
    answer = staff.post(
        f"/observations/{fresh}/status",
        data={"status": "done"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200 and answer.json["label"] == "Åtgärdad"
    refused = staff.post(
        f"/observations/{fresh}/status",
        data={"status": "not_possible"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 400 and "reason" in refused.json["errors"]
    page = staff.get("/places/1").text
    fixed_section = page[page.index("Åtgärdat sedan") :]
    assert "Nytt skräp" in fixed_section


def test_place_walked_twice_compares_latest_walk(staff, db):
    first = walks_db.create_walk(db, title="Våren", starts_at="2026-04-01T20:00")
    second = walks_db.create_walk(db, title="Hösten", starts_at="2026-11-01T18:00")
    again = add_observation(db, first["id"], *SERGEL, note="lampa i våras")
    fixed = add_observation(
        db, first["id"], SERGEL[0], SERGEL[1] + 0.0003, category="graffiti", note="klotter i våras"
    )
    measures_db.update_measure(db, fixed, None, {"status": "verified"})
    add_observation(
        db,
        second["id"],
        SERGEL[0] + 0.0001,
        SERGEL[1],
        note="lampa igen",
        when="2026-11-01T18:30:00+00:00",
    )
    add_observation(
        db,
        second["id"],
        *SERGEL,
        category="litter",
        note="nytt skräp",
        when="2026-11-01T18:40:00+00:00",
    )
    page = staff.get("/places/1").text
    comparison = page[page.index("Senaste vandringen") :]
    assert "lampa igen" in comparison.split("Nytt")[0]
    assert "nytt skräp" in comparison.split("Nytt")[1].split("Verifierat")[0]
    assert "klotter i våras" in comparison.split("Verifierat")[1]
    assert again


def test_partners_view_filters(staff, db, walk):
    tk = partner_id(db, "Trafikkontoret")
    sdf = partner_id(db, "Norra innerstadens stadsdelsförvaltning")
    a = add_observation(db, walk["id"], *SERGEL, note="A-lampa")
    b = add_observation(db, walk["id"], *SERGEL, note="B-lampa")
    measures_db.update_measure(
        db, a, None, {"status": "assigned", "partner_id": tk, "deadline": "2020-01-01"}
    )
    measures_db.update_measure(db, b, None, {"status": "done", "partner_id": sdf})
    assert "Trafikkontoret" in staff.get("/partners").text
    only_tk = staff.get(f"/measures?partner={tk}").text
    assert "A-lampa" in only_tk and "B-lampa" not in only_tk
    overdue = staff.get("/measures?overdue=1").text
    assert "A-lampa" in overdue and "B-lampa" not in overdue
    done = staff.get("/measures?status=done").text
    assert "B-lampa" in done and "A-lampa" not in done
    assert staff.get("/measures?status=bogus").status_code == 400
    assert staff.get("/measures?partner=abc").status_code == 400


def test_admin_keeps_the_partner_list(client, users, db):
    login(client, "admin")
    assert (
        client.post(
            "/admin/partners", data={"name": "Fastighets AB Plattan", "kind": "property"}
        ).status_code
        == 302
    )
    again = client.post(
        "/admin/partners", data={"name": "FASTIGHETS AB PLATTAN", "kind": "property"}
    )
    assert again.status_code == 400 and "finns redan" in again.text
    assert client.post("/admin/partners", data={"name": "", "kind": "other"}).status_code == 400
    stored = {p["name"]: p["kind"] for p in partners_db.list_partners(db)}
    assert stored["Fastighets AB Plattan"] == "property"
    # The list shows a kind's label, never its key.
    page = client.get("/admin/partners").text
    assert "<td>Fastighetsägare</td>" in page and "<td>property</td>" not in page
    client.set_cookie("lang", "en")
    assert "<td>Property owner</td>" in client.get("/admin/partners").text
    client.delete_cookie("lang")
    pid = partner_id(db, "Fastighets AB Plattan")
    client.post(f"/admin/partners/{pid}/active", data={"active": "0"})
    assert pid not in {p["id"] for p in partners_db.list_partners(db)}


def test_old_swedish_paths_redirect_to_english_ones(staff, client, db):
    moved = staff.get("/dashboard/insatser?x=1")
    assert moved.status_code == 301 and moved.location.endswith("/dashboard/activities?x=1")
    posted = staff.post("/dashboard/insatser/7/ta-bort")
    assert posted.status_code == 308 and posted.location.endswith("/dashboard/activities/7/delete")
    assert staff.get("/admin/medborgarloften").status_code == 403  # an admin's page still
    assert staff.get("/dashboard/activities").status_code == 200


def test_sign_in_lands_on_the_dashboard_or_the_page_that_asked(client, users):
    assert login(client, "coordinator").location.endswith("/dashboard")
    client.post("/logout")
    asked = client.get("/walks")
    assert "/login" in asked.location
    signed = client.post(asked.location, data={"username": "coordinator", "password": PASSWORD})
    assert signed.location.endswith("/walks")
    assert 'href="/dashboard"' in client.get("/walks").text


def test_the_measures_list_comes_in_pages_that_keep_the_filters(staff, db, walk, monkeypatch):
    monkeypatch.setattr("walkapp.views.measures.LIST_ROWS", 2)
    notes = [f"lampa {i}" for i in range(5)]
    for i, note in enumerate(notes):
        add_observation(db, walk["id"], *SERGEL, note=note, when=f"2026-11-24T18:3{i}:00+00:00")
    add_observation(db, walk["id"], *SERGEL, category="litter", note="skräp")
    db.execute(
        "update measures set status = 'verified' where observation_id in"
        " (select id from observations where note = 'skräp')"
    )
    db.conn.commit()
    seen = []
    for page in (1, 2, 3):
        text = staff.get(f"/measures?status=open&page={page}").text
        assert f"sida {page} av 3" in text and "5 åtgärder" in text
        seen += [note for note in notes if f">{note}<" in text or f">{note}\n" in text]
        links = re.findall(r'<a href="([^"]+)" rel="(prev|next)"', text)
        expected = {1: [("next", 2)], 2: [("prev", 1), ("next", 3)], 3: [("prev", 2)]}[page]
        assert [(rel, int(href.split("page=")[1])) for href, rel in links] == expected
        assert all("status=open" in href for href, _rel in links)
    assert sorted(seen) == notes  # each once, none lost between pages
    assert staff.get("/measures?status=open&page=4").status_code == 404
    assert staff.get("/measures?status=open&page=0").status_code == 400
    staff.set_cookie("lang", "en")
    assert "page 1 of 3" in staff.get("/measures?status=open").text


def test_the_places_list_counts_open_and_overdue_measures_per_place(staff, db, walk):
    late = add_observation(db, walk["id"], *SERGEL, note="sen")
    add_observation(db, walk["id"], *SERGEL, note="i tid")
    done = add_observation(db, walk["id"], *SERGEL, note="klar")
    measures_db.update_measure(db, late, None, {"status": "assigned", "deadline": "2020-01-01"})
    measures_db.update_measure(db, done, None, {"status": "done", "deadline": "2020-01-01"})
    db.conn.commit()
    page = staff.get("/places").text
    row = page.split(">Sergels torg")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "1"]
    other = page.split(">Hötorget")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', other) == ["0", "0"]
