"""Sustained observation ingest: gunicorn on the embedded SQLite, driven by wrk from a second process.

Usage: python benchmarks/ingest.py [--seconds 60] [--connections 8] [--setups default,workers+redis,earlier]
                                   [--replication-seconds 60] [--rounds 6]
Needs wrk (apt-get install wrk). Prints observations/s and latency percentiles; last line JSON.
Then the default setup with replication off and on, taking turns (benchmarks/ingest_replication.py,
needs the `replication` extra): their ratio and the replication lag under that load.
For comparison it measures, in the same run and with the same load, the app under Flask's own
threaded development server (`flask run`, what a small team might put on a server), for
`--dev-seconds` (default 20).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.gunicorn_server import GunicornServer  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402
from walkapp import create_app  # noqa: E402
from walkapp.db import connect, database_path  # noqa: E402
from walkapp.db import walks as walks_db  # noqa: E402


def prepare(instance: Path) -> dict:
    app = create_app({"INSTANCE": str(instance)})
    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="Ingest", starts_at="2026-11-25T18:00", state="ongoing")
    db.close()
    return walk


def run_wrk(url: str, walk: dict, token: str, seconds: int, connections: int) -> dict:
    env = {**os.environ, "WALK_PATH": f"/api/walks/{walk['id']}/observations", "TOKEN": token}
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(ROOT / "benchmarks" / "ingest.lua"),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


# What is measured, each beside the other: the shipped default (`walkapp serve`: one worker with
# threads, limits counted exactly in memory) and several workers sharing Redis for the limits.
SETUPS = {
    "default": {"workers": 1, "threads": 8, "limits": "memory"},
    "workers+redis": {"workers": 3, "threads": 4, "limits": "redis"},
    # The earlier figure's setup (3 workers, limits off for the run), for comparison.
    "earlier": {"workers": 3, "threads": 4, "limits": "off"},
}
# Rate limits stay on (their cost is part of the figure) but far above the load of one token.
UNLIMITED = "100000000"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--setups", default="default,workers+redis,earlier")
    parser.add_argument("--dev-seconds", type=int, default=20)
    parser.add_argument("--replication-seconds", type=int, default=60, help="0: skip")
    parser.add_argument("--rounds", type=int, default=6, help="turns of replication off and on")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    results = {}
    for name in args.setups.split(","):
        results[name] = measure(args, args.seconds, **SETUPS[name])
    if args.dev_seconds:
        results["flask run"] = measure(args, args.dev_seconds, 1, 1, "off", dev_server=True)
    for name, result in results.items():
        print(
            f"{name} ({result['workers']}×{result['threads']}, limits {result['limits']}): "
            f"{result['observations_per_s']:.0f} observations/s "
            f"({result['requests']} in {result['seconds']:.1f} s, {args.connections} connections); "
            f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms; "
            f"errors {result['errors']}; stored {result['stored']}; {result['integrity']}"
        )
    figures = {"benchmark": "ingest", "connections": args.connections, **results}
    if args.replication_seconds:
        figures["replication"] = replication_off_and_on(args)
    print(json.dumps(figures))


def replication_off_and_on(args) -> dict:
    """The shipped default with replication off and on, taking turns; ratio and lag."""
    from ingest_replication import measure_off_and_on

    env = {
        "WALKAPP_RATELIMIT_ENABLED": "true",
        "WALKAPP_WALKER_WRITES_PER_MINUTE": UNLIMITED,
        "WALKAPP_JOINS_PER_WALK_PER_MINUTE": UNLIMITED,
    }
    off, on = measure_off_and_on(args, SETUPS["default"], env, prepare, run_wrk)
    for name, result in (("replication off", off), ("replication on", on)):
        print(
            f"default, {name}: {result['observations_per_s']:.0f} observations/s "
            f"({result['requests']} in {result['seconds']:.1f} s); p50 {result['p50_ms']:.1f} ms, "
            f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms; errors "
            f"{result['errors']}; stored {result['stored']}; {result['integrity']}"
        )
    lag, ratio = on["lag"], round(on["observations_per_s"] / off["observations_per_s"], 2)
    print(
        f"replication on/off: {ratio}; lag commit -> replica (upper bound) p50 {lag['p50_s']:.2f} s, "
        f"p99 {lag['p99_s']:.2f} s, max {lag['max_s']:.2f} s over {lag['syncs']} syncs; replica "
        f"restored: {on['restored']} observations, {on['restored_integrity']}"
    )
    return {"off": off, "on": on, "ratio_on_off": ratio}


def measure(
    args, seconds: int, workers: int, threads: int, limits: str, dev_server: bool = False
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        walk = prepare(instance)
        env = {"WALKAPP_RATELIMIT_ENABLED": "false" if limits == "off" else "true"}
        env["WALKAPP_WALKER_WRITES_PER_MINUTE"] = UNLIMITED
        env["WALKAPP_JOINS_PER_WALK_PER_MINUTE"] = UNLIMITED
        redis = None
        if limits == "redis":
            (Path(tmp) / "redis").mkdir()
            redis = RedisServer(Path(tmp) / "redis").start()
            env["WALKAPP_RATELIMIT_STORAGE_URI"] = redis.uri
        server = GunicornServer(
            instance, workers=workers, threads=threads, env=env, dev_server=dev_server
        ).start()
        try:
            joined = requests.post(
                server.url + "/api/join", json={"code": walk["code"]}, timeout=10
            )
            result = run_wrk(server.url, walk, joined.json()["token"], seconds, args.connections)
        finally:
            server.stop()
            if redis:
                redis.stop()
        conn = sqlite3.connect(instance / "walkapp.db")
        stored = conn.execute("select count(*) from observations").fetchone()[0]
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
        conn.close()
    return {
        **result,
        "observations_per_s": round(result["requests"] / result["seconds"], 1),
        "stored": stored,
        "integrity": integrity,
        "workers": workers,
        "threads": threads,
        "limits": limits,
    }


if __name__ == "__main__":
    main()
