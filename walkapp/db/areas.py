"""The area's districts: which of them make up the LPO area (walkapp.areas)."""

from __future__ import annotations

import json

import sqlite_utils

from .places import bump_version


def list_districts(db: sqlite_utils.Database) -> list[dict]:
    rows = db.query("select * from districts order by name")
    return [
        {**row, "geometry": json.loads(row["geometry"]), "included": bool(row["included"])}
        for row in rows
    ]


def save_districts(db: sqlite_utils.Database, features: list[dict]) -> None:
    db.execute("delete from districts")
    for feature in features:
        props = feature.get("properties") or {}
        db.execute(
            "insert into districts (name, municipality, included, approximate, geometry)"
            " values (?, ?, ?, ?, ?)",
            [
                props["name"],
                props.get("municipality"),
                int(bool(props.get("included", True))),
                int(bool(props.get("approximate", False))),
                json.dumps(feature["geometry"]),
            ],
        )
    bump_version(db)


def set_district_included(db: sqlite_utils.Database, district_id: int, included: bool) -> None:
    db.execute("update districts set included = ? where id = ?", [int(included), district_id])
    bump_version(db)
