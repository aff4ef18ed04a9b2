"""`walkapp create-token`: a read-only API token for a tool, printed once; with filters, it reads
only what they let through (as a token made at Data with filters)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from werkzeug.datastructures import MultiDict

from .. import api_tokens
from ..db import exports as exports_db
from ..db import get_db
from ..db import users as users_db
from ..exports.filters import filter_errors, query_string


@click.command("create-token")
@click.option("--user", "username", required=True, help="the coordinator or admin it acts for")
@click.option("--label", default="", help="what the token is for, e.g. 'QGIS planning office'")
@click.option("--from", "from_", default="", help="reads findings from this day (YYYY-MM-DD)")
@click.option("--to", default="", help="reads findings up to and including this day")
@click.option("--place", multiple=True, help="reads only this place's findings (id; repeatable)")
@click.option("--walk", multiple=True, help="reads only this walk's findings (id; repeatable)")
@click.option("--category", multiple=True, help="reads only this category (key; repeatable)")
@click.option("--rating", multiple=True, help="reads only this rating (key; repeatable)")
@click.option(
    "--status", multiple=True, help="reads only this status (key, open or closed; repeatable)"
)
@with_appcontext
def create_token_command(username: str, label: str, from_: str, to: str, **lists):
    """Create a read-only API token for the exports and print it (it is stored only hashed)."""
    db = get_db()
    user = users_db.get_user_by_name(db, username)
    if user is None:
        click.echo(f"error: no user {username!r}", err=True)
        sys.exit(1)
    chosen = MultiDict([("from", from_), ("to", to)])
    for name, values in lists.items():
        chosen.setlist(name, list(values))
    errors = filter_errors(chosen, lambda places, walks: exports_db.known_ids(db, places, walks))
    if errors:
        for name, message in errors.items():
            click.echo(f"error: --{name}: {message}", err=True)
        sys.exit(2)
    _token_id, token = api_tokens.create(db, user["id"], label, filters=query_string(chosen))
    click.echo(token)


COMMANDS = (create_token_command,)
