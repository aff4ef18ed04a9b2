"""The region view: organisations compared side by side (issue 24, point 5), for a region user
(the organisations its areas cover) and the instance's admin (every one). Read only.

Each row is one organisation's year, every figure counted by the rule that counts it elsewhere:
walks held against its promise's walk target and the pace, as its public page counts them
(`promises.with_pace` over `db.promises.progress`); open and fixed findings per place kind
(vocabulary's open and fixed sets, in `db.region`); the median days from walk to fixed
(`measures.medians_of` over `db.region.days_to_fixed`). A joint walk counts in each
of its organisers' rows, as on each one's public page. No Flask, no SQL.
"""

from __future__ import annotations

from datetime import date

import sqlite_utils

from . import clock
from .db import organisations as organisations_db
from .db import promises as promises_db
from .db import region as region_db
from .inputs import parse_id
from .measures import medians_of
from .promises import with_pace
from .vocabulary import RELATIONS

# Where a finding lies, as place assignment tells it (the observation's relation to the places):
# at a prioritised place, near one, elsewhere in the area, outside the area. Places themselves
# have no kind in the data: this is the one kind every finding has.
PLACE_KINDS = tuple(RELATIONS)
# What the view counts of each place kind's findings (vocabulary.standing's words).
STANDINGS = ("open", "fixed")


def years_allowed(today: date) -> tuple[int, int]:
    """The first and the last year the view shows: those a walk may be planned in."""
    first, last = clock.planning_bounds(today)
    return first.year, last.year


def year_of(raw: str | None, today: date) -> int | None:
    """The year a `?year=` asks for: this year when absent; None when it is not a year of
    `years_allowed`."""
    if raw is None:
        return today.year
    first, last = years_allowed(today)
    year = parse_id(raw)  # ASCII digits only, never 10⁵⁰⁰⁰ of them
    return year if year is not None and first <= year <= last else None


def years_offered(
    db: sqlite_utils.Database, year: int, today: date, organisation_ids
) -> list[int]:
    """The years the picker offers: those the organisations have promises for, this year and the
    one shown, newest first."""
    years = set(promises_db.promise_years(db, organisation_ids)) | {today.year, year}
    return sorted(years, reverse=True)


def walks_against_promise(
    db: sqlite_utils.Database, organisation_id: int, year: int, today: date
) -> dict:
    """Walks held in `year` against the organisation's promise, as its public page counts them:
    {"held", "target", "percent", "pace", "planned", "promise"}. Of several walk-counted
    commitments (all count the same walks) the highest target decides; target and pace are None
    without a promise or a walk target."""
    promise = promises_db.promise_for_year(db, year, [organisation_id])
    planned, walks = 0, []
    if promise is not None:
        planned = promises_db.planned_walks_left(db, year, today.isoformat(), organisation_id)
        progress = with_pace(promises_db.progress(db, promise), year, today, planned)
        walks = [item for item in progress if item["counting"] == "walks"]
    if not walks:  # no promise for the year, or one without a walk target
        held = promises_db.closed_walks_in_year(db, year, organisation_id)
        return {"held": held, "target": None, "percent": None, "pace": None, "planned": planned,
                "promise": promise["title"] if promise else None}  # fmt: skip
    item = max(walks, key=lambda commitment: commitment["target"])
    return {
        "held": item["done"],
        "target": item["target"],
        "percent": item["percent"],
        "pace": item["pace"].state,
        "planned": planned,
        "promise": promise["title"],
    }


def _place_kinds(found: dict[str, dict]) -> dict[str, dict]:
    return {kind: found.get(kind, dict.fromkeys(STANDINGS, 0)) for kind in PLACE_KINDS}


def compare(db: sqlite_utils.Database, year: int, today: date, organisation_ids) -> dict:
    """The region view of `year` over these organisations (None: every one): {"year", "rows":
    one per organisation, by name}. A joint walk counts in each of its organisers' rows, as on
    each one's public page, so the rows are not summed: a sum would count it more than once."""
    findings = region_db.findings_by_place_kind(db, year, organisation_ids)
    fixed = region_db.days_to_fixed(db, year, organisation_ids)
    rows = []
    for organisation in organisations_db.list_organisations(db, organisation_ids):
        rows.append(
            {
                "organisation": {key: organisation[key] for key in ("id", "slug", "name")},
                "walks": walks_against_promise(db, organisation["id"], year, today),
                "places": _place_kinds(findings.get(organisation["id"], {})),
                "days_to_fixed": medians_of(fixed.get(organisation["id"], []))["all"],
            }
        )
    rows.sort(key=lambda row: row["organisation"]["name"].casefold())
    return {"year": year, "rows": rows}


# The CSV's columns: keys, as the exports' (walkapp/exports/), one row per organisation.
CSV_COLUMNS = [
    "organisation",
    "slug",
    "year",
    "walks_held",
    "walk_target",
    "pace",
    *(f"{kind}_{standing}" for kind in PLACE_KINDS for standing in STANDINGS),
    "median_days_to_fixed",
    "fixed_counted",
]


def csv_rows(table: dict) -> list[list]:
    """The organisations as rows of CSV_COLUMNS (a pace as its key, promises.PACE_STATES)."""
    found = []
    for row in table["rows"]:
        walks, days = row["walks"], row["days_to_fixed"]
        counts = [row["places"][kind][standing] for kind in PLACE_KINDS for standing in STANDINGS]
        found.append(
            [
                row["organisation"]["name"],
                row["organisation"]["slug"],
                table["year"],
                walks["held"],
                walks["target"],
                walks["pace"],
                *counts,
                days[0] if days else None,
                days[1] if days else 0,
            ]
        )
    return found
