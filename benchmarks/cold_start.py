"""Cold start: a fresh process, from `import walkapp` to the first page served, on a big database.

Usage: python benchmarks/cold_start.py --instance FOLDER [--runs 5]
       (FOLDER: an instance kept by `benchmarks/national.py --keep FOLDER`, e.g. 1 000 000
       observations; without --instance a 100 000-observation one is filled in a temporary folder)

Each run is a new Python process (as a gunicorn worker boots): import walkapp, create_app (the
migrations check and the planner statistics kept fresh by `pragma optimize` within
`analysis_limit`, walkapp/db/__init__.py), then the public page `/` and the coordinator's
`/places`. Beside it, in the same run, what a start that refreshes the planner's statistics with
a plain `ANALYZE` (every row of every index read) would add. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ONE_START = """
import json, sys, time
began = time.perf_counter()
from walkapp import create_app
imported = time.perf_counter()
app = create_app({"INSTANCE": sys.argv[1], "TESTING": True, "RATELIMIT_ENABLED": False,
                  "WTF_CSRF_ENABLED": False})
created = time.perf_counter()
client = app.test_client()
assert client.get("/").status_code == 200
public = time.perf_counter()
coordinator = json.loads(sys.argv[2])
signed_in = client.post("/login", data=coordinator)
assert signed_in.status_code == 302, signed_in.status_code
assert client.get("/places").status_code == 200
places = time.perf_counter()
print(json.dumps({"import_s": imported - began, "create_app_s": created - imported,
                  "first_public_s": public - created, "start_to_public_s": public - began,
                  "places_s": places - public}))
"""

FULL_ANALYZE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("pragma analysis_limit = 0")
began = time.perf_counter()
conn.execute("analyze")
print(time.perf_counter() - began)
"""


def fill_instance(folder: Path) -> dict:
    from national_data import fill

    from walkapp import create_app
    from walkapp.db import connect, database_path

    app = create_app({"INSTANCE": str(folder), "TESTING": True})
    db = connect(database_path(app))
    sample = fill(db, organisations=100, walks=20_000, observations=100_000)
    db.close()
    return sample


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", help="an instance folder kept by benchmarks/national.py")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.instance:
        folder = Path(args.instance)
        sample = json.loads((folder / "national.json").read_text())
    else:
        folder = Path(tempfile.mkdtemp(prefix="walkapp-cold-"))
        sample = fill_instance(folder)
    from national_data import PASSWORD  # the sample's users' password

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    login = json.dumps({"username": sample["coordinator"], "password": PASSWORD})

    def start() -> dict:
        done = subprocess.run(
            [sys.executable, "-c", ONE_START, str(folder), login],
            env=env, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        if done.returncode:
            sys.exit(done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    start()  # an upgrade's migrations and the first statistics, once, not timed
    runs = [start() for _ in range(args.runs)]
    database = str(folder / "walkapp.db")
    analyze = subprocess.run(
        [sys.executable, "-c", FULL_ANALYZE, database], capture_output=True, text=True, check=True
    )
    full_analyze_s = float(analyze.stdout.strip())
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    worst = max(run["start_to_public_s"] for run in runs)
    size_mb = os.path.getsize(database) / 1e6
    print(
        f"{sample['observations']} observations ({size_mb:.0f} MB), {args.runs} fresh processes: "
        f"import {median['import_s']:.2f} s, create_app {median['create_app_s']:.2f} s, first "
        f"public page {median['first_public_s']:.2f} s; start to first page median "
        f"{median['start_to_public_s']:.2f} s, worst {worst:.2f} s; then /places as coordinator "
        f"{median['places_s']:.2f} s"
    )
    naive = median["start_to_public_s"] + full_analyze_s
    print(
        f"a start refreshing statistics with a full ANALYZE instead: +{full_analyze_s:.2f} s "
        f"({naive / median['start_to_public_s']:.1f}× walkapp's start)"
    )
    load = os.getloadavg()[0]
    print(json.dumps({
        "benchmark": "cold_start", "observations": sample["observations"],
        "database_mb": round(size_mb), "load_average": round(load, 1),
        "median": {k: round(v, 3) for k, v in median.items()}, "worst_start_s": round(worst, 3),
        "full_analyze_s": round(full_analyze_s, 3),
        "ratio_naive_to_walkapp": round(naive / median["start_to_public_s"], 1),
    }))  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    main()
