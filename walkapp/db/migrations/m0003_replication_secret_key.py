"""The secret key in the database (issues 13 and 18): backups and replicas carry it."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0003_replication_secret_key")
def replication_secret_key(db: sqlite_utils.Database) -> None:
    """The key that signs sessions and walkers' tokens lives with the data it protects, so a
    backup or a replica restored on a new machine keeps every walker's token valid."""
    run_script(db, "create table instance_secrets (name text primary key, value text not null)")
