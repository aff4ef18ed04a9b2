"""Safety audits: Safetipin's nine parameters scored 0–3 at a stop (or anywhere) on a walk."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script

PARAMETERS = (
    "lighting",
    "openness",
    "visibility",
    "people",
    "security",
    "walk_path",
    "public_transport",
    "gender_usage",
    "feeling",
)


@migration("0003_audit_scores")
def audit_scores(db: sqlite_utils.Database) -> None:
    scores = ",\n".join(
        f"{name} integer check ({name} is null or {name} between 0 and 3)" for name in PARAMETERS
    )
    run_script(
        db,
        f"""
        create table audits (
            id text primary key,
            walk_id text not null references walks(id) on delete cascade,
            walker_id text references walkers(id) on delete set null,
            lon real not null,
            lat real not null,
            recorded_at text not null,
            received_at text not null,
            place_id integer references places(id),
            relation text not null default 'none',
            stop integer,
            note text not null default '',
            {scores}
        );
        create index audits_walk on audits (walk_id, recorded_at);
        create index audits_place on audits (place_id, recorded_at);
        """,
    )
