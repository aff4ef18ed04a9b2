"""Measures: the rules of a triage change and the platssamverkan meeting's view of a place.

No Flask, no SQL: takes what walkapp.db hands over; messages are marked for translation and
the views put them beside the fields.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from .observations import parse_uuid
from .places import metres_between
from .vocabulary import OPEN_STATUSES

NEEDS_PARTNER = ("assigned", "planned")


def triage_changes(
    submitted: dict, current: dict, observation_id: str, today: date, exists
) -> tuple[dict, dict]:
    """(changes, errors). submitted: status, partner_id (0 = none), deadline (date|None),
    reason, duplicate_of, comment. current: the stored measure. exists(id) -> bool."""
    errors: dict = {}
    status = submitted["status"]
    partner_id = submitted["partner_id"] or None
    deadline = submitted["deadline"].isoformat() if submitted["deadline"] else None
    reason = (submitted.get("reason") or "").strip()
    duplicate_raw = (submitted.get("duplicate_of") or "").strip()
    duplicate_of = None
    if deadline and deadline != current["deadline"] and submitted["deadline"] < today:
        errors["deadline"] = _l("Sista dag kan inte ligga i det förflutna.")
    if status == "not_possible" and not reason:
        errors["reason"] = _l("Skriv varför det inte går att åtgärda.")
    if status in NEEDS_PARTNER and partner_id is None:
        errors["partner_id"] = _l("Välj vem som ansvarar för åtgärden.")
    # PRODUCT.md: planned means a deadline is set.
    if status == "planned" and not deadline:
        errors["deadline"] = _l("En planerad åtgärd behöver en sista dag.")
    if status == "duplicate":
        duplicate_of = parse_uuid(duplicate_raw)
        if not duplicate_raw:
            errors["duplicate_of"] = _l("Ange vilken observation detta är en dubblett av.")
        elif duplicate_of is None or not exists(duplicate_of):
            errors["duplicate_of"] = _l("Det finns ingen observation med det id:t.")
        elif duplicate_of == observation_id:
            errors["duplicate_of"] = _l("En observation kan inte vara dubblett av sig själv.")
    if errors:
        return {}, errors
    changes = {
        "status": status,
        "partner_id": partner_id,
        "deadline": deadline,
        "reason": reason if status == "not_possible" else "",
        "duplicate_of": duplicate_of,
        "comment": (submitted.get("comment") or "").strip(),
    }
    return changes, {}


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
        if line["status"] not in OPEN_STATUSES:
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
