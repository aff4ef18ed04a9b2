"""`walkapp retention`: photos and walker names past their keeping period (a dry run unless --apply)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import click
from flask.cli import with_appcontext

from .. import settings
from ..db import audit, get_db, transaction
from ..db import retention as retention_db


@click.command("retention")
@click.option("--apply", "apply_", is_flag=True, help="delete for real (default: a dry run)")
@click.option("--photos-days", type=int, default=None, help="keep photos this many days")
@click.option(
    "--names-days", type=int, default=None, help="keep walkers' display names this many days"
)
@with_appcontext
def retention_command(apply_: bool, photos_days: int | None, names_days: int | None):
    """List (or with --apply delete) photos and walker names older than their keeping period."""
    photos_days = settings.current().retain_photos_days if photos_days is None else photos_days
    names_days = settings.current().retain_names_days if names_days is None else names_days
    now = datetime.now(UTC)
    db = get_db()
    photos = retention_db.photos_older_than(db, (now - timedelta(days=photos_days)).isoformat())
    walkers = retention_db.named_walkers_older_than(
        db, (now - timedelta(days=names_days)).isoformat()
    )
    for photo in photos:
        click.echo(f"photo {photo['id']} of {photo['created_at'][:10]} (walk {photo['walk_id']})")
    for walker in walkers:
        click.echo(f"name of walker {walker['id']} who joined {walker['joined_at'][:10]}")
    summary = {
        "photos": len(photos),
        "names": len(walkers),
        "applied": apply_,
        "photos_days": photos_days,
        "names_days": names_days,
    }
    if apply_:
        folder = settings.current().photo_folder
        with transaction(db):
            retention_db.delete_photos(db, [p["id"] for p in photos])
            retention_db.forget_walker_names(db, [w["id"] for w in walkers])
            audit.record(db, None, "retention", "instance", None, summary)
        # Files go after the rows are gone: a crash in between leaves files, never dangling rows.
        for photo in photos:
            for name in (photo["filename"], photo["thumb_filename"]):
                (folder / name).unlink(missing_ok=True)
    else:
        click.echo("Dry run: nothing was deleted. Add --apply to delete.")
    click.echo(json.dumps(summary))


COMMANDS = (retention_command,)
