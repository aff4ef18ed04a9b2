"""Open311 GeoReport v2 (read side): discovery, services and requests."""

from __future__ import annotations

from flask import (
    Blueprint,
    jsonify,
    request,
)

from ..access import COORDINATOR, PUBLIC, open311_error, requires
from ..db import exports as exports_db
from ..db import get_db
from ..exports.filters import BadFilter
from ..exports.open311 import OPEN311_MAX, open311_service, parse_open311
from ..exports.open311 import open311_request as open311_item
from ..vocabulary import (
    CATEGORIES,
)
from .shared import photo_url

bp = Blueprint("open311", __name__)


@bp.get("/open311/v2/discovery.json")
@requires(PUBLIC)
def open311_discovery():
    base = request.host_url.rstrip("/") + "/open311/v2/"
    return jsonify(
        {
            "changeset": "2026-11-25T00:00:00+00:00",
            "contact": "LPO Norrmalm, Polisen",
            "key_service": "",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-11-25T00:00:00+00:00",
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
        }
    )


@bp.get("/open311/v2/services.json")
@requires(PUBLIC)
def open311_services():
    return jsonify([open311_service(key) for key in CATEGORIES])


def _open311_rows(query: dict) -> list[dict]:
    return list(exports_db.iter_open311(get_db(), query, OPEN311_MAX))


@bp.get("/open311/v2/requests.json")
@requires(COORDINATOR)
def open311_requests():
    try:
        query = parse_open311(request.args)
    except BadFilter as bad:
        return open311_error(400, " ".join(bad.errors.values()))
    return jsonify(
        [open311_item(row, photo_url(row, request.host_url)) for row in _open311_rows(query)]
    )


@bp.get("/open311/v2/requests/<observation_id>.json")
@requires(COORDINATOR)
def request_one(observation_id: str):
    rows = _open311_rows({"ids": [observation_id]})
    if not rows:
        return open311_error(404, f"service_request_id {observation_id[:64]} not found")
    return jsonify([open311_item(rows[0], photo_url(rows[0], request.host_url))])
