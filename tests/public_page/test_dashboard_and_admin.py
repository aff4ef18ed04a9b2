"""The coordinator dashboard and the admin's promise editor."""

from __future__ import annotations

from tests.helpers import login
from walkapp import measures, promises
from walkapp.db import partners as partners_db
from walkapp.db import promises as promises_db
from walkapp.public import today

from .seeding import add_finding, seed_walk


def test_dashboard_shows_pace_planned_walks_and_measures_per_partner(db, client, users):
    year = today().year
    promises.create(db, year, "Lokalpolisområde Norrmalm", "Löfte", None, copy_from=1)
    held = seed_walk(db, f"{year}-01-01T00:00")
    seed_walk(db, f"{year}-12-31T18:00", state="planned", title="Nyårsvandring Odenplan")
    seed_walk(db, f"{year + 1}-01-15T18:00", state="planned", title="Nästa års vandring")
    partners_db.ensure_partners(db, ["Trafikkontoret", "Lidingö stad"])
    partners = dict(db.execute("select name, id from partners").fetchall())
    late, open_, _ = (add_finding(db, held["id"], None) for _ in range(3))
    measures.set_status(
        db, late, "planned", users["coordinator"], partners["Trafikkontoret"], deadline="2000-01-01"
    )
    measures.set_status(db, open_, "assigned", users["coordinator"], partners["Lidingö stad"])

    assert client.get("/dashboard").status_code == 302  # sign in first
    login(client, "coordinator")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "1 av 8" in html and "1 vandring till är planerad." in html
    assert "Nyårsvandring Odenplan" in html and "Nästa års vandring" not in html
    rows = html.split("Öppna åtgärder per ansvarig aktör")[1]
    assert (
        rows.index("Trafikkontoret")
        < rows.index("Lidingö stad")
        < rows.index("Ingen ansvarig ännu")
    )
    assert '<td class="num overdue">1</td>' in rows
    assert "Hantera medborgarlöften" not in html  # admins only


def test_admin_creates_next_years_promise_from_last_years_and_edits_it(db, client, users):
    login(client, "coordinator")
    assert client.get("/admin/promises").status_code == 403
    client.post("/logout")
    login(client, "admin")
    form = client.get("/admin/promises").get_data(as_text=True)
    next_year = max(2022, today().year - 1) + 1
    assert f'value="{next_year}"' in form
    created = client.post(
        "/admin/promises",
        data={"year": next_year, "title": f"Medborgarlöfte {next_year}", "copy_from": 1},
    )
    assert created.status_code == 302
    promise = promises_db.promise_for_year(db, next_year)
    commitments = promises_db.list_commitments(db, promise["id"])
    assert [c["target"] for c in commitments] == [6, 6, 8, 4]
    again = client.post("/admin/promises", data={"year": next_year, "title": "x", "copy_from": 0})
    assert again.status_code == 400 and "Det finns redan ett löfte" in again.get_data(as_text=True)

    data = {"title": f"Medborgarlöfte {next_year} – reviderat"}
    for index, commitment in enumerate(commitments):
        data |= {
            f"commitments-{index}-commitment_id": commitment["id"],
            f"commitments-{index}-heading": commitment["heading"],
            f"commitments-{index}-text": commitment["text"],
            f"commitments-{index}-target": 10
            if commitment["counting"] == "walks"
            else commitment["target"],
        }
    saved = client.post(f"/admin/promises/{promise['id']}", data=data)
    assert saved.status_code == 302
    walks = next(
        c for c in promises_db.list_commitments(db, promise["id"]) if c["counting"] == "walks"
    )
    assert walks["target"] == 10
    assert promises_db.get_promise(db, promise["id"])["title"].endswith("reviderat")
    # The 2022 promise it was copied from is untouched.
    assert [c["target"] for c in promises_db.list_commitments(db, 1)] == [6, 6, 8, 4]

    bad = dict(data, **{"commitments-0-target": "sex"})
    refused = client.post(f"/admin/promises/{promise['id']}", data=bad)
    assert refused.status_code == 400 and "heltal" in refused.get_data(as_text=True)

    client.post(
        f"/admin/promises/{promise['id']}/commitments",
        data={
            "heading": "Trygg i trafiken",
            "text": "Minst tre trafikinsatser.",
            "target": 3,
            "counting": "activities",
        },
    )
    added = promises_db.list_commitments(db, promise["id"])[-1]
    assert added["heading"] == "Trygg i trafiken" and added["target"] == 3
    client.post(f"/admin/promises/{promise['id']}/commitments/{added['id']}/delete")
    assert len(promises_db.list_commitments(db, promise["id"])) == 4
    actions = {row[0] for row in db.execute("select action || ' ' || entity from audit_log")}
    assert {"create promise", "update promise", "create commitment", "delete commitment"} <= actions
