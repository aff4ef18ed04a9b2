"""The product's words with their Swedish labels (PRODUCT.md): categories, ratings, statuses.

Each label is typed once, as a Swedish source string; the translated dicts (CATEGORIES, RATINGS,
MEASURE_STATUSES, WALK_STATES, …) give the reader's language at render time.
No Flask here beyond lazy translation markers.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


def N_(message: str) -> str:
    """Marks a Swedish source string for extraction (pybabel knows N_ by default); each label is
    typed once, as plain Swedish, and translated where it is shown (`translated` below)."""
    return message


def translated(labels: dict[str, str]) -> dict[str, object]:
    """The same labels, translated lazily into the reader's language at render time."""
    return {key: _l(label) for key, label in labels.items()}


# Each word's Swedish labels as plain strings (exports that must not depend on the UI language
# use these), and the same translated for the screens.
CATEGORY_LABELS_SV: dict[str, str] = {
    "lighting": N_("Belysning"),
    "vegetation": N_("Vegetation / buskage"),
    "sightlines": N_("Skymd sikt / gömställen"),
    "litter": N_("Nedskräpning"),
    "graffiti": N_("Klotter"),
    "vandalism": N_("Skadegörelse"),
    "path": N_("Gångväg / framkomlighet"),
    "underpass": N_("Gångtunnel"),
    "traffic": N_("Trafik / övergångsställe"),
    "wayfinding": N_("Orienterbarhet / skyltning"),
    "people": N_("Folkliv / öde plats"),
    "gathering": N_("Samlingsplats / narkotika"),
    "incident": N_("Händelse"),
    "feeling": N_("Upplevd trygghet"),
    "other": N_("Övrigt"),
}
CATEGORIES = translated(CATEGORY_LABELS_SV)

RATING_LABELS_SV = {"red": N_("Åtgärda"), "yellow": N_("Bevaka"), "green": N_("Bra")}
RATINGS = translated(RATING_LABELS_SV)
# The one home of the rating colours (pages get them as CSS properties: walkapp.colours). The
# yellow keeps 3:1 against both the light and the dark background.
RATING_COLOURS = {"red": "#c1121f", "yellow": "#b58105", "green": "#2d6a4f"}

STATUS_LABELS_SV = {
    "new": N_("Ny"),
    "assigned": N_("Tilldelad"),
    "planned": N_("Planerad"),
    "done": N_("Åtgärdad"),
    "verified": N_("Verifierad"),
    "not_possible": N_("Går inte att åtgärda"),
    "duplicate": N_("Dubblett"),
    "keep": N_("Bra – behålls"),
}
MEASURE_STATUSES = translated(STATUS_LABELS_SV)
# A measure's standing: the one rule of "is this observation open, fixed or good" that every page,
# export and count uses (the SQL builds its `in (...)` lists from these sets; `standing` below).
# Open = still to be dealt with; fixed = done or verified; closed = fixed, impossible or a
# duplicate. Good = kept as it is ("keep"): a green observation starts so, neither open nor fixed nor
# closed, never counted as work to do, shown as "Det här fungerar" (GOOD_LABEL). Only the status
# decides: once a coordinator makes a good observation work to do (new), it is work everywhere.
OPEN_STATUSES = ("new", "assigned", "planned")
FIXED_STATUSES = ("done", "verified")
CLOSED_STATUSES = ("done", "verified", "not_possible", "duplicate")
KEEP_STATUSES = ("keep",)
# What a re-walk carries to its walkers' phones to check: the open measures and the done ones
# (walkapp/rewalks.py; a verified measure was checked already).
REWALK_STATUSES = (*OPEN_STATUSES, "done")
GOOD_LABEL = _l("Det här fungerar")
# The fields each status carries: the triage form and the meeting's quick change show these, and
# walkapp.measures.triage_changes keeps only these of what is sent (a hidden field's value is
# never stored) and empties the rest.
STATUS_FIELDS: dict[str, tuple[str, ...]] = {
    "new": (),
    "assigned": ("partner_id", "deadline"),
    "planned": ("partner_id", "deadline"),
    "done": ("partner_id", "deadline"),
    "verified": ("partner_id", "deadline"),
    "not_possible": ("partner_id", "reason"),
    "duplicate": ("duplicate_of",),
    "keep": (),
}
# Of those, what each status requires (labels say so beside the fields).
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
    """A observation kept as it is ("Det här fungerar"): never counted as work to do."""
    return standing(status) == "good"


def is_fixed(status: str) -> bool:
    return standing(status) == "fixed"


# What a measure starts as (see initial_status); untouched while it still is.
INITIAL_STATUSES = ("new", "keep")


def initial_status(rating: str) -> str:
    """A new observation's measure: a green observation is kept, anything else is work to do."""
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

# What kind of body a partner is (the admin's partner list).
PARTNER_KIND_LABELS_SV = {
    "city": N_("Stad / kommun"),
    "traffic": N_("Trafik"),
    "police": N_("Polis"),
    "transit": N_("Kollektivtrafik"),
    "property": N_("Fastighetsägare"),
    "other": N_("Annan"),
}
PARTNER_KINDS = translated(PARTNER_KIND_LABELS_SV)

RELATIONS: dict[str, object] = {
    "inside": _l("på platsen"),
    "near": _l("nära"),
    "none": _l("utanför prioriterade platser"),
    "outside_area": _l("utanför lokalpolisområdet"),
}

# Observations never shown to the public in any form (PRODUCT.md, "What is public").
NEVER_PUBLIC_CATEGORIES = ("incident", "gathering")

# Where an observation's position came from (PRODUCT.md): never invented.
POSITION_SOURCE_LABELS_SV = {"gps": N_("GPS"), "pin": N_("nål satt för hand")}
POSITION_SOURCES = translated(POSITION_SOURCE_LABELS_SV)

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
