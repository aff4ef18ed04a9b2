"""The re-walk: a walk planned from the meeting to check the measures of earlier walks at the
same places a few months later (`rewalks`: which walks it follows up), and what its walkers
found on each (`rewalk_checks`: one row per tap, the phone's id, the status before and after)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0013_rewalks")
def rewalks(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table rewalks (
            walk_id text not null references walks(id) on delete cascade,
            earlier_walk_id text not null references walks(id),
            primary key (walk_id, earlier_walk_id)
        );
        create index rewalks_earlier on rewalks (earlier_walk_id);
        create table rewalk_checks (
            id text primary key,
            walk_id text not null references walks(id) on delete cascade,
            walker_id text references walkers(id),
            observation_id text not null references observations(id) on delete cascade,
            answer text not null check (answer in ('fixed', 'still_there')),
            status_before text not null,
            status_after text not null,
            recorded_at text not null,
            received_at text not null
        );
        create index rewalk_checks_walk on rewalk_checks (walk_id, observation_id)
        """,
    )
