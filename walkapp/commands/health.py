"""`walkapp status`: the checks of `/healthz` (walkapp/health.py) from the terminal.

Runs without building an app, so it never creates or migrates a database; exit 0 when all is
well, 2 when something is degraded, 1 when a check fails."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import health, settings
from ..db import connect

EXIT = {health.OK: 0, health.OFF: 0, health.DEGRADED: 2, health.FAILING: 1}


def _database(path: Path) -> health.Check:
    """quick_check now (this process starts now) and the write probe; no file, no database made."""
    if not path.exists():
        return health.check_database(None, [])
    at_start = health.database_at_start(path)
    db = None

    def open_db():
        nonlocal db
        db = connect(path)
        return db

    try:
        return health.check_database(open_db, at_start)
    finally:
        if db is not None:
            db.close()


def _checks(environment: settings.Settings) -> dict[str, health.Check]:
    # Litestream first: the write probe is a transaction it has not replicated yet.
    replication = health.check_replication(environment.instance, environment.replica_url)
    return {
        "database": _database(environment.database_file),
        "disk": health.check_disk(environment.instance, environment.min_free_bytes),
        "rate_limits": health.check_rate_limits(
            environment.ratelimit_enabled, environment.ratelimit_storage_uri
        ),
        "replication": replication,
    }


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def status_command(as_json: bool):
    """Health: the database (quick_check, a write probe), free space, the rate-limit store and
    the replica (last replicated transaction, its age, the lag)."""
    environment = settings.Settings.from_values(settings.from_environment())
    body = health.report(_checks(environment))
    if as_json:
        click.echo(json.dumps(body))
    else:
        click.echo(f"status: {body['status']}")
        for name, check in body["checks"].items():
            click.echo(f"{name}: {check['status']}: {check['message']}")
            for key, value in check.items():
                if key not in ("status", "message"):
                    click.echo(f"  {key}: {'-' if value is None else value}")
    sys.exit(EXIT[body["status"]])


STANDALONE = (status_command,)
