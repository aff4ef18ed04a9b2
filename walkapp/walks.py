"""Walks: planning and changing one (`create`, `update`), the state machine (PRODUCT.md:
planned → ongoing → closed; `change_state`, `start_if_begun`), and the sane bounds and order of a
walk's dates (pre-meeting, walk, follow-up meeting). Each change is one transaction with its
audit entry. No Flask, no SQL; times a person typed are Stockholm wall time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlite_utils
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from . import clock, routes
from .clock import STOCKHOLM, local_day, planning_bounds
from .db import audit_log, transaction
from .db import rewalks as rewalks_db
from .db import walks as walks_db
from .measures import walker_groups
from .vocabulary import (
    CATEGORY_LABELS_SV,
    POSITION_SOURCE_LABELS_SV,
    RATING_LABELS_SV,
    STATUS_LABELS_SV,
    WALK_STATES,
    is_good,
)

# "Leave the route as it is" for update() (None removes it).
UNCHANGED = object()
# The walks list's page (the walks page shows the latest first, this many at a time).
LIST_ROWS = 100


def create(
    db: sqlite_utils.Database,
    *,
    title: str,
    starts_at: str,
    place_ids=(),
    created_by: int | None = None,
    route=UNCHANGED,
    follows=(),
    co_organisers=(),
    **fields,
) -> dict:
    """Plan a walk with its places (and its route when given), audited, in one transaction;
    `follows`: the earlier walks a re-walk follows up (walkapp/rewalks.py); `co_organisers`:
    the organisations beside its lead (`organisation_id`) that hold it with it."""
    with transaction(db):
        fields.update(title=title, starts_at=starts_at, place_ids=place_ids, created_by=created_by)
        walk = walks_db.create_walk(db, **fields)
        rewalks_db.set_follows(db, walk["id"], follows)
        walks_db.set_co_organisers(db, walk["id"], co_organisers)
        detail = {
            "title": title,
            **({"follows": list(follows)} if follows else {}),
            **({"co_organisers": sorted(co_organisers)} if co_organisers else {}),
        }
        audit_log.record(db, created_by, "create", "walk", walk["id"], detail)
        if route is not UNCHANGED:
            routes.save_within(db, walk["id"], route, created_by)
    return walk


def update(
    db: sqlite_utils.Database,
    walk_id: str,
    fields: dict,
    place_ids=None,
    user_id: int | None = None,
    route=UNCHANGED,
    co_organisers=UNCHANGED,
) -> None:
    """Change a walk's facts (with its places, route and co-organisers when given), audited, in
    one transaction."""
    with transaction(db):
        walks_db.update_walk(db, walk_id, fields, place_ids=place_ids)
        detail = dict(fields)
        if co_organisers is not UNCHANGED:
            walks_db.set_co_organisers(db, walk_id, co_organisers)
            detail["co_organisers"] = sorted(co_organisers)
        audit_log.record(db, user_id, "update", "walk", walk_id, detail)
        if route is not UNCHANGED:
            routes.save_within(db, walk_id, route, user_id)


def accept(db: sqlite_utils.Database, walk_id: str, organisation_id: int, user_id: int) -> bool:
    """An invited co-organiser says yes: from now on the joint walk counts as its own too (its
    public page, calendar and promise). Audited, in one transaction. False when it was not
    invited or had already said yes."""
    with transaction(db):
        accepted = walks_db.accept_co_organiser(db, walk_id, organisation_id, clock.stamp())
        if accepted:
            audit_log.record(db, user_id, "update", "walk", walk_id, {"accepted": organisation_id})
    return accepted


def leave(
    db: sqlite_utils.Database, walk_id: str, organisation_id: int, user_id: int
) -> str | None:
    """A co-organiser takes itself off a joint walk ("left"), or says no to being invited
    ("declined"): audited, in one transaction. None when it was not a co-organiser."""
    with transaction(db):
        answered = {o["id"]: o["accepted_at"] for o in walks_db.co_organisers(db, walk_id)}
        if organisation_id not in answered:
            return None
        walks_db.remove_co_organiser(db, walk_id, organisation_id)
        if not answered[organisation_id]:  # the lead's page names the no
            walks_db.record_decline(db, walk_id, organisation_id, clock.stamp())
        audit_log.record(db, user_id, "update", "walk", walk_id, {"left": organisation_id})
    return "left" if answered[organisation_id] else "declined"


def change_state(
    db: sqlite_utils.Database, walk_id: str, to: str, user_id: int | None = None
) -> bool:
    """Move a walk to another state, audited, in one transaction. False when `to` is no state or
    the walk is in it already (or is not there)."""
    with transaction(db):
        return change_state_within(db, walk_id, to, user_id)


def change_state_within(
    db: sqlite_utils.Database, walk_id: str, to: str, user_id: int | None = None
) -> bool:
    """change_state() inside the caller's transaction: for another word's change that moves the
    walk too (the first observation starts a planned walk, walkapp.observations.record)."""
    walk = walks_db.get_walk(db, walk_id)
    if walk is None or to not in WALK_STATES or walk["state"] == to:
        return False
    walks_db.set_state(db, walk_id, to)
    audit_log.record(db, user_id, "state", "walk", walk_id, {"from": walk["state"], "to": to})
    return True


def start_if_begun(db: sqlite_utils.Database, walk: dict) -> None:
    """A planned walk whose start time has come is shown to coordinators as ongoing."""
    if has_begun(walk):
        change_state(db, walk["id"], "ongoing")


def starts(walk: dict) -> datetime:
    """The walk's start as an instant; a start without an offset is Stockholm time."""
    moment = datetime.fromisoformat(walk["starts_at"])
    return moment if moment.tzinfo else moment.replace(tzinfo=STOCKHOLM)


def is_closed(walk: dict) -> bool:
    """A closed walk takes no more changes from its walkers (what a phone sends late is kept,
    flagged, see walkapp.observations.record)."""
    return walk["state"] == "closed"


def has_begun(walk: dict, now: datetime | None = None) -> bool:
    """A planned walk whose start time has come is under way (its first observation also
    starts it, see walkapp.observations.record)."""
    return walk["state"] == "planned" and starts(walk) <= (now or datetime.now(UTC))


def check_walk_times(
    starts_at: datetime | None,
    pre_meeting_at: datetime | None,
    follow_up_at: datetime | None,
    today: date,
) -> dict[str, object]:
    """Field -> message for dates out of sane bounds or in the wrong order."""
    first, last = planning_bounds(today)
    errors: dict[str, object] = {}
    for field, moment in (
        ("starts_at", starts_at),
        ("pre_meeting_at", pre_meeting_at),
        ("follow_up_at", follow_up_at),
    ):
        if moment is not None and not first <= moment.date() <= last:
            errors[field] = _l(
                "Välj ett datum mellan %(first)s och %(last)s.",
                first=first.isoformat(),
                last=last.isoformat(),
            )
    if starts_at is None:
        return errors
    if pre_meeting_at and "pre_meeting_at" not in errors and pre_meeting_at > starts_at:
        errors["pre_meeting_at"] = _l("Förmötet ska ligga före vandringen.")
    if follow_up_at and "follow_up_at" not in errors and follow_up_at < starts_at:
        errors["follow_up_at"] = _l("Uppföljningsmötet ska ligga efter vandringen.")
    return errors


def protocol_count(observations: list[dict]) -> dict:
    """The protocol's count beside the walk page's (every observation recorded): a merged
    duplicate and a observation several walkers recorded of one thing are counted once, with the
    observation they repeat. recorded, merged, same, shown, and `why` in words when they differ."""
    groups = walker_groups(observations)
    merged = sum(len(group["merged"]) for group in groups)
    same = sum(len(group["candidates"]) for group in groups)
    parts = []
    if merged:
        parts.append(
            ngettext(
                "%(num)d dubblett som slagits ihop",
                "%(num)d dubbletter som slagits ihop",
                merged,
            )
        )
    if same:
        parts.append(
            ngettext(
                "%(num)d fynd av samma sak från en annan deltagare",
                "%(num)d fynd av samma sak från fler deltagare",
                same,
            )
        )
    why = None
    if parts:
        excluded = parts[0] if len(parts) == 1 else _("%(a)s och %(b)s", a=parts[0], b=parts[1])
        why = _(
            "%(recorded)s observationer registrerades, varav %(excluded)s: de räknas här en "
            "gång, med observationen de upprepar.",
            recorded=len(observations),
            excluded=excluded,
        )
    csv = None
    if parts:
        # The CSV has every observation, numbered by group (protocol_rows): say how they relate.
        csv = ngettext(
            "CSV-filen har en rad för var och en av de %(recorded)s observationerna, alla i "
            "grupp 1 (kolumnen Grupp).",
            "CSV-filen har en rad för var och en av de %(recorded)s observationerna; de %(num)d "
            "här är dess grupper (kolumnen Grupp).",
            len(groups),
            recorded=len(observations),
        )
    return {
        "recorded": len(observations),
        "merged": merged,
        "same": same,
        "shown": len(groups),
        "why": why,
        "csv": csv,
    }


def protocol_groups(observations: list[dict], include_good: bool = False) -> list[dict]:
    """Observations grouped by place, then by responsible partner (unassigned last). A merged
    observation counts once: its duplicates' notes and photos go with it."""
    places: dict = {}
    for group in walker_groups(observations):
        observation = {
            **group["lead"],
            # Several walkers' observations of one thing go with it, merged or not yet: each note
            # and photo stays in the protocol (protocol_count says so).
            "merged": group["merged"] + group["candidates"],
            "walkers": group["walkers"],
        }
        if is_good(observation["status"]) and not include_good:
            continue
        place = places.setdefault(observation["place_name"] or "", {})
        place.setdefault(observation["partner_name"] or "", []).append(observation)
    return [
        {
            "place": place,
            "partners": [
                {"partner": partner, "observations": place_observations}
                for partner, place_observations in sorted(
                    by_partner.items(), key=lambda kv: (kv[0] == "", kv[0])
                )
            ],
        }
        for place, by_partner in sorted(places.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]


# The protocol as CSV (plain Swedish, like every export): one row per observation recorded, with
# its group — numbered as the protocol counts them — and its part in the group.
PROTOCOL_COLUMNS = [
    "Plats",
    "Ansvarig",
    "Kategori",
    "Bedömning",
    "Anteckning",
    "Status",
    "Sista dag",
    "Registrerad",
    "Foto",
    "Kommentar",
    "Position",
    "Observation",
    "Grupp",
    "I gruppen",
]
LEAD, MERGED, SAME = "huvudfynd", "dubblett, sammanslagen", "samma sak, inte sammanslagen"


def protocol_rows(observations: list[dict]) -> list[list]:
    """Every observation as a row of PROTOCOL_COLUMNS, in the protocol's order (place, partner),
    each group's lead first, then what it merged and the same thing not merged yet."""
    rows = []
    places = protocol_groups(observations, include_good=True)
    leads = [
        lead for place in places for partner in place["partners"] for lead in partner["observations"]
    ]
    for number, lead in enumerate(leads, start=1):
        members = [(lead, LEAD)] + [
            (other, MERGED if other["status"] == "duplicate" else SAME) for other in lead["merged"]
        ]
        rows.extend([*_protocol_row(member), number, role] for member, role in members)
    return rows


def _protocol_row(observation: dict) -> list:
    return [
        observation["place_name"] or "utanför prioriterade platser",
        observation["partner_name"] or "",
        CATEGORY_LABELS_SV.get(observation["category"], observation["category"]),
        RATING_LABELS_SV[observation["rating"]],
        observation["note"],
        STATUS_LABELS_SV[observation["status"]],
        observation["deadline"] or "",
        local_day(observation["recorded_at"]),
        "ja" if observation["photo_ids"] else "nej",
        observation["comment"],
        POSITION_SOURCE_LABELS_SV.get(observation["position_source"], ""),
        observation["id"],
    ]
