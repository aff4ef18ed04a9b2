"""Each observation carries its measure's status (`observations.measure_status`), kept by two
triggers, so the maps and counts over many observations read one table: joining every
observation to its measure by their text ids cost 3.4 s of the instance admin's overview map
and 3.2 s of the places list at 1 000 000 observations.

The measure stays the one record of the status: the triggers copy it on every insert and every
change of `measures.status`, whatever writes it, in the same transaction. A migration that
rebuilds the measures table must create them again."""

from __future__ import annotations

import sqlite_utils

from . import migration

_COPY = "update observations set measure_status = new.status where id = new.observation_id;"
TRIGGERS = (
    f"create trigger measures_status_copied_on_insert after insert on measures begin {_COPY} end",
    "create trigger measures_status_copied_on_update after update of status on measures"
    f" begin {_COPY} end",
)


@migration("0022_observations_measure_status")
def observations_measure_status(db: sqlite_utils.Database) -> None:
    db.execute("alter table observations add column measure_status text")
    db.execute(
        "update observations set measure_status = m.status from measures m"
        " where m.observation_id = observations.id"
    )
    # Open measures by place: the places list and the maps' place markers.
    db.execute("create index observations_place_status on observations (place_id, measure_status)")
    for trigger in TRIGGERS:  # one by one: run_script would split them at their ";"
        db.execute(trigger)
