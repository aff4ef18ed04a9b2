"""The region view (`/region`, `/region.csv`): organisations compared, each figure as it is
counted elsewhere — walks held against the promise and the pace as on the organisation's public
page, open and fixed findings per place kind, the median days from walk to fixed. For a region
user (the organisations its areas cover, never a word of another) and the instance's admin;
every other role is refused as on any staff page it may not use."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from unittest import mock

import pytest

from tests.helpers import hash_password, sign_in_directly
from walkapp import clock, measures, organisations, promises, users, walks
from walkapp.db import connect, database_path
from walkapp.db import observations as observations_db
from walkapp.db import organisations as organisations_db
from walkapp.db import walks as walks_db

# (relation, rating, statuses it moves through with the days after its walk, first to last).
# Norrmalm's 2026 walks: 4 open and 4 fixed, a "not possible", a duplicate and a good one.
NORRMALM_FINDINGS = [
    ("inside", "red", []),  # new: open
    ("inside", "red", [("assigned", 2)]),
    ("inside", "yellow", [("assigned", 2), ("planned", 3)]),
    ("inside", "red", [("done", 10)]),
    ("inside", "red", [("done", 5), ("verified", 20)]),  # fixed first after 5 days
    ("inside", "red", [("not_possible", 6)]),  # neither open nor fixed
    ("inside", "red", [("duplicate", 1)]),  # neither
    ("inside", "green", []),  # "Det här fungerar": neither
    ("near", "red", []),
    ("near", "red", [("done", 30)]),
    ("none", "yellow", [("done", 40)]),
    ("outside_area", "red", []),
]
LIDINGO_FINDINGS = [
    ("inside", "red", []),
    ("inside", "red", [("assigned", 1), ("planned", 2)]),
    ("inside", "red", [("done", 7)]),
    ("none", "yellow", []),
]
NORRMALM_2026 = {
    "inside": {"open": 3, "fixed": 2},
    "near": {"open": 1, "fixed": 1},
    "none": {"open": 0, "fixed": 1},
    "outside_area": {"open": 1, "fixed": 0},
}
LIDINGO_2026 = {
    "inside": {"open": 2, "fixed": 1},
    "near": {"open": 0, "fixed": 0},
    "none": {"open": 1, "fixed": 0},
    "outside_area": {"open": 0, "fixed": 0},
}


def record_findings(db, walk: dict, findings: list) -> None:
    """The findings on `walk`, each moved through its statuses with its history dated so many
    days after the walk's start."""
    start = clock.parse_stored(walk["starts_at"])
    for relation, rating, steps in findings:
        observation_id = str(uuid.uuid4())
        observations_db.insert_observation(
            db,
            {"id": observation_id, "walk_id": walk["id"], "category": "lighting",
             "rating": rating, "note": "", "lon": 18.0649, "lat": 59.3326,
             "recorded_at": walk["starts_at"], "late": 0, "place_id": None,
             "relation": relation, "distance_m": None},
        )  # fmt: skip
        db.conn.commit()
        for status, days in steps:
            with mock.patch.object(clock, "now_utc", lambda days=days: start + timedelta(days=days)):
                measures.set_status(db, observation_id, status, None)


def make_promise(db, organisation_id: int, area: str, walk_target: int) -> None:
    promise_id = promises.create(
        db, 2026, area, f"Löftet {area}", None, organisation_id=organisation_id
    )
    promises.add_commitment(db, promise_id, "Vandringar", "Vi går", walk_target, "walks", None)
    promises.add_commitment(db, promise_id, "Möten", "Vi möts", 4, "activities", None)


def make_walk(db, organisation_id: int, starts_at: str, state: str = "closed") -> dict:
    return walks_db.create_walk(
        db, title=f"Vandring {starts_at}", starts_at=starts_at, state=state,
        organisation_id=organisation_id,
    )  # fmt: skip


@pytest.fixture
def world(app):
    """LPO Norrmalm (the first organisation: target 3, three walks held in 2026, one planned,
    one held in 2025) and Lidingö stad (target 8, one held), findings in every status, and the
    people who read them."""
    db = connect(database_path(app))
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    make_promise(db, 1, "Lokalpolisområde Norrmalm", 3)
    make_promise(db, lidingo, "Lidingö", 8)
    days = ("2026-03-10T18:00", "2026-06-02T18:00", "2026-09-15T18:00")
    held = [make_walk(db, 1, day) for day in days]
    record_findings(db, held[0], NORRMALM_FINDINGS[:6])
    record_findings(db, held[1], NORRMALM_FINDINGS[6:])
    make_walk(db, 1, "2026-12-28T18:00", state="planned")
    record_findings(db, make_walk(db, 1, "2025-10-01T18:00"), [("inside", "red", [("done", 3)])])
    record_findings(db, make_walk(db, lidingo, "2026-05-05T18:00"), LIDINGO_FINDINGS)
    hashed = hash_password("x" * 12)
    ids = {
        "region": users.create(
            db, "region", hashed, "region", None, organisations.area_ids_named(db, ("kommun:0186",))
        ),
        # Stadsdelsområde Norrmalm is a part of LPO Norrmalm only: one organisation.
        "norrmalm_region": users.create(
            db, "norrmalm-region", hashed, "region", None,
            organisations.area_ids_named(db, ("stadsdelsomrade:Norrmalm",)),
        ),  # fmt: skip
        "instance": users.create(db, "instance", hashed, "admin", None),
        "coordinator": users.create(db, "samordnare", hashed, "coordinator", 1),
        "lidingo_admin": users.create(db, "lidingo-admin", hashed, "admin", lidingo),
    }
    db.close()
    return {"app": app, "users": ids}


def _as(world, who: str):
    client = world["app"].test_client()
    db = connect(database_path(world["app"]))
    sign_in_directly(client, db, world["users"][who])
    db.close()
    return client


def _rows(page: str) -> dict[str, str]:
    """Each organisation's table row (by slug) as HTML."""
    rows = {}
    for part in page.split('<tr data-organisation="')[1:]:
        slug, rest = part.split('"', 1)
        rows[slug] = rest.split("</tr>", 1)[0]
    return rows


def _cell(row: str, kind: str, standing: str) -> int:
    marker = f'data-kind="{kind}" data-standing="{standing}"'
    return int(row.split(marker, 1)[1].split(">", 1)[1].split("<", 1)[0])


def _public_walk_commitment(client, path: str) -> dict:
    data = client.get(path).json
    return next(item for item in data["commitments"] if item["counting"] == "walks")


def test_a_region_user_sees_both_organisations_figures_as_stored(world):
    client = _as(world, "region")
    response = client.get("/region")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = _rows(page)
    assert set(rows) == {"lpo-norrmalm", "lidingo"}
    for slug, expected in (("lpo-norrmalm", NORRMALM_2026), ("lidingo", LIDINGO_2026)):
        for kind, counts in expected.items():
            for standing, number in counts.items():
                assert _cell(rows[slug], kind, standing) == number, (slug, kind, standing)
    # Walks held against the target: the 2025 walk and the planned one are not held in 2026.
    assert "3 av 3" in rows["lpo-norrmalm"] and "1 av 8" in rows["lidingo"]
    # From walk to fixed: Norrmalm 5, 10, 30, 40 days (the median 20), Lidingö 7.
    assert "20 dagar" in rows["lpo-norrmalm"] and "(4 åtgärdade)" in rows["lpo-norrmalm"]
    assert "7 dagar" in rows["lidingo"] and "(1 åtgärdad)" in rows["lidingo"]


def test_the_walks_and_the_pace_are_the_public_pages(world):
    """Held, target and pace of each organisation are what its public page says."""
    from walkapp.promises import PACE_LABELS

    rows = _rows(_as(world, "region").get("/region").get_data(as_text=True))
    public = world["app"].test_client()
    for slug, path in (
        ("lpo-norrmalm", "/promise/2026/data.json"),
        ("lidingo", "/o/lidingo/promise/2026/data.json"),
    ):
        walks = _public_walk_commitment(public, path)
        assert f"{walks['done']} av {walks['target']}" in rows[slug]
        with world["app"].test_request_context():
            assert str(PACE_LABELS[walks["pace"]]) in rows[slug]
    assert _public_walk_commitment(public, "/promise/2026/data.json")["pace"] == "reached"


def test_a_region_user_of_one_organisation_never_learns_of_the_other(world):
    client = _as(world, "norrmalm_region")
    for path in ("/region", "/region?year=2025", "/region.csv", "/region.csv?year=2025"):
        text = client.get(path).get_data(as_text=True)
        assert "Polisen · Lokalpolisområde Norrmalm" in text, path
        assert "Lidingö" not in text and "lidingo" not in text, path
    assert set(_rows(client.get("/region").get_data(as_text=True))) == {"lpo-norrmalm"}


def test_the_instance_admin_compares_every_organisation(world):
    page = _as(world, "instance").get("/region").get_data(as_text=True)
    assert set(_rows(page)) == {"lpo-norrmalm", "lidingo"}
    assert 'href="/region"' in page  # in the menu


@pytest.mark.parametrize("who", ["coordinator", "lidingo_admin"])
def test_an_organisations_own_staff_cannot_open_it(world, who):
    client = _as(world, who)
    for path in ("/region", "/region.csv"):
        assert client.get(path).status_code == 403, path
    assert 'href="/region"' not in client.get("/dashboard").get_data(as_text=True)


def test_nobody_signed_in_is_sent_to_sign_in(world):
    response = world["app"].test_client().get("/region")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_region_users_menu_links_it(world):
    page = _as(world, "region").get("/dashboard").get_data(as_text=True)
    assert 'href="/region"' in page and "Jämförelse" in page


def test_the_year_picker_shows_another_year(world):
    client = _as(world, "region")
    page = client.get("/region?year=2025").get_data(as_text=True)
    rows = _rows(page)
    assert "Arrangörer jämförda 2025" in page
    assert _cell(rows["lpo-norrmalm"], "inside", "fixed") == 1
    assert _cell(rows["lpo-norrmalm"], "inside", "open") == 0
    assert "Inget medborgarlöfte för 2025." in rows["lpo-norrmalm"]
    assert '<option value="2025" selected>' in page and '<option value="2026">' in page


NOT_YEARS = ["abc", "1999", "2100", "²⁰²⁶", "2026.0", "-2026", "", "9" * 400]


@pytest.mark.parametrize("year", NOT_YEARS)
def test_a_year_that_is_not_one_is_a_400_saying_which_are(world, year):
    response = _as(world, "region").get(f"/region?year={year}")
    assert response.status_code == 400
    last = clock.today().year + clock.PLANNING_YEARS_AHEAD
    expected = f"Året ska vara ett årtal från 2000 till {last}, till exempel ?year="
    assert expected in response.get_data(as_text=True)
    assert _as(world, "region").get(f"/region.csv?year={year}").status_code == 400


def test_the_page_speaks_english_on_request(world):
    client = _as(world, "region")
    client.set_cookie("lang", "en")
    page = client.get("/region?lang=en", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Organisations compared, 2026" in page and "Days to fixed (median)" in page
    assert "20 days" in page


def test_the_csv_holds_the_same_table(world):
    response = _as(world, "region").get("/region.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="arrangorer-2026.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == {"lpo-norrmalm", "lidingo"}
    norrmalm = by_slug["lpo-norrmalm"]
    walks = (norrmalm["walks_held"], norrmalm["walk_target"], norrmalm["pace"])
    assert walks == ("3", "3", "reached")
    assert (norrmalm["median_days_to_fixed"], norrmalm["fixed_counted"]) == ("20", "4")
    for kind, counts in NORRMALM_2026.items():
        assert norrmalm[f"{kind}_open"] == str(counts["open"])
        assert norrmalm[f"{kind}_fixed"] == str(counts["fixed"])
    assert by_slug["lidingo"]["walk_target"] == "8" and by_slug["lidingo"]["near_open"] == "0"


def test_a_region_user_whose_areas_cover_no_organisation_is_told_so(app):
    db = connect(database_path(app))
    far = users.create(
        db, "far", "x" * 12, "region", None, organisations.area_ids_named(db, ("kommun:0114",))
    )
    client = app.test_client()
    sign_in_directly(client, db, far)
    db.close()
    page = client.get("/region").get_data(as_text=True)
    assert "Dina områden täcker ingen arrangör ännu." in page
    assert "Lokalpolisområde Norrmalm" not in page.split("<main", 1)[1]


def test_each_name_leads_to_its_public_page(world):
    rows = _rows(_as(world, "region").get("/region").get_data(as_text=True))
    assert '<a href="/">Polisen · Lokalpolisområde Norrmalm</a>' in rows["lpo-norrmalm"]
    assert '<a href="/o/lidingo/">Lidingö stad</a>' in rows["lidingo"]


def test_a_joint_walk_counts_in_each_of_its_organisers_rows(world):
    """Lidingö stad leads a walk that LPO Norrmalm co-organises: held for both promises, its
    findings and days to fixed in both rows, as on both public pages."""
    db = connect(database_path(world["app"]))
    lidingo = organisations_db.get_by_slug(db, "lidingo")["id"]
    joint = make_walk(db, lidingo, "2026-08-20T18:00")
    walks_db.set_co_organisers(db, joint["id"], [1])
    db.conn.commit()
    record_findings(db, joint, [("near", "red", []), ("near", "red", [("done", 2)])])
    public = world["app"].test_client()
    before = public.get("/promise/2026/data.json").json["days_to_fixed"]
    invited = _rows(_as(world, "region").get("/region").get_data(as_text=True))
    # Invited, not yet counted as Norrmalm's: neither its walk nor its fixed measure.
    assert "3 av 3" in invited["lpo-norrmalm"] and "(4 åtgärdade)" in invited["lpo-norrmalm"]
    assert _cell(invited["lpo-norrmalm"], "near", "fixed") == NORRMALM_2026["near"]["fixed"]
    assert "(2 åtgärdade)" in invited["lidingo"]  # the lead's from the start
    assert walks.accept(db, joint["id"], 1, world["users"]["coordinator"])
    db.close()
    after = public.get("/promise/2026/data.json").json["days_to_fixed"]
    assert after["fixed"] == (before["fixed"] if before else 0) + 1  # its yes counts it
    rows = _rows(_as(world, "region").get("/region").get_data(as_text=True))
    assert "4 av 3" in rows["lpo-norrmalm"] and "2 av 8" in rows["lidingo"]
    for slug, before in (("lpo-norrmalm", NORRMALM_2026), ("lidingo", LIDINGO_2026)):
        assert _cell(rows[slug], "near", "open") == before["near"]["open"] + 1, slug
        assert _cell(rows[slug], "near", "fixed") == before["near"]["fixed"] + 1, slug
    assert "(5 åtgärdade)" in rows["lpo-norrmalm"] and "(2 åtgärdade)" in rows["lidingo"]
    assert _public_walk_commitment(public, "/promise/2026/data.json")["done"] == 4
    assert _public_walk_commitment(public, "/o/lidingo/promise/2026/data.json")["done"] == 2


def test_a_promise_without_a_walk_target_says_so_and_counts_the_walks_held(app):
    db = connect(database_path(app))
    vasby = organisations.create(db, "vasby", "Upplands Väsby", ("kommun:0114",))
    promise_id = promises.create(db, 2026, "Väsby", "Väsbys löfte", None, organisation_id=vasby)
    promises.add_commitment(db, promise_id, "Möten", "Vi möts", 4, "activities", None)
    make_walk(db, vasby, "2026-04-01T18:00")
    region = users.create(
        db, "vasby-region", "x" * 12, "region", None,
        organisations.area_ids_named(db, ("kommun:0114",)),
    )  # fmt: skip
    client = app.test_client()
    sign_in_directly(client, db, region)
    db.close()
    row = _rows(client.get("/region").get_data(as_text=True))["vasby"]
    assert 'data-label="Vandringar hållna">1</td>' in row
    assert "Löftet har inget mål för vandringar." in row
    assert client.get("/region.csv").get_data(as_text=True).splitlines()[1].startswith(
        "Upplands Väsby;vasby;2026;1;;;"
    )
