"""The platssamverkan meeting's view of one place, computed from its measures and walks.

No Flask, no SQL: takes the rows walkapp.db hands over and returns what the page shows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from .places import metres_between

OPEN = ("new", "assigned", "planned")
SAME_FINDING_M = 25.0
DEFAULT_LOOKBACK_DAYS = 90


def default_since(walks: list[dict], today: date) -> date:
    """The previous follow-up meeting of a walk at this place, else 90 days back."""
    meetings = [
        datetime.fromisoformat(w["follow_up_at"]).date()
        for w in walks
        if w.get("follow_up_at") and datetime.fromisoformat(w["follow_up_at"]).date() < today
    ]
    return max(meetings) if meetings else today - timedelta(days=DEFAULT_LOOKBACK_DAYS)


def open_measures(lines: list[dict], today: date) -> list[dict]:
    """Open measures, overdue first (oldest deadline first), then by deadline, then undated."""
    rows = []
    for line in lines:
        if line["status"] not in OPEN:
            continue
        overdue = bool(line["deadline"]) and date.fromisoformat(line["deadline"]) < today
        rows.append({**line, "overdue": overdue})
    return sorted(
        rows, key=lambda r: (not r["overdue"], r["deadline"] is None, r["deadline"] or "")
    )


def counts(lines: list[dict]) -> dict:
    return {
        "by_category": Counter(line["category"] for line in lines).most_common(),
        "by_status": Counter(line["status"] for line in lines),
    }


def compare_latest_walk(lines: list[dict], walks: list[dict]) -> dict | None:
    """For a place walked more than once: what the latest walk found again (same category within
    25 m of an earlier finding), what is new, and which earlier findings were verified fixed."""
    walked = [w for w in walks if any(line["walk_id"] == w["id"] for line in lines)]
    if len(walked) < 2:
        return None
    latest = walked[-1]
    current = [line for line in lines if line["walk_id"] == latest["id"]]
    earlier = [line for line in lines if line["walk_id"] != latest["id"]]
    again, new, matched_earlier = [], [], set()
    for line in current:
        same = [e for e in earlier if e["category"] == line["category"]]
        distances = metres_between((line["lon"], line["lat"]), [(e["lon"], e["lat"]) for e in same])
        close = [e for e, d in zip(same, distances) if d <= SAME_FINDING_M]
        if close:
            again.append({**line, "earlier": close[0]})
            matched_earlier.update(e["id"] for e in close)
        else:
            new.append(line)
    fixed = [e for e in earlier if e["status"] == "verified" and e["id"] not in matched_earlier]
    return {"walk": latest, "again": again, "new": new, "fixed": fixed}
