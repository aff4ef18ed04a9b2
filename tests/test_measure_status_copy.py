"""Each observation carries its measure's status (observations.measure_status, migration 0022),
kept by the database's triggers whatever writes the measure, so the maps and the places list
count one table. The measure stays the record: the copy never differs from it."""

from __future__ import annotations

from tests.helpers import database_at
from tests.test_coordinators import SERGEL, add_observation, partner_id
from walkapp.db import measures as measures_db
from walkapp.db import observations as obs_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate

# The truth: every open measure joined to its observation, as the places list counted before.
JOINED_OPEN_BY_PLACE = """
    select o.place_id, count(*), coalesce(sum(m.deadline is not null and m.deadline < ?), 0)
    from observations o join measures m on m.observation_id = o.id
    where m.status in ('new', 'assigned', 'planned') and o.place_id is not null
    group by o.place_id
"""


def differing(db) -> list:
    return db.execute(
        "select o.id, o.measure_status, m.status from observations o"
        " join measures m on m.observation_id = o.id where o.measure_status is not m.status"
    ).fetchall()


def statuses(db, *ids) -> list:
    marks = ", ".join("?" * len(ids))
    sql = f"select id, measure_status from observations where id in ({marks})"
    found = dict(db.execute(sql, ids))
    return [found[i] for i in ids]


def quick(staff, observation_id, **data):
    return staff.post(
        f"/observations/{observation_id}/status",
        data=data,
        headers={"Accept": "application/json"},
    )


def test_the_copy_follows_every_door_that_writes_a_status(staff, db):
    walk = walks_db.create_walk(
        db, title="Kvällsvandring", starts_at="2026-11-24T18:00", place_ids=[1]
    )
    red = add_observation(db, walk["id"], *SERGEL, note="Trasig lampa")
    green = add_observation(db, walk["id"], *SERGEL, category="people", rating="green")
    walker_changed = add_observation(db, walk["id"], *SERGEL, rating="yellow")
    assert statuses(db, red, green, walker_changed) == ["new", "keep", "new"]

    # A coordinator's change on the meeting's place view (walkapp.measures.change).
    assert quick(staff, green, status="new").status_code == 200
    # Triage's own write, with a partner.
    tk = partner_id(db, "Trafikkontoret")
    with transaction(db):
        measures_db.update_measure(db, red, None, {"status": "assigned", "partner_id": tk})
    # The walker makes the finding green before anyone triaged it: the first status follows.
    with transaction(db):
        obs_db.update_observation(db, walker_changed, {"rating": "green"})
    assert statuses(db, red, green, walker_changed) == ["assigned", "new", "keep"]
    assert differing(db) == []

    # A failed change leaves both as they were: the copy is written in the same transaction.
    try:
        with transaction(db):
            measures_db.update_measure(db, red, None, {"status": "done"})
            raise RuntimeError("the request failed after the change")
    except RuntimeError:
        pass
    assert statuses(db, red) == ["assigned"]
    assert differing(db) == []


def test_the_places_counts_read_from_the_copy_answer_as_the_join_did(staff, db):
    walk = walks_db.create_walk(
        db, title="Kvällsvandring", starts_at="2026-11-24T18:00", place_ids=[1]
    )
    late, on_time, fixed = (add_observation(db, walk["id"], *SERGEL) for _ in range(3))
    add_observation(db, walk["id"], 18.5, 59.1)  # outside every place: no place, not counted
    tk = partner_id(db, "Trafikkontoret")
    with transaction(db):
        measures_db.update_measure(
            db, late, None, {"status": "planned", "partner_id": tk, "deadline": "2026-11-30"}
        )
        measures_db.update_measure(
            db, on_time, None, {"status": "planned", "partner_id": tk, "deadline": "2026-12-20"}
        )
        measures_db.update_measure(db, fixed, None, {"status": "done", "partner_id": tk})
    today = "2026-12-06"
    joined = {row[0]: (row[1], row[2]) for row in db.execute(JOINED_OPEN_BY_PLACE, [today])}
    assert joined == {1: (2, 1)}
    assert measures_db.open_and_overdue_by_place(db, today) == joined
    assert measures_db.open_and_overdue_by_place(db, today, [1]) == joined
    assert measures_db.open_counts_by_place(db, [1]) == {1: 2}
    row = staff.get("/places").text.split("Sergels torg")[1].split("</tr>")[0]
    assert ">2<" in row and ">1<" in row  # two open, one of them past its deadline


def test_the_upgrade_copies_every_measures_status(tmp_path):
    db = database_at(tmp_path, "0021_organisations_languages")
    walk = walks_db.create_walk(db, title="Före", starts_at="2026-11-24T18:00")
    found = [add_observation(db, walk["id"], *SERGEL) for _ in range(3)]
    with transaction(db):  # as 0021 left them: no copy, no trigger
        db.execute("update measures set status = 'done' where observation_id = ?", [found[0]])
        db.execute("update measures set status = 'keep' where observation_id = ?", [found[1]])
    assert "0022_observations_measure_status" in migrate(db)
    assert statuses(db, *found) == ["done", "keep", "new"]
    assert differing(db) == []
    with transaction(db):  # and the triggers keep it from now on
        db.execute("update measures set status = 'verified' where observation_id = ?", [found[0]])
    assert statuses(db, found[0]) == ["verified"]
