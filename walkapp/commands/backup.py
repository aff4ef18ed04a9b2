"""`walkapp backup` and `walkapp restore`: a consistent copy of an instance, and putting one back."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import backup as backup_module
from .. import settings


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Copy the database (online backup API) and the photos into a new folder under DEST."""
    target = backup_module.backup(settings.current().instance, dest)
    click.echo(str(target))


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="replace an existing database")
def restore_command(src: Path, force: bool):
    """Restore a backup folder into the instance folder (stop the server first)."""
    from ..settings import from_environment

    instance = Path(str(from_environment()["INSTANCE"])).resolve()
    try:
        backup_module.restore(src, instance, force=force)
    except (FileExistsError, FileNotFoundError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Restored {src} into {instance}")


COMMANDS = (backup_command, restore_command)
