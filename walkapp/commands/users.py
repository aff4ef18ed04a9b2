"""`walkapp create-user`: a coordinator's, an admin's, a region user's or a partner's person's
account (the password is asked for)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .. import mail, organisations, users
from ..db import get_db
from ..db import partners as partners_db
from ..db import users as users_db
from ..mail_texts import MAIL_LANGUAGES
from ..passwords import hash_password, password_problem


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(users_db.ROLES), default="coordinator", show_default=True)
@click.option(
    "--organisation",
    "slug",
    default=None,
    help="the organisation's slug: needed for a coordinator when there are several; an admin"
    " without one is the instance's admin",
)
@click.option(
    "--area",
    "area_names",
    multiple=True,
    help="for --role region: an area it reads (name, code or kind:name); repeat for several",
)
@click.option("--partner", "partner_name", help="the partner a `partner` account belongs to")
@click.option("--email", help="where walkapp's mail to this account goes")
@click.option(
    "--language", type=click.Choice(MAIL_LANGUAGES), default=None, help="of the mail (sv)"
)
@with_appcontext
def create_user_command(
    username: str,
    role: str,
    slug: str | None,
    area_names: tuple[str, ...],
    partner_name: str | None,
    email: str | None,
    language: str | None,
):
    """Create a coordinator or an admin (of --organisation), a region user (read-only, --area)
    or a partner's person (--role partner --partner NAME, who gets mail about that partner's
    measures); the password is read from a prompt or stdin."""
    db = get_db()
    try:
        organisation_id = organisations.for_new_user(db, role, slug)
        if role == "region" and not area_names:
            raise organisations.Refused("a region user needs at least one --area")
        if area_names and role != "region":
            raise organisations.Refused("--area is for --role region")
        area_ids = organisations.area_ids_named(db, area_names)
    except organisations.Refused as refused:
        click.echo(f"error: {refused}", err=True)
        sys.exit(1)
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
    if email is not None and not mail.is_address(email):
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
    users.create(db, username, hash_password(password), role, organisation_id, area_ids, **details)
    click.echo(f"Created {role} {username}" + (f" of {partner_name}" if partner_id else ""))


COMMANDS = (create_user_command,)
