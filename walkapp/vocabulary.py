"""The product's words with their Swedish labels (PRODUCT.md): categories, ratings, statuses.

Labels are Swedish source strings marked for translation; call `label(...)` at render time.
No Flask here beyond lazy translation markers.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# key -> (Swedish label, short English description for docs)
CATEGORIES: dict[str, object] = {
    "lighting": _l("Belysning"),
    "vegetation": _l("Vegetation / buskage"),
    "sightlines": _l("Skymd sikt / gömställen"),
    "litter": _l("Nedskräpning"),
    "graffiti": _l("Klotter"),
    "vandalism": _l("Skadegörelse"),
    "path": _l("Gångväg / framkomlighet"),
    "underpass": _l("Gångtunnel"),
    "traffic": _l("Trafik / övergångsställe"),
    "wayfinding": _l("Orienterbarhet / skyltning"),
    "people": _l("Folkliv / öde plats"),
    "gathering": _l("Samlingsplats / narkotika"),
    "incident": _l("Händelse"),
    "feeling": _l("Upplevd trygghet"),
    "other": _l("Övrigt"),
}

# The Swedish labels as plain strings, for exports that must not depend on the UI language.
CATEGORY_LABELS_SV: dict[str, str] = {
    "lighting": "Belysning",
    "vegetation": "Vegetation / buskage",
    "sightlines": "Skymd sikt / gömställen",
    "litter": "Nedskräpning",
    "graffiti": "Klotter",
    "vandalism": "Skadegörelse",
    "path": "Gångväg / framkomlighet",
    "underpass": "Gångtunnel",
    "traffic": "Trafik / övergångsställe",
    "wayfinding": "Orienterbarhet / skyltning",
    "people": "Folkliv / öde plats",
    "gathering": "Samlingsplats / narkotika",
    "incident": "Händelse",
    "feeling": "Upplevd trygghet",
    "other": "Övrigt",
}

RATINGS: dict[str, object] = {
    "red": _l("Åtgärda"),
    "yellow": _l("Bevaka"),
    "green": _l("Bra"),
}
RATING_LABELS_SV = {"red": "Åtgärda", "yellow": "Bevaka", "green": "Bra"}
# The one home of the rating colours (pages get them as CSS properties: walkapp.colours). The
# yellow keeps 3:1 against both the light and the dark background.
RATING_COLOURS = {"red": "#c1121f", "yellow": "#b58105", "green": "#2d6a4f"}

MEASURE_STATUSES: dict[str, object] = {
    "new": _l("Ny"),
    "assigned": _l("Tilldelad"),
    "planned": _l("Planerad"),
    "done": _l("Åtgärdad"),
    "verified": _l("Verifierad"),
    "not_possible": _l("Går inte att åtgärda"),
    "duplicate": _l("Dubblett"),
    "keep": _l("Bra – behålls"),
}
STATUS_LABELS_SV = {
    "new": "Ny",
    "assigned": "Tilldelad",
    "planned": "Planerad",
    "done": "Åtgärdad",
    "verified": "Verifierad",
    "not_possible": "Går inte att åtgärda",
    "duplicate": "Dubblett",
    "keep": "Bra – behålls",
}
# A measure's standing: the one rule of "is this finding open, fixed or good" that every page,
# export and count uses (the SQL builds its `in (...)` lists from these sets; `standing` below).
# Open = still to be dealt with; fixed = done or verified; closed = fixed, impossible or a
# duplicate. Good = kept as it is ("keep"): a green finding starts so, neither open nor fixed nor
# closed, never counted as work to do, shown as "Det här fungerar" (GOOD_LABEL). Only the status
# decides: once a coordinator makes a good finding work to do (new), it is work everywhere.
OPEN_STATUSES = ("new", "assigned", "planned")
FIXED_STATUSES = ("done", "verified")
CLOSED_STATUSES = ("done", "verified", "not_possible", "duplicate")
KEEP_STATUSES = ("keep",)
GOOD_LABEL = _l("Det här fungerar")
# What each status asks for in the triage form (labels say so beside the fields).
STATUS_REQUIRES: dict[str, tuple[str, ...]] = {
    "new": (),
    "assigned": ("partner_id",),
    "planned": ("partner_id", "deadline"),
    "done": (),
    "verified": (),
    "not_possible": ("reason",),
    "duplicate": ("duplicate_of",),
    "keep": (),
}


def standing(status: str) -> str:
    """A measure's standing: "open", "fixed", "good" or "closed" (not possible, a duplicate)."""
    if status in OPEN_STATUSES:
        return "open"
    if status in FIXED_STATUSES:
        return "fixed"
    if status in KEEP_STATUSES:
        return "good"
    return "closed"


def is_open(status: str) -> bool:
    """Work still to do."""
    return standing(status) == "open"


def is_good(status: str) -> bool:
    """A finding kept as it is ("Det här fungerar"): never counted as work to do."""
    return standing(status) == "good"


def is_fixed(status: str) -> bool:
    return standing(status) == "fixed"


# What a measure starts as (see initial_status); untouched while it still is.
INITIAL_STATUSES = ("new", "keep")


def initial_status(rating: str) -> str:
    """A new observation's measure: a green finding is kept, anything else is work to do."""
    return "keep" if rating == "green" else "new"


LIGHT_CONDITIONS: dict[str, object] = {
    "dark": _l("Mörker"),
    "dusk": _l("Skymning"),
    "daylight": _l("Dagsljus"),
}

WALK_STATES: dict[str, object] = {
    "planned": _l("Planerad"),
    "ongoing": _l("Pågår"),
    "closed": _l("Avslutad"),
}

RELATIONS: dict[str, object] = {
    "inside": _l("på platsen"),
    "near": _l("nära"),
    "none": _l("utanför prioriterade platser"),
    "outside_area": _l("utanför lokalpolisområdet"),
}

# Findings never shown to the public in any form (PRODUCT.md, "What is public").
NEVER_PUBLIC_CATEGORIES = ("incident", "gathering")

# Where an observation's position came from (PRODUCT.md): never invented.
POSITION_SOURCES: dict[str, object] = {
    "gps": _l("GPS"),
    "pin": _l("nål satt för hand"),
}
POSITION_SOURCE_LABELS_SV = {"gps": "GPS", "pin": "nål satt för hand"}

# Safetipin's nine parameters of a safety audit, in their order (labels and level texts: audits.py).
AUDIT_PARAMETERS = (
    "lighting",
    "openness",
    "visibility",
    "people",
    "security",
    "walk_path",
    "public_transport",
    "gender_usage",
    "feeling",
)
