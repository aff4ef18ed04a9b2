"""Sustained observation ingest: gunicorn on the embedded SQLite, driven by wrk from a second process.

Usage: python benchmarks/ingest.py [--seconds 60] [--connections 8] [--workers 3]
Needs wrk (apt-get install wrk). Prints observations/s and latency percentiles; last line JSON.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--dev-seconds", type=int, default=20)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    ours = measure(args, args.seconds, dev_server=False)
    dev = measure(args, args.dev_seconds, dev_server=True)
    for name, result in (("gunicorn", ours), ("flask run", dev)):
        print(
            f"{name}: {result['observations_per_s']:.0f} observations/s "
            f"({result['requests']} in {result['seconds']:.1f} s, {args.connections} connections); "
            f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms; "
            f"errors {result['errors']}; stored {result['stored']}; {result['integrity']}"
        )
    figures = {
        "benchmark": "ingest",
        **{k: v for k, v in ours.items()},
        "workers": args.workers,
        "threads": args.threads,
        "connections": args.connections,
        "dev_server_observations_per_s": dev["observations_per_s"],
        "dev_server_p99_ms": dev["p99_ms"],
        "ratio_vs_dev_server": round(ours["observations_per_s"] / dev["observations_per_s"], 1),
    }
    print(json.dumps(figures))


def measure(args, seconds: int, dev_server: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        walk = prepare(instance)
        server = GunicornServer(
            instance, workers=args.workers, threads=args.threads, dev_server=dev_server
        ).start()
        try:
            joined = requests.post(
                server.url + "/api/join", json={"code": walk["code"]}, timeout=10
            )
            result = run_wrk(server.url, walk, joined.json()["token"], seconds, args.connections)
        finally:
            server.stop()
        conn = sqlite3.connect(instance / "walkapp.db")
        stored = conn.execute("select count(*) from observations").fetchone()[0]
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
        conn.close()
    return {
        **result,
        "observations_per_s": round(result["requests"] / result["seconds"], 1),
        "stored": stored,
        "integrity": integrity,
    }


if __name__ == "__main__":
    main()
