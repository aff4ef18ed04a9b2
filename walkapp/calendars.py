"""Calendars: the walks as an iCalendar feed (RFC 5545) for residents' and partners' calendars.

The public feeds hold the public walks (the instance's, and each organisation's); an
organisation's partners' feed every walk of that organisation, with its pre-meeting and
follow-up meeting as events of their own (the meetings partners sit in), behind a key of its own. A calendar is shared
and copied, so it never holds a walk's join code or anything walkers recorded. A walk is shown
as two hours long: walks have a start, not an end. No Flask here; the view adds the links.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

import sqlite_utils
from flask_babel import gettext as _

from . import clock
from .db import audit_log, transaction
from .db import secrets as secrets_db

WALK_HOURS = 2
MEETING_HOURS = 1
# How far back a feed reaches: a calendar keeps the walks it has seen.
FEED_DAYS_BACK = 365
PRODUCT_ID = "-//walkapp//trygghetsvandringar//SV"


def since(today_utc: datetime) -> str:
    return clock.stamp(today_utc - timedelta(days=FEED_DAYS_BACK))


def feed(walks: list[dict], name: str, host: str, link, meetings: bool) -> bytes:
    """The walks as one VCALENDAR. host: the stable part of each event's UID (a calendar
    updates an event it has seen by its UID); link(walk) -> the URL an event points to, or None;
    meetings: the pre-meetings and follow-up meetings as events of their own."""
    from icalendar import Calendar  # at the first feed, not at every worker's start

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    stamp = clock.now_utc().replace(microsecond=0)
    for walk in walks:
        url = link(walk)
        calendar.add_component(
            _event(f"walk-{walk['id']}@{host}", walk["title"], walk["starts_at"], WALK_HOURS,
                   walk["meeting_point"], _description(walk, meetings), url, stamp)  # fmt: skip
        )
        if not meetings:
            continue
        for key, words in (
            ("pre_meeting_at", _("Förmöte: %(walk)s")),
            ("follow_up_at", _("Uppföljningsmöte: %(walk)s")),
        ):
            if walk.get(key):
                title = words % {"walk": walk["title"]}
                calendar.add_component(
                    _event(f"{key}-{walk['id']}@{host}", title, walk[key], MEETING_HOURS, "",
                           "", url, stamp)  # fmt: skip
                )
    return calendar.to_ical()


def _event(uid, title, starts, hours, location, description, url, stamp):
    from icalendar import Event

    start = clock.parse_stored(starts)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=hours))
    event.add("summary", title)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _description(walk: dict, for_partners: bool) -> str:
    """What the public page shows of a walk (the meeting point); the partners' feed also names
    the leader and carries the route notes, which are internal."""
    parts = [_("Trygghetsvandring.")]
    if walk.get("meeting_point"):
        parts.append(_("Samling: %(place)s.", place=walk["meeting_point"]))
    if for_partners and walk.get("leader"):
        parts.append(_("Leds av %(leader)s.", leader=walk["leader"]))
    if for_partners and walk.get("route_notes"):
        parts.append(walk["route_notes"])
    return "\n".join(parts)


# --- the partners' feeds' keys: one per organisation ------------------------------------------

KEY_NAME = "calendar_partners_key"


def _key_name(organisation_id: int) -> str:
    return f"{KEY_NAME}:{organisation_id}"


def partners_key(db: sqlite_utils.Database, organisation_id: int) -> str | None:
    """The key in an organisation's partners' feed's address (None until a coordinator makes
    one), kept in the database: a backup and the replica carry it."""
    return secrets_db.get_secret(db, _key_name(organisation_id))


def organisation_of_key(
    db: sqlite_utils.Database, organisation_ids: list[int], offered: str | None
) -> int | None:
    """The organisation whose partners' key was offered, or None (compared in constant time)."""
    if not offered:
        return None
    for organisation_id in organisation_ids:
        kept = partners_key(db, organisation_id)
        if kept and hmac.compare_digest(kept, offered):
            return organisation_id
    return None


def renew_partners_key(db: sqlite_utils.Database, organisation_id: int, user_id: int | None) -> str:
    """A (new) key for an organisation's partners' feed: every address handed out so far stops
    working (audited)."""
    key = secrets.token_urlsafe(24)
    with transaction(db):
        secrets_db.replace_secret(db, _key_name(organisation_id), key)
        audit_log.record(db, user_id, "renew", "calendar_key", organisation_id, {})
    return key
