"""`walkapp create-user`: a coordinator or admin account (the password is asked for)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .. import users
from ..db import get_db
from ..db import users as users_db
from ..passwords import hash_password, password_problem


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(users_db.ROLES), default="coordinator", show_default=True)
@with_appcontext
def create_user_command(username: str, role: str):
    """Create a coordinator or admin; the password is read from a prompt or stdin."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    if problem := password_problem(password, username):
        click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    db = get_db()
    if users_db.get_user_by_name(db, username):
        click.echo(f"error: the user {username!r} already exists", err=True)
        sys.exit(1)
    users.create(db, username, hash_password(password), role)
    click.echo(f"Created {role} {username}")


COMMANDS = (create_user_command,)
