"""Findings as GeoJSON (RFC 7946): one feature per observation, streamed one by one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..clock import offset_time
from ..vocabulary import (
    CATEGORY_LABELS_SV,
    STATUS_LABELS_SV,
)


def observation_feature(row: dict, photo_url: str | None = None) -> dict:
    properties = {
        "category": row["category"],
        "category_label": CATEGORY_LABELS_SV.get(row["category"], row["category"]),
        "rating": row["rating"],
        "recorded_at": offset_time(row["recorded_at"]),
        "walk": {"id": row["walk_id"], "title": row["walk_title"]},
        "place": {"id": row["place_id"], "name": row["place_name"]} if row["place_id"] else None,
        "relation": row["relation"],
        "status": row["status"],
        "status_label": STATUS_LABELS_SV[row["status"]],
        "partner": row["partner_name"],
        "deadline": row["deadline"],
        "note": row["note"],
    }
    if photo_url:
        properties["photo_url"] = photo_url
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
        "properties": properties,
    }


def stream_feature_collection(features: Iterable[dict]) -> Iterator[str]:
    """The FeatureCollection as text chunks, one feature at a time (memory stays flat)."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    batch: list[str] = []
    for feature in features:
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        batch.append(text if first else "," + text)
        first = False
        if len(batch) >= 200:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)
    yield "]}\n"


# --- Open311 GeoReport v2 ---
