"""`walkapp retention`: photos, walker names and walked tracks past their keeping period, and the
photo files crashes left (a dry run unless --apply)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import click
from flask.cli import with_appcontext

from .. import photos as photo_files
from .. import retention, settings
from ..db import get_db
from ..db import photos as photos_db
from ..db import retention as retention_db
from ..db import tracks as tracks_db


def _keep_days(name: str, what: str):
    """A keeping period's option: --NAME-days N overrides its setting."""
    return click.option(f"--{name}-days", type=int, default=None, help=f"keep {what} this many days")


@click.command("retention")
@click.option("--apply", "apply_", is_flag=True, help="delete for real (default: a dry run)")
@_keep_days("photos", "photos")
@_keep_days("names", "walkers' display names and e-mail addresses")
@_keep_days("tracks", "walked tracks (counted from the walk, or its follow-up meeting)")
@with_appcontext
def retention_command(
    apply_: bool, photos_days: int | None, names_days: int | None, tracks_days: int | None
):
    """List (or with --apply delete) photos, walker names and walked tracks older than their
    keeping period, and photo files a crash left (temporary, or with no row)."""
    current = settings.current()
    photos_days = current.retain_photos_days if photos_days is None else photos_days
    names_days = current.retain_names_days if names_days is None else names_days
    tracks_days = current.retain_tracks_days if tracks_days is None else tracks_days
    now = datetime.now(UTC)
    db = get_db()
    photos = retention_db.photos_older_than(db, (now - timedelta(days=photos_days)).isoformat())
    walkers = retention_db.named_walkers_older_than(
        db, (now - timedelta(days=names_days)).isoformat()
    )
    # A track is a person's movement: kept while the walk and its follow-up need it.
    chunks = tracks_db.chunks_older_than(db, (now - timedelta(days=tracks_days)).date().isoformat())
    for photo in photos:
        click.echo(f"photo {photo['id']} of {photo['created_at'][:10]} (walk {photo['walk_id']})")
    for walker in walkers:
        what = (
            "name and address"
            if walker["has_email"] and walker["display_name"]
            else ("address" if walker["has_email"] else "name")
        )
        click.echo(f"{what} of walker {walker['id']} who joined {walker['joined_at'][:10]}")
    for walk_id in sorted({chunk["walk_id"] for chunk in chunks}):
        points = sum(chunk["points"] for chunk in chunks if chunk["walk_id"] == walk_id)
        click.echo(f"walked track of walk {walk_id}: {points} points")
    folder = current.photo_folder
    leftovers = photo_files.leftovers(folder, photos_db.file_names(db))
    for path in leftovers:
        click.echo(f"leftover file {path.name} (no photo row, or a write cut short)")
    summary = {
        "photos": len(photos),
        "names": len(walkers),
        "track_points": sum(chunk["points"] for chunk in chunks),
        "leftover_files": len(leftovers),
        "applied": apply_,
        "photos_days": photos_days,
        "names_days": names_days,
        "tracks_days": tracks_days,
    }
    if apply_:
        retention.apply(db, photos, walkers, chunks, summary, folder)
        photo_files.clear_leftovers(folder, photos_db.file_names(db))
    else:
        click.echo("Dry run: nothing was deleted. Add --apply to delete.")
    click.echo(json.dumps(summary))


COMMANDS = (retention_command,)
