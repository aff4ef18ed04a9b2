"""Observations and their place assignment."""

from __future__ import annotations

import sqlite_utils

from ..vocabulary import INITIAL_STATUSES, initial_status
from . import marks, now, one

COLUMNS = (
    "id",
    "walk_id",
    "walker_id",
    "category",
    "rating",
    "note",
    "lon",
    "lat",
    "accuracy_m",
    "recorded_at",
    "late",
    "place_id",
    "relation",
    "distance_m",
    "position_source",
    "language",
)


def get_observation(db: sqlite_utils.Database, observation_id: str) -> dict | None:
    return one(db, "select * from observations where id = ?", [observation_id])


def insert_observation(db: sqlite_utils.Database, record: dict) -> bool:
    """Store an observation and its first measure (new, or keep for a green one), once per id.

    Returns True when stored now, False when the id was already there (a retry).
    """
    stamp = now()
    values = [record.get(column) for column in COLUMNS]
    cursor = db.execute(
        f"insert or ignore into observations ({', '.join(COLUMNS)}, received_at, updated_at)"
        f" values ({marks(COLUMNS)}, ?, ?)",
        [*values, stamp, stamp],
    )
    if cursor.rowcount == 0:
        return False
    db.execute(
        "insert into measures (observation_id, status, updated_at) values (?, ?, ?)",
        [record["id"], initial_status(record["rating"]), stamp],
    )
    return True


def positions(
    db: sqlite_utils.Database, organisation_id: int | None = None
) -> tuple[list[str], list[float], list[float]]:
    """Every observation's id and position (of one organisation's walks, when given)."""
    ids, lons, lats = [], [], []
    sql, params = "select id, lon, lat from observations", []
    if organisation_id is not None:
        sql += " where walk_id in (select id from walks where organisation_id = ?)"
        params = [organisation_id]
    for row in db.execute(sql, params):
        ids.append(row[0])
        lons.append(row[1])
        lats.append(row[2])
    return ids, lons, lats


def save_assignments(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """rows: (place_id, relation, distance_m, observation id)."""
    db.conn.executemany(
        "update observations set place_id = ?, relation = ?, distance_m = ? where id = ?", rows
    )


def count_observations(db: sqlite_utils.Database, walk_id: str | None = None) -> int:
    if walk_id is None:
        return db.execute("select count(*) from observations").fetchone()[0]
    return db.execute("select count(*) from observations where walk_id = ?", [walk_id]).fetchone()[
        0
    ]


def list_for_walk(
    db: sqlite_utils.Database, walk_id: str, walker_id: str | None = None
) -> list[dict]:
    sql = (
        "select o.*, p.name as place_name from observations o"
        " left join places p on p.id = o.place_id where o.walk_id = ?"
    )
    params: list = [walk_id]
    if walker_id is not None:
        sql += " and o.walker_id = ?"
        params.append(walker_id)
    return list(db.query(sql + " order by o.recorded_at", params))


def update_observation(db: sqlite_utils.Database, observation_id: str, fields: dict) -> None:
    """Change the given columns of one observation."""
    allowed = [key for key in fields if key in COLUMNS and key not in ("id", "walk_id")]
    if not allowed:
        return
    assignments = ", ".join(f"{key} = ?" for key in allowed)
    db.execute(
        f"update observations set {assignments}, updated_at = ? where id = ?",
        [*(fields[key] for key in allowed), now(), observation_id],
    )
    if "rating" in allowed:
        # The walker changed the rating before anyone triaged it: the first status follows.
        db.execute(
            f"update measures set status = ? where observation_id = ?"
            f" and status in ({marks(INITIAL_STATUSES)}) and not exists"
            " (select 1 from measure_history h where h.observation_id = measures.observation_id)",
            [initial_status(fields["rating"]), observation_id, *INITIAL_STATUSES],
        )


def delete_observation(db: sqlite_utils.Database, observation_id: str) -> list[str]:
    """Delete an observation with its measure, history and photo rows; return the photo files
    to remove once the transaction has committed."""
    files = [
        name
        for row in db.execute(
            "select filename, thumb_filename from photos where observation_id = ?",
            [observation_id],
        )
        for name in row
    ]
    db.execute("delete from observations where id = ?", [observation_id])
    return files


def list_for_walker(db: sqlite_utils.Database, walk_id: str, walker_id: str) -> list[dict]:
    """A walker's own observations with their place name and the ids of the photos they added
    (which they may remove), newest first."""
    rows = list(
        db.query(
            "select o.id, o.category, o.rating, o.note, o.lon, o.lat, o.accuracy_m, o.position_source,"
            " o.recorded_at, o.late, o.place_id, o.relation, o.distance_m,"
            " p.name as place_name,"
            " (select group_concat(ph.id) from photos ph"
            " where ph.observation_id = o.id and ph.walker_id = o.walker_id) as photos"
            " from observations o left join places p on p.id = o.place_id"
            " where o.walk_id = ? and o.walker_id = ? order by o.recorded_at desc",
            [walk_id, walker_id],
        )
    )
    for row in rows:
        row["photos"] = row["photos"].split(",") if row["photos"] else []
    return rows


def place_name(db: sqlite_utils.Database, place_id: int | None) -> str | None:
    if place_id is None:
        return None
    row = db.execute("select name from places where id = ?", [place_id]).fetchone()
    return row[0] if row else None


def insert_many(db: sqlite_utils.Database, records: list[dict]) -> None:
    """Store many new observations with their first measures in one go (bulk loads, benchmarks)."""
    stamp = now()
    db.conn.executemany(
        f"insert into observations ({', '.join(COLUMNS)}, received_at, updated_at)"
        f" values ({marks(COLUMNS)}, ?, ?)",
        [
            [record.get(column, 0 if column == "late" else None) for column in COLUMNS]
            + [stamp, stamp]
            for record in records
        ],
    )
    db.conn.executemany(
        "insert into measures (observation_id, status, updated_at) values (?, ?, ?)",
        [(record["id"], initial_status(record["rating"]), stamp) for record in records],
    )
