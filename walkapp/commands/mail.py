"""`walkapp mail-worker`: makes the mails of what happened and sends them over SMTP, again and
again (or `--once`); `walkapp mail-status`: the outbox at a glance."""

from __future__ import annotations

import json
import sys
import time

import click
from flask.cli import with_appcontext

from .. import mail, mail_texts, settings
from ..db import get_db


@click.command("mail-worker")
@click.option("--once", is_flag=True, help="one round (make, send), then exit")
@click.option("--interval", type=click.IntRange(1, 3600), default=60, show_default=True,
              help="seconds between rounds")  # fmt: skip
@with_appcontext
def mail_worker_command(once: bool, interval: int):
    """Make the mails of new assignments, reopened measures and the weekly digests, and send
    what is due (retrying failures with back-off). Needs WALKAPP_SMTP_URL and PUBLIC_URL."""
    current = settings.current()
    if not current.smtp_url:
        click.echo("error: WALKAPP_SMTP_URL is not set: walkapp sends no mail", err=True)
        sys.exit(2)
    if not current.public_url:
        click.echo("error: WALKAPP_PUBLIC_URL is not set: the mails' links need it", err=True)
        sys.exit(2)
    try:
        server = mail.Server.from_url(current.smtp_url)
    except mail.MailNotConfigured as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    db = get_db()
    while True:
        queued = mail.prepare(db, mail_texts.compose)
        result = mail.send_due(db, server)
        if queued or result["sent"] or result["failed"]:
            click.echo(json.dumps({"queued": queued, **result}), err=True)
        if once:
            return
        time.sleep(interval)


@click.command("mail-status")
@with_appcontext
def mail_status_command():
    """Whether mail is set up, and how many mails wait, fail and were sent (JSON)."""
    click.echo(json.dumps(mail.status(get_db())))


COMMANDS = (mail_worker_command, mail_status_command)
