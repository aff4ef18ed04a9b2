"""Unnamed stops were stored as "Stopp 2": Swedish as data, shown to Arabic and English readers
alike. They become unnamed ("") again, and each screen names them in its own language."""

from __future__ import annotations

import json

import sqlite_utils

from . import migration


@migration("0005_routes_stop_names")
def routes_stop_names(db: sqlite_utils.Database) -> None:
    if "routes" not in db.table_names():
        return
    for walk_id, geojson in db.execute("select walk_id, geojson from routes").fetchall():
        collection = json.loads(geojson)
        changed = False
        for feature in collection.get("features", []):
            properties = feature.get("properties") or {}
            if properties.get("kind") == "stop" and properties.get("name") == (
                f"Stopp {properties.get('number')}"
            ):
                properties["name"] = ""
                changed = True
        if changed:
            db.execute(
                "update routes set geojson = ? where walk_id = ?",
                [json.dumps(collection, ensure_ascii=False), walk_id],
            )
