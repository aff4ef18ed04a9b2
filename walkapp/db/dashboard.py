"""The coordinator dashboard's figures: walks still planned, open and overdue measures."""

from __future__ import annotations

import sqlite_utils

from .. import clock
from ..vocabulary import OPEN_STATUSES
from . import marks, rows
from .organisations import walks_in_scope


def planned_walks(
    db: sqlite_utils.Database, year: int, from_iso: str, organisation_ids=None
) -> list[dict]:
    """Walks planned (or under way) from `from_iso` to the end of `year`, soonest first (of
    these organisations, when given: a joint walk once they said yes; the dashboard lists the
    invitations apart)."""
    scoped, ids = walks_in_scope("w.id", organisation_ids, accepted_only=True)
    return rows(
        db,
        "select w.id, w.title, w.code, w.starts_at, w.state, w.public, w.meeting_point,"
        " (select count(*) from walk_places wp where wp.walk_id = w.id) as places"
        " from walks w where w.state in ('planned', 'ongoing')"
        f" and w.starts_at >= max(?, ?) and w.starts_at < ? and {scoped} order by w.starts_at",
        [clock.year_bounds(year)[0], clock.day_start(from_iso), clock.year_bounds(year)[1], *ids],
    )


def measures_per_partner(
    db: sqlite_utils.Database, today_iso: str, organisation_ids=None
) -> list[dict]:
    """Per partner (None = nobody yet): open measures and those past their deadline (of these
    organisations' walks, when given, read walk by walk: the `+` keeps the planner off
    measures_status, which reads every open measure of the instance, 1 s at 1 000 000). Every
    organisation's from the measures alone, in index measures_partner (0.1 s; through each
    one's observation and walk 1.4 s)."""
    if organisation_ids is None:
        status, joins, scoped, ids = "m.status", "", "1", []
    else:
        scoped, ids = walks_in_scope("o.walk_id", organisation_ids)
        status = "+m.status"
        joins = " join observations o on o.id = m.observation_id"
    return rows(db, f"""
        select p.id as partner_id, p.name as partner, count(*) as open,
            coalesce(sum(m.deadline is not null and m.deadline < ?), 0) as overdue,
            min(m.deadline) as next_deadline
        from measures m left join partners p on p.id = m.partner_id{joins}
        where {status} in ({marks(OPEN_STATUSES)}) and {scoped}
        group by m.partner_id order by overdue desc, open desc, p.name is null, p.name
    """, [today_iso, *OPEN_STATUSES, *ids])  # fmt: skip
