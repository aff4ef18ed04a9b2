"""The public page under load of data: server time, page weight and (optionally) Lighthouse.

Five years of walks (WALKS_PER_YEAR closed walks a year, FINDINGS_PER_WALK findings each, spread
over the shipped places with every measure status) in a real SQLite file. Prints:

- the time to render `/` (the current year) with walkapp's SQL aggregation, beside the approach a
  developer would otherwise pick: load every finding of the year and group it in Python;
- the bytes a phone downloads (HTML + CSS, raw and gzipped; no JavaScript, no images);
- Lighthouse's mobile performance and accessibility scores, when `lighthouse` is installed
  (`npm install lighthouse`; set LIGHTHOUSE=path/to/bin/lighthouse or put it on PATH).

Run from the repository root: python benchmarks/public_page.py. The last line is JSON.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from walkapp import create_app, promises  # noqa: E402
from walkapp.db import connect, database_path, transaction  # noqa: E402
from walkapp.db import places as places_db  # noqa: E402
from walkapp.db import promises as promises_db  # noqa: E402
from walkapp.db import walks as walks_db  # noqa: E402
from walkapp.db.observations import insert_observation  # noqa: E402
from walkapp.public import today  # noqa: E402
from walkapp.vocabulary import CATEGORIES, MEASURE_STATUSES  # noqa: E402

WALKS_PER_YEAR = 40
FINDINGS_PER_WALK = 100
YEARS = 5
RUNS = 40


def seed(db, year: int, rng: random.Random) -> None:
    place_ids = [place["id"] for place in places_db.list_places(db)]
    categories = list(CATEGORIES)
    statuses = list(MEASURE_STATUSES)
    promise_id = promises.create(db, year, "LPO Norrmalm", str(year), None, 1)
    commitments = promises_db.list_commitments(db, promise_id)
    for number in range(WALKS_PER_YEAR):
        starts = f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}T18:00"
        walk = walks_db.create_walk(
            db, title=f"Vandring {number}", starts_at=starts, place_ids=rng.sample(place_ids, 3)
        )
        walks_db.set_state(db, walk["id"], "closed")
        walker = walks_db.add_walker(db, walk["id"], "Deltagare")
        with transaction(db):
            for _ in range(FINDINGS_PER_WALK):
                observation_id = str(uuid.uuid4())
                insert_observation(
                    db,
                    {
                        "id": observation_id,
                        "walk_id": walk["id"],
                        "walker_id": walker,
                        "category": rng.choice(categories),
                        "rating": rng.choice(("red", "yellow", "green")),
                        "note": "En anteckning som aldrig visas publikt.",
                        "lon": 18.06,
                        "lat": 59.33,
                        "accuracy_m": 8.0,
                        "recorded_at": starts,
                        "late": 0,
                        "place_id": rng.choice(place_ids + [None]),
                        "relation": "inside",
                        "distance_m": 0.0,
                    },
                )
                db.execute(
                    "update measures set status = ? where observation_id = ?",
                    [rng.choice(statuses), observation_id],
                )
    for item in commitments:
        if item["counting"] == "activities":
            for month in range(1, 7):
                promises.add_activity(
                    db, item["id"], f"{year}-{month:02d}-10", "Insats", None, None
                )


def naive_overview(db, year: int) -> tuple[list, list]:
    """The usual first version: the year's findings into Python (rows), grouped there."""
    rows = db.query(
        "select o.*, m.status, p.name as place from walks w"
        " join observations o on o.walk_id = w.id join measures m on m.observation_id = o.id"
        " left join places p on p.id = o.place_id"
        " where w.state = 'closed' and w.starts_at >= ? and w.starts_at < ?",
        [str(year), str(year + 1)],
    )
    walks: dict = defaultdict(lambda: {"findings": 0, "fixed": 0})
    places: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in rows:
        if row["category"] == "incident" or row["status"] == "duplicate":
            continue
        walks[row["walk_id"]]["findings"] += 1
        walks[row["walk_id"]]["fixed"] += row["status"] in ("done", "verified")
        places[row["place"]][row["category"]][row["status"]] += 1
    return list(walks.values()), list(places.items())


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def timed(fn, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def lighthouse(url: str) -> dict | None:
    binary = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    chrome = shutil.which("chromium") or "/usr/bin/chromium"
    if not binary or not Path(chrome).exists():
        return None
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "lh.json"
        subprocess.run(
            [
                binary,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            env={**os.environ, "CHROME_PATH": chrome},
            check=True,
            capture_output=True,
        )
        data = json.loads(report.read_text())
    audits = data["audits"]
    return {
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "first_contentful_paint_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "largest_contentful_paint_ms": round(audits["largest-contentful-paint"]["numericValue"]),
    }


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE": folder, "RATELIMIT_ENABLED": False})
        db = connect(database_path(app))
        this_year = today().year
        started = time.perf_counter()
        for year in range(this_year - YEARS + 1, this_year + 1):
            seed(db, year, rng)
        observations = db.execute("select count(*) from observations").fetchone()[0]
        print(
            f"seeded {observations} findings over {YEARS} years in "
            f"{time.perf_counter() - started:.1f} s"
        )

        client = app.test_client()
        html = client.get("/").get_data()
        css = b"".join(
            client.get(f"/static/css/{name}").get_data() for name in ("app.css", "public.css")
        )
        page_median, page_p95 = timed(lambda: client.get("/"))

        from walkapp.db import public as public_db
        from walkapp.public import observations_by_place

        ours_median, _ = timed(
            lambda: (
                public_db.walks_held(db, this_year),
                observations_by_place(public_db.observation_counts(db, this_year)),
            )
        )
        naive_median, _ = timed(lambda: naive_overview(db, this_year))

        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        scores = lighthouse(f"http://127.0.0.1:{server.server_port}/")
        server.shutdown()
        db.close()

    weight = {
        "html_bytes": len(html),
        "css_bytes": len(css),
        "gzip_bytes": len(gzip.compress(html)) + len(gzip.compress(css)),
    }
    print(
        f"GET / ({WALKS_PER_YEAR} walks, {WALKS_PER_YEAR * FINDINGS_PER_WALK} findings this "
        f"year): median {page_median:.1f} ms, p95 {page_p95:.1f} ms"
    )
    print(
        f"aggregation: walkapp SQL {ours_median:.1f} ms, load-all-and-group-in-Python "
        f"{naive_median:.1f} ms (walkapp {naive_median / ours_median:.1f}x faster)"
    )
    print(
        f"page weight: HTML {weight['html_bytes']} B + CSS {weight['css_bytes']} B, "
        f"{weight['gzip_bytes']} B gzipped; no JavaScript, no images"
    )
    print("lighthouse (mobile):", scores or "skipped (lighthouse not installed)")
    print(
        json.dumps(
            {
                "findings_total": observations,
                "page_median_ms": round(page_median, 1),
                "page_p95_ms": round(page_p95, 1),
                "aggregation_ms": round(ours_median, 2),
                "naive_aggregation_ms": round(naive_median, 2),
                "ratio": round(naive_median / ours_median, 1),
                **weight,
                "lighthouse": scores,
            }
        )
    )


if __name__ == "__main__":
    main()
