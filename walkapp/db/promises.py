"""Citizen promises (medborgarlöften), their commitments, logged activities and progress.

Progress is counted from the data, never typed in: a 'walks' commitment counts the closed walks
whose date falls in the promise's year; an 'activities' commitment counts its logged activities.
"""

from __future__ import annotations

import sqlite_utils

from .. import clock
from . import now, one, rows
from .organisations import in_scope_clause, organised_by

DEFAULT_AREA = "Lokalpolisområde Norrmalm"


def _one(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    return one(db, sql, params)


def list_promises(db: sqlite_utils.Database, organisation_ids=None) -> list[dict]:
    where, params = in_scope_clause("organisation_id", organisation_ids)
    return rows(db, f"select * from promises where {where} order by year desc, area", params)


def promise_years(db: sqlite_utils.Database, organisation_ids=None) -> list[int]:
    where, params = in_scope_clause("organisation_id", organisation_ids)
    return [
        row[0]
        for row in db.execute(
            f"select distinct year from promises where {where} order by year desc", params
        )
    ]


def get_promise(db: sqlite_utils.Database, promise_id: int) -> dict | None:
    return one(db, "select * from promises where id = ?", [promise_id])


def promise_for_year(
    db: sqlite_utils.Database, year: int, organisation_ids=None
) -> dict | None:
    """The year's promise (of these organisations; the first organisation's, then by area)."""
    where, params = in_scope_clause("organisation_id", organisation_ids)
    return one(
        db,
        f"select * from promises where year = ? and {where} order by organisation_id, area limit 1",
        [year, *params],
    )


def list_commitments(db: sqlite_utils.Database, promise_id: int) -> list[dict]:
    return rows(
        db, "select * from commitments where promise_id = ? order by position, id", [promise_id]
    )


def commitment_texts(db: sqlite_utils.Database, promise_id: int, language: str) -> dict[int, dict]:
    """The promise's commitments' heading and text in `language`, by commitment id (only those
    given in that language; Swedish is in `commitments` itself)."""
    return {
        row["commitment_id"]: row
        for row in db.query(
            "select t.commitment_id, t.heading, t.text from commitment_texts t"
            " join commitments c on c.id = t.commitment_id"
            " where c.promise_id = ? and t.language = ?",
            [promise_id, language],
        )
    }


def save_commitment_texts(
    db: sqlite_utils.Database, promise_id: int, language: str, entries: list[dict]
) -> None:
    """Each commitment's heading and text in `language` (by commitment id); both empty removes
    that language's text, so the Swedish shows."""
    for item in entries:
        known = one(
            db,
            "select id from commitments where id = ? and promise_id = ?",
            [item["id"], promise_id],
        )
        if known is None:
            continue
        if not item["heading"] and not item["text"]:
            db.execute(
                "delete from commitment_texts where commitment_id = ? and language = ?",
                [item["id"], language],
            )
            continue
        db.execute(
            "insert into commitment_texts (commitment_id, language, heading, text)"
            " values (?, ?, ?, ?) on conflict (commitment_id, language)"
            " do update set heading = excluded.heading, text = excluded.text",
            [item["id"], language, item["heading"], item["text"]],
        )


def get_commitment(db: sqlite_utils.Database, commitment_id: int) -> dict | None:
    return one(db, "select * from commitments where id = ?", [commitment_id])


def closed_walks_in_year(
    db: sqlite_utils.Database, year: int, organisation_id: int | None = None
) -> int:
    """Safety walks held: closed walks (of an organisation, when given) whose date (as planned,
    local time) is in `year`."""
    return db.execute(
        "select count(*) from walks w where state = 'closed'"
        f" and starts_at >= :start and starts_at < :end and {organised_by('w')}",
        {**dict(zip(("start", "end"), clock.year_bounds(year))), "organisation": organisation_id},
    ).fetchone()[0]


def planned_walks_left(
    db: sqlite_utils.Database, year: int, from_iso: str, organisation_id: int | None = None
) -> int:
    """Walks still planned in `year` on or after `from_iso` (a date or date-time), of an
    organisation when given."""
    return db.execute(
        "select count(*) from walks w where state in ('planned', 'ongoing')"
        f" and starts_at >= max(:start, :from) and starts_at < :end and {organised_by('w')}",
        {
            **dict(zip(("start", "end"), clock.year_bounds(year))),
            "from": clock.day_start(from_iso),
            "organisation": organisation_id,
        },
    ).fetchone()[0]


def progress(db: sqlite_utils.Database, promise: dict) -> list[dict]:
    """The promise's commitments, each with `done` counted from the data (its organisation's
    walks)."""
    walks_done = closed_walks_in_year(db, promise["year"], promise.get("organisation_id"))
    activity_counts = dict(
        db.execute(
            "select c.id, count(a.id) from commitments c"
            " left join activities a on a.commitment_id = c.id"
            " where c.promise_id = ? group by c.id",
            [promise["id"]],
        ).fetchall()
    )
    return [
        {
            **commitment,
            "done": walks_done
            if commitment["counting"] == "walks"
            else activity_counts.get(commitment["id"], 0),
        }
        for commitment in list_commitments(db, promise["id"])
    ]


def list_activities(db: sqlite_utils.Database, promise_id: int) -> list[dict]:
    """Logged activities of a promise, newest first, with their place's name."""
    return rows(
        db,
        "select a.id, a.commitment_id, a.happened_on, a.description, a.place_id,"
        " p.name as place_name, a.created_at from activities a"
        " join commitments c on c.id = a.commitment_id"
        " left join places p on p.id = a.place_id"
        " where c.promise_id = ? order by a.happened_on desc, a.id desc",
        [promise_id],
    )


def add_activity(
    db: sqlite_utils.Database, commitment_id: int, activity: dict, user_id: int | None
) -> int:
    """activity: happened_on, description, place_id (or None)."""
    return db.execute(
        "insert into activities (commitment_id, happened_on, description, place_id,"
        " created_by, created_at) values (?, ?, ?, ?, ?, ?)",
        [
            commitment_id,
            activity["happened_on"],
            activity["description"].strip(),
            activity["place_id"],
            user_id,
            now(),
        ],
    ).lastrowid


def delete_activity(db: sqlite_utils.Database, activity_id: int) -> dict | None:
    """Remove an activity; returns what it was, or None when there was none."""
    row = one(db, "select * from activities where id = ?", [activity_id])
    if row is not None:
        db.execute("delete from activities where id = ?", [activity_id])
    return row


def area_taken(db: sqlite_utils.Database, year: int, area: str) -> bool:
    """Whether a promise of that year names that area (one per year and area)."""
    found = db.execute("select 1 from promises where year = ? and area = ?", [year, area])
    return found.fetchone() is not None


def create_promise(
    db: sqlite_utils.Database,
    year: int,
    area: str,
    title: str,
    copy_from: int | None = None,
    organisation_id: int | None = None,
) -> int:
    """A new promise of an organisation (the first one's when none is named); with
    `copy_from`, that promise's commitments are copied as a start."""
    promise_id = db.execute(
        "insert into promises (year, area, title, organisation_id)"
        " values (?, ?, ?, coalesce(?, (select min(id) from organisations)))",
        [year, area, title, organisation_id],
    ).lastrowid
    if copy_from is not None:
        db.execute(
            "insert into commitments (promise_id, position, heading, text, target, counting)"
            " select ?, position, heading, text, target, counting from commitments"
            " where promise_id = ? order by position, id",
            [promise_id, copy_from],
        )
        db.execute(
            "insert into commitment_texts (commitment_id, language, heading, text)"
            " select new.id, t.language, t.heading, t.text from commitment_texts t"
            " join commitments old on old.id = t.commitment_id"
            " join commitments new on new.promise_id = ? and new.position = old.position"
            " where old.promise_id = ?",
            [promise_id, copy_from],
        )
    return promise_id


def update_promise(
    db: sqlite_utils.Database, promise_id: int, title: str, commitments: list[dict]
) -> None:
    """Save the title and each commitment's heading, text and target (by commitment id)."""
    db.execute("update promises set title = ? where id = ?", [title, promise_id])
    for item in commitments:
        db.execute(
            "update commitments set heading = ?, text = ?, target = ?"
            " where id = ? and promise_id = ?",
            [item["heading"], item["text"], item["target"], item["id"], promise_id],
        )


def add_commitment(
    db: sqlite_utils.Database, promise_id: int, heading: str, text: str, target: int, counting: str
) -> int:
    position = db.execute(
        "select coalesce(max(position), -1) + 1 from commitments where promise_id = ?",
        [promise_id],
    ).fetchone()[0]
    return db.execute(
        "insert into commitments (promise_id, position, heading, text, target, counting)"
        " values (?, ?, ?, ?, ?, ?)",
        [promise_id, position, heading, text, target, counting],
    ).lastrowid


def delete_commitment(db: sqlite_utils.Database, commitment_id: int) -> dict | None:
    """Remove a commitment that has no logged activities (those are kept, never cascaded away);
    returns what it was, or None when it is not there or has activities."""
    row = get_commitment(db, commitment_id)
    used = db.execute(
        "select count(*) from activities where commitment_id = ?", [commitment_id]
    ).fetchone()[0]
    if row is None or used:
        return None
    db.execute("delete from commitments where id = ?", [commitment_id])
    return row
