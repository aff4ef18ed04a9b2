"""The region view's findings: of every organisation in a caller's scope, how many open and fixed
findings its walks of a year made (a joint walk's in each organiser's), per place kind (the
observation's relation to the places: at one, near one, elsewhere in the area, outside it). Open
and fixed are vocabulary's sets.

One grouped query over the year's walks: the walks by a range on walks_starts_at, paired with
their organisers, then each walk's observations by observations_walk and their measures by key —
never a scan of every observation, nor one query per organisation (tests/test_query_plans.py
holds it to that).
"""

from __future__ import annotations

import sqlite_utils

from .. import clock
from ..vocabulary import FIXED_STATUSES, OPEN_STATUSES
from . import quoted, rows
from .organisations import in_scope_clause, organiser_pairs

# The year's walks, each with each of its organisers (a joint walk counts in each one's row).
FINDINGS_BY_PLACE_KIND = f"""
    with organised as (
      {organiser_pairs("select id from walks where starts_at >= ? and starts_at < ?")}
    )
    select g.organisation_id, o.relation as place_kind,
      coalesce(sum(m.status in ({quoted(OPEN_STATUSES)})), 0) as open,
      coalesce(sum(m.status in ({quoted(FIXED_STATUSES)})), 0) as fixed
    from organised g
    cross join observations o on o.walk_id = g.walk_id
    join measures m on m.observation_id = o.id
    where {{scoped}}
    group by g.organisation_id, o.relation
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
