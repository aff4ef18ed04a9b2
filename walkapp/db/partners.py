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
    and the first time its history marked it done or verified (`measures.fixed_days`, kept by
    migration 0025's triggers) — of these organisations' walks when given (for the public, with
    public_only: the walks it said yes to), without the findings marked "inte publik" when
    public_only, of walks starting in `between` (from, to: instants) when given."""
    walks, walk_ids = walks_in_scope("o.walk_id", organisation_ids, accepted_only=public_only)
    extra, params = "", []
    if public_only:
        extra += " and o.not_public = 0"
    if between is not None:
        extra += " and o.walk_id in (select id from walks where starts_at >= ? and starts_at < ?)"
        params += list(between)
    return rows(db, f"""
        select m.partner_id, m.fixed_days as days
        from observations o join measures m on m.observation_id = o.id
        where m.fixed_at is not null and {walks}{extra}
    """, [*walk_ids, *params])  # fmt: skip


def middle_days_to_fixed(db: sqlite_utils.Database) -> dict:
    """Of every fixed measure of the instance, how many and the middle one or two of their days
    to fixed in order, overall (key None) and per partner: {partner_id: (count, [days])}. Read
    by place from the indexes of migration 0025 (everyone's days lie in order in
    `measures_fixed_days`, a partner's in `measures_fixed`), not by reading each of them: half a
    million at 1 000 000 observations."""
    fixed = "from measures where fixed_at is not null"
    counted = [(None, db.execute(f"select count(*) {fixed}").fetchone()[0])]
    counted += db.execute(
        f"select partner_id, count(*) {fixed} and partner_id is not null group by partner_id"
    ).fetchall()
    found = {}
    for partner_id, count in counted:
        if not count:
            continue
        whose, params = ("", []) if partner_id is None else (" and partner_id = ?", [partner_id])
        middle = db.execute(
            f"select fixed_days {fixed}{whose} order by fixed_days limit ? offset ?",
            [*params, 2 - count % 2, (count - 1) // 2],
        )
        found[partner_id] = (count, [days for (days,) in middle])
    return found
