"""Invitations: a link a coordinator hands a partner's new person, valid seven days and used
once, by which they make their own account (the token is kept hashed, like API tokens)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0011_invitations")
def invitations(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table invitations (
            id integer primary key,
            token_hash text not null unique,
            partner_id integer not null references partners(id),
            email text,
            created_by integer references users(id),
            created_at text not null,
            expires_at text not null,
            used_at text,
            user_id integer references users(id),
            organisation_id integer references organisations(id)
        );
        create index invitations_partner on invitations (partner_id)
        """,
    )
