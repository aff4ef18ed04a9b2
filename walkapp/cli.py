"""The `walkapp` command line: a Flask CLI group bound to the app factory."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask
from flask.cli import FlaskGroup


def _create_app(*_args, **_kwargs) -> Flask:
    from . import create_app

    return create_app()


def build() -> FlaskGroup:
    """The `walkapp` group: Flask's own commands, the standalone ones, and the app's COMMANDS."""
    cli = FlaskGroup(
        create_app=_create_app,
        add_default_commands=True,
        add_version_option=False,
        load_dotenv=False,
        help="walkapp: safety walks in LPO Norrmalm.",
    )
    # Commands that must run before (or without) an app: building one creates the database.
    for command in _feature_commands("STANDALONE"):
        cli.add_command(command)
    return cli


def main() -> None:
    build().main(prog_name="walkapp")


def _feature_commands(name: str) -> list:
    """Every `name` tuple (COMMANDS, or STANDALONE for commands run without an app) in
    walkapp/commands/<word>.py."""
    from . import commands

    found = []
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        found.extend(getattr(module, name, ()))
    return found


def register_commands(app: Flask) -> None:
    """Every `COMMANDS` tuple in walkapp/commands/<word>.py."""
    for command in _feature_commands("COMMANDS"):
        app.cli.add_command(command)
