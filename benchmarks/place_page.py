"""The meeting's place page: the walks that passed a place, with how many observations each made
there (walkapp.db.walks.walks_for_place), at WALKS walks of OBSERVATIONS_PER_WALK observations
spread over the shipped places.

Prints walkapp's query (the place's observations counted once, grouped by walk) beside the
correlated query it replaced (a count and an EXISTS over the place's observations for every walk),
both on the same real SQLite file, as a ratio, and checks they answer the same. Run from the
repository root: python benchmarks/place_page.py [WALKS]. The last line is JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from walkapp import create_app  # noqa: E402
from walkapp.db import connect, database_path  # noqa: E402
from walkapp.db.walks import walks_for_place  # noqa: E402

OBSERVATIONS_PER_WALK = 50
STAMP = "2026-01-01T18:00:00+00:00"
CORRELATED = (
    "select w.id, w.title, w.starts_at, w.state, w.follow_up_at,"
    " (select count(*) from observations o where o.walk_id = w.id and o.place_id = :place)"
    " as observations"
    " from walks w where exists (select 1 from walk_places wp where wp.walk_id = w.id"
    " and wp.place_id = :place) or exists (select 1 from observations o"
    " where o.walk_id = w.id and o.place_id = :place)"
    " order by w.starts_at"
)


def fill(db, walks: int) -> None:
    places = [row[0] for row in db.execute("select id from places")]
    db.execute("begin")
    for w in range(walks):
        walk_id = str(uuid.uuid4())
        db.execute(
            "insert into walks (id, title, starts_at, state, code, created_at)"
            " values (?, ?, ?, 'closed', ?, ?)",
            [walk_id, f"Vandring {w}", f"2026-01-01T18:{w % 60:02d}", f"B{w:05d}", STAMP],
        )
        db.execute(
            "insert into walk_places (walk_id, place_id) values (?, ?)",
            [walk_id, places[w % len(places)]],
        )
        db.conn.executemany(
            "insert into observations (id, walk_id, category, rating, note, lon, lat,"
            " recorded_at, received_at, updated_at, place_id, relation)"
            " values (?, ?, 'lighting', 'red', '', 18.06, 59.33, ?, ?, ?, ?, 'inside')",
            [
                (str(uuid.uuid4()), walk_id, STAMP, STAMP, STAMP, places[(i + w) % len(places)])
                for i in range(OBSERVATIONS_PER_WALK)
            ],
        )
    db.execute("commit")


def timed(fn) -> tuple[float, list]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    walks = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE": folder, "TESTING": True})
        db = connect(database_path(app))
        fill(db, walks)
        ours_s, ours = timed(lambda: walks_for_place(db, 1))
        naive_s, naive = timed(lambda: list(db.query(CORRELATED, {"place": 1})))
        db.close()
    observations = walks * OBSERVATIONS_PER_WALK
    print(f"{walks} walks, {observations} observations; place 1 in {len(ours)} walks")
    print(f"walkapp (grouped once):   {ours_s * 1000:.1f} ms")
    print(f"correlated per walk:      {naive_s * 1000:.1f} ms")
    print(
        json.dumps(
            {
                "benchmark": "place_page",
                "walks": walks,
                "observations": observations,
                "walkapp_ms": round(ours_s * 1000, 1),
                "correlated_ms": round(naive_s * 1000, 1),
                "ratio": round(naive_s / ours_s, 1),
                "same_answer": ours == naive,
            }
        )
    )


if __name__ == "__main__":
    main()
