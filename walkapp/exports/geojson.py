"""Observations as GeoJSON (RFC 7946): one feature per observation with flat properties, streamed.

Flat, because GDAL and QGIS read a nested object as a JSON string nobody can filter or style on.
The property names below are the export's contract (the CSV has the same columns); the database
builds the same features with SQLite's json_object for speed (walkapp.db.exports), and a test
holds the two to each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

# In the order they appear; docs/planners/geojson.md lists them with the nested names they replaced.
PROPERTIES = (
    "category",
    "category_label",
    "rating",
    "recorded_at",
    "walk_id",
    "walk_title",
    "walk_light",
    "place_id",
    "place_name",
    "relation",
    "distance_m",
    "accuracy_m",
    "position_source",
    "status",
    "status_label",
    "partner",
    "deadline",
    "note",
    "stadsdel",
    "stadsdelsomrade",
    "kommun",
    "kommun_code",
    "lan",
    "lan_code",
    "lpo",
    "region",
    "free_areas",
    "photo_url",
)


def photo_link(
    prefix: str, observation_id: str, photo_id: str | None, suffix: str = ""
) -> str | None:
    """`prefix` is the site's URL ending in '/'; `suffix` carries the export's token, if any."""
    if not photo_id:
        return None
    return f"{prefix}observations/{observation_id}/photos/{photo_id}.jpg{suffix}"


def observation_feature(row: dict, photo_url: str | None = None) -> dict:
    """A feature from one flat export row (walkapp.db.exports.iter_rows)."""
    properties = {name: row.get(name) for name in PROPERTIES}
    properties["photo_url"] = photo_url
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
        "properties": properties,
    }


def feature_texts(features: Iterable[dict]) -> Iterator[bytes]:
    for feature in features:
        yield json.dumps(feature, ensure_ascii=False, separators=(",", ":")).encode()


CHUNK_BYTES = 256 * 1024


def stream_feature_collection(texts: Iterable[bytes]) -> Iterator[bytes]:
    """The FeatureCollection as UTF-8 chunks of many features each (memory stays flat)."""
    head = b'{"type":"FeatureCollection","features":['
    batch: list[bytes] = []
    size = 0
    for text in texts:
        batch.append(text)
        size += len(text)
        if size >= CHUNK_BYTES:
            yield head + b",".join(batch)
            head, batch, size = b",", [], 0
    if batch:
        yield head + b",".join(batch) + b"]}\n"
    else:
        yield (b"" if head == b"," else head) + b"]}\n"
