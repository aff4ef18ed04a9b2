"""Open311 GeoReport v2 (read side): discovery, services and requests, as JSON or XML.

Requests are public (a public-safe view) to anyone; a token (Bearer, `?token=` or the spec's
`api_key`) or a coordinator's session gets the full view. A token that is sent must be valid.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from .. import settings
from ..access import PUBLIC, current_user, offered_api_token, requires
from ..db import exports as exports_db
from ..db import get_db
from ..exports.filters import BadFilter
from ..exports.open311 import (
    OPEN311_MAX,
    check_jurisdiction,
    discovery,
    open311_service,
    parse_open311,
    to_xml,
)
from ..exports.open311 import open311_request as open311_item
from ..vocabulary import CATEGORIES
from .shared import open311_error, photo_url, scoped_filters

bp = Blueprint("open311", __name__)

CHANGESET = "2026-11-25T00:00:00+00:00"
XML = "text/xml"


def _answer(root: str, content, fmt: str):
    if fmt == "xml":
        return current_app.response_class(to_xml(root, content), mimetype=XML)
    return jsonify(content)


def _jurisdiction_or_400():
    try:
        check_jurisdiction(request.args, settings.current().open311_jurisdiction)
    except BadFilter as bad:
        return open311_error(400, " ".join(bad.errors.values()))
    return None


@bp.get("/open311/v2/discovery.json", defaults={"fmt": "json"})
@bp.get("/open311/v2/discovery.xml", defaults={"fmt": "xml"})
@requires(PUBLIC)
def open311_discovery(fmt: str):
    base = request.host_url.rstrip("/") + "/open311/v2/"
    content = discovery(base, settings.current().organisation, CHANGESET)
    return _answer("discovery", content, fmt)


@bp.get("/open311/v2/services.json", defaults={"fmt": "json"})
@bp.get("/open311/v2/services.xml", defaults={"fmt": "xml"})
@requires(PUBLIC)
def open311_services(fmt: str):
    if refused := _jurisdiction_or_400():
        return refused
    return _answer("services", [open311_service(key) for key in CATEGORIES], fmt)


def _reader() -> bool | None:
    """True for the full view (token or session), False for the public one, None for a token
    that opens nothing (answered 401, not quietly downgraded)."""
    if current_user() is not None:
        return True
    return None if offered_api_token() else False


def _items(query: dict, fmt: str):
    full = _reader()
    if full is None:
        return open311_error(401, "api_key is not valid")
    # A token made with filters reads only those observations, here as in the exports.
    rows = exports_db.iter_open311(
        get_db(), query, OPEN311_MAX, public=not full, within=scoped_filters()
    )
    host = request.host_url
    items = [
        open311_item(row, photo_url(row, host) if full else None, public=not full) for row in rows
    ]
    return items


@bp.get("/open311/v2/requests.json", defaults={"fmt": "json"})
@bp.get("/open311/v2/requests.xml", defaults={"fmt": "xml"})
@requires(PUBLIC)
def open311_requests(fmt: str):
    if refused := _jurisdiction_or_400():
        return refused
    try:
        query = parse_open311(request.args)
    except BadFilter as bad:
        return open311_error(400, " ".join(bad.errors.values()))
    items = _items(query, fmt)
    if not isinstance(items, list):
        return items
    return _answer("service_requests", items, fmt)


@bp.get("/open311/v2/requests/<observation_id>.json", defaults={"fmt": "json"})
@bp.get("/open311/v2/requests/<observation_id>.xml", defaults={"fmt": "xml"})
@requires(PUBLIC)
def request_one(observation_id: str, fmt: str):
    if refused := _jurisdiction_or_400():
        return refused
    items = _items({"ids": [observation_id]}, fmt)
    if not isinstance(items, list):
        return items
    if not items:
        return open311_error(404, f"service_request_id {observation_id[:64]} not found")
    return _answer("service_requests", items[:1], fmt)
