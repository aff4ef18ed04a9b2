"""Partners (ansvariga aktörer): the list the admin keeps, and measures counted per partner."""

from __future__ import annotations

import sqlite_utils

from ..vocabulary import FIXED_STATUSES, OPEN_STATUSES
from . import marks, one, rows


def list_partners(db: sqlite_utils.Database, active_only: bool = True) -> list[dict]:
    sql = "select * from partners" + (" where active = 1" if active_only else "") + " order by name"
    return list(db.query(sql))


def partner_counts(db: sqlite_utils.Database, today: str) -> list[dict]:
    return rows(
        db,
        "select pa.id, pa.name, pa.active,"
        f" coalesce(sum(m.status in ({marks(OPEN_STATUSES)})), 0) as open,"
        f" coalesce(sum(m.status in ({marks(OPEN_STATUSES)})"
        " and m.deadline is not null and m.deadline < ?), 0) as overdue,"
        f" coalesce(sum(m.status in ({marks(FIXED_STATUSES)})), 0) as done"
        " from partners pa left join measures m on m.partner_id = pa.id"
        " group by pa.id order by pa.name",
        [*OPEN_STATUSES, *OPEN_STATUSES, today, *FIXED_STATUSES],
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
