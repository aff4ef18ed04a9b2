"""`walkapp create-organisation` and `walkapp organisations`: the instance's organisations."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .. import organisations
from ..db import get_db
from ..db import organisations as organisations_db


@click.command("create-organisation")
@click.argument("slug")
@click.option("--name", required=True, help="the name shown on its pages")
@click.option(
    "--area",
    "area_names",
    multiple=True,
    help="an area it covers, by name or code (`kind:name` for one kind, e.g. lpo:Norrmalm,"
    " kommun:0186); repeat for several",
)
@click.option("--logo", default="", help="a logo URL for its public page")
@click.option("--jurisdiction", default=None, help="its Open311 jurisdiction_id (default: SLUG)")
@with_appcontext
def create_organisation_command(
    slug: str, name: str, area_names: tuple[str, ...], logo: str, jurisdiction: str | None
):
    """Create an organisation (an LPO, a kommun, a district administration, a collaboration)."""
    try:
        organisations.create(get_db(), slug, name, area_names, logo, jurisdiction)
    except organisations.Refused as refused:
        click.echo(f"error: {refused}", err=True)
        sys.exit(1)
    click.echo(f"Created organisation {slug} ({name})")


@click.command("organisations")
@with_appcontext
def list_organisations_command():
    """List the organisations: slug, name, areas, and how many walks, places and users each has."""
    for row in organisations_db.list_organisations(get_db()):
        click.echo(
            f"{row['slug']}\t{row['name']}\tareas: {row['areas'] or '-'}\t"
            f"walks: {row['walks']}\tplaces: {row['places']}\tusers: {row['users']}"
        )


COMMANDS = (create_organisation_command, list_organisations_command)
