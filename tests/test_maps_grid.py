"""The whole instance's overview map (its admin's) is counted on the instance's grid, from index
observations_grid alone (migration 0026), and answers as the map counted per map would: the same
cells, the same counts, worst ratings and open measures, at every level."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import admin_client, database_at
from tests.test_coordinators import add_observation
from tests.test_maps import map_data
from walkapp import maps, measures, observations
from walkapp.db import exports as exports_db
from walkapp.db import observations as obs_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate
from walkapp.exports.filters import Filters
from walkapp.places_index import current_index
from walkapp.vocabulary import OPEN_STATUSES

# Observations around three towns far apart: the map spans Sweden.
TOWNS = {"stockholm": (18.0686, 59.3293), "malmo": (13.0038, 55.6050), "kiruna": (20.2253, 67.8558)}
CATEGORIES = ("lighting", "litter", "graffiti", "vegetation")


@pytest.fixture
def sweden(db):
    chance = random.Random(26)
    walk = walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")
    with transaction(db):
        for n in range(240):
            lon, lat = TOWNS[list(TOWNS)[n % 3]]
            obs_db.insert_observation(db, {
                "id": str(uuid.uuid4()), "walk_id": walk["id"], "category": CATEGORIES[n % 4],
                "rating": ("red", "yellow", "green")[n // 3 % 3], "note": "",
                "lon": lon + chance.uniform(-0.05, 0.05), "lat": lat + chance.uniform(-0.03, 0.03),
                "recorded_at": f"2026-{1 + n % 11:02d}-24T18:30:00+00:00", "late": 0,
                "place_id": None, "relation": "outside_area", "distance_m": None,
            })  # fmt: skip
    return db


FILTERS = {
    "every one": Filters(),
    "lighting": Filters(categories=["lighting"]),
    "open measures": Filters(statuses=["new", "assigned", "planned"]),
    "red": Filters(ratings=["red"]),
    "from June": Filters(start="2026-06-01T00:00:00+00:00"),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_the_grid_counts_as_the_map_would(sweden, name):
    filters = FILTERS[name]
    assert exports_db.on_the_grid(filters)
    grid = exports_db.grid_cells(sweden, filters)
    total = sum(cell[4] for cell in grid)
    extent = maps.grid_extent(exports_db.grid_bounds(sweden), exports_db.GRID_DEG)
    step = maps.grid_step(extent, exports_db.GRID_DEG)
    assert step and step & (step - 1) == 0  # a power of two
    fine = exports_db.GRID_DEG * step
    on_the_grid = maps.cell_levels(exports_db.grid_cells(sweden, filters, step), fine, total)
    per_map = maps.cell_levels(exports_db.cells_filtered(sweden, filters, fine), fine, total)
    assert total == len(list(exports_db.iter_filtered(sweden, filters)))
    assert len(on_the_grid) == len(per_map) == maps.COARSER_LEVELS + maps.FINER_LEVELS + 1
    for ours, theirs in zip(on_the_grid, per_map):
        assert ours["cell_deg"] == theirs["cell_deg"] and ours["notice"] == theirs["notice"]
        mine, per = sorted(ours["cells"]), sorted(theirs["cells"])
        assert [cell[2:] for cell in mine] == [cell[2:] for cell in per]  # counts, worst, open
        assert sum(mine, []) == pytest.approx(sum(per, []))  # and where their means lie
    # At most twice as wide as the map would count them, never narrower.
    assert maps.finest_cell_size(extent) <= fine < 2 * maps.finest_cell_size(extent) + 1e-12


def test_the_grid_is_read_from_its_index_in_order(sweden):
    for name, filters in FILTERS.items():
        if name in ("every one", "open measures"):
            continue  # counted beforehand: grid_counts (below)
        for step in (1, 32):
            said = []
            sweden.conn.set_trace_callback(said.append)
            exports_db.grid_cells(sweden, filters, step)
            sweden.conn.set_trace_callback(None)
            (query,) = [sql for sql in said if "group by" in sql]
            plan = [row[3] for row in sweden.execute("explain query plan " + query)]
            assert any("COVERING INDEX observations_grid" in line for line in plan), plan
            # No sort of the observations: the index is in the grid's order (the map's cells,
            # summed from the grid's, are sorted: some thousand).
            assert plan.count("USE TEMP B-TREE FOR GROUP BY") == (step > 1), plan


def test_only_the_whole_instance_is_counted_on_the_grid():
    assert not exports_db.on_the_grid(Filters(organisations=frozenset({1})))
    for narrower in ({"places": [1]}, {"walks": ["w"]}, {"area_ids": {"kommun": [1]}}):
        assert not exports_db.on_the_grid(replace(Filters(), **narrower))
    # A map of a few kilometres asks for cells finer than the grid's: counted per map.
    assert maps.grid_step((18.0, 59.3, 18.1, 59.35), exports_db.GRID_DEG) is None
    assert maps.grid_step((11.0, 55.3, 24.2, 69.1), exports_db.GRID_DEG) == 32


def test_the_admins_overview_of_sweden_shows_the_grids_cells(sweden, app, monkeypatch):
    monkeypatch.setattr(maps, "POINTS_MAX", 50)
    client = admin_client(app)
    data = map_data(client.get("/maps/overview").text)
    assert data["points"] == []
    levels = data["cell_levels"]
    assert [sum(cell[2] for cell in level["cells"]) for level in levels] == [240] * len(levels)
    assert levels[0]["cells"] == data["cells"]
    # Each town's 80 in its cells (one or two: cells of a fixed grid may cut a town), each cell
    # where its observations lie; the levels' sizes are the grid's (times powers of two).
    by_town = dict.fromkeys(TOWNS, 0)
    for lon, lat, count, _worst, _open in data["cells"]:
        town = min(TOWNS, key=lambda t: abs(TOWNS[t][0] - lon) + abs(TOWNS[t][1] - lat))
        assert abs(TOWNS[town][0] - lon) < 0.06 and abs(TOWNS[town][1] - lat) < 0.04
        by_town[town] += count
    assert by_town == dict.fromkeys(TOWNS, 80)
    assert all(
        (level["cell_deg"] / exports_db.GRID_DEG).is_integer() for level in levels
    )
    # Every filter's cells are as wide as the whole instance's (a status's too: 0.125° for the
    # open ones counted on their own extent, about 2.5° per map).
    for query in ("category=lighting", "status=open", "rating=red", "from=2026-06-01"):
        filtered = map_data(client.get(f"/maps/overview?{query}").text)["cell_levels"]
        assert [level["cell_deg"] for level in filtered] == [
            level["cell_deg"] for level in levels
        ], query
    # Lighting only: 60 of them, still cells; red lighting below the limit: points again.
    lighting = map_data(client.get("/maps/overview?category=lighting").text)
    assert sum(cell[2] for cell in lighting["cells"]) == 60
    few = map_data(client.get("/maps/overview?category=lighting&rating=red").text)
    assert few["cells"] is None and len(few["points"]) == 20


# The truth: every observation counted per cell of the grid, as grid_cells counts a filter.
RECOUNTED = f"""
    select {exports_db.GRID_CELL[0]} as x, {exports_db.GRID_CELL[1]} as y, count(*),
        sum(lon), sum(lat), sum(rating = 'red'), sum(rating = 'yellow'), sum(rating = 'green'),
        coalesce(sum(measure_status in ('new', 'assigned', 'planned')), 0),
        coalesce(sum((measure_status in ('new', 'assigned', 'planned')) * lon), 0),
        coalesce(sum((measure_status in ('new', 'assigned', 'planned')) * lat), 0),
        coalesce(sum(measure_status in ('new', 'assigned', 'planned') and rating = 'red'), 0),
        coalesce(sum(measure_status in ('new', 'assigned', 'planned') and rating = 'yellow'), 0)
    from observations group by x, y order by x, y
"""
KEPT = """
    select x, y, n, lon_sum, lat_sum, red, yellow, green, open, open_lon_sum, open_lat_sum,
        open_red, open_yellow
    from grid_counts order by x, y
"""


def kept_as_recounted(db) -> bool:
    recounted = [pytest.approx(row) for row in db.execute(RECOUNTED).fetchall()]
    return db.execute(KEPT).fetchall() == recounted


def test_the_counted_grid_follows_every_door_that_moves_an_observation(sweden, monkeypatch):
    """grid_counts (migration 0027) is kept by triggers: a new observation, its measure's status
    changed, its rating and position edited by its walker, deleted — and a failed change
    leaves it as it was."""
    db = sweden
    assert kept_as_recounted(db) and len(db.execute(KEPT).fetchall()) >= 3
    everything = exports_db.grid_cells(db, Filters())
    assert sum(cell[4] for cell in everything) == 240
    walk = walks_db.get_walk(db, db.execute("select id from walks").fetchone()[0])
    lamp = add_observation(db, walk["id"], 18.0686, 59.3293, rating="green")
    assert kept_as_recounted(db)
    measures.set_status(db, lamp, "assigned", None)  # open now: keep → assigned
    index = current_index(db, 50.0)
    found = obs_db.get_observation(db, lamp)
    observations.edit(db, index, found, {"rating": "red", "lon": 13.0038, "lat": 55.6050})
    assert kept_as_recounted(db)
    with pytest.raises(RuntimeError), transaction(db):
        obs_db.update_observation(db, lamp, {"lon": 20.2253, "lat": 67.8558})
        raise RuntimeError("the request failed after the change")
    assert kept_as_recounted(db)
    observations.delete(db, lamp, Path("/nonexistent"))
    assert kept_as_recounted(db)
    assert sum(exports_db.grid_cells(db, Filters()), ()) == pytest.approx(sum(everything, ()))
    # A cell whose last observation leaves is gone, not a row of zeros.
    alone = add_observation(db, walk["id"], 15.0, 62.0)
    observations.delete(db, alone, Path("/nonexistent"))
    assert db.execute("select count(*) from grid_counts where n = 0").fetchone()[0] == 0
    assert kept_as_recounted(db)


def test_the_upgrade_counts_every_observation_on_the_grid(tmp_path):
    db = database_at(tmp_path, "0026_observations_grid")
    walk = walks_db.create_walk(db, title="Före", starts_at="2026-11-24T18:00")
    for lon, lat in TOWNS.values():
        add_observation(db, walk["id"], lon, lat)
    assert "0027_grid_counts" in migrate(db)
    assert kept_as_recounted(db) and len(db.execute(KEPT).fetchall()) == 3
    add_observation(db, walk["id"], *TOWNS["kiruna"])  # and the triggers keep it from now on
    assert kept_as_recounted(db)
    assert db.execute("select max(n) from grid_counts").fetchone()[0] == 2


def test_a_filter_of_one_town_keeps_the_instances_cells(sweden, app, monkeypatch):
    """Incidents only in Kiruna: counted on their own extent their cells would be some twenty
    times narrower than the instance's; on the grid every filter keeps the instance's size."""
    monkeypatch.setattr(maps, "POINTS_MAX", 50)
    walk_id = sweden.execute("select id from walks").fetchone()[0]
    lon, lat = TOWNS["kiruna"]
    for n in range(60):
        add_observation(sweden, walk_id, lon + n * 0.001, lat, category="incident")
    client = admin_client(app)
    every = map_data(client.get("/maps/overview").text)["cell_levels"]
    kiruna = map_data(client.get("/maps/overview?category=incident").text)["cell_levels"]
    assert sum(cell[2] for cell in kiruna[0]["cells"]) == 60
    assert [level["cell_deg"] for level in kiruna] == [level["cell_deg"] for level in every]


def test_the_grids_open_statuses_are_the_vocabularys(db):
    """The migration freezes the open statuses into its triggers' text: they must be
    walkapp.vocabulary's, or the kept counts would differ from the maps counted by filter."""
    opened = "in (" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"
    for name in ("grid_counts_on_insert", "grid_counts_on_delete", "grid_counts_on_update"):
        (sql,) = db.execute("select sql from sqlite_master where name = ?", [name]).fetchone()
        assert opened in sql, name
