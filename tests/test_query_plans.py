"""Queries a page runs on every visit read by index, not by scanning every observation
(how fast: benchmarks/place_page.py)."""

from __future__ import annotations

from walkapp.db.walks import WALKS_FOR_PLACE, walks_for_place


def plan(db, sql, params) -> list[str]:
    return [row[3] for row in db.execute("explain query plan " + sql, params).fetchall()]


def test_the_place_pages_walks_read_the_places_observations_once_by_index(db, walk, other_walk):
    steps = plan(db, WALKS_FOR_PLACE, {"place": 1})
    assert not [s for s in steps if s.startswith("SCAN") and "observations" in s], steps
    assert any("observations USING INDEX observations_place" in s for s in steps), steps
    assert any("walk_places USING INDEX walk_places_place" in s for s in steps), steps
    # A walk that planned the place counts, with 0 observations there.
    db.execute("insert into walk_places (walk_id, place_id) values (?, 1)", [walk["id"]])
    db.conn.commit()
    assert [(w["id"], w["observations"]) for w in walks_for_place(db, 1)] == [(walk["id"], 0)]


def test_a_database_without_planner_statistics_gets_them_at_start(app, db, walk):
    """An instance from before (no sqlite_stat1) is analysed once, at its next start."""
    from walkapp.db import database_path, init

    db.conn.executemany(
        "insert into walk_places (walk_id, place_id) values (?, ?)",
        [(walk["id"], place) for place in range(1, 16)],
    )
    db.execute("drop table sqlite_stat1")
    db.conn.commit()
    init(database_path(app))
    tables = {row[0] for row in db.execute("select tbl from sqlite_stat1")}
    assert {"walk_places", "walks", "places"} <= tables
