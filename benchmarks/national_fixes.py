"""The national benchmark's fixes, each timed beside the naive query it replaced on the same
database, as a ratio, with a check that both answer the same (benchmarks/national.py prints
them)."""

from __future__ import annotations

import time

from walkapp.db import rows
from walkapp.db import walks as walks_db
from walkapp.walks import LIST_ROWS

# The walks page before paging: every walk in scope, each counted.
ALL_WALKS_COUNTED = """
    select w.*,
        (select count(*) from observations o where o.walk_id = w.id) as observations,
        (select count(*) from walkers k where k.walk_id = w.id) as walkers
    from walks w order by w.starts_at desc, w.id
"""


def _best(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _row(name: str, ours: tuple[float, object], naive: tuple[float, object], same: bool) -> dict:
    return {
        "name": name,
        "walkapp_ms": round(ours[0] * 1000, 1),
        "naive_ms": round(naive[0] * 1000, 1),
        "ratio": round(naive[0] / ours[0], 1),
        "same": same,
    }


def walks_page(db) -> dict:
    """The walks page as an admin: a page of 100 (and the count) against every walk counted."""
    ours = _best(
        lambda: (walks_db.count_walks(db), walks_db.walks_with_counts(db, None, (LIST_ROWS, 0)))
    )
    naive = _best(lambda: rows(db, ALL_WALKS_COUNTED))
    total, page = ours[1]
    return _row("walks page (admin, page 1)", ours, naive,
                total == len(naive[1]) and page == naive[1][:LIST_ROWS])  # fmt: skip


def compare(db, sample: dict) -> list[dict]:
    return [walks_page(db)]
