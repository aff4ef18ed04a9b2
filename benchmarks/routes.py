"""The walk as a route at a year's scale: 40 walks, each with a planned route, 3 walkers'
tracks of an hour (a point every ~10 m: 360 points each) and 10 audits; times the track posts
(chunks of 20 points, as the phone sends them) and the two exports, in process with Flask's test
client on a real SQLite file, beside splitting the tracks in pure Python without the metric
projection's vectorised distances.

Usage: python benchmarks/routes.py [--walks 40]
Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import sign_in_directly  # noqa: E402
from walkapp import create_app, tracks  # noqa: E402
from walkapp.db import connect, database_path, transaction  # noqa: E402
from walkapp.db import routes as routes_db  # noqa: E402
from walkapp.db import tracks as tracks_db  # noqa: E402
from walkapp.db import users as users_db  # noqa: E402
from walkapp.db import walks as walks_db  # noqa: E402
from walkapp.passwords import hash_password  # noqa: E402
from walkapp.routes import check_route  # noqa: E402

EAST = 1 / (111_320 * math.cos(math.radians(59.3326)))


def route() -> dict:
    line = [[18.0649 + i * 0.001, 59.3326 + (i % 2) * 0.0005] for i in range(12)]
    stops = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": line[i]}, "properties": {}}
        for i in (0, 4, 8)
    ]
    return check_route(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": line},
                    "properties": {},
                },
                *stops,
            ],
        }
    )


def naive_parts(points: list[dict], gap_s: float, max_speed: float) -> list[list[dict]]:
    """Per pair: parse both times and compute a haversine distance (what one writes first)."""
    result = [[points[0]]]
    for a, b in zip(points, points[1:]):
        seconds = (datetime.fromisoformat(b["t"]) - datetime.fromisoformat(a["t"])).total_seconds()
        rad = math.pi / 180
        h = (
            math.sin((b["lat"] - a["lat"]) * rad / 2) ** 2
            + math.cos(a["lat"] * rad)
            * math.cos(b["lat"] * rad)
            * math.sin((b["lon"] - a["lon"]) * rad / 2) ** 2
        )
        metres = 2 * 6_371_000 * math.asin(math.sqrt(h))
        if b.get("gap") or seconds > gap_s or metres > max_speed * max(seconds, 1):
            result.append([b])
        else:
            result[-1].append(b)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--walks", type=int, default=40)
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp()) / "instance"
    app = create_app(
        {
            "INSTANCE": str(instance),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "TESTING": True,
        }
    )
    db = connect(database_path(app))
    user_id = users_db.create_user(db, "bench", hash_password("x" * 12), "coordinator")
    client = app.test_client()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    posts = chunks_sent = 0
    post_seconds = 0.0
    for w in range(args.walks):
        walk = walks_db.create_walk(
            db, title=f"Vandring {w}", starts_at="2026-03-01T18:00", state="ongoing"
        )
        with transaction(db):
            routes_db.save_route(db, walk["id"], route(), user_id)
        for _walker in range(3):
            token = client.post("/api/join", json={"code": walk["code"]}).json["token"]
            headers = {"Authorization": f"Bearer {token}"}
            points = [
                {
                    "lon": 18.0649 + i * 10 * EAST,
                    "lat": 59.3326,
                    "accuracy_m": 8,
                    "t": (start + timedelta(seconds=10 * i)).isoformat(),
                }
                for i in range(360)
            ]
            points[180]["gap"] = True
            for c in range(0, 360, 20):
                began = time.perf_counter()
                response = client.post(
                    f"/api/walks/{walk['id']}/track",
                    headers=headers,
                    json={"id": str(uuid.uuid4()), "points": points[c : c + 20]},
                )
                post_seconds += time.perf_counter() - began
                assert response.status_code == 201
                chunks_sent += 1
            for a in range(4 if _walker == 0 else 3):
                client.post(
                    f"/api/walks/{walk['id']}/audits",
                    headers=headers,
                    json={
                        "id": str(uuid.uuid4()),
                        "lon": 18.0649 + a * 0.004,
                        "lat": 59.3326,
                        "recorded_at": start.isoformat(),
                        "scores": {"lighting": a % 4, "feeling": 2},
                    },
                )
                posts += 1
    sign_in_directly(client, db, user_id)
    began = time.perf_counter()
    routes_file = client.get("/export/routes.geojson").get_data()
    routes_seconds = time.perf_counter() - began
    began = time.perf_counter()
    audits_file = client.get("/export/audits.geojson").get_data()
    audits_seconds = time.perf_counter() - began
    walk_ids = [row[0] for row in db.execute("select id from walks")]
    rows = [r for walk_id in walk_ids for r in tracks_db.points_for_walk(db, walk_id)]
    grouped = [
        g
        for walk_id in walk_ids
        for g in tracks.by_walker(tracks_db.points_for_walk(db, walk_id)).values()
    ]
    began = time.perf_counter()
    ours = [tracks.parts(g) for g in grouped]
    ours_seconds = time.perf_counter() - began
    began = time.perf_counter()
    naive = [naive_parts(g, tracks.RULES["gap_s"], tracks.RULES["max_speed_m_s"]) for g in grouped]
    naive_seconds = time.perf_counter() - began
    assert [len(p) for p in ours] == [len(p) for p in naive]
    result = {
        "walks": args.walks,
        "track_points": len(rows),
        "chunk_post_ms_mean": round(post_seconds / chunks_sent * 1000, 2),
        "routes_export_s": round(routes_seconds, 3),
        "routes_export_mb": round(len(routes_file) / 1e6, 2),
        "audits": posts,
        "audits_export_s": round(audits_seconds, 3),
        "audits_export_kb": round(len(audits_file) / 1e3, 1),
        "split_parts_s": round(ours_seconds, 3),
        "split_naive_s": round(naive_seconds, 3),
    }
    print(
        f"{len(rows)} track points of {args.walks} walks; chunk post {result['chunk_post_ms_mean']} ms"
    )
    print(
        f"routes.geojson {result['routes_export_s']} s, {result['routes_export_mb']} MB;"
        f" audits.geojson ({posts}) {result['audits_export_s']} s"
    )
    print(f"split into parts: walkapp {ours_seconds:.3f} s, naive {naive_seconds:.3f} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
