"""The public page's data model, and plain-language words for it and the walkers' follow-up.

`overview` is everything "Följ med i hur det går" shows for a year, as plain data (the page and
its JSON); `findings_by_place` turns the public counts into "Ni sa, vi gjorde" per place.

Dates are shown in Stockholm time, in the reader's language ("12 mars", "tisdag 3 december
kl. 18:00"); a measure's state becomes a sentence ("Åtgärdat 12 mars av Trafikkontoret").
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import clock
from .languages import DEFAULT as SOURCE_LANGUAGE
from .promises import with_pace
from .vocabulary import FIXED_STATUSES, is_fixed, is_good


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


def month(value: str | date) -> str:
    """'november 2026': when a planned measure is to be done, as the public reads it."""
    moment = value if isinstance(value, date) else date.fromisoformat(value[:10])
    return format_date(moment, "LLLL y", locale=_locale())


def day_and_time(value: str) -> str:
    """'tisdag 3 december 2024 kl. 18:00'."""
    moment = local_datetime(value)
    return _(
        "%(day)s kl. %(time)s",
        day=format_date(moment.date(), "EEEE d MMMM y", locale=_locale()),
        time=format_time(moment.time(), "HH:mm", locale=_locale()),
    )


def last_change(observation: dict) -> str:
    """When a measure last changed: its own stamp or its newest history entry."""
    return max(
        stamp for stamp in (observation.get("updated_at"), observation.get("history_at")) if stamp
    )


def status_sentence(observation: dict) -> str:
    """A measure's state in one plain sentence, with partner and the date of the last change:
    planned with the month it is to be done, "not possible" with the reason given (issue 25: the
    public hears why), passed on to the partner it belongs to."""
    status, partner = observation["status"], observation.get("partner")
    when = day(last_change(observation))
    if is_good(status):
        return _("Ett bra exempel – här behöver inget göras.")
    if status == "new":
        return _("Inte behandlad ännu. Samordnaren går igenom alla iakttagelser efter vandringen.")
    deadline = observation.get("deadline")
    key = "planned_by" if status == "planned" and deadline else status
    if key not in _SENTENCES:
        return _("Samma sak som en annan iakttagelse, som följs upp där.")
    # One sentence per status, told with the partner where one is known.
    reason = (observation.get("reason") or "").strip()
    if key == "not_possible" and reason:
        return _("Går inte att åtgärda: %(reason)s (beslut %(date)s)", reason=reason, date=when)
    without, with_partner = _SENTENCES[key]
    text = with_partner if partner else without
    return text % {"partner": partner, "date": when, "month": month(deadline) if deadline else ""}


# status -> (its sentence without a partner, with one); "planned_by" is planned with a deadline.
_SENTENCES = {
    "assigned": (
        _l("Lämnad till en ansvarig aktör %(date)s."),
        _l("Lämnad vidare till %(partner)s %(date)s."),
    ),
    "planned_by": (
        _l("Planerad, klar i %(month)s."),
        _l("Planerad av %(partner)s, klar i %(month)s."),
    ),
    "planned": (_l("Planerad %(date)s."), _l("Planerad av %(partner)s %(date)s.")),
    "done": (_l("Åtgärdat %(date)s."), _l("Åtgärdat %(date)s av %(partner)s.")),
    "verified": (
        _l("Åtgärdat och kontrollerat på plats %(date)s."),
        _l("Åtgärdat av %(partner)s och kontrollerat på plats %(date)s."),
    ),
    "not_possible": (_l("Går inte att åtgärda (beslut %(date)s)."),) * 2,
}


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


def observations_by_place(counts: list[dict]) -> list[dict]:
    """'Ni sa, vi gjorde': per place, per category, how many observations and their statuses, from
    walkapp.db.public.finding_counts.

    Returns [{place_id, place, total, fixed, good, categories: [{category, total, good, statuses:
    {status: n}}]}], places with the most observations first; place None = outside every place.
    Good observations are counted apart and never as work (the one rule, vocabulary.standing).
    """
    places: dict = {}
    for row in counts:
        place = places.setdefault(
            row["place_id"],
            {
                "place_id": row["place_id"],
                "place": row["place"],
                "total": 0,
                "fixed": 0,
                "good": 0,
                "categories": {},
            },
        )
        category = place["categories"].setdefault(
            row["category"], {"category": row["category"], "total": 0, "good": 0, "statuses": {}}
        )
        place["total"] += row["n"]
        category["total"] += row["n"]
        if is_good(row["status"]):
            category["good"] += row["n"]
            place["good"] += row["n"]
            continue
        category["statuses"][row["status"]] = category["statuses"].get(row["status"], 0) + row["n"]
        if is_fixed(row["status"]):
            place["fixed"] += row["n"]
    for place in places.values():
        place["categories"] = sorted(
            place["categories"].values(), key=lambda c: (-c["total"], c["category"])
        )
    return sorted(
        places.values(), key=lambda p: (p["place"] is None, -p["total"], p["place"] or "")
    )


# A place's measures in words on the public page: the newest changes, and how many more.
MEASURES_PER_PLACE = 20


def with_measures(places: list[dict], measures: list[dict]) -> None:
    """Give each place its worked measures in words (newest change first, at most
    MEASURES_PER_PLACE, then `more_measures`): category, status, the sentence status_sentence
    tells, and the after photos published."""
    by_place: dict = {}
    for measure in measures:
        by_place.setdefault(measure["place_id"], []).append(measure)
    for place in places:
        found = by_place.get(place["place_id"], [])
        place["measures"] = [
            {
                "category": measure["category"],
                "status": measure["status"],
                "words": status_sentence(measure),
                "after_photo_ids": measure["after_photo_ids"],
            }
            for measure in found[:MEASURES_PER_PLACE]
        ]
        place["more_measures"] = max(0, len(found) - MEASURES_PER_PLACE)


def in_language(item: dict, own: dict | None, language: str) -> dict:
    """A commitment's heading and text for a reader of `language`: each in that language where
    the promise gives it (`own`, from commitment_texts), else the Swedish, marked "sv"."""
    own = own or {}
    words = {}
    for field in ("heading", "text"):
        given = (own.get(field) or "").strip()
        words[field] = given or item[field]
        words[f"{field}_lang"] = language if given else SOURCE_LANGUAGE
    return words


def _commitment(item: dict, activities: list[dict], own: dict | None, language: str) -> dict:
    return {
        "id": item["id"],
        **in_language(item, own, language),
        "counting": item["counting"],
        "target": item["target"],
        "done": item["done"],
        "percent": item["percent"],
        "pace": item["pace"].state,
        "expected": item["pace"].expected_by_now,
        "activities": [
            {
                "date": activity["happened_on"],
                "description": activity["description"],
                "description_lang": SOURCE_LANGUAGE,  # activities are logged in Swedish only
                "place": activity["place_name"],
            }
            for activity in activities
            if activity["commitment_id"] == item["id"]
        ],
    }


def overview(
    year: int,
    today: date,
    promise: dict | None,
    progress: list[dict],
    activities: list[dict],
    planned: int,
    walks: list[dict],
    counts: list[dict],
    next_walk: dict | None,
    texts: dict[int, dict] | None = None,
    language: str = SOURCE_LANGUAGE,
    days_to_fixed: tuple[int, int] | None = None,
    measures: list[dict] | None = None,
    walks_by_others: list[dict] | None = None,
) -> dict:
    """Everything the public page shows for `year`, as plain data (also served as JSON), from
    what walkapp.db.promises and walkapp.db.public hand over; the commitments in `language`
    where `texts` (by commitment id) give it, else in Swedish; each place's worked `measures`
    (db.public.worked_measures) in words."""
    places = observations_by_place(counts)
    with_measures(places, measures or [])
    return {
        "year": year,
        "promise": {"title": promise["title"], "area": promise["area"]} if promise else None,
        "commitments": [
            _commitment(item, activities, (texts or {}).get(item["id"]), language)
            for item in with_pace(progress, year, today, planned)
        ],
        "walks": walks,
        # Walks other organisers held inside the areas this one covers (not in its totals).
        "walks_by_others": walks_by_others or [],
        "places": places,
        "totals": {
            "walks": len(walks),
            "findings": sum(walk["findings"] for walk in walks),
            "fixed": sum(walk["fixed"] for walk in walks),
            # Things to fix: every observation but the good ones ("Det här fungerar").
            "to_fix": sum(place["total"] - place["good"] for place in places),
            "good": sum(place["good"] for place in places),
        },
        "next_walk": next_walk,
        # From walk to fixed, the median in days over the year's fixed findings (and how many).
        "days_to_fixed": {"median": days_to_fixed[0], "fixed": days_to_fixed[1]}
        if days_to_fixed
        else None,
    }
