"""The region view at national scale: `/region` and `/region.csv` as a region user (Stockholms
län: 6 of 100 organisations) and as the instance's admin (all 100), on the national benchmark's
data (benchmarks/national_data.py), and its findings per organisation and place kind counted by
SQLite in one grouped query beside the naive way: every observation of the instance read and
counted in Python. Run from the repository root:

    python benchmarks/region.py [--observations 100000] [--keep FOLDER]

`--keep` reuses a folder filled by an earlier run (of this script). The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from national import time_url  # noqa: E402
from national_data import PASSWORD, fill  # noqa: E402

from walkapp import clock, create_app  # noqa: E402
from walkapp.db import connect, database_path  # noqa: E402
from walkapp.db import region as region_db  # noqa: E402
from walkapp.vocabulary import FIXED_STATUSES, OPEN_STATUSES  # noqa: E402

YEARS = (2026, 2020)  # the last year (mostly open) and an earlier one (mostly fixed)
EVERY_OBSERVATION = """
    select w.id, w.organisation_id, o.relation, m.status, w.starts_at
    from observations o join measures m on m.observation_id = o.id join walks w on w.id = o.walk_id
"""


def naive_findings(db, year: int) -> dict:
    """The same counts from every observation of the instance, grouped in Python (a joint
    walk's for its lead and each co-organiser)."""
    start, end = clock.year_bounds(year)
    beside: dict = {}
    for walk_id, organisation in db.execute(
        "select walk_id, organisation_id from walk_organisers where accepted_at is not null"
    ):
        beside.setdefault(walk_id, []).append(organisation)
    found: dict = {}
    for walk_id, lead, relation, status, starts_at in db.execute(EVERY_OBSERVATION):
        if not start <= starts_at < end:
            continue
        for organisation in {lead, *beside.get(walk_id, ())}:
            kinds = found.setdefault(organisation, {})
            counts = kinds.setdefault(relation, {"open": 0, "fixed": 0})
            if status in OPEN_STATUSES:
                counts["open"] += 1
            elif status in FIXED_STATUSES:
                counts["fixed"] += 1
    return found


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--keep", help="a folder to keep the instance in, reused when run again")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="walkapp-region-")
    app = create_app({"INSTANCE": folder, "TESTING": True, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False})  # fmt: skip
    db = connect(database_path(app))
    kept = Path(folder) / "region.json"
    if kept.exists():
        sample = json.loads(kept.read_text())
    else:
        sample = fill(db, observations=args.observations)
        db.execute("analyze")
        if args.keep:
            kept.write_text(json.dumps(sample))
    load = os.getloadavg()[0]
    results = {}
    for role in ("region", "admin"):
        client = app.test_client()
        signed_in = client.post("/login", data={"username": role, "password": PASSWORD})
        assert signed_in.status_code == 302 and "/login" not in signed_in.location, role
        for url in [f"/region?year={year}" for year in YEARS] + ["/region.csv"]:
            row = time_url(client, url)
            results.setdefault(url, {})[role] = row
            print(f"{role:<8} {url:<20} {row['status']} p50 {row['p50_ms']:>8.1f} ms"
                  f"  p95 {row['p95_ms']:>8.1f} ms  +{row['peak_mb']:.0f} MB", flush=True)  # fmt: skip
    queries = {}
    for year in YEARS:
        ours = _timed(lambda: region_db.findings_by_place_kind(db, year, None))  # noqa: B023
        naive = _timed(lambda: naive_findings(db, year))  # noqa: B023
        queries[year] = {
            "grouped_ms": round(ours[0] * 1000, 1),
            "naive_ms": round(naive[0] * 1000, 1),
            "ratio": round(naive[0] / ours[0], 1),
            "same": ours[1] == naive[1],
        }
        print(f"findings {year}: grouped {queries[year]['grouped_ms']} ms, every observation in"
              f" Python {queries[year]['naive_ms']} ms, ×{queries[year]['ratio']},"
              f" same answer: {queries[year]['same']}")  # fmt: skip
    db.close()
    if not args.keep:
        shutil.rmtree(folder)
    print(json.dumps({
        "benchmark": "region",
        "observations": sample["observations"],
        "organisations": sample["organisations"],
        "load_average": round(load, 1),
        "p95_ms": {url: {role: row["p95_ms"] for role, row in roles.items()}
                   for url, roles in results.items()},
        "findings": queries,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
