"""Walkers hear back: a walker may leave an e-mail address on joining (`walkers.email`, with the
language they joined in, forgotten by retention with their name); a walker's finding made done
or verified is an event for their mail (`mail_walker_events`, one per measure history row, read
behind the same cursor as the partners' events), and a done one is asked about four weeks later
("Är det åtgärdat?": `asked_at`, then the walker's one answer). A mail to a walker names them in
`mail_outbox.walker_id`, so retention deletes it with the address."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0010_walkers_mail")
def walkers_mail(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        alter table walkers add column email text;
        alter table walkers add column language text;

        create table mail_walker_events (
            history_id integer primary key references measure_history(id) on delete cascade,
            observation_id text not null references observations(id) on delete cascade,
            walker_id text not null references walkers(id) on delete cascade,
            walk_id text not null references walks(id),
            status text not null check (status in ('done', 'verified')),
            happened_at text not null,
            mailed_at text,
            asked_at text,
            answer text check (answer in ('yes', 'no')),
            answered_at text
        );
        create index mail_walker_events_waiting on mail_walker_events (mailed_at, walker_id, walk_id);
        create index mail_walker_events_asking on mail_walker_events (asked_at, happened_at);

        alter table mail_outbox add column walker_id text references walkers(id) on delete cascade;
        create index mail_outbox_walker on mail_outbox (walker_id)
        """,
    )
