"""Mail: what happened that someone should hear of (`mail_events`, one per measure history
row that assigns or reopens, so each event is mailed once), the mails made of them
(`mail_outbox`, sent by `walkapp mail-worker` with retries; `dedupe_key` keeps a digest or an
event's mail from being made twice), who asked for no more of a kind (`mail_unsubscribes`),
and how far the worker has read the history (`mail_cursor`)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0009_mail")
def mail(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table mail_events (
            history_id integer primary key references measure_history(id) on delete cascade,
            kind text not null check (kind in ('assigned', 'reopened', 'answered')),
            observation_id text not null references observations(id) on delete cascade,
            partner_id integer not null references partners(id),
            walk_id text not null references walks(id),
            happened_at text not null,
            mailed_at text
        );
        create index mail_events_waiting on mail_events (mailed_at, partner_id, walk_id);

        create table mail_outbox (
            id integer primary key,
            dedupe_key text not null unique,
            kind text not null,
            user_id integer references users(id),
            recipient text not null,
            subject text not null,
            body_text text not null,
            body_html text not null,
            unsubscribe_url text,
            created_at text not null,
            attempts integer not null default 0,
            next_attempt_at text not null,
            last_error text,
            sent_at text
        );
        create index mail_outbox_due on mail_outbox (sent_at, next_attempt_at);

        create table mail_unsubscribes (
            user_id integer not null references users(id) on delete cascade,
            kind text not null,
            at text not null,
            primary key (user_id, kind)
        );

        create table mail_cursor (
            id integer primary key check (id = 1),
            history_id integer not null
        );
        insert into mail_cursor (id, history_id)
            select 1, coalesce(max(id), 0) from measure_history
        """,
    )
