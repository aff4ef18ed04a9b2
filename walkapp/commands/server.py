"""`walkapp init-db`, `demo` and `serve`: a database, something to look at, and the server
(under Litestream when WALKAPP_REPLICA_URL is set)."""

from __future__ import annotations

import json
import os
import sys
from urllib.parse import urlsplit

import click
from flask.cli import ScriptInfo, with_appcontext

from .. import demo, places_index, replication, settings
from ..db import get_db
from ..photos import clear_leftovers

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_HEADER_FIELDS = 40
MAX_HEADER_FIELD_BYTES = 8190


def _fail(message: object) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _check_url(_context, _parameter, value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not an address such as http://192.168.1.20:8080")
    return value.rstrip("/")


def link_options(command):
    """`--url` and `--port` for a command that prints links (demo, create-walk)."""
    command = click.option(
        "--port",
        type=click.IntRange(1, 65535),
        help=f"the port `walkapp serve --port` listens on: links point at http://127.0.0.1:PORT"
        f" (default {settings.SERVE_PORT}, serve's own)",
    )(command)
    return click.option(
        "--url",
        callback=_check_url,
        help="the address people open, e.g. http://192.168.1.20:8080 (overrides --port);"
        " WALKAPP_PUBLIC_URL, when set, wins over both",
    )(command)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database; load the shipped places into an empty one."""
    # Migrations already ran in create_app(); this loads the shipped geodata.
    db = get_db()
    loaded = places_index.load_shipped_geodata(
        db, settings.current().geodata_dir, settings.current().near_distance_m
    )
    click.echo(f"Database ready: {settings.current().database_file}")
    if loaded:
        click.echo(f"Loaded shipped geodata: {json.dumps(loaded, ensure_ascii=False)}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=settings.SERVE_PORT, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve_command(host: str, port: int, workers: int, threads: int):
    """Run walkapp under gunicorn (one worker with threads: rate limits count exactly in memory;
    with more workers set WALKAPP_RATELIMIT_STORAGE_URI to a shared Redis); under Litestream too
    when WALKAPP_REPLICA_URL is set."""
    try:
        # Builds the app (in a test, the test's own): migrations, the secret key and the photo
        # files, once, before the workers; it refuses a fresh database over a replica with data.
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    except replication.ReplicationError as error:
        _fail(error)
    environment = app.extensions["walkapp_settings"]
    url, instance = environment.replica_url, environment.instance
    if workers > 1 and environment.ratelimit_storage_uri.startswith("memory"):
        click.echo(
            "warning: several workers with WALKAPP_RATELIMIT_STORAGE_URI=memory:// count rate "
            "limits per worker; point it at a shared Redis (see docs/operators/rate-limits.md)",
            err=True,
        )
    if environment.answered_hosts() is None:
        # Nothing configured: answer only this machine's own names, or any Host header would
        # write join links, QR codes and Open311 discovery.
        own = [*LOOPBACK_HOSTS, *([host] if host not in ("0.0.0.0", "::", "") else [])]
        os.environ["WALKAPP_TRUSTED_HOSTS"] = ",".join(dict.fromkeys(own))
        click.echo(
            "note: WALKAPP_PUBLIC_URL is not set: answering only "
            + ", ".join(dict.fromkeys(own))
            + " (set WALKAPP_PUBLIC_URL or WALKAPP_TRUSTED_HOSTS to serve other names)",
            err=True,
        )
    # No worker runs yet: every temporary photo file is a crash's leftover, however new.
    clear_leftovers(environment.photo_folder, temporary_age_s=0)
    server = [
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
        "--logger-class",
        "walkapp.access_log.RedactingLogger",
        # No browser or phone sends more than a few KB of headers; a capped block keeps an
        # attacker's megabyte of headers out of the worker and its log.
        "--limit-request-fields",
        str(MAX_HEADER_FIELDS),
        "--limit-request-field_size",
        str(MAX_HEADER_FIELD_BYTES),
        "walkapp.wsgi:app",
    ]
    click.echo(f"walkapp on http://{host}:{port}/", err=True)
    if url:
        try:
            server = replication.supervised_command(instance, url, server)
        except replication.ReplicationError as error:
            _fail(error)
        click.echo(f"replicating {instance / replication.DB_NAME} to {url}", err=True)
    sys.stdout.flush()
    os.execv(server[0], server)


@click.command("demo")
@link_options
@with_appcontext
def demo_command(url: str | None, port: int | None):
    """Fill the database with a demo walk at Sergels torg/Plattan and print it as JSON with its
    join link: at WALKAPP_PUBLIC_URL when set, else at --url, else at http://127.0.0.1:PORT
    (--port, default 8000 as `walkapp serve`)."""
    db = get_db()
    environment = settings.current()
    places_index.load_shipped_geodata(db, environment.geodata_dir, environment.near_distance_m)
    walk = demo.create_demo(db, environment.near_distance_m, environment.link_base(url, port))
    click.echo(json.dumps(walk, ensure_ascii=False))


COMMANDS = (init_db_command, demo_command, serve_command)
# Also on the top-level group, so `walkapp serve` is found without building an app first.
STANDALONE = (serve_command,)
