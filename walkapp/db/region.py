"""The region view's findings: of every organisation in a caller's scope, how many open and fixed
findings its walks of a year made (a joint walk's in each organiser's), per place kind (the
observation's relation to the places: at one, near one, elsewhere in the area, outside it). Open
and fixed are vocabulary's sets.

One grouped query over the year's walks: the walks by a range on walks_starts_at, paired with
their organisers, then each walk's observations by observations_walk (each carries its measure's
status, migration 0022; the days to fixed, a second such query, read each one's measure by key)
— never a scan of every observation, nor one query per organisation (tests/test_query_plans.py
holds it to that).
"""

from __future__ import annotations

import sqlite_utils

from .. import clock
from ..vocabulary import FIXED_STATUSES, OPEN_STATUSES
from . import quoted, rows
from .organisations import in_scope_clause, organiser_pairs

# The year's walks, each with each of its organisers (a joint walk counts in each one's row), and
# their observations' statuses.
FINDINGS_BY_PLACE_KIND = f"""
    with organised as (
      {organiser_pairs("select id from walks where starts_at >= ? and starts_at < ?")}
    )
    select g.organisation_id, o.relation as place_kind,
      coalesce(sum(o.measure_status in ({quoted(OPEN_STATUSES)})), 0) as open,
      coalesce(sum(o.measure_status in ({quoted(FIXED_STATUSES)})), 0) as fixed
    from organised g
    cross join observations o on o.walk_id = g.walk_id
    where {{scoped}}
    group by g.organisation_id, o.relation
"""


# The same walks' fixed measures, each with its days from walk to fixed (migration 0025).
DAYS_TO_FIXED = f"""
    with organised as (
      {organiser_pairs("select id from walks where starts_at >= ? and starts_at < ?")}
    )
    select g.organisation_id, m.partner_id, m.fixed_days as days
    from organised g
    cross join observations o on o.walk_id = g.walk_id
    join measures m on m.observation_id = o.id
    where m.fixed_at is not null and {{scoped}}
"""


def findings_by_place_kind(
    db: sqlite_utils.Database, year: int, organisation_ids=None
) -> dict[int, dict[str, dict]]:
    """{organisation id: {place kind: {"open": n, "fixed": n}}} over the findings of the walks
    dated (as planned, Stockholm time) in `year`, of these organisations (None: every one); an
    organisation or a place kind without findings is not there."""
    scoped, ids = in_scope_clause("g.organisation_id", organisation_ids)
    bounds = clock.year_bounds(year)
    found: dict[int, dict[str, dict]] = {}
    for row in rows(db, FINDINGS_BY_PLACE_KIND.format(scoped=scoped), [*bounds, *bounds, *ids]):
        kinds = found.setdefault(row["organisation_id"], {})
        kinds[row["place_kind"]] = {"open": row["open"], "fixed": row["fixed"]}
    return found


def days_to_fixed(db: sqlite_utils.Database, year: int, organisation_ids=None) -> dict[int, list]:
    """{organisation id: its fixed measures ({"partner_id", "days"}, as db.partners.days_to_fixed
    gives them)} of the walks of `year` it organised, of these organisations (None: every one),
    in one query, as findings_by_place_kind reads them."""
    scoped, ids = in_scope_clause("g.organisation_id", organisation_ids)
    bounds = clock.year_bounds(year)
    found: dict[int, list] = {}
    for row in rows(db, DAYS_TO_FIXED.format(scoped=scoped), [*bounds, *bounds, *ids]):
        found.setdefault(row.pop("organisation_id"), []).append(row)
    return found
