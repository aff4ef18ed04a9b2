"""Mail that closes the loop: who hears of what, made into mails in the database and sent over
SMTP by `walkapp mail-worker`, each event once.

- A partner's people (accounts with the role `partner` and an e-mail address) get one mail per
  walk when measures of that walk are assigned to their partner — gathered until the walk's
  triage has been quiet for `MAIL_QUIET_MINUTES` — and one when a measure they had fixed is
  opened again; every week from Monday 07:00 (Stockholm) a digest of what is due within two weeks
  and overdue.
- Coordinators and admins with an address get every Monday the overdue measures per partner.

Exactly once: events are read from the measures' history behind a cursor, a mail is queued in
the same transaction that marks its events mailed, and a digest's key names its week, so a
restart makes no mail twice; the worker marks a mail sent straight after the server took it
(a crash between the server's "250" and that commit, a few microseconds, is the one window
where a mail could go twice; its Message-ID is the same both times). Mails are plain text plus
HTML, in the reader's language (Swedish or English), with a one-click unsubscribe per kind.

Walkers who left an address hear back (issue 25): one mail per walk when findings of theirs
are fixed (gathered like the partners' mails, with signed photo links), and four weeks after a
finding was made done, "Är det åtgärdat?" with a yes and a no per finding; "no" opens it again.
A walker reads their mail in the language they joined in (the six of the walkers' screens).

Joint walks: an invited organisation's coordinators hear of the invitation ("invited"), the
lead's coordinators of a no to it ("declined"), each once (a new invitation, or a new no, again).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import unquote, urlsplit

import sqlite_utils

from . import clock, measures, organisations, settings
from .db import mail as mail_db
from .db import now, transaction
from .db import organisations as organisations_db
from .db import partners as partners_db
from .db import walks as walks_db

KINDS = ("assigned", "reopened", "answered", "digest", "overdue", "invited", "declined")
# A walker's mails: their finding was fixed; four weeks after done, "Är det åtgärdat?".
WALKER_KINDS = ("fixed", "question")
QUESTION_AFTER_DAYS = 28
ANSWERS = ("yes", "no")
DIGEST_WEEKDAY, DIGEST_HOUR = 0, 7  # Monday, 07:00 in Stockholm
DUE_AHEAD_DAYS = 14
# After a failed try: wait 1, 5, 15, 60 minutes, then every 6 hours; given up after a week.
RETRY_MINUTES = (1, 5, 15, 60, 360)
GIVE_UP_ATTEMPTS = 30


MAX_ADDRESS = 254  # an address, at most (RFC 5321's path limit)
# An address as people type it: something@somewhere.tld, no spaces (the mail server judges the rest).
ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_address(text: str) -> bool:
    return len(text) <= MAX_ADDRESS and ADDRESS.fullmatch(text) is not None


class MailNotConfigured(RuntimeError):
    pass


@dataclass(frozen=True)
class Server:
    """Where mail goes, from `WALKAPP_SMTP_URL`: `smtp://user:pass@host:587` (STARTTLS, always),
    `smtps://…:465` (TLS from the start), `smtp+plain://host:25` (no TLS: only for a relay on
    the same machine)."""

    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> Server:
        parts = urlsplit(url)
        defaults = {"smtp": 587, "smtps": 465, "smtp+plain": 25}
        if parts.scheme not in defaults or not parts.hostname:
            raise MailNotConfigured(
                "WALKAPP_SMTP_URL must look like smtp://user:password@host:587 "
                "(or smtps://…, smtp+plain://… for a relay on this machine)"
            )
        return cls(
            parts.scheme,
            parts.hostname,
            parts.port or defaults[parts.scheme],
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None,
        )

    def connect(self, ca_file: str | None = None, timeout: float = 30) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=ca_file or None)
        if self.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=timeout)
            if self.scheme == "smtp":
                client.starttls(context=context)  # refused servers raise: never in the clear
        if self.username:
            client.login(self.username, self.password or "")
        return client


def one_line(text: str) -> str:
    """A header's value: every run of white space (a title's line break too) as one space."""
    return " ".join(text.split())


def configured() -> bool:
    return bool(settings.current().smtp_url)


# --- what to send -----------------------------------------------------------------------------


Compose = Callable[[str, dict, dict], dict]


def prepare(db: sqlite_utils.Database, compose: Compose, moment: datetime | None = None) -> int:
    """Read new history into events, make the mails of every quiet walk and of this week's
    digests: all in one transaction. compose(kind, reader, context) -> {subject, body_text,
    body_html, unsubscribe_url} writes a mail (walkapp.mail_texts.compose, in the web layer:
    templates and links). How many mails were queued."""
    moment = moment or clock.now_utc()
    quiet = timedelta(minutes=settings.current().mail_quiet_minutes)
    queued = 0
    with transaction(db):
        mail_db.collect_events(db)
        for group in mail_db.quiet_groups(db, clock.stamp(moment - quiet)):
            queued += _queue_group(db, compose, group)
        # Each week's digests once, the first run from its Monday 07:00 on (weeks sort as text).
        if (week := _digest_week(moment)) and week > (mail_db.digest_week(db) or ""):
            queued += _queue_digests(db, compose, moment)
            mail_db.set_digest_week(db, week)
        for group in mail_db.walker_quiet_groups(db, clock.stamp(moment - quiet)):
            queued += _queue_fixed(db, compose, group)
        queued += _queue_questions(db, compose, moment)
        queued += _queue_invitations(db, compose)
        queued += _queue_declines(db, compose, moment)
    return queued


def _queue_group(db, compose: Compose, group: dict) -> int:
    measures = mail_db.group_measures(db, group["kind"], group["partner_id"], group["walk_id"])
    mail_db.mark_events_mailed(db, [m["history_id"] for m in measures], now())
    if group["kind"] == "answered":
        return _queue_answers(db, compose, group, measures)
    # Told only of what is still theirs and open (reassigned or closed meanwhile: no mail).
    current = [m for m in measures if m["still_ours"]]
    if not current:
        return 0
    partner = partners_db.get_partner(db, group["partner_id"])
    walk = walks_db.get_walk(db, group["walk_id"])
    last = max(m["history_id"] for m in measures)
    queued = 0
    for person in mail_db.recipients(db, group["kind"], group["partner_id"]):
        if not _reads(db, person, {}, group["walk_id"]):
            continue  # invited by another organisation: not this walk's to tell them of
        key = f"{group['kind']}:{group['walk_id']}:{group['partner_id']}:{last}:{person['id']}"
        context = {"partner": partner, "walk": walk, "measures": current}
        queued += _queue(db, compose, key, group["kind"], person, context)
    return queued


def _queue_answers(db, compose: Compose, group: dict, measures: list[dict]) -> int:
    """The coordinators of the walk hear what the partner answered: each measure once (its
    latest state), with the partner's last comment."""
    latest = {m["observation_id"]: m for m in measures}
    context = {
        "partner": partners_db.get_partner(db, group["partner_id"]),
        "walk": walks_db.get_walk(db, group["walk_id"]),
        "measures": list(latest.values()),
    }
    last = max(m["history_id"] for m in measures)
    queued = 0
    for person in mail_db.walk_coordinators(db, group["walk_id"], "answered"):
        key = f"answered:{group['walk_id']}:{group['partner_id']}:{last}:{person['id']}"
        queued += _queue(db, compose, key, "answered", person, context)
    return queued


def _queue_fixed(db, compose: Compose, group: dict) -> int:
    """One mail to a walker of what a round fixed of their findings on one walk."""
    findings = mail_db.walker_group_findings(db, group["walker_id"], group["walk_id"])
    mail_db.mark_walker_events_mailed(db, [f["event_id"] for f in findings], now())
    current = [f for f in findings if f["still_fixed"]]  # opened again meanwhile: not told
    reader = mail_db.walker_reader(db, group["walker_id"])
    if not current or reader is None:
        return 0
    last = max(f["event_id"] for f in findings)
    key = f"fixed:{group['walk_id']}:{group['walker_id']}:{last}"
    return _queue_walker(db, compose, key, "fixed", reader, {"findings": current})


def _queue_questions(db, compose: Compose, moment: datetime) -> int:
    """Four weeks after a finding was made done (and still is), one question per walk to its
    walker: "Är det åtgärdat?", each finding with its own yes and no."""
    before = clock.stamp(moment - timedelta(days=QUESTION_AFTER_DAYS))
    queued = 0
    for group in mail_db.questions_due(db, before):
        findings = mail_db.question_findings(db, group["walker_id"], group["walk_id"], before)
        mail_db.mark_asked(db, [f["event_id"] for f in findings], now())
        reader = mail_db.walker_reader(db, group["walker_id"])
        if reader is None or not findings:
            continue
        key = f"question:{group['walk_id']}:{group['walker_id']}:{group['last']}"
        queued += _queue_walker(db, compose, key, "question", reader, {"findings": findings})
    return queued


def _queue_invitations(db, compose: Compose) -> int:
    """Each coordinator of an organisation invited to co-organise a joint walk hears of it once,
    with a link to the walk page where they answer (no mail when it answered first)."""
    rows = mail_db.invitations_unmailed(db)
    return _queue_joint(db, compose, "invited", rows, ("lead", "invited"))


def _queue_declines(db, compose: Compose, moment: datetime) -> int:
    """Each coordinator of a joint walk's lead hears once of each no to its invitation (a no
    after a new invitation again), with a link to the walk page, while the walk lies ahead."""
    rows = mail_db.declines_unmailed(db, clock.stamp(moment))
    return _queue_joint(db, compose, "declined", rows, ("declined", "declined_at"))


def _queue_joint(db, compose: Compose, kind: str, rows: list[dict], names: tuple) -> int:
    """A joint walk's mail of `kind` to each person of `rows` (with its dedupe_key): the walk
    and the row's `names` are the mail's context."""
    queued = 0
    for row in rows:
        person = {k: row[k] for k in ("id", "username", "email", "language")}
        context = {"walk": walks_db.get_walk(db, row["walk_id"]), **{k: row[k] for k in names}}
        queued += _queue(db, compose, row["dedupe_key"], kind, person, context)
    return queued


def _queue_walker(db, compose: Compose, key: str, kind: str, reader: dict, context: dict) -> int:
    written = compose(kind, {**reader, "walker": True}, context)
    mail = {
        "dedupe_key": key,
        "kind": kind,
        "walker_id": reader["id"],
        "recipient": reader["email"],
    }
    return int(mail_db.queue(db, {**mail, **written}))


def _digest_week(moment: datetime) -> str | None:
    """The ISO week ("2026-W49") whose digests are due at `moment`: its own from Monday 07:00 in
    Stockholm on, whichever day the worker first runs (a worker down all Monday makes them on
    Tuesday); None before that on a Monday."""
    local = clock.local(moment)
    if (local.weekday(), local.hour) < (DIGEST_WEEKDAY, DIGEST_HOUR):
        return None
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def _queue_digests(db, compose: Compose, moment: datetime) -> int:
    local = clock.local(moment)
    year, week, _day = local.isocalendar()
    today = local.date()
    until = (today + timedelta(days=DUE_AHEAD_DAYS)).isoformat()
    queued = 0
    for partner in mail_db.partners_with_people(db):
        due = mail_db.due_for_partner(db, partner["id"], until)
        if not due:
            continue
        walks: dict[str, bool] = {}
        for person in mail_db.recipients(db, "digest", partner["id"]):
            theirs = [m for m in due if _reads(db, person, walks, m["walk_id"])]
            if not theirs:
                continue
            overdue = [m for m in theirs if m["deadline"] < today.isoformat()]
            context = {"partner": partner, "due": theirs, "overdue": overdue, "week": week}
            key = f"digest:{year}-W{week:02d}:{person['id']}"
            queued += _queue(db, compose, key, "digest", person, context)
    for person in mail_db.recipients(db, "overdue"):
        # Each coordinator hears of their own organisation's measures only.
        scope = organisations.scope_of(db, person)
        late = mail_db.overdue_by_partner(db, today.isoformat(), scope)
        if late:
            key = f"overdue:{year}-W{week:02d}:{person['id']}"
            queued += _queue(db, compose, key, "overdue", person, {"partners": late, "week": week})
    return queued


def _reads(db, person: dict, seen: dict, walk_id: str) -> bool:
    """Whether a partner's person hears of a walk's measures: as their desk shows them
    (organisations.desk_scope: an invited person, the inviting organisation's walks, joint ones
    included). `seen` keeps the answers of one round by (person's organisation, walk)."""
    scope = organisations.desk_scope(person)
    if scope is None:
        return True
    key = (person["organisation_id"], walk_id)
    if key not in seen:
        seen[key] = organisations.sees(scope, organisations_db.owners(db, "walk_id", walk_id) or [])
    return seen[key]


def _queue(db, compose: Compose, key: str, kind: str, person: dict, context: dict) -> int:
    written = compose(kind, person, context)
    mail = {"dedupe_key": key, "kind": kind, "user_id": person["id"], "recipient": person["email"]}
    return int(mail_db.queue(db, {**mail, **written}))


# --- sending ----------------------------------------------------------------------------------


def send_due(db: sqlite_utils.Database, server: Server | None = None, limit: int = 50) -> dict:
    """Send the mails that are due, one connection for all; each marked sent right after the
    server took it, or given its next try. {"sent": n, "failed": n}."""
    current = settings.current()
    if server is None:
        if not current.smtp_url:
            raise MailNotConfigured("WALKAPP_SMTP_URL is not set: no mail is sent")
        server = Server.from_url(current.smtp_url)
    due = mail_db.due(db, now(), limit)
    result = {"sent": 0, "failed": 0}
    if not due:
        return result
    try:
        client = server.connect(current.smtp_ca_file)
    except (OSError, smtplib.SMTPException) as error:
        for mail in due:
            _failed(db, mail, f"connect: {error}")
        result["failed"] = len(due)
        return result
    try:
        for mail in due:
            try:
                client.send_message(message(mail, current.mail_from))
            except Exception as error:  # noqa: BLE001 — one bad mail never stops the others
                _failed(db, mail, str(error))
                result["failed"] += 1
                if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
                    break  # the connection is gone: the rest wait for the next round
                continue
            with transaction(db):
                mail_db.mark_sent(db, mail["id"], now())
            result["sent"] += 1
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return result


def _failed(db, mail: dict, error: str) -> None:
    attempt = mail["attempts"]
    wait = RETRY_MINUTES[min(attempt, len(RETRY_MINUTES) - 1)]
    later = clock.now_utc() + timedelta(minutes=wait)
    if attempt + 1 >= GIVE_UP_ATTEMPTS:
        later = datetime.max.replace(tzinfo=later.tzinfo) - timedelta(days=1)
    with transaction(db):
        mail_db.mark_failed(db, mail["id"], error, clock.stamp(later))


def message(mail: dict, sender: str) -> EmailMessage:
    """The mail as sent: plain text with an HTML alternative, a Message-ID fixed by its row (a
    retry carries the same one) and the one-click unsubscribe headers (RFC 8058)."""
    msg = EmailMessage()
    msg["Subject"] = one_line(mail["subject"])
    msg["From"] = sender
    msg["To"] = formataddr(("", mail["recipient"]))
    domain = (sender.rsplit("@", 1)[-1].strip(" >") or "walkapp.invalid").lower()
    msg["Message-ID"] = f"<walkapp-mail-{mail['id']}@{domain}>"
    if mail["unsubscribe_url"]:
        msg["List-Unsubscribe"] = f"<{mail['unsubscribe_url']}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(mail["body_text"])
    msg.add_alternative(mail["body_html"], subtype="html")
    return msg


# --- unsubscribing ----------------------------------------------------------------------------


def unsubscribe(db: sqlite_utils.Database, user_id: int, kind: str) -> None:
    with transaction(db):
        mail_db.unsubscribe(db, user_id, kind)


def unsubscribe_walker(db: sqlite_utils.Database, walker_id: str) -> None:
    """A walker's one click: their address is forgotten with the mails still waiting for them
    (a walker wants no kind kept apart; what we need not keep, we do not keep)."""
    with transaction(db):
        walks_db.forget_walker_email(db, walker_id)
        mail_db.drop_walker_mail(db, walker_id)


# --- the walker's answer ----------------------------------------------------------------------


def asked(db: sqlite_utils.Database, event_id: int) -> dict | None:
    """The finding a question asked about (its answer, if given), or None."""
    return mail_db.walker_event(db, event_id)


def answer(db: sqlite_utils.Database, event_id: int, given: str) -> tuple[dict | None, bool]:
    """The walker's answer to "Är det åtgärdat?", once: "no" opens the measure again (back to
    its partner, or to triage without one), "yes" is noted; both go into its history. Later
    clicks change nothing. (the finding as asked, whether this click was the answer)."""
    if given not in ANSWERS:
        raise ValueError(given)
    with transaction(db):
        finding = mail_db.walker_event(db, event_id)
        if finding is None or not mail_db.record_answer(db, event_id, given, now()):
            return finding, False
        # The measure fixed: the walker's own finding's, or the one theirs was merged into.
        measures.answer_within(db, finding["measure_id"], given == "yes")
    return {**finding, "answer": given}, True


def status(db: sqlite_utils.Database) -> dict:
    return {"configured": configured(), **mail_db.counts(db)}
