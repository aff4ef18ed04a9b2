"""Walk rules that are not queries: when a planned walk has begun (PRODUCT.md: planned →
ongoing → closed) and the sane bounds and order of a walk's dates (pre-meeting, walk,
follow-up meeting). No Flask, no SQL; times a person typed are Stockholm wall time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l

from .clock import STOCKHOLM, planning_bounds
from .measures import walker_groups
from .vocabulary import is_good


def starts(walk: dict) -> datetime:
    """The walk's start as an instant; a start without an offset is Stockholm time."""
    moment = datetime.fromisoformat(walk["starts_at"])
    return moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)


def has_begun(walk: dict, now: datetime | None = None) -> bool:
    """A planned walk whose start time has come is under way (its first observation also
    starts it, see walkapp.observations.record)."""
    return walk["state"] == "planned" and starts(walk) <= (now or datetime.now(UTC))


def check_walk_times(
    starts_at: datetime | None,
    pre_meeting_at: datetime | None,
    follow_up_at: datetime | None,
    today: date,
) -> dict[str, object]:
    """Field -> message for dates out of sane bounds or in the wrong order."""
    first, last = planning_bounds(today)
    errors: dict[str, object] = {}
    for field, moment in (
        ("starts_at", starts_at),
        ("pre_meeting_at", pre_meeting_at),
        ("follow_up_at", follow_up_at),
    ):
        if moment is not None and not first <= moment.date() <= last:
            errors[field] = _l(
                "Välj ett datum mellan %(first)s och %(last)s.",
                first=first.isoformat(),
                last=last.isoformat(),
            )
    if starts_at is None:
        return errors
    if pre_meeting_at and "pre_meeting_at" not in errors and pre_meeting_at > starts_at:
        errors["pre_meeting_at"] = _l("Förmötet ska ligga före vandringen.")
    if follow_up_at and "follow_up_at" not in errors and follow_up_at < starts_at:
        errors["follow_up_at"] = _l("Uppföljningsmötet ska ligga efter vandringen.")
    return errors


def protocol_groups(lines: list[dict], include_good: bool = False) -> list[dict]:
    """Findings grouped by place, then by responsible partner (unassigned last). A merged
    finding counts once: its duplicates' notes and photos go with it."""
    places: dict = {}
    for group in walker_groups(lines):
        line = {
            **group["lead"],
            "merged": group["merged"],
            "walkers": group["walkers"],
        }
        if is_good(line["status"]) and not include_good:
            continue
        place = places.setdefault(line["place_name"] or "", {})
        place.setdefault(line["partner_name"] or "", []).append(line)
    return [
        {
            "place": place,
            "partners": [
                {"partner": partner, "lines": place_lines}
                for partner, place_lines in sorted(
                    by_partner.items(), key=lambda kv: (kv[0] == "", kv[0])
                )
            ],
        }
        for place, by_partner in sorted(places.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
