"""The re-walk: which earlier walks a walk follows up, the measures it carries to its walkers'
phones, and the checks they send back (walkapp/rewalks.py has the rules, walkapp/measures.py
the door that stores a check)."""

from __future__ import annotations

import sqlite_utils

from ..vocabulary import NEVER_PUBLIC_CATEGORIES, REWALK_STATUSES
from . import marks, one, quoted, rows


def set_follows(db: sqlite_utils.Database, walk_id: str, earlier_ids) -> None:
    for earlier_id in earlier_ids:
        db.execute(
            "insert or ignore into rewalks (walk_id, earlier_walk_id) values (?, ?)",
            [walk_id, earlier_id],
        )


def follows(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """The earlier walks this walk follows up, oldest first."""
    return rows(db, """
        select w.id, w.title, w.starts_at, w.state from rewalks r
        join walks w on w.id = r.earlier_walk_id where r.walk_id = ? order by w.starts_at
    """, [walk_id])  # fmt: skip


def followed_by(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """The re-walks planned to follow this walk up, oldest first."""
    return rows(db, """
        select w.id, w.title, w.starts_at, w.state from rewalks r
        join walks w on w.id = r.walk_id where r.earlier_walk_id = ? order by w.starts_at
    """, [walk_id])  # fmt: skip


# Of a re-walk (`:walk`), the findings of earlier walks at its places that its walkers check:
# a measure still open or done, or one checked on this walk already (it stays on the list with
# its answer). Never what the public may not see: incidents, gatherings, "inte publik".
_CARRIED = f"""
    select o.id, o.category, o.lon, o.lat, o.recorded_at, o.place_id, p.name as place_name,
           m.status, m.partner_id
    from walks w
    join walk_places wp on wp.walk_id = w.id
    join observations o on o.place_id = wp.place_id and o.walk_id != w.id
    join walks e on e.id = o.walk_id and e.starts_at < w.starts_at
    join measures m on m.observation_id = o.id
    left join places p on p.id = o.place_id
    where w.id = :walk and exists (select 1 from rewalks r where r.walk_id = w.id)
      and o.category not in ({quoted(NEVER_PUBLIC_CATEGORIES)}) and o.not_public = 0
      and (m.status in ({quoted(REWALK_STATUSES)}) or exists (
          select 1 from rewalk_checks c where c.walk_id = w.id and c.observation_id = o.id))
"""


def carried(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """What the re-walk carries (none for a walk that follows nothing up), by place and age."""
    return rows(db, _CARRIED + " order by wp.position, o.recorded_at", {"walk": walk_id})


def carried_one(db: sqlite_utils.Database, walk_id: str, observation_id: str) -> dict | None:
    return one(db, _CARRIED + " and o.id = :id", {"walk": walk_id, "id": observation_id})


def get_check(db: sqlite_utils.Database, check_id: str) -> dict | None:
    return one(db, "select * from rewalk_checks where id = ?", [check_id])


def latest_check(
    db: sqlite_utils.Database, walk_id: str, walker_id: str | None, observation_id: str
) -> dict | None:
    """This walker's latest check of the finding on the walk."""
    return one(db, """
        select * from rewalk_checks where walk_id = ? and walker_id is ? and observation_id = ?
        order by received_at desc, rowid desc limit 1
    """, [walk_id, walker_id, observation_id])  # fmt: skip


def answers_of(db: sqlite_utils.Database, walk_id: str, walker_id: str | None) -> dict[str, str]:
    """observation id -> this walker's latest answer on the walk."""
    answers: dict[str, str] = {}
    for row in db.query(
        "select observation_id, answer from rewalk_checks where walk_id = ? and walker_id is ?"
        " order by received_at, rowid",
        [walk_id, walker_id],
    ):
        answers[row["observation_id"]] = row["answer"]
    return answers


def add_check(db: sqlite_utils.Database, fields: dict) -> None:
    columns = ", ".join(fields)
    db.execute(
        f"insert into rewalk_checks ({columns}) values ({marks(fields)})",
        list(fields.values()),
    )


def checks_for_walk(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """A re-walk's checks, newest first, with the finding's category and place (no walker)."""
    return rows(db, """
        select c.id, c.observation_id, c.answer, c.status_before, c.status_after,
               c.recorded_at, o.category, p.name as place_name, w.title as walk_title
        from rewalk_checks c join observations o on o.id = c.observation_id
        join walks w on w.id = o.walk_id left join places p on p.id = o.place_id
        where c.walk_id = ? order by c.received_at desc, c.rowid desc
    """, [walk_id])  # fmt: skip


def walks_carrying(db: sqlite_utils.Database, place_id: int) -> set[str]:
    """The walks whose findings at the place hold a measure a re-walk would carry."""
    return {
        row[0]
        for row in db.execute(
            "select distinct o.walk_id from observations o"
            " join measures m on m.observation_id = o.id"
            f" where o.place_id = ? and m.status in ({quoted(REWALK_STATUSES)})"
            f" and o.category not in ({quoted(NEVER_PUBLIC_CATEGORIES)}) and o.not_public = 0",
            [place_id],
        )
    }
