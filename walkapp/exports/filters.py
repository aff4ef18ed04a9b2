"""Filters of the exports and maps: query parameters checked into a Filters value.

Every filter may be repeated (`?place=1&place=4&category=lighting&category=litter`): repeats of
one filter widen it, different filters narrow each other. An empty value means "all", as a form's
empty choice sends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from flask_babel import lazy_gettext as _l

from ..clock import local_midnight_utc
from ..inputs import parse_id
from ..vocabulary import CATEGORIES, CLOSED_STATUSES, MEASURE_STATUSES, OPEN_STATUSES, RATINGS

# The query parameters, in the order a URL shows them.
PARAMETERS = ("from", "to", "place", "walk", "category", "rating", "status")
# The area filters: parameter -> area kind (a code or a name, any case). Not a token's limits.
AREA_PARAMETERS = {
    "region": "region",
    "lpo": "lpo",
    "lan": "lan",
    "kommun": "kommun",
    "stadsdelsomrade": "stadsdelsomrade",
    "stadsdel": "stadsdel",
    "area": "free",
}


class BadFilter(ValueError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Filters:
    start: str | None = None  # UTC instant of local midnight starting `from`, inclusive
    end: str | None = None  # UTC instant of local midnight after `to`, exclusive
    places: list[int] = field(default_factory=list)
    walks: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    # Area filters as asked (parameter -> values), then as area ids (kind -> ids).
    areas: dict[str, list[str]] = field(default_factory=dict)
    area_ids: dict[str, list[int]] = field(default_factory=dict)
    # The organisations whose walks the caller sees (walkapp.organisations), None: every one.
    organisations: frozenset[int] | None = None
    # Of those, only the walks that count as theirs to the public: a co-organiser's once it said
    # yes (organisations.organised_by's rule; anyone's read of a jurisdiction in Open311).
    own_walks_only: bool = False


def _day(raw: str, name: str, errors: dict) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _l("%(name)s ska vara ett datum som ÅÅÅÅ-MM-DD.", name=name)
        return None


def _midnight(day: date | None, name: str, errors: dict, days_after: int = 0) -> str | None:
    """Local midnight of `day` (+ days_after) as stored UTC text; the calendar's very ends
    (0001-01-01, 9999-12-31) overflow in that arithmetic and are refused, not a 500."""
    if day is None:
        return None
    try:
        return local_midnight_utc(day + timedelta(days=days_after))
    except OverflowError:
        errors[name] = _l("%(name)s ligger utanför de datum som går att söka på.", name=name)
        return None


def _values(args, name: str) -> list[str]:
    return [value.strip() for value in args.getlist(name) if value and value.strip()]


def parse_filters(args) -> Filters:
    """Query parameters (a MultiDict: getlist/get) to Filters; BadFilter names each bad one."""
    errors: dict = {}
    filters = Filters()
    if args.get("from"):
        filters.start = _midnight(_day(args.get("from"), "from", errors), "from", errors)
    if args.get("to"):
        filters.end = _midnight(_day(args.get("to"), "to", errors), "to", errors, days_after=1)
    if filters.start and filters.end and filters.start >= filters.end:
        errors["to"] = _l("to kan inte ligga före from.")
    for value in _values(args, "place"):
        place = parse_id(value)
        if place is not None:
            filters.places.append(place)
        else:
            errors["place"] = _l("place ska vara en plats id (ett heltal).")
    filters.walks = [value[:64] for value in _values(args, "walk")]
    for name, allowed, target in (
        ("category", CATEGORIES, filters.categories),
        ("rating", RATINGS, filters.ratings),
    ):
        for value in _values(args, name):
            if value not in allowed:
                errors[name] = _l(
                    "Okänt värde för %(name)s: %(value)s", name=name, value=value[:40]
                )
            else:
                target.append(value)
    for value in _values(args, "status"):
        if value == "open":
            filters.statuses.extend(OPEN_STATUSES)
        elif value == "closed":
            filters.statuses.extend(CLOSED_STATUSES)
        elif value in MEASURE_STATUSES:
            filters.statuses.append(value)
        else:
            errors["status"] = _l("Okänt värde för status: %(value)s", value=value[:40])
    for name in AREA_PARAMETERS:
        if values := _values(args, name):
            filters.areas[name] = [value[:80] for value in values]
    if errors:
        raise BadFilter(errors)
    return filters


def areas_refused(filters: Filters) -> dict:
    """The area filters asked of records that are not observations (audits, routes): a 400."""
    return {name: _l("Områdesfilter gäller bara observationer.") for name in filters.areas}


def unknown_areas(filters: Filters, found: dict[str, dict[str, int | None]]) -> dict:
    """Set the area ids of the asked area filters (`found`: parameter -> value -> id or None);
    the values that name no area, by parameter, as a 400 would say them."""
    errors: dict = {}
    for name, values in filters.areas.items():
        missing = [value for value in values if found[name].get(value) is None]
        if missing:
            errors[name] = _l(
                "Det finns inget område av slaget %(name)s med namnet eller koden %(values)s.",
                name=name,
                values=", ".join(missing)[:80],
            )
        ids = [found[name][value] for value in values if found[name].get(value) is not None]
        filters.area_ids[AREA_PARAMETERS[name]] = ids
    return errors


def unknown_ids(filters: Filters, known_places: set[int], known_walks: set[str]) -> dict:
    """Ids that name nothing: 400 naming the parameter, not an empty export that looks right."""
    errors: dict = {}
    missing_places = [str(i) for i in filters.places if i not in known_places]
    if missing_places:
        errors["place"] = _l(
            "Det finns ingen plats med id %(ids)s.", ids=", ".join(missing_places)[:80]
        )
    missing_walks = [w for w in filters.walks if w not in known_walks]
    if missing_walks:
        errors["walk"] = _l(
            "Det finns ingen vandring med id %(ids)s.", ids=", ".join(missing_walks)[:80]
        )
    return errors


class OutsideToken(BadFilter):
    """The request asks for observations its API token does not read (answered 403)."""


# Each list filter with its query parameter's name, in the order a URL shows them.
def filter_errors(args, known_ids) -> dict[str, str]:
    """Chosen filters (a MultiDict) checked as the export checks them, unknown ids included
    (`known_ids(places, walks)` gives the known ones): parameter -> message, empty when good."""
    try:
        filters = parse_filters(args)
    except BadFilter as bad:
        return {name: str(message) for name, message in bad.errors.items()}
    known = known_ids(filters.places, filters.walks)
    return {name: str(message) for name, message in unknown_ids(filters, *known).items()}


_LISTS = (
    ("places", "place"),
    ("walks", "walk"),
    ("categories", "category"),
    ("ratings", "rating"),
    ("statuses", "status"),
)


def within(asked: Filters, allowed: Filters) -> Filters:
    """The request's filters inside a token's: what is both asked and allowed. A filter the
    request leaves open takes the token's; asking for a value the token does not read is refused
    naming it (OutsideToken), never answered with a quietly smaller or empty export."""
    errors: dict = {}
    narrowed = Filters(
        start=max((t for t in (asked.start, allowed.start) if t), default=None),
        end=min((t for t in (asked.end, allowed.end) if t), default=None),
        organisations=asked.organisations,
    )
    if narrowed.start and narrowed.end and narrowed.start >= narrowed.end:
        errors["from"] = _l("Nyckeln läser inget från den perioden.")
    for attribute, name in _LISTS:
        wanted, readable = getattr(asked, attribute), getattr(allowed, attribute)
        outside = [value for value in wanted if readable and value not in readable]
        if outside:
            errors[name] = _l(
                "Nyckeln läser inte %(name)s %(values)s.",
                name=name,
                values=", ".join(str(value) for value in outside)[:80],
            )
        setattr(narrowed, attribute, list(wanted or readable))
    narrowed.areas, narrowed.area_ids = asked.areas, asked.area_ids
    if errors:
        raise OutsideToken(errors)
    return narrowed


def query_string(args) -> str:
    """The chosen filters of a form (a MultiDict) as an export URL's query, empty ones left out."""
    return urlencode(
        [(name, value) for name in PARAMETERS for value in _values(args, name)], doseq=True
    )
