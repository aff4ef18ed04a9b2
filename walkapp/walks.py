"""Walk rules that are not queries: when a planned walk has begun (PRODUCT.md: planned →
ongoing → closed). No Flask, no SQL."""

from __future__ import annotations

from datetime import UTC, datetime

from .clock import STOCKHOLM


def starts(walk: dict) -> datetime:
    """The walk's start as an instant; a start without an offset is Stockholm time."""
    moment = datetime.fromisoformat(walk["starts_at"])
    return moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)


def has_begun(walk: dict, now: datetime | None = None) -> bool:
    """A planned walk whose start time has come is under way (its first observation also
    starts it, see walkapp.observations.record)."""
    return walk["state"] == "planned" and starts(walk) <= (now or datetime.now(UTC))
