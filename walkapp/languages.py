"""The languages walkapp speaks, which screens speak which, and how a request's language is chosen.

Walkers' and the public's screens speak six languages (PRODUCT.md, "Languages"); coordinators'
and admins' screens speak Swedish and English. Pure rules, no Flask: extensions.select_locale
feeds them the request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from babel import Locale

DEFAULT = "sv"

# Each language named in itself, in the order the switch lists them.
NAMES: dict[str, str] = {
    "sv": "Svenska",
    "en": "English",
    "fi": "suomi",
    "ar": "العربية",
    "fa": "فارسی",
    "so": "Soomaali",
}
RIGHT_TO_LEFT = frozenset({"ar", "fa"})
# Each language as Open Graph's og:locale names it (language_TERRITORY where one is meant).
OG_LOCALES: dict[str, str] = {
    "sv": "sv_SE",
    "en": "en_GB",
    "fi": "fi_FI",
    "ar": "ar",
    "fa": "fa_IR",
    "so": "so_SO",
}

RESIDENTS = "residents"
STAFF = "staff"
FAMILIES: dict[str, tuple[str, ...]] = {
    RESIDENTS: tuple(NAMES),
    STAFF: ("sv", "en"),
}

# Blueprints whose screens (and JSON messages) walkers and the public read: the join screens,
# the capture screen and its API, photos, the follow-up, the public page and its map, the
# installable app's manifest, the walk's poster (printed by staff, read by passers-by) and the
# language switch itself. Everything else is staff.
RESIDENT_BLUEPRINTS = frozenset(
    {
        "walkers",
        "walkers_api",
        "observations",
        "observations_api",
        "photos",
        "photos_api",
        "follow_up",
        "public",
        "offline",
        "main",
        "posters",
    }
)
# Single resident screens inside a staff blueprint (endpoint names).
# A walker's mail opens its answer and its "no more mail" in the walker's languages.
RESIDENT_ENDPOINTS = frozenset(
    {"maps.public", "mail.answer", "mail.answer_post", "mail.stop", "mail.stop_post"}
)


def family(blueprint: str | None, endpoint: str | None = None) -> str:
    if blueprint in RESIDENT_BLUEPRINTS or endpoint in RESIDENT_ENDPOINTS:
        return RESIDENTS
    return STAFF


def choose(
    allowed: Iterable[str],
    chosen: str | None,
    best_match: Callable[[list[str]], str | None] | None = None,
) -> str:
    """The language kept in the cookie when this family speaks it, else the phone's best match
    (Accept-Language; `best_match` is werkzeug's), else Swedish."""
    allowed = list(allowed)
    if chosen in allowed:
        return chosen
    if best_match is not None:
        matched = best_match(allowed)
        if matched in allowed:
            return matched
    return DEFAULT


def choices(codes: Iterable[str]) -> list[tuple[str, str, str]]:
    """A language switch's entries: (code, the language named in itself, its direction)."""
    return [(code, NAMES[code], direction(code)) for code in codes]


def direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def is_known(code: str) -> bool:
    return code in NAMES


def display_name(code: str | None, in_language: str) -> str | None:
    """A language's name as staff read it ("arabiska" in Swedish, "Arabic" in English)."""
    if not code or not is_known(code):
        return None
    return Locale.parse(code).get_display_name(in_language)


def og_locale(code: str) -> str:
    return OG_LOCALES.get(code, OG_LOCALES[DEFAULT])
