"""`walkapp create-token`: a read-only API token for a tool, printed once."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .. import api_tokens
from ..db import get_db
from ..db import users as users_db


@click.command("create-token")
@click.option("--user", "username", required=True, help="the coordinator or admin it acts for")
@click.option("--label", default="", help="what the token is for, e.g. 'QGIS planning office'")
@with_appcontext
def create_token_command(username: str, label: str):
    """Create a read-only API token for the exports and print it (it is stored only hashed)."""
    db = get_db()
    user = users_db.get_user_by_name(db, username)
    if user is None:
        click.echo(f"error: no user {username!r}", err=True)
        sys.exit(1)
    _token_id, token = api_tokens.create(db, user["id"], label)
    click.echo(token)


COMMANDS = (create_token_command,)
