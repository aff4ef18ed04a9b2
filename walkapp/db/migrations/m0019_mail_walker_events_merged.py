"""Walkers of merged findings hear back too. When several walkers recorded one thing and a
coordinator merged them (the others became duplicates of the first), fixing the first is an event
for each of those walkers, not only for the first one's: `mail_walker_events` was keyed by the
history row alone (one walker per fix), and is now one row per (history row, walker's own
finding), with `measure_id` naming the finding whose measure was fixed (the walker's own, or the
one theirs was merged into; `measures_duplicate_of` finds those merged into a finding by index).
Its own id (`id`) is what an answer link names: the rows copied keep
their history row's number as id, so the links in mails already sent still answer, and an id is
never given twice (autoincrement: a deleted newest event's id is not reused for another
walker's)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0019_mail_walker_events_merged")
def mail_walker_events_merged(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table mail_walker_events_new (
            id integer primary key autoincrement,
            history_id integer not null references measure_history(id) on delete cascade,
            observation_id text not null references observations(id) on delete cascade,
            measure_id text not null references observations(id) on delete cascade,
            walker_id text not null references walkers(id) on delete cascade,
            walk_id text not null references walks(id),
            status text not null check (status in ('done', 'verified')),
            happened_at text not null,
            mailed_at text,
            asked_at text,
            answer text check (answer in ('yes', 'no')),
            answered_at text,
            unique (history_id, observation_id)
        );
        insert into mail_walker_events_new (id, history_id, observation_id, measure_id, walker_id,
            walk_id, status, happened_at, mailed_at, asked_at, answer, answered_at)
        select history_id, history_id, observation_id, observation_id, walker_id, walk_id,
            status, happened_at, mailed_at, asked_at, answer, answered_at
        from mail_walker_events;
        drop table mail_walker_events;
        alter table mail_walker_events_new rename to mail_walker_events;
        create index mail_walker_events_waiting on mail_walker_events (mailed_at, walker_id, walk_id);
        create index mail_walker_events_asking on mail_walker_events (asked_at, happened_at);
        create index mail_walker_events_measure on mail_walker_events (measure_id);
        create index measures_duplicate_of on measures (duplicate_of) where duplicate_of is not null
        """,
    )
