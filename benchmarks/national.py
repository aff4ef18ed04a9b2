"""National scale: every HTML page and export of an instance of ORGANISATIONS organisations,
2 000 places, 20 000 walks over ten years and OBSERVATIONS observations (measures in every status,
their history, partners shared), timed as an organisation's coordinator, a region user (Stockholms
län) and an instance admin.

For each GET route of the URL map (with sample ids from the generated data,
benchmarks/national_data.py) and each role: p50 and p95 of the requests' time in process
(`app.test_client()`, the whole body read), and the worker's peak resident memory above what it
held before the request. Beside them, the fixes' queries against the naive ones they replaced, in
the same run, as ratios (`national_fixes.py`). Run from the repository root:

    python benchmarks/national.py [--observations 100000] [--keep FOLDER]

The documented target is --observations 1000000. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_data import PASSWORD, fill  # noqa: E402

from walkapp import create_app  # noqa: E402
from walkapp.db import connect, database_path  # noqa: E402

ROLES = ("coordinator", "region", "admin")
# Routes not timed: assets, redirects of old paths, sign-in and language switches, the walker's
# phone API (a walker token, not a role), the partner's desk (a partner's person), photos (none).
SKIP_PREFIXES = ("/static", "/sw.js", "/manifest", "/lang", "/login", "/mail/", "/api/",
                 "/partner/", "/j", "/observations/<observation_id>/photos")
SKIP_ENDPOINTS = ("old_paths.", "partners.desk", "auth.")
EXTRA_QUERIES = ("/measures?status=open", "/measures?status=closed", "/walks?page=2")


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def urls(app, sample: dict) -> list[str]:
    """Every GET route the roles use, with the sample's ids in its arguments."""
    values = {
        "walk_id": sample["walk_id"],
        "place_id": sample["place_id"],
        "observation_id": sample["observation_id"],
        "promise_id": sample["promise_id"],
        "year": sample["year"],
        "slug": sample["slug"],
        "language": "en",
        "code": sample["code"],
    }
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.rule.startswith(SKIP_PREFIXES):
            continue
        if rule.endpoint.startswith(SKIP_ENDPOINTS) or not set(rule.arguments) <= set(values):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", str(values[name]))
            path = path.replace(f"<int:{name}>", str(values[name]))
        found.append(path)
    return found + list(EXTRA_QUERIES)


def time_url(client, url: str) -> dict:
    """p50/p95 of a few requests (fewer for slow pages) and the peak memory growth."""
    times, peak, status = [], 0, None
    while True:
        rss = _rss_kb("VmRSS")
        _reset_peak()
        start = time.perf_counter()
        response = client.get(url)
        # Read as a server sends it, chunk by chunk: a streamed export is never one string here.
        size = sum(len(chunk) for chunk in response.iter_encoded())
        times.append(time.perf_counter() - start)
        response.close()
        peak = max(peak, _rss_kb("VmHWM") - rss)
        status = response.status_code
        first = times[0]
        if len(times) >= (5 if first < 0.5 else 3 if first < 3 else 1):
            break
    times.sort()
    return {
        "url": url,
        "status": status,
        "bytes": size,
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))] * 1000, 1),
        "peak_mb": round(peak / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--walks", type=int, default=20_000)
    parser.add_argument(
        "--keep", help="a folder to keep the instance in, reused when run again (default: none)"
    )
    parser.add_argument("--only", help="time only URLs containing this text")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="walkapp-national-")
    app = create_app(
        {"INSTANCE": folder, "TESTING": True, "RATELIMIT_ENABLED": False,
         "WTF_CSRF_ENABLED": False}
    )
    db = connect(database_path(app))
    start = time.perf_counter()
    kept = Path(folder) / "national.json"
    if kept.exists():  # --keep of an earlier run: its data again, not filled twice
        sample = json.loads(kept.read_text())
        start -= sample["fill_s"]
    else:
        sample = fill(
            db, organisations=args.organisations, walks=args.walks, observations=args.observations
        )
        sample["code"] = db.execute(
            "select code from walks where id = ?", [sample["walk_id"]]
        ).fetchone()[0]
        sample["fill_s"] = round(time.perf_counter() - start, 1)
        if args.keep:
            kept.write_text(json.dumps(sample))
    filled_s = time.perf_counter() - start
    from national_fixes import compare  # noqa: E402  (after the fill: it reads the same file)

    fixes = compare(db, sample)
    db.close()
    load = os.getloadavg()[0]
    print(
        f"{sample['organisations']} organisations, {sample['places']} places,"
        f" {sample['walks']} walks, {sample['observations']} observations"
        f" (filled in {filled_s:.0f} s); load average {load:.1f}"
    )
    results = {}
    for role in ROLES:
        client = app.test_client()
        username = sample["coordinator"] if role == "coordinator" else role
        signed_in = client.post("/login", data={"username": username, "password": PASSWORD})
        assert signed_in.status_code == 302 and "/login" not in signed_in.location, username
        for url in urls(app, sample):
            if args.only and args.only not in url:
                continue
            row = time_url(client, url)
            results.setdefault(url, {})[role] = row
            print(
                f"{role:<12} {url:<58} {row['status']} p50 {row['p50_ms']:>9.1f} ms"
                f"  p95 {row['p95_ms']:>9.1f} ms  +{row['peak_mb']:.0f} MB",
                flush=True,
            )
    print("\nfixes (walkapp beside the query it replaced, same database):")
    for fix in fixes:
        print(
            f"  {fix['name']:<40} walkapp {fix['walkapp_ms']:>8.2f} ms"
            f"  naive {fix['naive_ms']:>9.2f} ms  ×{fix['ratio']}  same answer: {fix['same']}"
        )
    timed = [
        (row["p95_ms"], role, url) for url, roles in results.items() for role, row in roles.items()
    ]
    worst = max(timed, default=(0, None, None))
    if not args.keep:
        shutil.rmtree(folder)
    print(
        json.dumps(
            {
                "benchmark": "national",
                **{k: sample[k] for k in ("organisations", "places", "walks", "observations")},
                "fill_s": round(filled_s, 1),
                "load_average": round(load, 1),
                "worst_p95": {"ms": worst[0], "role": worst[1], "url": worst[2]},
                "max_peak_mb": max(
                    (row["peak_mb"] for roles in results.values() for row in roles.values()),
                    default=0,
                ),
                "fixes": fixes,
                "p95_ms": {
                    url: {role: row["p95_ms"] for role, row in roles.items()}
                    for url, roles in results.items()
                },
            }
        )
    )


if __name__ == "__main__":
    main()
