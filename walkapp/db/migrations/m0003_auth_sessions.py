"""Sign-ins kept on the server, so logout, a password change, deactivation and an admin's
"sign out everywhere" end them (the cookie only names one)."""

from . import migration, run_script


@migration("0003_auth_sessions")
def auth_sessions(db) -> None:
    run_script(
        db,
        """
        create table sessions (
            id_hash text primary key,
            user_id integer not null references users(id) on delete cascade,
            created_at text not null,
            expires_at text not null
        );
        create index sessions_user on sessions (user_id);
        create index sessions_expires on sessions (expires_at)
        """,
    )
