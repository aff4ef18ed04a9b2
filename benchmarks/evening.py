"""An evening of safety walks on one instance: how many walkers at once it holds.

The organisations' real pattern, from the phone's own timers (static/js): 20 walks at once with
30 walkers each (600 phones). Each phone, every minute, sends its walked track (POST
/api/walks/<id>/track, static/js/track.js) and asks whether the walk is still open (GET
/api/walks/<id>, static/js/capture/main.js); it records an observation every 8 minutes, every
second one with a photo (a 1600×1200 JPEG of about 0.4 MB, the size the phone sends). Before the
walk every phone joins (POST /api/join).

The benchmark plays that evening compressed: at speed k every phone does in one minute what it
does in k minutes, which is the load of k × 600 phones. It raises k (1, 2, 4, …) for
`--seconds` each until the server falls behind — the 95th percentile above `--p95-ms` (500 ms),
an error, or the load generator unable to send on time — and reports the last speed it held as
phones at once and as observations, photos and requests a second. The same ladder runs against
Flask's threaded development server (`flask run`, what a small team might put on a server), in
the same run; the ratio of phones held is printed. Afterwards every observation sent is counted
in the database and `pragma integrity_check` read.

The load generator shares the machine with the server (on the 2-core machine of our figures one
core is the client's), so the figures are a floor for a server of its own.

Usage: python benchmarks/evening.py [--seconds 20] [--max-speed 64] [--setups default,flask run]
Last line: JSON.
"""

from __future__ import annotations

import argparse
import heapq
import io
import json
import random
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.gunicorn_server import GunicornServer  # noqa: E402
from walkapp import create_app  # noqa: E402
from walkapp.db import connect, database_path  # noqa: E402
from walkapp.db import walks as walks_db  # noqa: E402

WALKS, WALKERS = 20, 30  # an evening: 20 walks at once, 30 walkers each
TRACK_EVERY_S, STATUS_EVERY_S, OBSERVATION_EVERY_S = 60.0, 60.0, 480.0
PHOTO_SHARE = 0.5
CLIENT_THREADS = 48
UNLIMITED = "100000000"  # rate limits stay on, far above one phone's pace
SETUPS = {
    "default": {"workers": 1, "threads": 8},  # `walkapp serve`
    "workers": {"workers": 3, "threads": 4},  # deploy/walkapp-workers.conf (limits in memory here)
    "flask run": {"workers": 1, "threads": 1, "dev_server": True},
}


def photo_bytes() -> bytes:
    from PIL import Image

    # About 0.4 MB at the phone's quality, as its 1 600 px photos are.
    noise = Image.effect_noise((1600, 1200), 8).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def prepare(instance: Path) -> list[dict]:
    app = create_app({"INSTANCE": str(instance)})
    db = connect(database_path(app))
    walks = [
        walks_db.create_walk(
            db, title=f"Kväll {n + 1}", starts_at="2026-12-03T18:00", state="ongoing"
        )
        for n in range(WALKS)
    ]
    db.close()
    return walks


class Phone:
    def __init__(self, walk: dict, token: str, rng: random.Random):
        self.walk, self.token = walk, token
        self.lon = 18.0649 + rng.uniform(-0.01, 0.01)
        self.lat = 59.3326 + rng.uniform(-0.005, 0.005)


def request_for(kind: str, phone: Phone, url: str, photo: bytes) -> tuple[str, str, dict]:
    """(method, url, requests keyword arguments) of one of a phone's requests."""
    headers = {"Authorization": f"Bearer {phone.token}"}
    now = datetime.now(UTC)
    if kind == "status":
        return "GET", f"{url}/api/walks/{phone.walk['id']}", {"headers": headers}
    if kind == "track":
        points = [
            {"lon": phone.lon + i * 1e-4, "lat": phone.lat, "accuracy_m": 8,
             "t": now.isoformat(timespec="seconds")}
            for i in range(5)
        ]  # fmt: skip
        body = {"id": str(uuid.uuid4()), "points": points}
        target = f"{url}/api/walks/{phone.walk['id']}/track"
        return "POST", target, {"json": body, "headers": headers}
    body = {
        "id": str(uuid.uuid4()), "category": "lighting", "rating": "red", "note": "Mörkt",
        "lon": phone.lon, "lat": phone.lat, "accuracy_m": 8,
        "recorded_at": now.isoformat(timespec="seconds"),
    }  # fmt: skip
    return "POST", f"{url}/api/walks/{phone.walk['id']}/observations", {
        "json": body, "headers": headers, "photo": photo if kind == "photo" else None
    }  # fmt: skip


def run_speed(url: str, phones: list[Phone], speed: int, seconds: float, photo: bytes) -> dict:
    """Every phone's requests of `seconds` at `speed`, sent on schedule by CLIENT_THREADS."""
    rng = random.Random(speed)
    schedule: list[tuple[float, int, str, int]] = []
    for n, _phone in enumerate(phones):
        for kind, every in (("track", TRACK_EVERY_S), ("status", STATUS_EVERY_S),
                            ("observation", OBSERVATION_EVERY_S)):  # fmt: skip
            every /= speed
            at = rng.uniform(0, every)
            while at < seconds:
                shown = kind
                if kind == "observation" and rng.random() < PHOTO_SHARE:
                    shown = "photo"
                schedule.append((at, len(schedule), shown, n))
                at += every
    heapq.heapify(schedule)
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {}
    late, errors, sent_observations, retried = [], [], [], []
    start = time.monotonic() + 0.5

    def worker() -> None:
        session = requests.Session()
        while True:
            with lock:
                if not schedule:
                    return
                at, _, kind, n = heapq.heappop(schedule)
            wait = start + at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            else:
                late.append(-wait)
            method, target, options = request_for(kind, phones[n], url, photo)
            picture = options.pop("photo", None)
            began = time.monotonic()

            def send(method, target, **options):
                # A keep-alive connection the server closed as it was reused is sent again once,
                # as the phone's outbox does: every write carries its id, so a repeat is stored
                # once (the count of stored observations below checks it).
                try:
                    return session.request(method, target, timeout=30, **options)
                except requests.ConnectionError:
                    retried.append(kind)
                    return session.request(method, target, timeout=30, **options)

            try:
                response = send(method, target, **options)
                ok = response.status_code in (200, 201)
                if ok and picture is not None:
                    observation_id = options["json"]["id"]
                    response = send(
                        "POST",
                        f"{url}/api/observations/{observation_id}/photos",
                        headers=options["headers"],
                        data={"id": str(uuid.uuid4())},
                        files={"photo": ("photo.jpg", picture, "image/jpeg")},
                    )
                    ok = response.status_code in (200, 201)
                if not ok:
                    errors.append(f"{kind} {response.status_code}")
                elif kind in ("observation", "photo"):
                    sent_observations.append(options["json"]["id"])
            except requests.RequestException as error:
                errors.append(f"{kind} {type(error).__name__}")
            with lock:
                latencies.setdefault(kind, []).append(time.monotonic() - began)

    threads = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = sorted(value for values in latencies.values() for value in values)
    elapsed = time.monotonic() - start
    count = {kind: len(values) for kind, values in latencies.items()}

    def pct(values: list[float], q: float) -> float:
        return round(1000 * values[min(len(values) - 1, int(q * len(values)))], 1)

    return {
        "speed": speed,
        "phones": speed * len(phones),
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(every) / elapsed, 1),
        "observations_per_s": round(
            (count.get("observation", 0) + count.get("photo", 0)) / elapsed, 2
        ),
        "photos_per_s": round(count.get("photo", 0) / elapsed, 2),
        "p50_ms": pct(every, 0.5),
        "p95_ms": pct(every, 0.95),
        "p99_ms": pct(every, 0.99),
        "photo_p95_ms": pct(sorted(latencies.get("photo", [0])), 0.95),
        "late_p95_s": round(sorted(late)[int(0.95 * len(late))], 2) if late else 0.0,
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "retried": len(retried),
        "sent_observations": sent_observations,
    }


def held(result: dict, p95_ms: float) -> bool:
    """The server kept up: few slow answers, no errors, and the client sent on time."""
    return result["p95_ms"] <= p95_ms and not result["errors"] and result["late_p95_s"] < 1.0


def ladder(name: str, args, photo: bytes) -> dict:
    setup = SETUPS[name]
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp) / "instance"
        walks = prepare(instance)
        env = {
            "WALKAPP_RATELIMIT_ENABLED": "true",
            "WALKAPP_WALKER_WRITES_PER_MINUTE": UNLIMITED,
            "WALKAPP_JOINS_PER_WALK_PER_MINUTE": UNLIMITED,
        }
        server = GunicornServer(instance, env=env, **setup).start()
        try:
            began = time.monotonic()
            phones, rng = [], random.Random(1)
            session = requests.Session()
            for walk in walks:
                for n in range(WALKERS):
                    joined = session.post(
                        server.url + "/api/join", json={"code": walk["code"], "name": f"W{n}"}
                    )
                    joined.raise_for_status()
                    phones.append(Phone(walk, joined.json()["token"], rng))
            joins_per_s = round(len(phones) / (time.monotonic() - began), 1)
            steps, speed, sent = [], 1, []
            while speed <= args.max_speed:
                result = run_speed(server.url, phones, speed, args.seconds, photo)
                sent.extend(result.pop("sent_observations"))
                result["held"] = held(result, args.p95_ms)
                steps.append(result)
                print(
                    f"{name}: speed {speed} ({result['phones']} phones): "
                    f"{result['requests_per_s']} requests/s, "
                    f"{result['observations_per_s']} observations/s, "
                    f"{result['photos_per_s']} photos/s; p50 {result['p50_ms']} ms, p95 "
                    f"{result['p95_ms']} ms, p99 {result['p99_ms']} ms, photo p95 "
                    f"{result['photo_p95_ms']} ms; late p95 {result['late_p95_s']} s; errors "
                    f"{result['errors']} {result['error_kinds']}; retried {result['retried']}; "
                    f"{'held' if result['held'] else 'fell behind'}",
                    flush=True,
                )
                if not result["held"]:
                    break
                speed *= 2
        finally:
            server.stop()
        conn = sqlite3.connect(instance / "walkapp.db")
        stored = {row[0] for row in conn.execute("select id from observations")}
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
        conn.close()
    kept = [step for step in steps if step["held"]]
    best = kept[-1] if kept else None
    return {
        "setup": setup,
        "joins_per_s": joins_per_s,
        "steps": steps,
        "phones_held": best["phones"] if best else 0,
        "held": best,
        "observations_sent": len(sent),
        "observations_lost": len(set(sent) - stored),
        "integrity": integrity,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-speed", type=int, default=64)
    parser.add_argument("--p95-ms", type=float, default=500.0)
    parser.add_argument("--setups", default="default,flask run")
    args = parser.parse_args()
    photo = photo_bytes()
    print(f"photo: {len(photo) // 1024} KiB; an evening: {WALKS} walks × {WALKERS} walkers")
    results = {name: ladder(name, args, photo) for name in args.setups.split(",")}
    for name, result in results.items():
        best = result["held"] or {}
        print(
            f"{name}: holds {result['phones_held']} phones at once "
            f"({result['phones_held'] / (WALKS * WALKERS):.0f} evenings of {WALKS} × {WALKERS}); "
            f"{best.get('observations_per_s', 0)} observations/s with "
            f"{best.get('photos_per_s', 0)} photos/s and {best.get('requests_per_s', 0)} "
            f"requests/s, p95 {best.get('p95_ms', '-')} ms; joins {result['joins_per_s']}/s; "
            f"{result['observations_sent']} observations sent, {result['observations_lost']} "
            f"lost; {result['integrity']}"
        )
    figures = {"benchmark": "evening", "seconds_per_step": args.seconds, **results}
    if "default" in results and "flask run" in results:
        ours, theirs = results["default"]["phones_held"], results["flask run"]["phones_held"]
        # Held nothing: fewer than one evening's phones, so the ratio is at least this.
        ratio = ours / (theirs or WALKS * WALKERS)
        figures["ratio_default_to_flask_run"] = round(ratio, 2)
        figures["ratio_is_lower_bound"] = not theirs
        print(
            f"phones held, walkapp serve / flask run: {'at least ' if not theirs else ''}"
            f"{ratio:.2f}"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
