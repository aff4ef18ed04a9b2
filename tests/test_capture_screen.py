"""The capture screen as served: its rules come from the server's one module for each, its
styles are inlined intact, and tile prefetching is off for a tile server that forbids it."""

from __future__ import annotations

import json
import re

from tests.helpers import make_app
from walkapp.db import connect, database_path
from walkapp.db import walks as walks_db
from walkapp.observations import ACCURACY_FAIR_M, ACCURACY_GOOD_M, MAX_NOTE
from walkapp.vocabulary import RATING_COLOURS


def screen(app) -> str:
    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")
    db.close()
    client = app.test_client()
    client.post(f"/j/{walk['code']}", data={"name": ""})
    return client.get(f"/walks/{walk['id']}/capture").get_data(as_text=True)


def config(page: str) -> dict:
    raw = re.search(
        r'<script type="application/json" id="capture-config">(.*?)</script>', page, re.S
    )
    return json.loads(raw.group(1))


def test_rules_come_from_the_server(app):
    rules = config(screen(app))["rules"]
    assert rules["rating_colours"] == RATING_COLOURS
    assert rules["accuracy"] == {"good": ACCURACY_GOOD_M, "fair": ACCURACY_FAIR_M}
    assert rules["note_max"] == MAX_NOTE


def test_inlined_styles_keep_their_quotes(app):
    style = re.search(r"<style>(.*?)</style>", screen(app), re.S).group(1)
    assert 'content: "✓"' in style and "&#34;" not in style


def test_tiles_are_fetched_ahead_only_where_the_tile_server_allows_it(tmp_path):
    osm = make_app(tmp_path / "osm", TILE_PRECACHE=500)  # the default OpenStreetMap URL
    assert config(screen(osm))["rules"]["tile_precache"]["max"] == 0
    own = make_app(
        tmp_path / "own", TILE_URL="https://tiles.example.se/{z}/{x}/{y}.png", TILE_PRECACHE=500
    )
    assert config(screen(own))["rules"]["tile_precache"]["max"] == 500
