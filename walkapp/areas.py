"""The area (PRODUCT.md): the LPO boundary — central Stockholm's districts and Lidingö, the union
of the districts marked as included. An observation outside it is kept and flagged
"outside_area" (walkapp.places assigns, given this geometry). Shipped in geodata/area.geojson,
one feature per district; stored in the districts table (walkapp.db.areas)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import shapely
import sqlite_utils
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .db import areas as areas_db
from .db import transaction

SHIPPED = "area.geojson"


def from_features(features: Sequence[dict]) -> BaseGeometry | None:
    """The area from its district features (GeoJSON): the union of those marked included."""
    geoms = [
        shape(f["geometry"]) for f in features if f.get("properties", {}).get("included", True)
    ]
    return shapely.union_all(geoms) if geoms else None


def boundary(db: sqlite_utils.Database) -> BaseGeometry | None:
    """The stored area (None when no district is included: nothing is "outside")."""
    return from_features(
        [
            {"geometry": d["geometry"], "properties": {"included": d["included"]}}
            for d in areas_db.list_districts(db)
        ]
    )


def load_shipped(db: sqlite_utils.Database, geodata_dir: Path) -> int:
    """Read geodata/area.geojson into a database that has no districts; how many were loaded."""
    if areas_db.list_districts(db):
        return 0
    features = json.loads((geodata_dir / SHIPPED).read_text(encoding="utf-8"))["features"]
    with transaction(db):
        areas_db.save_districts(db, features)
    return len(features)
