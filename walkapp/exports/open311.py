"""Open311 GeoReport v2 (read side): services, requests and their query parameters, as the
spec's JSON or XML (its default format).

Two views of a request: the full one for a token or a session, and the public one for anyone
(PRODUCT.md, "What is public"): no note, no photo, nothing about walkers, the position rounded to
4 decimals (about 10 m), the status notes without the coordinator's reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
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


PUBLIC_DECIMALS = 4


def open311_request(row: dict, media_url: str | None = None, public: bool = False) -> dict:
    """One observation as a GeoReport v2 request; `public` leaves out all that is not public."""
    full = _full_request(row, media_url)
    if not public:
        return full
    return {
        **full,
        "status_notes": STATUS_LABELS_SV[row["status"]],
        "description": "",
        "media_url": "",
        "lat": round(row["lat"], PUBLIC_DECIMALS),
        "long": round(row["lon"], PUBLIC_DECIMALS),
    }


def _full_request(row: dict, media_url: str | None) -> dict:
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
    # The spec: "can be declared multiple times, comma delimited".
    statuses = {s.strip() for s in (args.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise BadFilter({"status": "status must be open or closed"})
    query["statuses"] = []
    if statuses == {"open"}:
        query["statuses"] = list(OPEN_STATUSES)
    elif statuses == {"closed"}:
        query["statuses"] = list(CLOSED_STATUSES)
    return query


def jurisdiction_named(args, known: dict[str, int]) -> int | None:
    """The organisation a `jurisdiction_id` names (`known`: jurisdiction id -> organisation id);
    None without one (every organisation); naming none of ours is an error."""
    named = (args.get("jurisdiction_id") or "").strip()
    if not named:
        return None
    if named not in known:
        raise BadFilter({"jurisdiction_id": f"unknown jurisdiction_id: {named[:80]}"})
    return known[named]


def discovery(
    base_url: str, contact: str, changeset: str, jurisdictions: list[dict] | None = None
) -> dict:
    """GeoReport's discovery, with the instance's jurisdictions (`jurisdiction_id`, `name`),
    one an organisation, each answered at the same endpoint with `?jurisdiction_id=`."""
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": "",
        "jurisdictions": [
            {"jurisdiction_id": j["jurisdiction_id"], "name": j["name"]}
            for j in jurisdictions or []
        ],
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base_url,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


# --- XML: the spec's element names; a list's items take the singular of its element ---

_XML_ROOTS = {"services": "service", "service_requests": "request", "errors": "error"}
_XML_ITEMS = {"endpoints": "endpoint", "formats": "format", "jurisdictions": "jurisdiction"}


# What XML 1.0 cannot hold at all (C0 controls but tab, newline and return; lone surrogates;
# U+FFFE/U+FFFF): ElementTree would write it as is and the document would not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _xml_value(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_value(element, _XML_ITEMS[name], item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _xml_text(value)


def to_xml(root: str, content: dict | list) -> bytes:
    """GeoReport v2 XML: `<services><service>…`, `<service_requests><request>…`,
    `<errors><error>…`, or `<discovery>…` for a dict."""
    element = ET.Element(root)
    if isinstance(content, list):
        for item in content:
            _xml_value(element, _XML_ROOTS[root], item)
    else:
        for key, value in content.items():
            _xml_value(element, key, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)
