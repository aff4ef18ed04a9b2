"""The week whose digests the mail worker made (`mail_cursor.digest_week`, e.g. "2026-W49"). The
digests were made only on Mondays from 07:00: a worker down all Monday skipped that week's. Now
they are made at the first run from Monday 07:00 on, once per week, whichever day that is."""

from __future__ import annotations

import sqlite_utils

from . import migration


@migration("0016_mail_digest_week")
def mail_digest_week(db: sqlite_utils.Database) -> None:
    db.execute("alter table mail_cursor add column digest_week text")
