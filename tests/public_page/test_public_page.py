"""The public page and its open data: aggregated, never personal, and useful."""

from __future__ import annotations

import json

from walkapp import measures
from walkapp.db import partners as partners_db
from walkapp.public import today

from .seeding import (
    HOTORGET,
    MARKER_INCIDENT,
    MARKER_LAT,
    MARKER_LON,
    MARKER_NAME,
    MARKER_NOTE,
    MARKER_PHOTO,
    PLATTAN,
    add_finding,
    seed_privacy_markers,
    seed_walk,
)

FORBIDDEN = [
    MARKER_NOTE,
    MARKER_INCIDENT,
    MARKER_NAME,
    MARKER_PHOTO,
    "/photos/",
    "Händelse",  # the incident category, in Swedish,
    "Incident",  # in English
    '"incident"',  # and as a key in the data
    f"{MARKER_LON:.4f}"[:7],  # 18.0648: any finer digit of the position
    f"{MARKER_LAT:.4f}"[:7],
    "18.0649",
    "59.3326",
]


def _assert_clean(text: str) -> None:
    leaked = [marker for marker in FORBIDDEN if marker in text]
    assert leaked == [], f"the public page leaks {leaked}"


def test_public_page_and_its_data_hold_no_notes_names_photos_incidents_or_positions(
    db, client, users
):
    year = today().year
    seeded = seed_privacy_markers(db, year)
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    partner = db.execute("select id from partners where name = 'Trafikkontoret'").fetchone()[0]
    measures.set_status(db, seeded["fixed"], "done", users["coordinator"], partner)
    measures.set_status(db, seeded["incident"], "done", users["coordinator"], partner)
    pages = {
        "/": client.get("/"),
        f"/promise/{year}": client.get(f"/promise/{year}"),
        "data.json": client.get(f"/promise/{year}/data.json"),
    }
    client.get("/lang/en")
    pages["/ (en)"] = client.get("/")
    for name, response in pages.items():
        assert response.status_code == 200, name
        _assert_clean(response.get_data(as_text=True))
    # The page is not empty of what it should show: the walk, its two public findings, one fixed.
    html = pages["/"].get_data(as_text=True)
    # Headline: of the one thing to fix, one is fixed; the good finding is not work to do.
    assert "<strong>1 av 1</strong> sak åtgärdad" in html
    assert "<strong>1</strong> sak som fungerar bra" in html
    assert "Belysning" in html and "Det här fungerar" in html and "Upplevd trygghet" in html
    data = json.loads(pages["data.json"].get_data(as_text=True))
    assert data["totals"] == {"walks": 1, "findings": 2, "fixed": 1, "to_fix": 1, "good": 1}
    assert [p["place"] for p in data["places"]] == [PLATTAN]  # Hötorget had only the incident
    assert data["walks"][0]["places"] == [PLATTAN, HOTORGET]
    assert set(data["walks"][0]) == {"starts_at", "light", "places", "findings", "fixed"}


def test_public_page_needs_no_javascript_and_has_sharing_meta(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<script" not in html
    year = today().year
    assert f"<title>Följ med i hur det går – medborgarlöfte {year}" in html
    for meta in (
        'property="og:title"',
        'property="og:description"',
        'property="og:url"',
        'property="og:image"',
        'name="description"',
        'rel="canonical"',
    ):
        assert meta in html
    assert f'href="http://localhost/promise/{year}"' in html


def test_the_2022_page_shows_every_commitment_with_progress(client):
    html = client.get("/promise/2022").get_data(as_text=True)
    for heading in (
        "Ungdomar",
        "Särskilt utsatta brottsoffer",
        "Otrygga och brottsutsatta platser",
        "Kriminella nätverk",
    ):
        assert f">{heading}</h3>" in html
    assert html.count("<progress") == 4
    assert "0 av 8" in html and "Målet nåddes inte." in html


def test_english_on_request(client):
    client.get("/lang/en")
    html = client.get("/promise/2022").get_data(as_text=True)
    assert 'lang="en"' in html and "Follow how it goes" in html and "0 of 8" in html


def test_status_words_per_place(db, client, users):
    year = today().year
    walk = seed_walk(db, f"{year}-02-01T18:00")
    ids = [add_finding(db, walk["id"], None, category="lighting") for _ in range(3)]
    add_finding(db, walk["id"], None, category="litter", rating="yellow", place=None)
    measures.set_status(db, ids[0], "verified", users["coordinator"])
    measures.set_status(db, ids[1], "planned", users["coordinator"], deadline="2099-01-01")
    measures.set_status(db, ids[2], "duplicate", users["coordinator"])
    html = client.get("/").get_data(as_text=True)
    assert "Ni sa: 2 saker att åtgärda eller bevaka." in html  # the duplicate is not counted twice
    assert "Läget nu: 1 åtgärdad, 1 planerad." in html
    assert "Utanför de prioriterade platserna" in html and "Nedskräpning" in html


def test_next_public_walk_is_announced_only_when_made_public(db, client):
    year = today().year + 1
    seed_walk(db, f"{year}-01-10T18:00", state="planned", meeting_point="Hemligt ställe")
    html = client.get("/").get_data(as_text=True)
    assert "Hemligt ställe" not in html and "Ingen vandring är utannonserad just nu." in html
    seed_walk(
        db,
        f"{year}-01-20T18:30",
        state="planned",
        public=True,
        meeting_point="Vid glasobelisken",
        places=(PLATTAN,),
    )
    html = client.get("/").get_data(as_text=True)
    assert "Vid glasobelisken" in html and "Hemligt ställe" not in html
    assert f"20 januari {year} kl. 18:30" in html
    assert "Du behöver inget konto" in html


def test_public_map_is_embedded(client):
    # The maps feature provides /maps/public; the page frames it (the page works without it).
    html = client.get("/").get_data(as_text=True)
    year = today().year
    assert f'<iframe class="public-map" src="/maps/public?year={year}" title="Karta:' in html
    assert client.get("/maps/public").status_code == 200


def test_unknown_year_is_404_and_other_years_are_linked(client):
    assert client.get("/promise/1999").status_code == 404
    assert client.get("/promise/1999/data.json").status_code == 404
    assert 'href="/promise/2022"' in client.get("/").get_data(as_text=True)


def test_the_header_names_the_organisation_from_settings(tmp_path):
    from tests.helpers import make_app

    plain = make_app(tmp_path / "a").test_client().get("/").text
    assert "Polisen · Lokalpolisområde Norrmalm</a>" in plain and ">walkapp <span>" not in plain
    app = make_app(
        tmp_path / "b",
        ORGANISATION="Polisen · Lokalpolisområde Södermalm",
        ORGANISATION_LOGO="/static/icons/icon.svg",
    )
    html = app.test_client().get("/").text
    assert "Polisen · Lokalpolisområde Södermalm</a>" in html
    assert '<img class="logo" src="/static/icons/icon.svg" alt=""' in html
    assert 'property="og:site_name" content="Polisen · Lokalpolisområde Södermalm"' in html
