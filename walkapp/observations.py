"""Observations: what a walker's phone sends, checked field by field, and how it is stored.

No Flask here: messages are marked for translation and rendered by the caller; storing goes
through walkapp.db (place assignment, exactly-once insert, edits, deletes, photos).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils
from flask_babel import lazy_gettext as _l

from . import areas, clock, walks
from .db import audit_log, transaction
from .db import observations as obs_db
from .db import photos as photos_db
from .db import public as public_db
from .inputs import Conflict, Invalid, accuracy_metres, latitude, longitude, moment, phone_id
from .languages import NAMES as LANGUAGES
from .photos import BUDGET_WINDOW, Allowance, StoredPhoto, check_allowance, remove_files
from .places import PlaceIndex
from .vocabulary import CATEGORIES, POSITION_SOURCES, RATINGS

MAX_NOTE = 2000
# The largest observation body read (walkapp/bodies.py): a note of MAX_NOTE characters at six
# bytes each (a JSON \u escape) and the other fields, a few of them long.
BODY_BYTES = 6 * MAX_NOTE + 4 * 1024
EDITABLE = ("category", "rating", "note", "lon", "lat", "accuracy_m", "position_source", "language")
# The phone colours the GPS accuracy by these bands (metres): good, fair, and poor beyond.
ACCURACY_GOOD_M = 20
ACCURACY_FAIR_M = 50


# A field whose value is one of a list's keys, and what a walker reads otherwise.
_CHOICES = (
    ("category", CATEGORIES, _l("Välj en kategori.")),
    ("rating", RATINGS, _l("Välj Åtgärda, Bevaka eller Bra.")),
)


def _check_fields(payload: dict, fields, errors: dict) -> dict:
    record: dict = {}
    for key, allowed, message in _CHOICES:
        if key in fields:
            value = payload.get(key)
            if isinstance(value, str) and value in allowed:
                record[key] = value
            else:
                errors[key] = message
    if "note" in fields:
        note = payload.get("note")
        if note is None:
            record["note"] = ""
        elif not isinstance(note, str):
            errors["note"] = _l("Anteckningen ska vara text.")
        elif len(note) > MAX_NOTE:
            errors["note"] = _l("Anteckningen får vara högst %(n)s tecken.", n=MAX_NOTE)
        elif "\x00" in note:
            errors["note"] = _l("Anteckningen innehåller otillåtna tecken.")
        else:
            record["note"] = note.strip()
    if "lon" in fields and (lon := longitude(payload.get("lon"), errors)) is not None:
        record["lon"] = round(lon, 7)
    if "lat" in fields and (lat := latitude(payload.get("lat"), errors)) is not None:
        record["lat"] = round(lat, 7)
    if "accuracy_m" in fields:
        accuracy = accuracy_metres(payload.get("accuracy_m"), errors)
        if "accuracy_m" not in errors:
            record["accuracy_m"] = None if accuracy is None else round(accuracy, 1)
    if "position_source" in fields:
        source = payload.get("position_source")
        if source is None:
            # Phones from before the source was sent: an accuracy means a GPS reading.
            source = "gps" if record.get("accuracy_m") is not None else "pin"
        if source not in POSITION_SOURCES:
            errors["position_source"] = _l("Positionens källa ska vara gps eller pin.")
        else:
            record["position_source"] = source
            if source == "pin":
                record["accuracy_m"] = None  # a placed pin has no measured accuracy
    if "language" in fields:
        # The language of the walker's screen: stored so coordinators see what a note is in.
        language = payload.get("language")
        if language is None:
            record["language"] = None
        elif not isinstance(language, str) or language not in LANGUAGES:
            errors["language"] = _l(
                "Språket ska vara en av koderna %(codes)s.", codes=", ".join(LANGUAGES)
            )
        else:
            record["language"] = language
    return record


def check_new(payload, now: datetime | None = None) -> dict:
    """A new observation: every field checked; raises Invalid with all errors at once."""
    now = now or datetime.now(UTC)
    if not isinstance(payload, dict):
        raise Invalid({"_": _l("Skicka observationen som ett JSON-objekt.")})
    errors: dict = {}
    record = _check_fields(payload, EDITABLE, errors)
    observation_id = phone_id(payload, errors)
    recorded_at = moment(payload.get("recorded_at"), now, errors)
    if errors:
        raise Invalid(errors)
    return {**record, "id": observation_id, "recorded_at": recorded_at}


def check_edit(payload) -> dict:
    """An edit: only the fields sent are checked and changed."""
    if not isinstance(payload, dict):
        raise Invalid({"_": _l("Skicka ändringen som ett JSON-objekt.")})
    fields = [field for field in EDITABLE if field in payload]
    if ("lon" in payload) != ("lat" in payload):
        raise Invalid({"lon": _l("Skicka både longitud och latitud.")})
    if "lon" in payload:
        # A new position always comes with its source (and, from the GPS, its accuracy).
        fields = [*dict.fromkeys([*fields, "accuracy_m", "position_source"])]
    elif "position_source" in payload or "accuracy_m" in payload:
        raise Invalid({"position_source": _l("Skicka källan och noggrannheten med positionen.")})
    if not fields:
        raise Invalid({"_": _l("Inget att ändra.")})
    errors: dict = {}
    record = _check_fields(payload, fields, errors)
    if errors:
        raise Invalid(errors)
    return record


# What a retry repeats exactly: the walker's fields as checked (rounded, stripped, in UTC).
SAME_BODY = (*EDITABLE, "recorded_at")


def _assigned(index: PlaceIndex, lon: float, lat: float) -> dict:
    assignment = index.assign(lon, lat)
    distance = assignment.distance_m
    return {
        "place_id": assignment.place_id,
        "relation": assignment.relation,
        "distance_m": None if distance is None else round(float(distance), 1),
    }


def reply(db: sqlite_utils.Database, row: dict) -> dict:
    """What the phone is told about a stored observation (the same on every retry)."""
    return {
        "id": row["id"],
        "walk_id": row["walk_id"],
        "place": obs_db.place_name(db, row["place_id"]),
        "place_id": row["place_id"],
        "relation": row["relation"],
        "distance_m": row["distance_m"],
        "accuracy_m": row["accuracy_m"],
        "position_source": row["position_source"],
        "late": bool(row["late"]),
    }


def record(
    db: sqlite_utils.Database, index: PlaceIndex, walk: dict, walker_id: str | None, clean: dict
) -> tuple[bool, dict]:
    """Store a checked observation once. Returns (created now?, reply)."""
    fields = {
        **clean,
        **_assigned(index, clean["lon"], clean["lat"]),
        "walk_id": walk["id"],
        "walker_id": walker_id,
        # Recorded while the walker was offline and the walk has closed since: kept, flagged.
        "late": 1 if walks.is_closed(walk) else 0,
    }
    with transaction(db):
        created = obs_db.insert_observation(db, fields)
        if created:
            areas.resolve_one(db, clean["id"], clean["lon"], clean["lat"])
        row = obs_db.get_observation(db, clean["id"])
        if created and walk["state"] == "planned":
            # The first observation shows the walk has begun: coordinators see it ongoing.
            walks.change_state_within(db, walk["id"], "ongoing")
    if row["walk_id"] != walk["id"]:
        raise Conflict(_l("Det id:t används redan av en annan observation."))
    if not created and (
        row["walker_id"] != walker_id or any(row[key] != fields[key] for key in SAME_BODY)
    ):
        # A retry sends the same body: this is another observation under a used id.
        raise Conflict(
            _l(
                "En observation med samma id är redan sparad med annat innehåll. "
                "Ändra den i listan i stället för att spara den igen."
            )
        )
    return created, reply(db, row)


def edit(db: sqlite_utils.Database, index: PlaceIndex, observation: dict, changes: dict) -> dict:
    if "lon" in changes:
        changes = {**changes, **_assigned(index, changes["lon"], changes["lat"])}
    with transaction(db):
        obs_db.update_observation(db, observation["id"], changes)
        if "lon" in changes:
            areas.resolve_one(db, observation["id"], changes["lon"], changes["lat"])
        row = obs_db.get_observation(db, observation["id"])
    return reply(db, row)


def delete(db: sqlite_utils.Database, observation_id: str, photo_folder: Path) -> None:
    with transaction(db):
        files = obs_db.delete_observation(db, observation_id)
    remove_files(photo_folder, files)


def set_not_public(
    db: sqlite_utils.Database, observation_id: str, not_public: bool, user_id: int | None
) -> bool:
    """Mark a observation "inte publik" (or public again), audited. False: no such id."""
    with transaction(db):
        changed = public_db.set_not_public(db, observation_id, not_public)
        if changed:
            audit_log.record(
                db, user_id, "update", "observation", observation_id, {"not_public": not_public}
            )
    return changed


def set_photo_public(
    db: sqlite_utils.Database, photo_id: str, public: bool, user_id: int | None
) -> bool:
    """Publish an "after" photo on the public page (or take it back), audited. False: no after
    photo of that id. The public sees it only while its measure is fixed and its observation
    public (walkapp/db/public.py public_photo)."""
    with transaction(db):
        changed = photos_db.set_public(db, photo_id, public)
        if changed:
            audit_log.record(db, user_id, "update", "photo", photo_id, {"public": public})
    return changed


def check_photo_allowance(
    db: sqlite_utils.Database,
    allowance: Allowance,
    observation_id: str,
    kind: str,
    walker_id: str | None,
    adding: int = 0,
) -> None:
    """Raise PhotoRefused (413) when one more photo of `kind` would pass the observation's count
    or the walker's budget over the last BUDGET_WINDOW (staff, walker_id None, have none)."""
    used = None
    if walker_id is not None:
        since = clock.stamp(clock.now_utc() - BUDGET_WINDOW)
        used = photos_db.walker_bytes_since(db, walker_id, since)
    check_allowance(allowance, photos_db.count_photos(db, observation_id, kind), used, adding)


def attach_photo(
    db: sqlite_utils.Database,
    photo_id: str,
    observation_id: str,
    stored: StoredPhoto,
    photo_folder: Path,
    kind: str = "before",
    walker_id: str | None = None,
    allowance: Allowance | None = None,
) -> tuple[bool, dict]:
    """Record a stored photo once, added by `walker_id` (None: staff) within `allowance`, checked
    under the write lock so uploads at once cannot pass it together; a refused photo, a retry
    that lost the race and a write that failed (a full disk) remove their own files."""
    try:
        with transaction(db):
            if allowance is not None and photos_db.get_photo(db, photo_id) is None:
                check_photo_allowance(
                    db, allowance, observation_id, kind, walker_id, stored.disk_bytes
                )
            created = photos_db.insert_photo(db, photo_id, observation_id, stored, kind, walker_id)
            row = photos_db.get_photo(db, photo_id)
    except BaseException:
        remove_files(photo_folder, (stored.filename, stored.thumb_filename))
        raise
    if not created:
        remove_files(photo_folder, (stored.filename, stored.thumb_filename))
    if row["observation_id"] != observation_id:
        raise Conflict(_l("Det id:t används redan av en annan bild."))
    return created, row


def remove_photo(db: sqlite_utils.Database, photo_id: str, photo_folder: Path) -> None:
    """Remove a photo: its row and bytes in one transaction, then its files."""
    with transaction(db):
        files = photos_db.delete_photo(db, photo_id)
    remove_files(photo_folder, files)
