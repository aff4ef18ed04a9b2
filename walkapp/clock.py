"""Time as people in Stockholm read it, and as machines store it (PRODUCT.md, "Time").

Instants are stored as UTC text with an offset ("2026-03-29T01:30:00+00:00"); everything a
person reads is Europe/Stockholm time; what a person types is Stockholm time; machine formats
carry ISO 8601 with the offset. This module is the one home of those rules. No Flask, no SQL.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# What a planner may type as a walk's or meeting's date: no year 1 nor 9999.
EARLIEST_DAY = date(2000, 1, 1)
# The last day a filter may name: any later and its Stockholm midnight overflows in UTC.
LATEST_DAY = date(9998, 12, 31)
PLANNING_YEARS_AHEAD = 2
# A deadline further off than this is a typo, not a plan.
DEADLINE_YEARS_AHEAD = 5


def now_utc() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime | None = None) -> str:
    """An instant as stored in every *_at column: UTC, seconds, with its offset."""
    moment = moment or now_utc()
    if moment.tzinfo is None:
        raise ValueError("an instant needs an offset")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_stored(value: str | datetime) -> datetime:
    """Stored text as an aware instant. Text without an offset is UTC (how rows are stored)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def from_typed(value: str | datetime) -> str:
    """What a person typed (Stockholm wall time, no offset) or an instant with an offset, as
    stored text. A wall time that does not exist (the spring-forward hour) is read with the
    winter offset, as clocks on the wall would show it an hour later."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=STOCKHOLM)
    return stamp(moment)


def local(value: str | datetime) -> datetime:
    """A stored instant in Stockholm time."""
    return parse_stored(value).astimezone(STOCKHOLM)


def for_input(value: str | None) -> datetime | None:
    """A stored instant as the naive Stockholm wall time a form field shows."""
    return local(value).replace(tzinfo=None) if value else None


def local_time(value: str | None) -> str:
    """'18:30' in Stockholm."""
    return local(value).strftime("%H:%M") if value else ""


def local_moment(value: str | None) -> str:
    """'2026-03-29 18:30' in Stockholm."""
    return local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def local_day(value: str | date | None) -> str:
    """'2026-03-29': a stored instant's Stockholm day; a plain date stays as it is."""
    if not value:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and len(value) == 10:
        return value
    return local(value).date().isoformat()


def today() -> date:
    """Today in Stockholm (not in UTC: after 23:00 in winter they differ)."""
    return now_utc().astimezone(STOCKHOLM).date()


def offset_time(stored: str) -> str:
    """Stored UTC ISO text, with its offset spelled out (RFC 3339)."""
    return parse_stored(stored).isoformat(timespec="seconds")


def local_midnight_utc(day: date) -> str:
    """A day as people in Stockholm mean it, as the UTC text instants are stored in."""
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=STOCKHOLM)
    return stamp(midnight)


def planning_bounds(today_: date) -> tuple[date, date]:
    """The first and last day a walk or one of its meetings may be planned on."""
    return EARLIEST_DAY, date(today_.year + PLANNING_YEARS_AHEAD, 12, 31)


def deadline_bounds(today_: date) -> tuple[date, date]:
    return today_, today_ + timedelta(days=365 * DEADLINE_YEARS_AHEAD)


def day_start(day: date | str) -> str:
    """The stored-text instant a Stockholm day starts at; accepts a date or 'YYYY-MM-DD…'."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return local_midnight_utc(day)


def year_bounds(year: int) -> tuple[str, str]:
    """A Stockholm year as stored-text bounds: start <= instant < end."""
    return local_midnight_utc(date(year, 1, 1)), local_midnight_utc(date(year + 1, 1, 1))


def months_later(day: date, months: int) -> date:
    """The same day of the month `months` later; the month's last day where it has fewer (30
    November and three months: 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
