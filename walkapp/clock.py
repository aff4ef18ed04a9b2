"""Time as people in Stockholm read it, and as machines store it (PRODUCT.md, "Time").

Instants are stored as UTC text with an offset; everything a person reads is Europe/Stockholm
time; machine formats carry ISO 8601 with the offset. No Flask, no SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def offset_time(stored: str) -> str:
    """Stored UTC ISO text, with its offset spelled out (RFC 3339)."""
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def local_midnight_utc(day: date) -> str:
    """A day as people in Stockholm mean it, as the UTC text instants are stored in."""
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=STOCKHOLM)
    return midnight.astimezone(UTC).isoformat(timespec="seconds")
