"""`walkapp backup` and `walkapp restore`: a consistent copy of an instance (the database holds the
photos and the secret key), and putting one back, from a backup folder or a replica."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import backup as backup_module
from .. import replication, settings


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Copy the database (online backup API: photos and secret key included) under DEST."""
    target = backup_module.backup(settings.current().instance, dest)
    click.echo(str(target))


def _environment() -> settings.Settings:
    """The settings from the environment: this command runs before (or without) an app."""
    return settings.Settings.from_values(settings.from_environment())


def _fail(message: object) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command("restore")
@click.argument(
    "src", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--from-replica", "replica_url", metavar="URL", help="restore from a Litestream replica"
)
@click.option(
    "--timestamp", help="with --from-replica: the state at this UTC time, e.g. 2026-11-25T19:30:00Z"
)
@click.option("--force", is_flag=True, help="replace an existing database")
def restore_command(src: Path | None, replica_url: str | None, timestamp: str | None, force: bool):
    """Restore a backup folder (SRC) or a replica (--from-replica URL) into the instance folder.

    Stop the server first. The database carries the photos and the secret key, so walkers'
    tokens stay valid; then `walkapp serve` starts on it."""
    if bool(src) == bool(replica_url):
        _fail("give either a backup folder SRC or --from-replica URL")
    if timestamp and not replica_url:
        _fail("--timestamp goes with --from-replica")
    instance = _environment().instance
    try:
        if replica_url:
            replication.restore(replica_url, instance, timestamp=timestamp, force=force)
        else:
            backup_module.restore(src, instance, force=force)
    except (
        FileExistsError,
        FileNotFoundError,
        backup_module.DamagedBackup,
        replication.ReplicationError,
    ) as error:
        _fail(error)
    click.echo(f"Restored {src or replica_url} into {instance}")


COMMANDS = (backup_command,)
# Run without building an app: that would create a database in the instance to restore into.
STANDALONE = (restore_command,)
