"""Open311 GeoReport v2 (read side): discovery, services and requests, as JSON or XML.

Requests are public (a public-safe view) to anyone; a token (Bearer, `?token=` or the spec's
`api_key`) or a coordinator's session gets the full view. A token that is sent must be valid.
Each organisation is a jurisdiction (its `jurisdiction_id`, listed in discovery): naming one
answers with its observations only, naming none with every organisation's the caller reads.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from ..access import PUBLIC, current_user, is_staff, offered_api_token, requires
from ..db import exports as exports_db
from ..db import get_db
from ..db import organisations as organisations_db
from ..exports.filters import BadFilter, Filters
from ..exports.open311 import (
    OPEN311_MAX,
    discovery,
    jurisdiction_named,
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


def _jurisdictions() -> list[dict]:
    return [o for o in organisations_db.list_organisations(get_db()) if o["jurisdiction_id"]]


def _jurisdiction() -> int | None:
    """The organisation `jurisdiction_id` names (None: none named), or a 400 in GeoReport's
    form for one that names none of ours."""
    known = {o["jurisdiction_id"]: o["id"] for o in _jurisdictions()}
    try:
        return jurisdiction_named(request.args, known)
    except BadFilter as bad:
        abort(open311_error(400, " ".join(bad.errors.values())))


def _readable(owner: int | None) -> Filters | None:
    """What the caller reads (scoped_filters), within the named jurisdiction's organisation."""
    filters = scoped_filters()
    if owner is None:
        return filters
    # Anyone's read: the jurisdiction's own walks, a joint walk once its organisation said yes.
    filters = filters or Filters(own_walks_only=True)
    seen = filters.organisations
    filters.organisations = frozenset({owner}) if seen is None else seen & {owner}
    return filters


@bp.get("/open311/v2/discovery.json", defaults={"fmt": "json"})
@bp.get("/open311/v2/discovery.xml", defaults={"fmt": "xml"})
@requires(PUBLIC)
def open311_discovery(fmt: str):
    base = request.host_url.rstrip("/") + "/open311/v2/"
    first = organisations_db.first(get_db())
    content = discovery(base, first["name"], CHANGESET, _jurisdictions())
    return _answer("discovery", content, fmt)


@bp.get("/open311/v2/services.json", defaults={"fmt": "json"})
@bp.get("/open311/v2/services.xml", defaults={"fmt": "xml"})
@requires(PUBLIC)
def open311_services(fmt: str):
    _jurisdiction()  # every jurisdiction has the same services
    return _answer("services", [open311_service(key) for key in CATEGORIES], fmt)


def _reader() -> bool | None:
    """True for the full view (token or session), False for the public one, None for a token
    that opens nothing (answered 401, not quietly downgraded)."""
    if is_staff(current_user()):
        return True
    return None if offered_api_token() else False


def _items(query: dict, fmt: str, owner: int | None):
    full = _reader()
    if full is None:
        return open311_error(401, "api_key is not valid")
    # A token made with filters reads only those observations, here as in the exports.
    rows = exports_db.iter_open311(
        get_db(), query, OPEN311_MAX, public=not full, within=_readable(owner)
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
    owner = _jurisdiction()
    try:
        query = parse_open311(request.args)
    except BadFilter as bad:
        return open311_error(400, " ".join(bad.errors.values()))
    items = _items(query, fmt, owner)
    if not isinstance(items, list):
        return items
    return _answer("service_requests", items, fmt)


@bp.get("/open311/v2/requests/<observation_id>.json", defaults={"fmt": "json"})
@bp.get("/open311/v2/requests/<observation_id>.xml", defaults={"fmt": "xml"})
@requires(PUBLIC)
def request_one(observation_id: str, fmt: str):
    items = _items({"ids": [observation_id]}, fmt, _jurisdiction())
    if not isinstance(items, list):
        return items
    if not items:
        return open311_error(404, f"service_request_id {observation_id[:64]} not found")
    return _answer("service_requests", items[:1], fmt)
