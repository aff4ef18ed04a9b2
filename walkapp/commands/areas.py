"""`walkapp areas import|parts|list|resolve`: the areas of every kind from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import areas
from ..areas_index import ALL_KINDS
from ..areas_upload import AreaImportError, parse_areas
from ..db import areas as areas_db
from ..db import get_db


@click.group("areas")
def areas_group():
    """Areas of every kind: police region, LPO, län, kommun, stadsdelsområde, stadsdel, free."""


def _fail(error: AreaImportError) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo("Nothing was changed.", err=True)
    sys.exit(1)


@areas_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", required=True, help=f"one of {', '.join(ALL_KINDS)}")
@click.option("--name-property", required=True, help="the feature property holding the name")
@click.option("--code-property", default=None, help="the property holding the code (kommun: 0180)")
@click.option("--approximate", is_flag=True, help="mark the outlines as approximate")
@with_appcontext
def import_command(
    file: Path, kind: str, name_property: str, code_property: str | None, approximate: bool
):
    """Add or update areas of KIND from a GeoJSON FeatureCollection of polygons (WGS84) and
    re-resolve every observation."""
    try:
        rows = parse_areas(
            file.read_bytes(),
            kind,
            name_property,
            code_property,
            approximate=approximate,
            source=file.name,
        )
    except AreaImportError as error:
        _fail(error)
    click.echo(json.dumps(areas.import_areas(get_db(), rows)))


@areas_group.command("parts")
@click.argument("kind")
@click.argument("name")
@click.option(
    "--part",
    "parts",
    multiple=True,
    required=True,
    metavar="KIND:NAME",
    help="a part by kind and name or code, e.g. stadsdelsomrade:Norrmalm or kommun:0186",
)
@with_appcontext
def parts_command(kind: str, name: str, parts: tuple[str, ...]):
    """Make the area KIND NAME the union of its parts (created if new), e.g. LPO Norrmalm."""
    pairs = []
    for part in parts:
        part_kind, _, value = part.partition(":")
        if not value:
            _fail(AreaImportError([f"a part is KIND:NAME, got {part!r}"]))
        pairs.append((part_kind, value))
    try:
        click.echo(json.dumps(areas.set_parts(get_db(), kind, name, pairs)))
    except AreaImportError as error:
        _fail(error)


@areas_group.command("list")
@click.option("--kind", default=None, help="only this kind")
@with_appcontext
def list_command(kind: str | None):
    """Print the areas as JSON lines: id, kind, name, code, part count."""
    for area in areas_db.list_areas(get_db(), with_geometry=False):
        if kind is None or area["kind"] == kind:
            row = {key: area[key] for key in ("id", "kind", "name", "code")}
            click.echo(json.dumps({**row, "parts": len(area["parts"])}, ensure_ascii=False))


@areas_group.command("resolve")
@click.argument("lon", type=float)
@click.argument("lat", type=float)
@with_appcontext
def resolve_command(lon: float, lat: float):
    """Print the areas holding LON LAT by kind, as JSON."""
    index = areas.current_index(get_db())
    click.echo(json.dumps(index.names(lon, lat), ensure_ascii=False))


COMMANDS = (areas_group,)
