"""`walkapp import-places`, `export-places` and `assign`: the prioritised places from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from .. import organisations, places_index, settings
from ..db import get_db
from ..db import places as places_db
from ..places import InvalidCoordinates
from ..places_upload import PlaceImportError, parse_places, places_to_geojson, warnings


@click.command("import-places")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace/--upsert",
    default=True,
    show_default=True,
    help="replace: places missing from the file are deactivated; upsert: they stay.",
)
@click.option(
    "--organisation", "slug", default=None, help="whose places they are (default: the first)"
)
@with_appcontext
def import_places_command(file: Path, replace: bool, slug: str | None):
    """Replace or upsert an organisation's places from a GeoJSON FeatureCollection (WGS84)."""
    try:
        organisation_id = organisations.by_slug_or_refused(get_db(), slug)
    except organisations.Refused as refused:
        click.echo(f"error: {refused}", err=True)
        sys.exit(1)
    # The shell speaks English; the admin screen shows the same problems in its reader's language.
    with force_locale("en"):
        try:
            places = parse_places(file.read_bytes())
        except PlaceImportError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            click.echo("Nothing was changed.", err=True)
            sys.exit(1)
        for warning in warnings(places):
            click.echo(f"warning: {warning}", err=True)
    counts = places_index.import_places(
        get_db(),
        places,
        replace=replace,
        near_m=settings.current().near_distance_m,
        organisation_id=organisation_id,
    )
    click.echo(json.dumps(counts))


@click.command("export-places")
@with_appcontext
def export_places_command():
    """Print the places as a GeoJSON FeatureCollection."""
    places = places_db.list_places(get_db(), active_only=True)
    click.echo(json.dumps(places_to_geojson(places), ensure_ascii=False))


@click.command("assign")
@click.argument("lon")
@click.argument("lat")
@with_appcontext
def assign_command(lon: str, lat: str):
    """Print which place LON LAT is assigned to, as JSON."""
    index = places_index.current_index(get_db(), settings.current().near_distance_m)
    try:
        result = index.assign(_number(lon, "lon"), _number(lat, "lat"))
    except InvalidCoordinates as error:
        click.echo(f"error: {error.message}", err=True)
        sys.exit(2)
    click.echo(json.dumps(result.as_dict(index.names), ensure_ascii=False))


def _number(raw: str, field: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise InvalidCoordinates(field, f"{field} must be a number, got {raw!r}") from None


COMMANDS = (import_places_command, export_places_command, assign_command)
