"""Plain-language words for the public page and the walkers' follow-up: dates and statuses.

Dates are shown in Stockholm time, in the reader's language ("12 mars", "tisdag 3 december
kl. 18:00"); a measure's state becomes a sentence ("Åtgärdat 12 mars av Trafikkontoret").
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from . import clock
from .vocabulary import FIXED_STATUSES, is_good


def local_datetime(value: str) -> datetime:
    """A stored instant as Stockholm time (the rule lives in walkapp.clock)."""
    return clock.local(value)


def today() -> date:
    return clock.today()


def _locale() -> str:
    return str(get_locale() or "sv")


def day(value: str | date, with_year: bool | None = None) -> str:
    """'12 mars' this year, '12 mars 2022' another year (or when asked)."""
    moment = value if isinstance(value, date) else local_datetime(value).date()
    if with_year is None:
        with_year = moment.year != today().year
    return format_date(moment, "d MMMM y" if with_year else "d MMMM", locale=_locale())


def day_and_time(value: str) -> str:
    """'tisdag 3 december 2024 kl. 18:00'."""
    moment = local_datetime(value)
    return _(
        "%(day)s kl. %(time)s",
        day=format_date(moment.date(), "EEEE d MMMM y", locale=_locale()),
        time=format_time(moment.time(), "HH:mm", locale=_locale()),
    )


def last_change(finding: dict) -> str:
    """When a measure last changed: its own stamp or its newest history entry."""
    return max(stamp for stamp in (finding.get("updated_at"), finding.get("history_at")) if stamp)


def status_sentence(finding: dict) -> str:
    """A measure's state in one plain sentence, with partner and the date of the last change."""
    status, partner = finding["status"], finding.get("partner")
    when = day(last_change(finding))
    if is_good(status):
        return _("Ett bra exempel – här behöver inget göras.")
    if status == "new":
        return _("Inte behandlad ännu. Samordnaren går igenom alla iakttagelser efter vandringen.")
    if status == "assigned":
        if partner:
            return _("Lämnad till %(partner)s %(date)s.", partner=partner, date=when)
        return _("Lämnad till en ansvarig aktör %(date)s.", date=when)
    if status == "planned":
        if finding.get("deadline"):
            deadline = day(finding["deadline"])
            if partner:
                return _(
                    "Planerad av %(partner)s, klar senast %(deadline)s.",
                    partner=partner,
                    deadline=deadline,
                )
            return _("Planerad, klar senast %(deadline)s.", deadline=deadline)
        if partner:
            return _("Planerad av %(partner)s %(date)s.", partner=partner, date=when)
        return _("Planerad %(date)s.", date=when)
    if status == "done":
        if partner:
            return _("Åtgärdat %(date)s av %(partner)s.", date=when, partner=partner)
        return _("Åtgärdat %(date)s.", date=when)
    if status == "verified":
        if partner:
            return _(
                "Åtgärdat av %(partner)s och kontrollerat på plats %(date)s.",
                partner=partner,
                date=when,
            )
        return _("Åtgärdat och kontrollerat på plats %(date)s.", date=when)
    if status == "not_possible":
        return _("Går inte att åtgärda (beslut %(date)s).", date=when)
    return _("Samma sak som en annan iakttagelse, som följs upp där.")


def status_counts(statuses: dict[str, int]) -> str:
    """'2 åtgärdade, 1 planerad, 1 inte påbörjad' — for the public, counts only."""
    fixed = sum(statuses.get(status, 0) for status in FIXED_STATUSES)
    parts = []
    if fixed:
        parts.append(ngettext("%(num)d åtgärdad", "%(num)d åtgärdade", fixed))
    if statuses.get("planned"):
        parts.append(ngettext("%(num)d planerad", "%(num)d planerade", statuses["planned"]))
    if statuses.get("assigned"):
        parts.append(
            ngettext(
                "%(num)d lämnad till ansvarig",
                "%(num)d lämnade till ansvarig",
                statuses["assigned"],
            )
        )
    if statuses.get("new"):
        parts.append(
            ngettext("%(num)d inte påbörjad ännu", "%(num)d inte påbörjade ännu", statuses["new"])
        )
    if statuses.get("not_possible"):
        parts.append(
            ngettext(
                "%(num)d går inte att åtgärda",
                "%(num)d går inte att åtgärda",
                statuses["not_possible"],
            )
        )
    return ", ".join(parts)
