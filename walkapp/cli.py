"""The `walkapp` command line: a Flask CLI group bound to the app factory."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from . import demo, places_index
from .db import get_db
from .db import places as places_db
from .db import users as users_db
from .db import walks as walks_db
from .passwords import hash_password
from .places import InvalidCoordinates
from .places_upload import PlaceImportError, parse_places, places_to_geojson


def _create_app(*_args, **_kwargs) -> Flask:
    from . import create_app

    return create_app()


def main() -> None:
    cli = FlaskGroup(
        create_app=_create_app,
        add_default_commands=True,
        add_version_option=False,
        load_dotenv=False,
        help="walkapp: safety walks in LPO Norrmalm.",
    )
    cli.main(prog_name="walkapp")


def _base_url() -> str:
    return str(current_app.config["WALKAPP_PUBLIC_URL"] or "http://127.0.0.1:8000")


def _near_m() -> float:
    return float(current_app.config["WALKAPP_NEAR_DISTANCE_M"])


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database; load the shipped places into an empty one."""
    # Migrations already ran in create_app(); this loads the shipped geodata.
    db = get_db()
    loaded = places_index.load_shipped_geodata(
        db, Path(current_app.config["WALKAPP_GEODATA_DIR"]), _near_m()
    )
    click.echo(f"Database ready: {Path(current_app.config['WALKAPP_INSTANCE']) / 'walkapp.db'}")
    if loaded:
        click.echo(f"Loaded shipped geodata: {json.dumps(loaded, ensure_ascii=False)}")


@click.command("import-places")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace/--upsert",
    default=True,
    show_default=True,
    help="replace: places missing from the file are deactivated; upsert: they stay.",
)
@with_appcontext
def import_places_command(file: Path, replace: bool):
    """Replace or upsert places from a GeoJSON FeatureCollection (WGS84)."""
    try:
        places = parse_places(file.read_bytes())
    except PlaceImportError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo("Nothing was changed.", err=True)
        sys.exit(1)
    counts = places_index.import_places(get_db(), places, replace=replace, near_m=_near_m())
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
    index = places_index.current_index(get_db(), _near_m())
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


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int)
def serve_command(host: str, port: int, workers: int, threads: int):
    """Run walkapp under gunicorn."""
    click.echo(f"walkapp on http://{host}:{port}/", err=True)
    sys.stdout.flush()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "walkapp.wsgi:app",
    ]
    os.execv(sys.executable, args)


@click.command("demo")
@with_appcontext
def demo_command():
    """Fill the database with a demo walk at Sergels torg/Plattan."""
    db = get_db()
    places_index.load_shipped_geodata(
        db, Path(current_app.config["WALKAPP_GEODATA_DIR"]), _near_m()
    )
    walk = demo.create_demo(db, _near_m(), _base_url())
    click.echo(json.dumps(walk, ensure_ascii=False))


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
    if len(password) < 10:
        click.echo("error: the password must be at least 10 characters", err=True)
        sys.exit(1)
    db = get_db()
    if users_db.get_user_by_name(db, username):
        click.echo(f"error: the user {username!r} already exists", err=True)
        sys.exit(1)
    users_db.create_user(db, username, hash_password(password), role)
    click.echo(f"Created {role} {username}")


@click.command("create-walk")
@click.option("--title", required=True)
@click.option("--starts-at", required=True, help="ISO date and time, e.g. 2026-12-03T18:00")
@click.option("--place", "place_names", multiple=True, help="a place name; repeat for several")
@with_appcontext
def create_walk_command(title: str, starts_at: str, place_names: tuple[str, ...]):
    """Create a walk and print it as JSON with its id, code and join URL."""
    try:
        datetime.fromisoformat(starts_at)
    except ValueError:
        click.echo(f"error: --starts-at {starts_at!r} is not an ISO date and time", err=True)
        sys.exit(1)
    db = get_db()
    by_name = {place["name"]: place["id"] for place in places_db.list_places(db)}
    missing = [name for name in place_names if name not in by_name]
    if missing:
        click.echo(f"error: unknown place(s): {', '.join(missing)}", err=True)
        sys.exit(1)
    walk = walks_db.create_walk(
        db, title=title, starts_at=starts_at, place_ids=[by_name[n] for n in place_names]
    )
    click.echo(json.dumps(demo.walk_summary(walk, _base_url()), ensure_ascii=False))


COMMANDS = (
    init_db_command,
    import_places_command,
    export_places_command,
    assign_command,
    serve_command,
    demo_command,
    create_user_command,
    create_walk_command,
)


def register_commands(app: Flask) -> None:
    """Core commands, plus every `COMMANDS` tuple in walkapp/commands/*.py."""
    import importlib
    import pkgutil

    from . import commands

    extra = []
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        extra.extend(
            getattr(importlib.import_module(f"{commands.__name__}.{info.name}"), "COMMANDS", ())
        )
    for command in (*COMMANDS, *extra):
        app.cli.add_command(command)
