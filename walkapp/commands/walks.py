"""`walkapp create-walk`: plan a walk from the shell; prints it as JSON with its join link."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from .. import clock, demo, organisations, settings, walks
from ..db import get_db
from ..db import places as places_db
from ..walks import check_walk_times
from .server import link_options


@click.command("create-walk")
@click.option("--title", required=True)
@click.option(
    "--starts-at",
    required=True,
    help="ISO date and time with its offset, e.g. 2026-12-03T18:00+01:00"
    " (without one it is Stockholm time)",
)
@click.option("--place", "place_names", multiple=True, help="a place name; repeat for several")
@click.option(
    "--organisation", "slug", default=None, help="the organisation's slug (default: the first)"
)
@click.option(
    "--co-organiser",
    "co_slugs",
    multiple=True,
    help="the slug of an organisation holding the walk with it; repeat for several",
)
@link_options
@with_appcontext
def create_walk_command(
    title: str,
    starts_at: str,
    place_names: tuple[str, ...],
    slug: str | None,
    co_slugs: tuple[str, ...],
    url: str | None,
    port: int | None,
):
    """Create a walk and print it as JSON with its id, code and join URL: at WALKAPP_PUBLIC_URL
    when set, else at --url, else at http://127.0.0.1:PORT (--port, default 8000 as serve)."""
    try:
        moment = datetime.fromisoformat(starts_at)
    except ValueError:
        click.echo(f"error: --starts-at {starts_at!r} is not an ISO date and time", err=True)
        sys.exit(1)
    # The date rules of the walk form: the Stockholm wall time is what they judge.
    typed = clock.for_input(clock.from_typed(moment))
    with force_locale("sv"):
        errors = [str(m) for m in check_walk_times(typed, None, None, clock.today()).values()]
    for message in errors:
        click.echo(f"error: --starts-at {starts_at!r}: {message}", err=True)
        sys.exit(1)
    db = get_db()
    try:
        organisation_id = organisations.by_slug_or_refused(db, slug)
        co_organisers = [organisations.by_slug_or_refused(db, co) for co in co_slugs]
    except organisations.Refused as refused:
        click.echo(f"error: {refused}", err=True)
        sys.exit(1)
    own = places_db.list_places(db, organisation_ids=[organisation_id])
    by_name = {place["name"]: place["id"] for place in own}
    missing = [name for name in place_names if name not in by_name]
    if missing:
        click.echo(f"error: unknown place(s): {', '.join(missing)}", err=True)
        sys.exit(1)
    walk = walks.create(
        db,
        title=title,
        starts_at=clock.from_typed(moment),
        place_ids=[by_name[n] for n in place_names],
        organisation_id=organisation_id,
        co_organisers=[co for co in co_organisers if co != organisation_id],
    )
    summary = demo.walk_summary(walk, settings.current().link_base(url, port))
    click.echo(json.dumps(summary, ensure_ascii=False))


COMMANDS = (create_walk_command,)
