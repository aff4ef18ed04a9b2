"""GeoJSON export of 100 000 observations over HTTP: time and the server's peak memory growth,
beside the naive way (one big dict of every feature, then json.dumps) measured in the same run.
The same export of a tenth as many shows the memory stays flat: the growth does not follow the
size. Each HTTP figure is the best of three requests (the machine is shared).

Usage: python benchmarks/export.py [--observations 100000]
The server is gunicorn with one worker (so its memory is one process's), on a real SQLite file.
Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.gunicorn_server import GunicornServer  # noqa: E402
from walkapp import create_app  # noqa: E402
from walkapp.db import connect, database_path, transaction  # noqa: E402
from walkapp.db import exports as exports_db  # noqa: E402
from walkapp.db import users as users_db  # noqa: E402
from walkapp.db import walks as walks_db  # noqa: E402
from walkapp.db.observations import insert_many  # noqa: E402
from walkapp.db.api_tokens import create_token  # noqa: E402
from walkapp.exports.filters import Filters  # noqa: E402
from walkapp.exports.geojson import observation_feature, photo_link  # noqa: E402
from walkapp.passwords import hash_password  # noqa: E402


def prepare(instance: Path, count: int) -> str:
    """A database with `count` observations; returns an API token for the export."""
    app = create_app({"INSTANCE": str(instance)})
    db = connect(database_path(app))
    user = users_db.create_user(db, "bench", hash_password("benchmark-password"), "coordinator")
    walk = walks_db.create_walk(db, title="Benchmark", starts_at="2026-10-01T18:00")
    records = [
        {
            "id": str(uuid.uuid4()),
            "walk_id": walk["id"],
            "category": ("lighting", "vegetation", "litter", "graffiti", "path")[i % 5],
            "rating": ("red", "yellow", "green")[i % 3],
            "note": f"Anteckning nummer {i} om platsen",
            "lon": 18.03 + (i % 1000) * 0.00006,
            "lat": 59.32 + (i // 1000) * 0.0003,
            "recorded_at": "2026-10-01T18:00:00+00:00",
            "relation": "none",
        }
        for i in range(count)
    ]
    with transaction(db):
        insert_many(db, records)
    _token_id, token = create_token(db, user, "benchmark")
    db.close()
    return token


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process: what the export cost the server, whatever else the
    shared machine is doing (wall time is not)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def over_http(instance: Path, token: str, runs: int = 3) -> dict:
    server = GunicornServer(instance, workers=1, threads=2).start()
    try:
        requests.get(server.url + "/healthz", timeout=10)  # warm the worker
        worker = _worker_pids(server.process.pid)[0]
        rss_before = _memory_kb(worker, "VmRSS")
        times = []
        cpu_before = _cpu_seconds(worker)
        for _ in range(runs):
            started = time.perf_counter()
            response = requests.get(
                server.url + "/export/observations.geojson",
                headers={"Authorization": f"Bearer {token}"},
                stream=True,
                timeout=120,
            )
            size = sum(len(chunk) for chunk in response.iter_content(1 << 20))
            times.append(time.perf_counter() - started)
        cpu = (_cpu_seconds(worker) - cpu_before) / runs
        peak = _memory_kb(worker, "VmHWM")
    finally:
        server.stop()
    return {
        "seconds": min(times),
        "cpu_seconds": cpu,
        "megabytes": size / 1e6,
        "peak_growth_mb": (peak - rss_before) / 1024,
    }


def naive(instance: Path) -> dict:
    """What a naive implementation does: every feature in one dict, then one json.dumps."""
    db = connect(instance / "walkapp.db")
    rss_before = _memory_kb_self("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    collection = {
        "type": "FeatureCollection",
        "features": [
            observation_feature(row, photo_link("http://x/", row["id"], row["photo_id"]))
            for row in exports_db.iter_rows(db, Filters())
        ],
    }
    text = json.dumps(collection, ensure_ascii=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = _memory_kb_self("VmHWM")
    db.close()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "megabytes": len(text.encode()) / 1e6,
        "peak_growth_mb": (peak - rss_before) / 1024,
    }


def _memory_kb_self(field: str) -> int:
    return _memory_kb(os.getpid(), field)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--observations", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small"
        tenth = over_http(small, prepare(small, args.observations // 10))
        instance = Path(tmp) / "instance"
        token = prepare(instance, args.observations)
        ours = over_http(instance, token)
        # The naive build runs in this (fresh, small) process so its growth is its own.
        theirs = naive(instance)
        assert (
            sqlite3.connect(instance / "walkapp.db")
            .execute("select count(*) from observations")
            .fetchone()[0]
            == args.observations
        )
    for name, result in (
        (f"walkapp streamed over HTTP, {args.observations // 10} findings", tenth),
        (f"walkapp streamed over HTTP, {args.observations} findings", ours),
        ("naive json.dumps of one dict", theirs),
    ):
        print(
            f"{name}: {result['seconds']:.2f} s ({result['cpu_seconds']:.2f} s CPU), "
            f"{result['megabytes']:.1f} MB of GeoJSON, "
            f"peak memory growth {result['peak_growth_mb']:.1f} MB"
        )
    print(
        json.dumps(
            {
                "benchmark": "export",
                "observations": args.observations,
                "seconds": round(ours["seconds"], 2),
                "cpu_seconds": round(ours["cpu_seconds"], 2),
                "naive_cpu_seconds": round(theirs["cpu_seconds"], 2),
                "load_average": round(os.getloadavg()[0], 1),
                "megabytes": round(ours["megabytes"], 1),
                "peak_growth_mb": round(ours["peak_growth_mb"], 1),
                "tenth_peak_growth_mb": round(tenth["peak_growth_mb"], 1),
                "naive_seconds": round(theirs["seconds"], 2),
                "naive_peak_growth_mb": round(theirs["peak_growth_mb"], 1),
                "memory_ratio": round(
                    theirs["peak_growth_mb"] / max(ours["peak_growth_mb"], 0.1), 1
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
