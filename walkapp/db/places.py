"""Places (the prioritised polygons); the area's districts are in walkapp.db.areas."""

from __future__ import annotations

import json

import sqlite_utils

from . import marks, now, one
from .organisations import in_scope_clause
from .partners import ensure_partners


def places_version(db: sqlite_utils.Database) -> int:
    row = db.execute("select value from meta where key = 'places_version'").fetchone()
    return int(row[0])


def bump_version(db: sqlite_utils.Database) -> None:
    """Places or the area changed: every worker's cached place index is stale."""
    db.execute("update meta set value = cast(value as integer) + 1 where key = 'places_version'")


def _place_row(row: dict) -> dict:
    row = dict(row)
    row["partners"] = json.loads(row["partners"])
    row["geometry"] = json.loads(row["geometry"])
    row["approximate"] = bool(row["approximate"])
    row["active"] = bool(row["active"])
    return row


def list_places(
    db: sqlite_utils.Database, active_only: bool = True, organisation_ids=None
) -> list[dict]:
    """The places (active ones, of these organisations, when asked), by priority and name."""
    where, params = in_scope_clause("organisation_id", organisation_ids)
    sql = f"select * from places where {where}"
    if active_only:
        sql += " and active = 1"
    sql += " order by priority, name"
    return [_place_row(row) for row in db.query(sql, params)]


def get_place(db: sqlite_utils.Database, place_id: int) -> dict | None:
    row = one(db, "select * from places where id = ?", [place_id])
    return _place_row(row) if row else None


def count_places(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from places").fetchone()[0]


def save_places(
    db: sqlite_utils.Database,
    places: list[dict],
    replace: bool,
    keep: list[str] | None = None,
    organisation_id: int | None = None,
) -> dict:
    """Upsert an organisation's places by name (the first organisation's when none is named);
    with replace, its places neither in the list nor in `keep` (the names of the file's
    unchanged places, not written again) are deactivated.

    Deactivated rather than deleted: their observations keep their history.
    Returns counts.
    """
    stamp = now()
    if organisation_id is None:
        organisation_id = db.execute("select min(id) from organisations").fetchone()[0]
    existing = {
        row["name"]: row["id"]
        for row in db.query(
            "select id, name from places where organisation_id = ?", [organisation_id]
        )
    }
    created = updated = 0
    for place in places:
        values = [
            place.get("priority", 3),
            place.get("description", "") or "",
            json.dumps(place.get("partners", []), ensure_ascii=False),
            int(bool(place.get("approximate", False))),
            json.dumps(place["geometry"]),
            stamp,
        ]
        if place["name"] in existing:
            db.execute(
                "update places set priority = ?, description = ?, partners = ?, approximate = ?,"
                " geometry = ?, updated_at = ?, active = 1 where id = ?",
                values + [existing[place["name"]]],
            )
            updated += 1
        else:
            db.execute(
                "insert into places (priority, description, partners, approximate, geometry,"
                " updated_at, name, organisation_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
                values + [place["name"], organisation_id],
            )
            created += 1
    deactivated = 0
    if replace:
        names = [place["name"] for place in places] + list(keep or [])
        deactivated = db.execute(
            "update places set active = 0, updated_at = ? where active = 1"
            f" and organisation_id = ? and name not in ({marks(names)})",
            [stamp, organisation_id, *names],
        ).rowcount
    bump_version(db)
    return {"created": created, "updated": updated, "deactivated": deactivated}


def update_place(db: sqlite_utils.Database, place_id: int, **fields) -> None:
    """Change a place (new partners are added to the list)."""
    allowed = {"name", "priority", "description", "partners", "active"}
    sets, values = [], []
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(f"cannot update {key}")
        if key == "partners":
            value = json.dumps(value, ensure_ascii=False)
        sets.append(f"{key} = ?")
        values.append(value)
    db.execute(
        f"update places set {', '.join(sets)}, updated_at = ? where id = ?",
        [*values, now(), place_id],
    )
    if fields.get("partners"):
        ensure_partners(db, fields["partners"])
    bump_version(db)
