"""Open311 GeoReport v2 (read side): services, requests and their query parameters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..clock import offset_time
from ..vocabulary import (
    CATEGORIES,
    CATEGORY_LABELS_SV,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    STATUS_LABELS_SV,
)
from .filters import BadFilter

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
        "requested_datetime": offset_time(row["recorded_at"]),
        "updated_datetime": offset_time(row["measure_updated_at"]),
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
    try:
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the calendar starts in UTC
        raise BadFilter({name: f"{name} is outside the supported calendar range"}) from None


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
        try:
            start = (anchor - timedelta(days=OPEN311_DEFAULT_DAYS)).isoformat(timespec="seconds")
        except OverflowError:  # end_date in year 1: its 90 days before do not exist
            start = datetime.min.replace(tzinfo=UTC).isoformat(timespec="seconds")
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
