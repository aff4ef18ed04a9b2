"""A status of its own for good (green) findings: "keep" (Bra – behålls), neither open nor fixed.

SQLite cannot change a CHECK constraint in place, so the measures table is rebuilt with the
new list; green findings nobody has touched yet (status new, no history) become "keep".
"""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0003_coordinators_keep_status")
def coordinators_keep_status(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table measures_next (
            observation_id text primary key references observations(id) on delete cascade,
            status text not null default 'new' check (status in
                ('new', 'assigned', 'planned', 'done', 'verified', 'not_possible', 'duplicate',
                 'keep')),
            partner_id integer references partners(id),
            deadline text,
            comment text not null default '',
            reason text not null default '',
            duplicate_of text references observations(id),
            updated_at text not null,
            updated_by integer references users(id)
        );
        insert into measures_next (observation_id, status, partner_id, deadline, comment, reason,
                                   duplicate_of, updated_at, updated_by)
            select observation_id, status, partner_id, deadline, comment, reason, duplicate_of,
                   updated_at, updated_by from measures;
        drop table measures;
        alter table measures_next rename to measures;
        create index measures_status on measures (status);
        create index measures_partner on measures (partner_id, status);
        update measures set status = 'keep'
            where status = 'new' and partner_id is null
            and observation_id in (select id from observations where rating = 'green')
            and not exists (select 1 from measure_history h
                            where h.observation_id = measures.observation_id);
        """,
    )
