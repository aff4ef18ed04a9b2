"""Follow-up maps as generated HTML: every observation once, colours by rating, notes escaped,
nothing loaded from any host but walkapp's and the tile server, the public map without details."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.helpers import login
from tests.test_coordinators import SERGEL, add_observation
from walkapp import maps
from walkapp.db import walks as walks_db
from walkapp.vocabulary import RATING_COLOURS

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def rows(n: int) -> list[dict]:
    ratings = ["red", "yellow", "green"]
    return [
        {
            "id": str(uuid.uuid4()),
            "lon": 18.03 + (i % 100) * 0.0003,
            "lat": 59.32 + (i // 100) * 0.0003,
            "category": ["lighting", "litter", "graffiti", "incident"][i % 4],
            "rating": ratings[i % 3],
            "status": "new",
            "recorded_at": "2026-11-01T18:00:00+00:00",
            "place_name": "Plattan" if i % 2 else None,
            "partner_name": "Trafikkontoret" if i % 5 == 0 else None,
            "note": "<script>alert('x')</script>" if i == 7 else f"anteckning {i}",
            "photo_ids": [],
        }
        for i in range(n)
    ]


def map_data(html: str) -> dict:
    """What the page hands its scripts: the JSON element (never an executable script)."""
    match = re.search(
        r'<script[^>]* type="application/json" id="walkapp-map-data">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


def test_thousand_observations_each_once_coloured_and_escaped():
    source = rows(1000)
    fmap = maps.follow_up_map(
        source, [], asset_url=lambda p: "/static/" + p, tile_url=TILES, tile_attribution="© OSM"
    )
    html = maps.render(fmap)
    data = map_data(html)
    assert len(data["points"]) == 1000
    positions = {(p[0], p[1]) for p in data["points"]}
    assert positions == {(round(r["lon"], 5), round(r["lat"], 5)) for r in source}
    colours = {key: colour for key, _label, colour in data["ratings"]}
    assert colours == RATING_COLOURS
    for row, point in zip(source, data["points"]):
        assert data["ratings"][point[3]][0] == row["rating"]
        assert data["categories"][point[2]][0] == row["category"]
    # The note travels as data, never as markup.
    assert "<script>alert" not in html
    assert data["points"][7][8] == "<script>alert('x')</script>"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


def external_hosts(html: str) -> set[str]:
    parser = Links()
    parser.feed(html)
    hosts = {urlsplit(url).netloc for url in parser.urls if urlsplit(url).netloc}
    # URLs inside the page's scripts (folium's own defaults would appear here).
    hosts |= {urlsplit(u).netloc for u in re.findall(r"https?://[^\s\"'<>]+", html)}
    return hosts


@pytest.mark.parametrize("path", ["/maps/overview", "/maps/place/1", "WALK"])
def test_map_pages_reference_no_host_but_the_tiles(client, users, db, path):
    walk = walks_db.create_walk(db, title="Karta", starts_at="2026-11-24T18:00")
    add_observation(db, walk["id"], *SERGEL, note="Lampa")
    login(client, "coordinator")
    url = f"/maps/walk/{walk['id']}" if path == "WALK" else path
    response = client.get(url)
    assert response.status_code == 200
    hosts = external_hosts(response.text)
    assert hosts <= {
        "tile.openstreetmap.org",
        "openstreetmap.org",
        "www.openstreetmap.org",
        "leafletjs.com",
    }, hosts
    assert "tile.openstreetmap.org" in hosts
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script[^>]*>", response.text))
    download = client.get(url + "?download=1")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "/static/" not in download.text and "walkappFollowUp" in download.text


@pytest.mark.parametrize("path", ["/maps/overview", "/maps/place/1", "WALK", "/maps/public"])
def test_map_pages_carry_the_apps_icon(client, users, db, path):
    walk = walks_db.create_walk(db, title="Karta", starts_at="2026-11-24T18:00", public=True)
    add_observation(db, walk["id"], *SERGEL, note="Lampa")
    login(client, "coordinator")
    url = f"/maps/walk/{walk['id']}" if path == "WALK" else path
    html = client.get(url).text
    icons = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icons == ["/static/icons/icon.svg"], icons  # no /favicon.ico 404 in the console
    icon = client.get(icons[0])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    # The downloaded file opens from disk: its icon is in it.
    download = client.get(url + "?download=1").text
    assert '<link rel="icon" href="data:image/svg+xml;base64,' in download
    assert "/static/icons" not in download


def test_tiles_none_means_no_tile_layer(client, users, app):
    app.extensions["walkapp_settings"] = replace(
        app.extensions["walkapp_settings"], tile_url="none"
    )
    login(client, "coordinator")
    html = client.get("/maps/overview").text
    assert "tileLayer" not in html and "tile.openstreetmap.org" not in html


def test_public_map_has_counts_only(client, db):
    walk = walks_db.create_walk(db, title="Publik", starts_at="2026-03-01T18:00", state="closed")
    add_observation(
        db, walk["id"], *SERGEL, note="Hemlig anteckning", when="2026-03-01T18:30:00+00:00"
    )
    response = client.get("/maps/public?year=2026")
    assert response.status_code == 200
    assert "Hemlig anteckning" not in response.text and "walkappFollowUp" not in response.text
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert '"total": 1' in response.text or '"total":1' in response.text


def test_above_the_points_limit_the_overview_carries_counts_per_cell(
    client, users, db, monkeypatch
):
    """More observations than a browser clusters quickly: SQLite counts them per cell, the
    page sends the cells (no point, no note) and says how to see each observation."""
    walk = walks_db.create_walk(db, title="Karta", starts_at="2026-11-24T18:00")
    for n, rating in enumerate(["yellow", "red", "green", "green"]):
        add_observation(db, walk["id"], SERGEL[0] + n * 0.0001, SERGEL[1], rating=rating, note="x")
    far = (SERGEL[0] + 0.5, SERGEL[1] + 0.2)  # some 30 km away: a cell of its own
    add_observation(db, walk["id"], *far, rating="green", note="långt bort")
    login(client, "coordinator")
    assert len(map_data(client.get("/maps/overview").text)["points"]) == 5  # at the limit

    monkeypatch.setattr(maps, "POINTS_MAX", 4)
    html = client.get("/maps/overview").text
    data = map_data(html)
    assert data["points"] == [] and "långt bort" not in html
    cells = sorted(data["cells"], key=lambda c: c[2])
    assert [c[2] for c in cells] == [1, 4]  # every observation counted once
    ratings = [key for key, _label, _colour in data["ratings"]]
    assert [ratings[c[3]] for c in cells] == ["green", "red"]  # a cell shows its worst
    assert [c[4] for c in cells] == [0, 2]  # open measures: the red and the yellow
    assert cells[0][:2] == [round(far[0], 5), round(far[1], 5)]
    assert data["notice"].startswith("5 observationer, räknade per ruta")
    # Finer levels for the zoom the reader goes to, each counting every observation once.
    levels = data["cell_levels"]
    assert len(levels) == maps.COARSER_LEVELS + maps.FINER_LEVELS + 1
    assert levels[0]["cells"] == data["cells"]
    assert [sum(c[2] for c in level["cells"]) for level in levels] == [5] * len(levels)
    sizes = [level["cell_deg"] for level in levels]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == pytest.approx(sizes[-1] * 2 ** (maps.COARSER_LEVELS + maps.FINER_LEVELS))
    assert all("räknade per ruta" in level["notice"] for level in levels)
    # A filter below the limit shows each observation again.
    assert len(map_data(client.get("/maps/overview?rating=red").text)["points"]) == 1
    # A status filter: all statuses decide the cells' size, the filtered ones are counted.
    assert len(map_data(client.get("/maps/overview?status=open").text)["points"]) == 2
    monkeypatch.setattr(maps, "POINTS_MAX", 1)
    open_only = map_data(client.get("/maps/overview?status=open").text)
    assert open_only["points"] == [] and [c[2] for c in open_only["cells"]] == [2]
    assert open_only["notice"].startswith("2 observationer, räknade per ruta")
    assert [c[4] for c in open_only["cells"]] == [2]


def test_cell_levels_sum_the_finest_cells_and_stop_when_too_many(monkeypatch):
    # Fine cells (column, row, sums of lon and lat, count, worst rating, open) of 0.01°.
    fine = [
        (x, y, (x * 0.01 + 0.005 - 180) * n, (y * 0.01 + 0.005 - 90) * n, n, rating, n // 2)
        for x, y, n, rating in ((19800, 14930, 3, 2), (19801, 14930, 1, 0), (19817, 14931, 2, 1))
    ]
    levels = maps.cell_levels(fine, 0.01, 6)
    counts = [sorted(c[2] for c in level["cells"]) for level in levels]
    assert counts[-1] == [1, 2, 3]  # the finest: as given
    assert counts[0] == [4, 2] or counts[0] == [2, 4] or counts[0] == [6]
    merged = next(c for c in levels[-2]["cells"] if c[2] == 4)  # 19800 and 19801 in one
    assert merged[3] == 0 and merged[4] == 1  # the worst rating, the open ones summed
    assert merged[0] == pytest.approx((19800.5 * 3 + 19801.5) * 0.01 / 4 - 180, abs=1e-5)
    monkeypatch.setattr(maps, "FINE_CELLS_MAX", 1)
    assert len(maps.cell_levels(fine, 0.01, 6)) < len(levels)  # finer ones left out


def test_cells_are_sized_by_the_extent():
    assert maps.cell_size((18.0, 59.0, 18.8, 59.4)) == pytest.approx(0.8 / maps.CELLS_ACROSS)
    assert maps.cell_size((18.0, 59.0, 18.0, 59.0)) == pytest.approx(0.001 / maps.CELLS_ACROSS)
    assert "ungefär 10 km" in maps.cells_notice(1_000_000, 0.18)
    assert maps.cells_notice(12_345, 0.0002).startswith("12\u202f345 observationer")
    assert "ungefär 10 m." in maps.cells_notice(12_345, 0.0002)
