"""Safety audits: Safetipin's nine parameters, each scored 0–3 by the group at a stop (or
anywhere) in under two minutes, with a short Swedish explanation of every level.

PARAMETERS is the one list of parameters and level texts: the phone's audit sheet, the tables
of the walk page, protocol and meeting view, and the exports all take it from here. No Flask, no
SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils
from flask_babel import lazy_gettext as _l

from . import inputs, routes
from .clock import offset_time
from .db import audits as audits_db
from .db import transaction
from .inputs import Conflict, Invalid, latitude, longitude, moment, phone_id
from .observations import MAX_NOTE
from .places import PlaceIndex

# key -> (label, explanation of score 0, 1, 2, 3). 0 is worst, 3 best.
PARAMETERS: dict[str, tuple] = {
    "lighting": (
        _l("Belysning"),
        (
            _l("Ingen belysning"),
            _l("Svag eller fläckvis"),
            _l("Tillräcklig"),
            _l("Bra, jämn belysning"),
        ),
    ),
    "openness": (
        _l("Öppenhet"),
        (
            _l("Instängt, skymd sikt"),
            _l("Delvis skymt"),
            _l("Mest öppet"),
            _l("Öppet, ser långt"),
        ),
    ),
    "visibility": (
        _l("Synlighet"),
        (
            _l("Inga fönster eller entréer"),
            _l("Några få fönster eller entréer"),
            _l("Flera fönster och entréer"),
            _l("Många fönster och entréer"),
        ),
    ),
    "people": (
        _l("Folkliv"),
        (
            _l("Öde, ingen annan här"),
            _l("Några få personer"),
            _l("En del folk"),
            _l("Mycket folk i rörelse"),
        ),
    ),
    "security": (
        _l("Bevakning"),
        (
            _l("Ingen vakt eller kamera"),
            _l("Kamera eller vakt långt bort"),
            _l("Vakt eller kamera nära"),
            _l("Polis eller vakt på platsen"),
        ),
    ),
    "walk_path": (
        _l("Gångväg"),
        (
            _l("Ingen gångväg"),
            _l("Trasig, smal eller blockerad"),
            _l("Godtagbar"),
            _l("Hel, bred och fri"),
        ),
    ),
    "public_transport": (
        _l("Kollektivtrafik"),
        (
            _l("Ingen hållplats nära"),
            _l("Långt eller sällan"),
            _l("Några minuter bort"),
            _l("Hållplats här, täta turer"),
        ),
    ),
    "gender_usage": (
        _l("Kvinnor och barn"),
        (
            _l("Inga kvinnor eller barn"),
            _l("Några få kvinnor eller barn"),
            _l("En del kvinnor och barn"),
            _l("Många kvinnor och barn"),
        ),
    ),
    "feeling": (
        _l("Känsla"),
        (
            _l("Mycket otryggt"),
            _l("Ganska otryggt"),
            _l("Ganska tryggt"),
            _l("Tryggt"),
        ),
    ),
}
SCORES = (0, 1, 2, 3)
# What a retry repeats exactly: the walker's fields as checked (the place and stop are derived).
SAME_BODY = ("walker_id", "lon", "lat", "recorded_at", "note", *PARAMETERS)
# The largest audit body read (walkapp/bodies.py): nine scores, a stop, a position and a note of
# MAX_NOTE characters at six bytes each (a JSON \u escape).
BODY_BYTES = 6 * MAX_NOTE + 4 * 1024


def check_audit(payload, now: datetime | None = None) -> dict:
    """{"id", "lon", "lat", "recorded_at", "scores": {parameter: 0..3}, "note"?}, checked field by
    field; an unknown parameter or a score outside 0–3 is named in the error."""
    now = now or datetime.now(UTC)
    if not isinstance(payload, dict):
        raise Invalid({"_": _l("Skicka bedömningen som ett JSON-objekt.")})
    errors: dict = {}
    audit_id = phone_id(payload, errors)
    lon = longitude(payload.get("lon"), errors)
    lat = latitude(payload.get("lat"), errors)
    recorded_at = moment(payload.get("recorded_at"), now, errors)
    scores: dict = {}
    raw_scores = payload.get("scores")
    if not isinstance(raw_scores, dict) or not raw_scores:
        errors["scores"] = _l("Sätt minst en poäng (0–3).")
    else:
        for name, value in raw_scores.items():
            if name not in PARAMETERS:
                errors[f"scores.{str(name)[:40]}"] = _l(
                    "Okänd parameter: %(name)s.", name=str(name)[:40]
                )
            elif value is None:
                continue
            elif isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
                errors[f"scores.{name}"] = _l(
                    "%(name)s ska vara ett heltal från 0 till 3.", name=name
                )
            else:
                scores[name] = value
        if not errors.keys() & {f"scores.{n}" for n in raw_scores} and not scores:
            errors["scores"] = _l("Sätt minst en poäng (0–3).")
    note = payload.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE or "\x00" in note):
        errors["note"] = _l("Anteckningen ska vara text, högst %(n)s tecken.", n=MAX_NOTE)
    if errors:
        raise Invalid(errors)
    return {
        "id": audit_id,
        "lon": round(lon, 7),
        "lat": round(lat, 7),
        "recorded_at": recorded_at,
        "scores": scores,
        "note": (note or "").strip(),
    }


def record(
    db: sqlite_utils.Database,
    index: PlaceIndex,
    walk_id: str,
    walker_id: str | None,
    route: dict | None,
    clean: dict,
) -> tuple[bool, dict]:
    """Store a checked audit once, with its place and the stop it was made at."""
    assignment = index.assign(clean["lon"], clean["lat"])
    fields = {
        **{key: clean[key] for key in ("id", "lon", "lat", "recorded_at", "note")},
        **clean["scores"],
        "walk_id": walk_id,
        "walker_id": walker_id,
        "place_id": assignment.place_id,
        "relation": assignment.relation,
        "stop": routes.nearest_stop(route, clean["lon"], clean["lat"]),
    }
    with transaction(db):
        created = audits_db.insert_audit(db, fields)
        row = audits_db.get_audit(db, clean["id"])
    if row["walk_id"] != walk_id:
        raise Conflict(inputs.TAKEN_BY_ANOTHER_WALK)
    if not created and any(row[key] != fields.get(key) for key in SAME_BODY):
        # Not a retry (that repeats the body): refused without showing what is stored.
        raise Conflict(inputs.STORED_WITH_ANOTHER_BODY)
    return created, reply(row)


def reply(row: dict) -> dict:
    return {
        "id": row["id"],
        "walk_id": row["walk_id"],
        "place_id": row["place_id"],
        "relation": row["relation"],
        "stop": row["stop"],
        "scores": scores_of(row),
    }


def scores_of(row: dict) -> dict:
    return {name: row[name] for name in PARAMETERS if row.get(name) is not None}


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def by_stop(rows: list[dict], stops: list[dict]) -> list[dict]:
    """The walk's audits grouped per stop (walking order, then audits away from every stop):
    [{"number", "name", "count", "scores": {parameter: mean or None}}]."""
    names = {stop["number"]: stop["name"] for stop in stops}
    groups: dict = {}
    for row in rows:
        groups.setdefault(row["stop"], []).append(row)
    ordered = sorted(groups, key=lambda n: (n is None, n or 0))
    return [
        {
            "number": number,
            "name": names.get(number, ""),
            "count": len(groups[number]),
            "scores": {name: mean(r[name] for r in groups[number]) for name in PARAMETERS},
        }
        for number in ordered
    ]


def over_time(rows: list[dict]) -> list[dict]:
    """A place's audits per walk, oldest first: [{"walk_id", "title", "starts_at", "count",
    "scores": {parameter: mean}}]; the last one is the latest walk, compared with the earlier."""
    walks: dict = {}
    for row in rows:
        walks.setdefault(row["walk_id"], []).append(row)
    result = [
        {
            "walk_id": walk_id,
            "title": group[0]["walk_title"],
            "starts_at": group[0]["starts_at"],
            "count": len(group),
            "scores": {name: mean(r[name] for r in group) for name in PARAMETERS},
        }
        for walk_id, group in walks.items()
    ]
    return sorted(result, key=lambda item: item["starts_at"])


def audit_feature(row: dict) -> dict:
    """An audit as a GeoJSON Point with the nine scores as flat properties (null when unscored)."""
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
        "properties": {
            "walk_id": row["walk_id"],
            "walk_title": row["walk_title"],
            "recorded_at": offset_time(row["recorded_at"]),
            "place_id": row["place_id"],
            "place_name": row["place_name"],
            "stop": row["stop"],
            **{name: row[name] for name in PARAMETERS},
            "mean": mean(row[name] for name in PARAMETERS),
            "note": row["note"],
        },
    }


AUDIT_COLOUR = "#7b2cbf"


def map_data(rows: list[dict]) -> dict:
    """Audits as points for a follow-up map, each with its nine scores as the tooltip's text
    (static/js/map_layers.js draws them)."""
    return {
        "colour": AUDIT_COLOUR,
        "points": [
            [
                row["lon"],
                row["lat"],
                ", ".join(
                    f"{label}: {row[key]}"
                    for key, (label, _levels) in PARAMETERS.items()
                    if row[key] is not None
                ),
            ]
            for row in rows
        ],
    }
