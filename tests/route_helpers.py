"""Shared by the route, track and audit tests: a walk with a planned route, a joined walker,
points and audits as the phone sends them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.helpers import join  # noqa: F401  (the route tests join through here)

SERGEL = (18.0649, 59.3326)
KUNGSTRADGARDEN = (18.0716, 59.3310)

ROUTE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [list(SERGEL), [18.0680, 59.3320], list(KUNGSTRADGARDEN)],
            },
            "properties": {},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(SERGEL)},
            "properties": {"name": "Plattan"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(KUNGSTRADGARDEN)},
            "properties": {},
        },
    ],
}


def walk_points(n: int, start: datetime, step_s: float = 10, start_lon: float = SERGEL[0]):
    """n points walking east at ~1.3 m/s (about 13 m per 10 s), one every step_s seconds."""
    return [
        {
            "lon": start_lon + i * 0.00023 * step_s / 10,
            "lat": SERGEL[1],
            "accuracy_m": 8,
            "t": (start + timedelta(seconds=i * step_s)).isoformat(),
        }
        for i in range(n)
    ]


def chunk(points, chunk_id: str | None = None) -> dict:
    return {"id": chunk_id or str(uuid.uuid4()), "points": points}


def audit(**overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "lon": SERGEL[0],
        "lat": SERGEL[1],
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scores": {"lighting": 1, "openness": 2, "feeling": 0},
        **overrides,
    }
