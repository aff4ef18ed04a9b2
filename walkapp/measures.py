"""Measures: the rules of a status change (triage and the meeting's quick change share them),
the triage queue, several walkers' observations of one thing, and the meeting's view of a place.

No Flask, no SQL: takes what walkapp.db hands over; messages are marked for translation and
the views put them beside the fields.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta

import sqlite_utils
from flask_babel import lazy_gettext as _l

from . import clock
from .clock import deadline_bounds, local_day
from .db import audit_log, transaction
from .db import measures as measures_db
from .db import partners as partners_db
from .inputs import parse_uuid
from .places import metres_between, metric_xy
from .vocabulary import STATUS_FIELDS, STATUS_REQUIRES, is_fixed, is_good, is_open

# Two observations of the same category this close are one thing: several walkers' groups, possible
# duplicates in triage, "found again" on a repeat walk.
SAME_FINDING_M = 25.0
DEFAULT_LOOKBACK_DAYS = 90
# The meeting's place view shows so many rows of a list (open, fixed, good, walks) before "Visa fler".
PAGE_ROWS = 20
# The measures list pages this many rows: a whole region's open measures are tens of thousands.
LIST_ROWS = 100

# History fields in words: "Ansvarig: – → Trafikkontoret", "Status: Ny → Planerad".
FIELD_LABELS = {
    "status": _l("Status"),
    "partner_id": _l("Ansvarig"),
    "deadline": _l("Sista dag"),
    "reason": _l("Skäl"),
    "duplicate_of": _l("Dubblett av"),
    "comment": _l("Kommentar"),
    "walker_answer": _l("Deltagaren svarade"),
    "rewalk_check": _l("Kontroll på uppföljningsvandringen"),
}
# The walker's answer to "Är det åtgärdat?" as its history row says it.
WALKER_ANSWERS = {"yes": _l("åtgärdat"), "no": _l("inte åtgärdat")}
# A walker's check on a re-walk (walkapp/rewalks.py) as its history row says it.
CHECK_ANSWERS = {"fixed": _l("åtgärdat"), "still_there": _l("finns kvar")}
# History rows of what a walker said: shown as "label: answer", never with a name.
WALKER_FIELDS = {"walker_answer": WALKER_ANSWERS, "rewalk_check": CHECK_ANSWERS}
# Beside the triage fields: what the chosen status requires.
REQUIRED_HINTS = {
    "partner_id": _l("Krävs för Tilldelad och Planerad."),
    "deadline": _l("Krävs för Planerad."),
    "reason": _l("Krävs för Går inte att åtgärda."),
    "duplicate_of": _l("Krävs för Dubblett: välj en av de möjliga dubbletterna."),
}


def triage_changes(
    submitted: dict,
    current: dict,
    observation_id: str,
    today: date,
    exists,
    restoring: str | None = None,
) -> tuple[dict, dict]:
    """(changes, errors): the one rule of a status change. submitted: status, partner_id
    (0 = none), deadline (date|None), reason, duplicate_of, comment. current: the stored
    measure. exists(id) -> bool. Only the fields the chosen status carries (STATUS_FIELDS) are
    taken from `submitted`; the others are emptied, whatever was sent. restoring: a deadline an
    undo puts back, allowed in the past like the one stored."""
    errors: dict = {}
    status = submitted["status"]
    carried = STATUS_FIELDS.get(status, ())
    partner_id = (submitted["partner_id"] or None) if "partner_id" in carried else None
    day = submitted["deadline"] if "deadline" in carried else None
    deadline = day.isoformat() if day else None
    reason = (submitted.get("reason") or "").strip() if "reason" in carried else ""
    duplicate_raw = (submitted.get("duplicate_of") or "").strip()
    duplicate_of = None
    first, last = deadline_bounds(today)
    if deadline and deadline not in (current["deadline"], restoring):
        if day < first:
            errors["deadline"] = _l("Sista dag kan inte ligga i det förflutna.")
        elif day > last:
            errors["deadline"] = _l("Välj en sista dag senast %(last)s.", last=last.isoformat())
    required = STATUS_REQUIRES.get(status, ())
    if "reason" in required and not reason:
        errors["reason"] = _l("Skriv varför det inte går att åtgärda.")
    if "partner_id" in required and partner_id is None:
        errors["partner_id"] = _l("Välj vem som ansvarar för åtgärden.")
    if "deadline" in required and not deadline and "deadline" not in errors:
        errors["deadline"] = _l("En planerad åtgärd behöver en sista dag.")
    if "duplicate_of" in required:
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
        "reason": reason,
        "duplicate_of": duplicate_of,
    }
    # A change without a comment keeps the last one written (the protocol's "Kommentar"): a
    # quick change at the meeting never wipes what triage wrote.
    comment = (submitted.get("comment") or "").strip()
    if comment:
        changes["comment"] = comment
    return changes, {}


STALE_FORM = _l(
    "Åtgärden ändrades efter att sidan öppnades, så inget sparades. Här är den som den är nu:"
    " se historiken och spara igen om det behövs."
)


def change(
    db: sqlite_utils.Database,
    observation: dict,
    submitted: dict,
    user_id: int | None,
    seen: int | None = None,
    restoring: str | None = None,
) -> tuple[list[dict], dict]:
    """The one door of a measure's change — triage, the meeting's quick change and its undo,
    marking a duplicate: judged by triage_changes, then stored with one history row per changed
    field and an audit entry, in one transaction. line: the stored measure. seen: the history
    row the form was opened at (measures_db.last_change); when the measure changed since,
    nothing is stored, so a form opened earlier never overwrites a later change (a duplicate
    marked in between). restoring: the deadline an undo puts back (see triage_changes). Returns
    (made, errors); errors["seen"] for a stale form."""
    changes, errors = triage_changes(
        submitted,
        observation,
        observation["id"],
        clock.today(),
        lambda i: measures_db.observation_exists(db, i, beside=observation["id"]),
        restoring,
    )
    if errors:
        return [], errors
    with transaction(db):
        if seen is not None and measures_db.last_change(db, observation["id"]) != seen:
            return [], {"seen": STALE_FORM}
        return _store_within(db, observation["id"], user_id, changes), {}


def latest_status_change(entries: list[dict]) -> list[dict]:
    """The latest status change of a measure, when it is the latest change: its history rows.
    entries: newest first. A change writes its status row first (triage_changes' order), so the
    rows from the newest down to the first status row are one change, if they share its moment
    and author (two changes within one second stay apart)."""
    for count, entry in enumerate(entries, start=1):
        if entry["field"] == "status":
            group = entries[:count]
            same = {(e["changed_at"], e["changed_by"]) for e in group}
            return group if len(same) == 1 else []
    return []


def undo_submission(
    observation: dict, entries: list[dict], user_id: int | None
) -> tuple[dict, dict]:
    """(submitted, errors): what puts back the values the latest status change replaced, for
    `change` to store as a change of its own (the history keeps both). Only the one who made a
    change undoes it."""
    latest = latest_status_change(entries)
    if not latest:
        return {}, {"status": _l("Det finns ingen statusändring att ångra.")}
    if latest[0]["changed_by"] != user_id:
        return {}, {"status": _l("Den senaste ändringen gjorde någon annan; ändra i triagen.")}
    before = {**observation, **{e["field"]: e["old_value"] for e in latest}}
    return {
        "status": before["status"],
        "partner_id": int(before["partner_id"]) if before["partner_id"] else None,
        "deadline": date.fromisoformat(before["deadline"]) if before["deadline"] else None,
        "reason": before["reason"] or "",
        "duplicate_of": before["duplicate_of"] or "",
        "comment": "",
    }, {}


def undo(
    db: sqlite_utils.Database, observation: dict, user_id: int | None
) -> tuple[list[dict], dict]:
    """The meeting's "Ångra": back to the values before the latest status change, through the
    same door and rule as every change (an overdue deadline may come back)."""
    submitted, errors = undo_submission(
        observation, measures_db.history(db, observation["id"]), user_id
    )
    if errors:
        return [], errors
    restoring = submitted["deadline"].isoformat() if submitted["deadline"] else None
    return change(db, observation, submitted, user_id, restoring=restoring)


def undoable(rows: list[dict], latest: dict[str, dict], user_id: int | None, since: str) -> None:
    """Marks the rows whose latest change is this user's status change since `since` (the
    meeting's day): they get an "Ångra"."""
    for row in rows:
        change_ = latest.get(row["id"])
        row["undo"] = bool(
            change_ and change_["changed_by"] == user_id and change_["changed_at"] >= since
        )


def mark_duplicate(
    db: sqlite_utils.Database,
    observation: dict,
    duplicate_of: str,
    user_id: int | None,
    seen: int | None = None,
) -> tuple[list[dict], dict]:
    """This observation is a duplicate of that one (one click on a listed candidate); `seen` as
    for `change`: a page opened before another change stores nothing."""
    submitted = {
        **quick_submission(observation, "duplicate", {}),
        "duplicate_of": duplicate_of,
    }
    return change(db, observation, submitted, user_id, seen=seen)


def merge(db: sqlite_utils.Database, lead: dict, other_ids: list[str], user_id: int | None) -> int:
    """Several walkers, one thing: the others of the lead's walk become its duplicates, in one
    transaction. Returns how many were merged."""
    merged = 0
    with transaction(db):
        for other_id in other_ids:
            other = measures_db.get_observation(db, other_id)
            if other is None or other["walk_id"] != lead["walk_id"] or other_id == lead["id"]:
                continue
            submitted = {
                **quick_submission(other, "duplicate", {}),
                "duplicate_of": lead["id"],
            }
            changes, errors = triage_changes(
                submitted, other, other_id, clock.today(), lambda i: True
            )
            if not errors:
                _store_within(db, other_id, user_id, changes)
                merged += 1
    return merged


def set_status(
    db: sqlite_utils.Database,
    observation_id: str,
    status: str,
    user_id: int | None,
    partner_id: int | None = None,
    deadline: str | None = None,
    reason: str = "",
) -> list[dict]:
    """Set a measure's status (and partner/deadline when given) without the triage form's
    checks, with history and audit entry: for the demo data and tests' seeding."""
    changes: dict = {"status": status, "reason": reason}
    if partner_id is not None:
        changes["partner_id"] = partner_id
    if deadline is not None:
        changes["deadline"] = deadline
    with transaction(db):
        return _store_within(db, observation_id, user_id, changes)


def _reopened(current: dict) -> dict:
    """A fixed measure a walker says is not: back to its partner (assigned, the deadline
    cleared for a new one) or, without one, to triage (new)."""
    status = "assigned" if current["partner_id"] else "new"
    return {"status": status, "deadline": None, "reason": ""}


def answer_within(db: sqlite_utils.Database, observation_id: str, fixed: bool) -> list[dict]:
    """The step of a walker's answer (inside walkapp.mail.answer's transaction): the answer
    goes into the history; "not fixed" opens a measure that is still fixed again (_reopened)."""
    made = []
    current = measures_db.get_observation(db, observation_id)
    if not fixed and current is not None and is_fixed(current["status"]):
        made = _store_within(db, observation_id, None, _reopened(current))
    measures_db.add_history(db, observation_id, "walker_answer", "yes" if fixed else "no")
    return made


def check_changes(current: dict, answer: str) -> dict:
    """The rule of a walker's check on a re-walk, judged on the status the check finds:
    "fixed" on a done measure verifies it; on an open one (new, assigned, planned) marks it done
    (the walker saw it fixed, no one responsible has said so yet: a coordinator, or a second
    walker's "fixed", verifies it); on a verified one changes nothing. "still_there" on a done or
    verified measure opens it again (_reopened, as a walker's "no" from the mail); on an open one
    changes nothing. The answer goes into the history either way (check_within)."""
    status = current["status"]
    if answer == "fixed":
        if status == "done":
            return {"status": "verified"}
        return {"status": "done"} if is_open(status) else {}
    return _reopened(current) if is_fixed(status) else {}


def check_within(db: sqlite_utils.Database, current: dict, answer: str) -> str:
    """The step of a walker's check (inside walkapp.rewalks.record_check's transaction): the
    status check_changes gives, then the answer in the history, by nobody signed in (a walker's
    name is never written there). Returns the status after."""
    changes = check_changes(current, answer)
    if changes:
        _store_within(db, current["id"], None, changes)
    measures_db.add_history(db, current["id"], "rewalk_check", answer)
    return changes.get("status", current["status"])


def _store_within(
    db: sqlite_utils.Database, observation_id: str, user_id: int | None, changes: dict
) -> list[dict]:
    made = measures_db.update_measure(db, observation_id, user_id, changes)
    if made:
        detail = {c["field"]: c["new"] for c in made}
        audit_log.record(db, user_id, "update", "measure", observation_id, detail)
    return made


def quick_submission(current: dict, status: str, sent: dict) -> dict:
    """The meeting's quick change as a triage submission: sent holds the fields the form sent
    (partner_id, deadline, reason); one it did not send keeps its stored value, so the same
    rule (triage_changes) judges both and drops what the status does not carry."""
    stored = {
        "partner_id": current["partner_id"],
        "deadline": date.fromisoformat(current["deadline"]) if current["deadline"] else None,
        "reason": current["reason"],
    }
    return {
        **stored,
        **sent,
        "status": status,
        "duplicate_of": current["duplicate_of"] or "",
        "comment": "",
    }


# What a partner's person does with a measure of their partner, on their own screens: each a
# change through the one door (`change`), so the history keeps who and when.
PARTNER_ACTIONS = ("accept", "plan", "done", "decline")
ACCEPTED = "Tas emot av partnern."
DECLINED = "Lämnad tillbaka av partnern: %s"


def partner_answer(
    db: sqlite_utils.Database,
    observation: dict,
    action: str,
    sent: dict,
    user_id: int,
    seen: int | None = None,
) -> tuple[list[dict], dict]:
    """A partner's person answers: "accept" (history only), "plan" (planned, with a deadline),
    "done" (with a comment), "decline" — not ours, or not possible — with a reason, which puts
    it back to new without a partner, into the coordinators' triage queue. sent: deadline
    (date|None), comment, reason. (made, errors) as `change` gives."""
    comment = (sent.get("comment") or "").strip()
    if action == "accept":
        submission = quick_submission(observation, observation["status"], {})
        submission["comment"] = f"{ACCEPTED} {comment}".strip()
    elif action == "plan":
        submission = quick_submission(observation, "planned", {"deadline": sent.get("deadline")})
        submission["comment"] = comment
    elif action == "done":
        submission = quick_submission(observation, "done", {})
        submission["comment"] = comment
    elif action == "decline":
        reason = (sent.get("reason") or "").strip()
        if not reason:
            return [], {"reason": _l("Skriv varför den inte är er eller inte går att göra.")}
        submission = quick_submission(observation, "new", {})
        submission["comment"] = DECLINED % reason
    else:
        return [], {"action": _l("Välj vad ni vill göra.")}
    return change(db, observation, submission, user_id, seen)


# The meeting's "Går inte att åtgärda" section lists these; a duplicate goes with its observation.
CLOSED_SECTION_STATUSES = ("not_possible",)


def history_in_words(
    entries: list[dict],
    partners: dict[int, str],
    statuses: dict,
    short_ids: dict[str, dict],
    categories: dict,
) -> list[dict]:
    """History rows with a label and readable old/new values instead of raw keys and ids: an
    observation named by its walk, its category's label and the start of its id."""

    def observation(value: str) -> str:
        known = short_ids.get(value)
        if known is None:
            return value[:8]
        category = categories.get(known["category"], known["category"])
        return f"{known['title']} · {category} · {value[:8]}"

    def readable(field: str, value):
        if value is None or value == "":
            return "–"
        if field == "status":
            return str(statuses.get(value, value))
        if field == "partner_id":
            return partners.get(int(value), "–")
        if field == "deadline":
            return local_day(value)
        if field in WALKER_FIELDS:
            return str(WALKER_FIELDS[field].get(value, value))
        if field == "duplicate_of":
            return observation(value)
        return value

    return [
        {
            **entry,
            "label": str(FIELD_LABELS.get(entry["field"], entry["field"])),
            "old": readable(entry["field"], entry["old_value"]),
            "new": readable(entry["field"], entry["new_value"]),
            "said_by_walker": entry["field"] in WALKER_FIELDS,
        }
        for entry in entries
    ]


def next_in_queue(queue: list[str], current: str) -> str | None:
    """The next untriaged observation after `current` in a walk's or place's queue, wrapping round."""
    others = [item for item in queue if item != current]
    if not others:
        return None
    if current in queue:
        later = queue[queue.index(current) + 1 :]
        return later[0] if later else others[0]
    return others[0]


def walker_groups(observations: list[dict]) -> list[dict]:
    """A walk's observations as groups: the same category within SAME_FINDING_M recorded by two or more
    walkers is one thing. Merged duplicates sit under the observation they duplicate.

    Returns [{"lead": line, "merged": [lines], "candidates": [lines], "walkers": n}] in the
    order of the lead's recording; candidates are not merged yet (one step merges them)."""
    by_id = {observation["id"]: observation for observation in observations}
    merged: dict[str, list[dict]] = {}
    leads = []
    for observation in observations:
        target = observation.get("duplicate_of")
        if observation["status"] == "duplicate" and target in by_id:
            merged.setdefault(target, []).append(observation)
        else:
            leads.append(observation)
    groups, taken = [], set()
    near = _near_each_other(leads)
    for i, lead in enumerate(leads):
        if lead["id"] in taken:
            continue
        taken.add(lead["id"])
        candidates = []
        if lead["status"] != "duplicate":
            candidates = [
                other
                for other in (leads[j] for j in near(i))
                if other["id"] not in taken
                and other["status"] != "duplicate"
                and other["category"] == lead["category"]
                and other.get("walker_id") != lead.get("walker_id")
            ]
            taken.update(o["id"] for o in candidates)
        members = [lead, *merged.get(lead["id"], []), *candidates]
        walkers = {m.get("walker_id") or m["id"] for m in members}
        groups.append(
            {
                "lead": lead,
                "merged": merged.get(lead["id"], []),
                "candidates": candidates,
                "walkers": len(walkers),
            }
        )
    return groups


def _near_each_other(observations: list[dict]):
    """near(i): the indexes of the other observations within SAME_FINDING_M of observation i, in
    list order. Positions are projected once and binned in cells of that size, so a walk of
    10 000 observations compares each with its neighbours only (not with all: 23 s)."""
    if not observations:
        return lambda i: []
    x, y = metric_xy([(o["lon"], o["lat"]) for o in observations])
    cells: dict[tuple[int, int], list[int]] = {}
    keys = list(
        zip((x // SAME_FINDING_M).astype(int).tolist(), (y // SAME_FINDING_M).astype(int).tolist())
    )
    for index, key in enumerate(keys):
        cells.setdefault(key, []).append(index)

    def near(i: int) -> list[int]:
        cx, cy = keys[i]
        found = [
            j
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for j in cells.get((cx + dx, cy + dy), ())
            if j != i and math.hypot(x[j] - x[i], y[j] - y[i]) <= SAME_FINDING_M
        ]
        return sorted(found)

    return near


def possible_duplicates(observation: dict, candidates: list[dict]) -> list[dict]:
    """Of `candidates` (open observations of the same category, any walk), those within
    SAME_FINDING_M of `line`, nearest first, each with its distance_m."""
    distances = metres_between(
        (observation["lon"], observation["lat"]), [(c["lon"], c["lat"]) for c in candidates]
    )
    near = [
        {**candidate, "distance_m": round(float(distance))}
        for candidate, distance in zip(candidates, distances)
        if distance <= SAME_FINDING_M
    ]
    return sorted(near, key=lambda c: c["distance_m"])


def default_since(walks: list[dict], today: date) -> date:
    """The previous follow-up meeting of a walk at this place, else 90 days back."""
    meetings = [
        date.fromisoformat(local_day(w["follow_up_at"]))
        for w in walks
        if w.get("follow_up_at") and date.fromisoformat(local_day(w["follow_up_at"])) < today
    ]
    return max(meetings) if meetings else today - timedelta(days=DEFAULT_LOOKBACK_DAYS)


def open_measures(observations: list[dict], today: date) -> list[dict]:
    """Open measures, overdue first (oldest deadline first), then by deadline, then undated."""
    rows = []
    for observation in observations:
        if not is_open(observation["status"]):
            continue
        overdue = (
            bool(observation["deadline"]) and date.fromisoformat(observation["deadline"]) < today
        )
        rows.append({**observation, "overdue": overdue})
    return sorted(
        rows, key=lambda r: (not r["overdue"], r["deadline"] is None, r["deadline"] or "")
    )


def good_observations(observations: list[dict]) -> list[dict]:
    """ "Det här fungerar": green observations kept as they are."""
    return [observation for observation in observations if is_good(observation["status"])]


def counts(observations: list[dict]) -> dict:
    return {
        "by_category": Counter(
            observation["category"] for observation in observations
        ).most_common(),
        "by_status": Counter(observation["status"] for observation in observations),
    }


def median_days_to_fixed(
    db: sqlite_utils.Database,
    organisation_ids=None,
    public_only: bool = False,
    between: tuple[str, str] | None = None,
) -> dict:
    """From walk to fixed (each fixed measure's days from its walk's start to the first time
    its history marked it done or verified; db.partners.days_to_fixed takes the same arguments),
    as medians_of counts them. The whole instance's medians are read from the middle of its
    index, the others from their measures."""
    if organisation_ids is None and not public_only and between is None:
        return _medians(partners_db.middle_days_to_fixed(db))
    return medians_of(partners_db.days_to_fixed(db, organisation_ids, public_only, between))


def medians_of(fixed: list[dict]) -> dict:
    """The median in whole days over these fixed measures ({"partner_id", "days"}) and per
    partner, with how many each counts, a negative count of days (a measure fixed before its
    walk's time) as 0: {"all": (days, n) | None, "by_partner": {partner_id: (days, n)}}."""
    by_partner: dict[int | None, list[float]] = {}
    for row in fixed:
        by_partner.setdefault(row["partner_id"], []).append(row["days"])
    every = sorted(days for values in by_partner.values() for days in values)
    middles = {key: _middle(sorted(values)) for key, values in by_partner.items() if key}
    if every:
        middles[None] = _middle(every)
    return _medians(middles)


def _medians(middles: dict) -> dict:
    """medians_of's answer from {partner_id or None (all): (count, the middle days in order)}."""
    medians = {
        key: (round(sum(max(days, 0.0) for days in middle) / len(middle)), count)
        for key, (count, middle) in middles.items()
    }
    return {"all": medians.pop(None, None), "by_partner": medians}


def _middle(ordered: list[float]) -> tuple[int, list[float]]:
    """How many, and the middle one (an odd count) or two (an even one) of these in order."""
    return len(ordered), ordered[(len(ordered) - 1) // 2 : len(ordered) // 2 + 1]


def compare_latest_walk(observations: list[dict], walks: list[dict]) -> dict | None:
    """For a place walked more than once: what the latest walk found again (same category within
    SAME_FINDING_M of an earlier observation), what is new, and which earlier observations were verified fixed."""
    walked = [
        w for w in walks if any(observation["walk_id"] == w["id"] for observation in observations)
    ]
    if len(walked) < 2:
        return None
    latest = walked[-1]
    current = [
        observation for observation in observations if observation["walk_id"] == latest["id"]
    ]
    earlier = [
        observation for observation in observations if observation["walk_id"] != latest["id"]
    ]
    again, new, matched_earlier = [], [], set()
    for observation in current:
        same = [e for e in earlier if e["category"] == observation["category"]]
        distances = metres_between(
            (observation["lon"], observation["lat"]), [(e["lon"], e["lat"]) for e in same]
        )
        close = [e for e, d in zip(same, distances) if d <= SAME_FINDING_M]
        if close:
            again.append({**observation, "earlier": close[0]})
            matched_earlier.update(e["id"] for e in close)
        else:
            new.append(observation)
    fixed = [e for e in earlier if e["status"] == "verified" and e["id"] not in matched_earlier]
    return {"walk": latest, "again": again, "new": new, "fixed": fixed}


def after_photo_allowed(status: str) -> bool:
    """An "after" photo belongs to a measure marked done or verified."""
    return is_fixed(status)
