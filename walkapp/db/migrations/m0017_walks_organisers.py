"""Co-organisers: a joint walk (police + kommun + landlord) has one lead organisation
(`walks.organisation_id`, whose places it walks) and may have others beside it, each of which
sees and works the walk, its findings and their measures, and counts it for its promise."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0017_walks_organisers")
def walks_organisers(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table walk_organisers (
            walk_id text not null references walks(id) on delete cascade,
            organisation_id integer not null references organisations(id),
            primary key (walk_id, organisation_id)
        ) without rowid;
        create index walk_organisers_organisation on walk_organisers (organisation_id, walk_id)
        """,
    )
