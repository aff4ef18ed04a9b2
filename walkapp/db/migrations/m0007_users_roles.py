"""Accounts for more than coordinators and admins: the table allows the roles `region` (reads
every organisation in its areas) and `partner` (a partner's person, who works that partner's
measures), and holds what they need — the partner a partner's person belongs to, an e-mail
address for mail, and the language mail is written in. The code admits a role only once it
handles it (walkapp/db/users.py ROLES).

SQLite changes a CHECK only by copying the table: foreign keys are off around it (sessions
would otherwise be deleted with the old table), ids are kept, so every reference still holds.
"""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0007_users_roles", foreign_keys_off=True)
def users_roles(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table users_new (
            id integer primary key,
            username text not null unique,
            password_hash text not null,
            role text not null check (role in ('coordinator', 'admin', 'region', 'partner')),
            active integer not null default 1,
            created_at text not null,
            partner_id integer references partners(id),
            email text,
            language text,
            check ((role = 'partner') = (partner_id is not null))
        );
        insert into users_new (id, username, password_hash, role, active, created_at)
            select id, username, password_hash, role, active, created_at from users;
        drop table users;
        alter table users_new rename to users;
        create index users_partner on users (partner_id)
        """,
    )
