"""Partners (ansvariga aktörer): the list the admin keeps, and measures counted per partner."""

from __future__ import annotations

import sqlite_utils

from ..vocabulary import FIXED_STATUSES, OPEN_STATUSES
from . import marks, one, rows
from .organisations import in_scope_clause, walks_in_scope


def _working_with(column: str, organisation_ids) -> tuple[str, list]:
    """Partners (their id `column`) working with one of these organisations (all for None)."""
    if organisation_ids is None:
        return "1", []
    scoped, ids = in_scope_clause("organisation_id", organisation_ids)
    return f"{column} in (select partner_id from organisation_partners where {scoped})", ids


def list_partners(
    db: sqlite_utils.Database, active_only: bool = True, organisation_ids=None
) -> list[dict]:
    """The partners (active ones, those working with these organisations, when asked)."""
    scoped, params = _working_with("id", organisation_ids)
    sql = f"select * from partners where {scoped}" + (" and active = 1" if active_only else "")
    return rows(db, sql + " order by name", params)


def partner_counts(db: sqlite_utils.Database, today: str, organisation_ids=None) -> list[dict]:
    """Each partner's open, overdue and done measures (of these organisations' walks and
    partners, when given)."""
    scoped, ids = _working_with("pa.id", organisation_ids)
    walks, walk_ids = walks_in_scope("o.walk_id", organisation_ids)
    # For every walk, the measures alone (the instance's admin at 1 000 000: 5 s with the
    # joins, each measure's walk looked up); for some organisations' walks, their observations
    # walk by walk and each one's measure, counted per partner before the partners are joined
    # (a region's 60 000: 0.23–0.68 s driven from the partners' measures, 0.17 s so).
    measured = (
        "measures m"
        if organisation_ids is None
        else "observations o join measures m on m.observation_id = o.id"
    )
    return rows(
        db,
        "select pa.id, pa.name, pa.active, coalesce(c.open, 0) as open,"
        " coalesce(c.overdue, 0) as overdue, coalesce(c.done, 0) as done"
        " from partners pa left join (select m.partner_id,"
        f" sum(m.status in ({marks(OPEN_STATUSES)})) as open,"
        f" sum(m.status in ({marks(OPEN_STATUSES)})"
        " and m.deadline is not null and m.deadline < ?) as overdue,"
        f" sum(m.status in ({marks(FIXED_STATUSES)})) as done"
        f" from {measured} where m.partner_id is not null and {walks} group by m.partner_id) c"
        f" on c.partner_id = pa.id where {scoped} order by pa.name",
        [*OPEN_STATUSES, *OPEN_STATUSES, today, *FIXED_STATUSES, *walk_ids, *ids],
    )


def add_partner(db: sqlite_utils.Database, name: str, kind: str) -> int | None:
    """The new partner's id, or None when the name is taken."""
    cursor = db.execute("insert or ignore into partners (name, kind) values (?, ?)", [name, kind])
    return cursor.lastrowid if cursor.rowcount else None


def set_partner_active(db: sqlite_utils.Database, partner_id: int, active: bool) -> None:
    db.execute("update partners set active = ? where id = ?", [int(active), partner_id])


def ensure_partners(db: sqlite_utils.Database, names: list[str]) -> None:
    for name in names:
        db.execute("insert or ignore into partners (name) values (?)", [name])


def find_by_name(db: sqlite_utils.Database, name: str) -> dict | None:
    """A partner by its name, case-blind (partner names are compared so everywhere)."""
    return one(db, "select * from partners where lower(name) = lower(?)", [name.strip()])


def link_named(db: sqlite_utils.Database, organisation_id: int, names: list[str]) -> None:
    """The named partners work with the organisation (a partner may work with several)."""
    for name in names:
        db.execute(
            "insert or ignore into organisation_partners (organisation_id, partner_id)"
            " select ?, id from partners where name = ?",
            [organisation_id, name],
        )


def get_partner(db: sqlite_utils.Database, partner_id: int) -> dict | None:
    return one(db, "select * from partners where id = ?", [partner_id])


def days_to_fixed(
    db: sqlite_utils.Database,
    organisation_ids=None,
    public_only: bool = False,
    between: tuple[str, str] | None = None,
) -> list[dict]:
    """Each measure that was fixed: its partner and how many days lay between its walk's start
    and the first time its history marked it done or verified — of these organisations' walks
    when given, without the findings marked "inte publik" when public_only, of walks starting
    in `between` (from, to: instants) when given."""
    walks, walk_ids = walks_in_scope("w.id", organisation_ids)
    extra, params = "", []
    if public_only:
        extra += " and o.not_public = 0"
    if between is not None:
        extra += " and w.starts_at >= ? and w.starts_at < ?"
        params += list(between)
    return rows(db, f"""
        select m.partner_id, julianday(min(h.changed_at)) - julianday(w.starts_at) as days
        from measure_history h
        join measures m on m.observation_id = h.observation_id
        join observations o on o.id = h.observation_id
        join walks w on w.id = o.walk_id and {walks}
        where h.field = 'status' and h.new_value in ({marks(FIXED_STATUSES)}){extra}
        group by h.observation_id
    """, [*walk_ids, *FIXED_STATUSES, *params])  # fmt: skip
