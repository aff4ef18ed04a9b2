"""`walkapp create-user`: a coordinator's, an admin's or a partner's person's account (the
password is asked for)."""

from __future__ import annotations

import re
import sys

import click
from flask.cli import with_appcontext

from .. import users
from ..db import get_db
from ..db import partners as partners_db
from ..db import users as users_db
from ..mail_texts import MAIL_LANGUAGES
from ..passwords import hash_password, password_problem

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(users_db.ROLES), default="coordinator", show_default=True)
@click.option("--partner", "partner_name", help="the partner a `partner` account belongs to")
@click.option("--email", help="where walkapp's mail to this account goes")
@click.option(
    "--language", type=click.Choice(MAIL_LANGUAGES), default=None, help="of the mail (sv)"
)
@with_appcontext
def create_user_command(
    username: str, role: str, partner_name: str | None, email: str | None, language: str | None
):
    """Create a coordinator, an admin or a partner's person (--role partner --partner NAME,
    who gets mail about that partner's measures); the password is read from a prompt or stdin."""
    db = get_db()
    partner_id = None
    if role == "partner":
        partner = partners_db.find_by_name(db, partner_name or "")
        if partner is None:
            known = ", ".join(p["name"] for p in partners_db.list_partners(db)) or "none yet"
            click.echo(f"error: --role partner needs --partner NAME (known: {known})", err=True)
            sys.exit(2)
        partner_id = partner["id"]
    elif partner_name:
        click.echo("error: --partner goes with --role partner", err=True)
        sys.exit(2)
    if email is not None and not EMAIL.fullmatch(email):
        click.echo(f"error: {email!r} is not an e-mail address", err=True)
        sys.exit(2)
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    if problem := password_problem(password, username):
        click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    if users_db.get_user_by_name(db, username):
        click.echo(f"error: the user {username!r} already exists", err=True)
        sys.exit(1)
    details = {"partner_id": partner_id, "email": email, "language": language}
    users.create(db, username, hash_password(password), role, **details)
    click.echo(f"Created {role} {username}" + (f" of {partner_name}" if partner_id else ""))


COMMANDS = (create_user_command,)
