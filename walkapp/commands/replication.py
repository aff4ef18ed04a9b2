"""`walkapp status`: where the replica stands (the same facts as the admin page).

Runs without building an app, so it never creates a database."""

from __future__ import annotations

import json
import sys

import click

from .. import replication, settings


def _environment() -> settings.Settings:
    """The settings from the environment: this command runs before (or without) an app."""
    return settings.Settings.from_values(settings.from_environment())


def _fail(message: object) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def status_command(as_json: bool):
    """Replication state: the last replicated transaction, its age, the lag, warnings."""
    url = _environment().replica_url
    if not url:
        click.echo(json.dumps({"replication": None}) if as_json else "replication: off")
        return
    try:
        state = replication.state(_environment().instance, url)
    except replication.ReplicationError as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(state.as_dict()))
    else:
        for key, value in state.as_dict().items():
            click.echo(f"{key}: {'-' if value is None else value}")
    if state.warning:
        sys.exit(2)


STANDALONE = (status_command,)
