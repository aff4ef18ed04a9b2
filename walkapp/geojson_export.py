"""Findings out to other tools: filters, GeoJSON (RFC 7946) features streamed one by one, and
Open311 GeoReport v2 requests. No Flask, no SQL: rows in, text or dicts out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from .vocabulary import (
    CATEGORIES,
    CATEGORY_LABELS_SV,
    CLOSED_STATUSES,
    MEASURE_STATUSES,
    OPEN_STATUSES,
    RATINGS,
    STATUS_LABELS_SV,
)


class BadFilter(ValueError):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Filters:
    start: str | None = None  # UTC instant of local midnight starting `from`, inclusive
    end: str | None = None  # UTC instant of local midnight after `to`, exclusive
    place: int | None = None
    walk: str | None = None
    categories: list[str] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)


def _day(raw: str, name: str, errors: dict) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _l("%(name)s ska vara ett datum som ÅÅÅÅ-MM-DD.", name=name)
        return None


LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def _local_midnight_utc(day: date) -> str:
    """A day as people in Stockholm mean it, as the UTC text recorded_at is stored in."""
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TIME)
    return midnight.astimezone(UTC).isoformat(timespec="seconds")


def parse_filters(args) -> Filters:
    """Query parameters (a MultiDict: getlist/get) to Filters; BadFilter names each bad one."""
    errors: dict = {}
    filters = Filters()
    if args.get("from"):
        day = _day(args.get("from"), "from", errors)
        filters.start = _local_midnight_utc(day) if day else None
    if args.get("to"):
        day = _day(args.get("to"), "to", errors)
        filters.end = _local_midnight_utc(day + timedelta(days=1)) if day else None
    if filters.start and filters.end and filters.start >= filters.end:
        errors["to"] = _l("to kan inte ligga före from.")
    if args.get("place"):
        if args.get("place").isdigit():
            filters.place = int(args.get("place"))
        else:
            errors["place"] = _l("place ska vara en plats id (ett heltal).")
    if args.get("walk"):
        filters.walk = args.get("walk")[:64]
    for name, allowed, target in (
        ("category", CATEGORIES, filters.categories),
        ("rating", RATINGS, filters.ratings),
    ):
        for value in args.getlist(name):
            if not value:  # "all", from a form's empty choice
                continue
            if value not in allowed:
                errors[name] = _l(
                    "Okänt värde för %(name)s: %(value)s", name=name, value=value[:40]
                )
            else:
                target.append(value)
    for value in args.getlist("status"):
        if not value:
            continue
        if value == "open":
            filters.statuses.extend(OPEN_STATUSES)
        elif value == "closed":
            filters.statuses.extend(CLOSED_STATUSES)
        elif value in MEASURE_STATUSES:
            filters.statuses.append(value)
        else:
            errors["status"] = _l("Okänt värde för status: %(value)s", value=value[:40])
    if errors:
        raise BadFilter(errors)
    return filters


def _offset_time(stored: str) -> str:
    """Stored UTC ISO text, with its offset spelled out (RFC 3339)."""
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def observation_feature(row: dict, photo_url: str | None = None) -> dict:
    properties = {
        "category": row["category"],
        "category_label": CATEGORY_LABELS_SV.get(row["category"], row["category"]),
        "rating": row["rating"],
        "recorded_at": _offset_time(row["recorded_at"]),
        "walk": {"id": row["walk_id"], "title": row["walk_title"]},
        "place": {"id": row["place_id"], "name": row["place_name"]} if row["place_id"] else None,
        "relation": row["relation"],
        "status": row["status"],
        "status_label": STATUS_LABELS_SV[row["status"]],
        "partner": row["partner_name"],
        "deadline": row["deadline"],
        "note": row["note"],
    }
    if photo_url:
        properties["photo_url"] = photo_url
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
        "properties": properties,
    }


def stream_feature_collection(features: Iterable[dict]) -> Iterator[str]:
    """The FeatureCollection as text chunks, one feature at a time (memory stays flat)."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    batch: list[str] = []
    for feature in features:
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        batch.append(text if first else "," + text)
        first = False
        if len(batch) >= 200:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)
    yield "]}\n"


# --- Open311 GeoReport v2 ---

OPEN311_MAX = 1000
OPEN311_DEFAULT_DAYS = 90


def open311_service(key: str) -> dict:
    return {
        "service_code": key,
        "service_name": CATEGORY_LABELS_SV[key],
        "description": CATEGORY_LABELS_SV[key],
        "metadata": False,
        "type": "realtime",
        "keywords": "trygghetsvandring",
        "group": "Trygghet",
    }


def open311_request(row: dict, media_url: str | None = None) -> dict:
    return {
        "service_request_id": row["id"],
        "status": "open" if row["status"] in OPEN_STATUSES else "closed",
        "status_notes": STATUS_LABELS_SV[row["status"]]
        + (f": {row['reason']}" if row.get("reason") else ""),
        "service_name": CATEGORY_LABELS_SV.get(row["category"], row["category"]),
        "service_code": row["category"],
        "description": row["note"],
        "agency_responsible": row["partner_name"] or "",
        "service_notice": "",
        "requested_datetime": _offset_time(row["recorded_at"]),
        "updated_datetime": _offset_time(row["measure_updated_at"]),
        "expected_datetime": f"{row['deadline']}T23:59:59+00:00" if row["deadline"] else None,
        "address": row["place_name"] or "",
        "address_id": str(row["place_id"]) if row["place_id"] else "",
        "zipcode": "",
        "lat": round(row["lat"], 6),
        "long": round(row["lon"], 6),
        "media_url": media_url or "",
    }


def _moment(raw: str, name: str) -> str:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadFilter({name: f"{name} must be an ISO 8601 date and time"}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_open311(args, now: datetime | None = None) -> dict:
    """GeoReport v2 query to our filters: ids (then nothing else applies), service_code,
    start/end date (default the last 90 days), status open|closed."""
    ids = [i.strip() for i in (args.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        return {"ids": ids[:OPEN311_MAX]}
    query: dict = {}
    codes = [c.strip() for c in (args.get("service_code") or "").split(",") if c.strip()]
    unknown = [c for c in codes if c not in CATEGORIES]
    if unknown:
        raise BadFilter({"service_code": f"unknown service_code: {', '.join(unknown)[:80]}"})
    query["categories"] = codes
    now = now or datetime.now(UTC)
    end = _moment(args["end_date"], "end_date") if args.get("end_date") else None
    start = _moment(args["start_date"], "start_date") if args.get("start_date") else None
    if start is None:
        anchor = datetime.fromisoformat(end) if end else now
        start = (anchor - timedelta(days=OPEN311_DEFAULT_DAYS)).isoformat(timespec="seconds")
    if end and start > end:
        raise BadFilter({"end_date": "end_date is before start_date"})
    query["start"], query["end"] = start, end
    status = (args.get("status") or "").strip()
    if status and status not in ("open", "closed"):
        raise BadFilter({"status": "status must be open or closed"})
    query["statuses"] = (
        list(OPEN_STATUSES if status == "open" else CLOSED_STATUSES) if status else []
    )
    return query
