"""Queries a page runs on every visit read by index, not by scanning every observation
(how fast: benchmarks/place_page.py)."""

from __future__ import annotations

import itertools

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


def test_the_walks_list_counts_only_its_pages_walks_by_index(db):
    from walkapp.db.walks import WALKS_WITH_COUNTS

    steps = plan(db, WALKS_WITH_COUNTS.format(where="w.organisation_id in (1)"), [100, 0])
    assert [s for s in steps if s.startswith("SCAN")] == ["SCAN page"], steps  # its 100 rows
    assert "SEARCH o USING COVERING INDEX observations_walk (walk_id=?)" in steps, steps
    assert "SEARCH k USING COVERING INDEX walkers_walk (walk_id=?)" in steps, steps


def test_the_walks_list_is_paged_latest_first_with_each_walks_counts(db, staff):
    from walkapp.db.walks import create_walk
    from walkapp.walks import LIST_ROWS

    days = [f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}" for n in range(LIST_ROWS + 5)]
    made = [
        create_walk(db, title=f"Vandring {n:03d}", starts_at=f"{day}T18:00")
        for n, day in enumerate(days)
    ]
    latest = made[-1]
    db.execute(
        "insert into walkers (id, walk_id, joined_at) values ('k1', ?, ?)",
        [latest["id"], "2026-01-01T17:00:00+00:00"],
    )
    db.conn.commit()
    first = staff.get("/walks")
    assert first.status_code == 200
    assert first.text.count('class="long-text walk-title"') == LIST_ROWS
    assert first.text.index("Vandring 104") < first.text.index("Vandring 103")
    assert "sida 1 av 2" in first.text and 'href="/walks?page=2"' in first.text
    second = staff.get("/walks?page=2")
    assert second.text.count('class="long-text walk-title"') == 5
    assert "Vandring 000" in second.text and "Vandring 104" not in second.text
    assert staff.get("/walks?page=3").status_code == 404


def test_triage_finds_nearby_and_possible_duplicates_by_the_position_index(db, walk, other_walk):
    from tests.test_coordinators import SERGEL, add_observation
    from walkapp.db import measures as measures_db

    here = add_observation(db, walk["id"], *SERGEL)
    near = add_observation(db, other_walk["id"], SERGEL[0] + 0.00005, SERGEL[1])
    add_observation(db, walk["id"], SERGEL[0] + 0.01, SERGEL[1])  # 570 m east: outside the box
    add_observation(db, walk["id"], *SERGEL, category="litter")  # another category
    observation = measures_db.get_observation(db, here)
    candidates = measures_db.same_category_candidates(db, observation)
    assert [c["id"] for c in candidates] == [near]
    assert len(measures_db.nearby(db, observation)) == 2  # the other lamp and the litter
    for sql in (measures_db.SAME_CATEGORY_CANDIDATES, measures_db.NEARBY):
        steps = plan(db, sql, [None] * sql.count("?"))
        uses = "SEARCH o USING INDEX observations_position (lon>? AND lon<?)"
        assert any(step.startswith(uses) for step in steps), steps


def test_a_walks_walkers_are_counted_among_the_walks_observations(db, walk, other_walk):
    from tests.test_coordinators import SERGEL, add_observation
    from walkapp.db.walks import LIST_WALKERS, list_walkers

    stamp = "2026-11-24T17:00:00+00:00"
    db.conn.executemany(
        "insert into walkers (id, walk_id, display_name, joined_at) values (?, ?, ?, ?)",
        [("anna", walk["id"], "Anna", stamp), ("bo", walk["id"], "Bo", stamp)],
    )
    db.conn.commit()
    found = [add_observation(db, walk["id"], *SERGEL) for _ in range(3)]
    add_observation(db, other_walk["id"], *SERGEL)
    db.conn.executemany(
        "update observations set walker_id = ? where id = ?",
        list(zip(("anna", "anna", "bo"), found)),
    )
    db.conn.commit()
    assert [(k["id"], k["observations"]) for k in list_walkers(db, walk["id"])] == [
        ("anna", 2),
        ("bo", 1),
    ]
    steps = plan(db, LIST_WALKERS, [walk["id"]])
    assert "SEARCH o USING INDEX observations_walk (walk_id=?)" in steps, steps
    assert not any(step.startswith("SCAN") for step in steps), steps


def test_the_region_views_findings_are_one_grouped_query_from_the_years_walks(db, walk):
    """Open and fixed per organisation and place kind, and the days to fixed: the year's walks by
    their date, paired with their organisers, each walk's observations by index — never a scan of every
    observation, nor a query per organisation."""
    from walkapp.db.organisations import in_scope_clause
    from walkapp.db.region import DAYS_TO_FIXED, FINDINGS_BY_PLACE_KIND

    bounds = ["2026-01-01", "2027-01-01"]
    for organisation_ids, query in itertools.product(
        (None, [1, 2, 3]), (FINDINGS_BY_PLACE_KIND, DAYS_TO_FIXED)
    ):
        scoped, ids = in_scope_clause("g.organisation_id", organisation_ids)
        steps = plan(db, query.format(scoped=scoped), [*bounds, *bounds, *ids])
        # The only scan is of the year's walk-and-organiser pairs (the query's own co-routine).
        assert [s for s in steps if s.startswith("SCAN")] == ["SCAN g"], steps
        by_date = "SEARCH walks USING INDEX walks_starts_at (starts_at>? AND starts_at<?)"
        assert steps.count(by_date) == 2, steps  # for the leads and for the co-organisers
        assert "SEARCH o USING INDEX observations_walk (walk_id=?)" in steps, steps
        by_key = [s for s in steps if s.startswith("SEARCH m USING INDEX sqlite_autoindex_measures")]
        assert len(by_key) == (query is DAYS_TO_FIXED), steps  # the statuses: the observations


def test_the_walks_others_held_inside_are_read_by_the_areas_indexes(db):
    """A public page's "walks others held here": the observations in the organisation's areas by
    their area indexes (m0020), never every observation of the year's walks."""
    from walkapp.db.public import walks_held_inside_query

    sql, params = walks_held_inside_query(2026, 1, {"kommun": [3], "lpo": [4]})
    steps = plan(db, sql, params)
    assert not [s for s in steps if s.startswith("SCAN") and s.split()[1] in ("o", "w", "m")]
    assert "MULTI-INDEX OR" in steps, steps
    assert any("observations_area_kommun" in s for s in steps), steps
    assert any("observations_area_lpo" in s for s in steps), steps
