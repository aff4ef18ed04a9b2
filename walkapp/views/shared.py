"""What several blueprints share: JSON refusals, the walker-write protocol, export filters from
the query, photo links and the photo folder, streamed rows, the walker of the request, the way
back to a observation's triage queue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import bodies, clock, organisations, rate_limits, settings
from ..access import WALKER, current_user, requires, scope
from ..db import connect, database_path, get_db
from ..db import exports as exports_db
from ..db import organisations as organisations_db
from ..db import walks as walks_db
from ..exports.filters import (
    AREA_PARAMETERS,
    BadFilter,
    Filters,
    OutsideToken,
    areas_refused,
    parse_filters,
    unknown_areas,
    unknown_ids,
    within,
)
from ..exports.geojson import photo_link
from ..exports.open311 import to_xml
from ..inputs import (
    NOTICEABLE_SKEW,
    Conflict,
    Invalid,
    NotJson,
    Refused,
    Unreadable,
    parse_id,
    parse_json,
    phone_clock,
    reference_now,
)
from ..vocabulary import CATEGORIES, MEASURE_STATUSES

GEOJSON = "application/geo+json"


def open311_error(status: int, message: str):
    """GeoReport v2 errors are a list of {code, description}, in XML for an .xml URL."""
    errors = [{"code": status, "description": message}]
    if request.path.endswith(".xml"):
        response = current_app.response_class(to_xml("errors", errors), mimetype="text/xml")
    else:
        response = jsonify(errors)
    response.status_code = status
    return response


def token_filters() -> Filters | None:
    """The filters the caller's API token is limited to, or None: a session, a walker, or a
    token made without filters (it reads everything)."""
    user = current_user()
    stored = (user or {}).get("token_filters")
    if not stored:
        return None
    # Checked when the token was made; a place or walk gone since simply matches nothing.
    return parse_filters(MultiDict(parse_qsl(stored)))


def scoped_filters() -> Filters | None:
    """What the caller reads of every observation: its token's filters, within the
    organisations it sees; None when that is everything."""
    filters = token_filters()
    if scope() is None:
        return filters
    filters = filters or Filters()
    filters.organisations = scope()
    return filters


def filters_or_400(areas: bool = True, **fixed) -> Filters:
    """The request's export filters (with `fixed` ones set), or a 400 naming each bad one,
    ids that name no place or walk and values that name no area included (`areas` False: the
    records are not observations, an area filter is refused); inside the caller's token's
    filters, or a 403 naming what the token does not read; only of the organisations the caller
    sees (an id of another's names nothing)."""
    try:
        filters = parse_filters(request.args)
        filters.organisations = scope()
        known = exports_db.known_ids(get_db(), filters.places, filters.walks, filters.organisations)
        errors = unknown_ids(filters, *known)
        if areas:
            errors |= unknown_areas(
                filters, exports_db.known_areas(get_db(), filters.areas, AREA_PARAMETERS)
            )
        else:
            errors |= areas_refused(filters)
        if errors:
            raise BadFilter(errors)
        for key, value in fixed.items():
            setattr(filters, key, value)
        if (allowed := token_filters()) is not None:
            filters = within(filters, allowed)
    except BadFilter as bad:
        errors = {name: str(message) for name, message in bad.errors.items()}
        response = jsonify({"error": " ".join(errors.values()), "errors": errors})
        response.status_code = 403 if isinstance(bad, OutsideToken) else 400
        abort(response)
    return filters


def token_suffix() -> str:
    """A photo link from an export fetched with `?token=` carries it, so the link opens in QGIS
    or a browser as the export did (a Bearer or session caller sends its own credentials)."""
    token = request.args.get("token") or request.args.get("api_key")
    return "?" + urlencode({"token": token}) if token else ""


def photo_url(row: dict, host: str, suffix: str | None = None) -> str | None:
    """Only for callers who may see photos: every caller of these routes is staff or a token.
    Pass `suffix` (token_suffix()) when called outside the request, as a stream is."""
    photo_id = row["photo_ids"][0] if row.get("photo_ids") else row.get("photo_id")
    return photo_link(host, row["id"], photo_id, token_suffix() if suffix is None else suffix)


def streamed_rows(app, query) -> Iterator[dict]:
    """Rows from a connection of their own: the stream outlives the request's context."""
    db = connect(database_path(app))
    try:
        yield from query(db)
    finally:
        db.close()


def download_name(stem: str, extension: str) -> str:
    return f"walkapp-{stem}-{clock.today().isoformat()}.{extension}"


# The phone's clock as it sends (static/js/sync.js); the answer's skew when they disagree.
PHONE_TIME_HEADER = "X-Phone-Time"
CLOCK_SKEW_HEADER = "X-Clock-Skew"


def refuse(
    status: int, errors: dict | None = None, message: str | None = None, retry: bool = False
):
    """A refusal as JSON: a sentence, the fields' messages, and `retry` when the phone should
    keep what it sent and try again later (the outbox treats any other 4xx as final)."""
    body: dict = {"error": message or _("Uppgifterna kunde inte tas emot.")}
    if errors:
        body["errors"] = {field: str(text) for field, text in errors.items()}
    if retry:
        body["retry"] = True
    response = jsonify(body)
    response.status_code = status
    return response


def json_body():
    """The request's JSON; None when it is not JSON; a 400 naming the field for JSON nested too
    deep or holding text that cannot be stored (walkapp.inputs). Anything but a JSON object
    counts as a bad body toward the address's limit (walkapp.rate_limits)."""
    if not request.is_json:
        rate_limits.mark_bad_body()
        return None
    try:
        value = parse_json(request.get_data(cache=False))
    except NotJson:
        rate_limits.mark_bad_body()
        return None
    except Unreadable as unreadable:
        rate_limits.mark_bad_body()
        abort(refuse(400, {unreadable.field: str(unreadable.message)}))
    if not isinstance(value, dict):
        rate_limits.mark_bad_body()
    return value


def readable_places(place_ids) -> set[int]:
    """Which of these places the caller may open: a co-organiser of a joint walk reads its
    findings but not the lead's places, which pages then name without a link."""
    db = get_db()
    return {
        place_id
        for place_id in set(place_ids) - {None}
        if organisations.sees(scope(), organisations_db.owners(db, "place_id", place_id) or [])
    }


def found_or_404(row):
    """The row a route's id names, or a 404 when there is none."""
    if row is None:
        abort(404)
    return row


def attachment(stem: str, extension: str) -> dict:
    """The header that saves a download as walkapp's dated file name (download_name)."""
    return {"Content-Disposition": f'attachment; filename="{download_name(stem, extension)}"'}


def walker_endpoint(body_bytes: int | None = None):
    """A walker's write route: the walk's token, the per-walker write limit and, for a JSON
    body, its size limit checked before anything parses it."""

    def wrap(view):
        if body_bytes is not None:
            view = bodies.limit(body_bytes)(view)
        return requires(WALKER)(rate_limits.walker_write(view))

    return wrap


def walker_write(walk_id: str, check: Callable, store: Callable):
    """What every record a walker's phone posts goes through: the body checked (400 naming each
    bad field), the walk (404), stored once by the phone's id (409 when the id is taken or stored
    with another body), then 201 when stored now and 200 with the same answer for a retry.

    check(body) -> clean or raises Invalid; store(db, walk, clean) -> (created, reply) or raises
    Conflict, or Refused (its status, a sentence: a closed walk, a finding the walk does not
    carry)."""
    server_now = datetime.now(UTC)
    phone_now = phone_clock(request.headers.get(PHONE_TIME_HEADER))
    body = json_body()
    try:
        clean = check(body, reference_now(server_now, phone_now))
    except Invalid as invalid:
        if phone_now is not None and _fine_by_the_phones_clock(check, body, phone_now):
            # Nothing wrong but two clocks days apart: the phone keeps it and tries again.
            return refuse(422, invalid.errors, message=_clock_message(), retry=True)
        return refuse(400, invalid.errors)
    db = get_db()
    walk = walks_db.get_walk(db, walk_id)
    if walk is None:
        return refuse(404, message=_("Vandringen finns inte."))
    try:
        created, stored = store(db, walk, clean)
    except Conflict as conflict:
        return refuse(409, {"id": conflict.message})
    except Refused as refused:
        return refuse(refused.status, {refused.field: refused.message}, message=refused.message)
    response = jsonify(stored)
    response.status_code = 201 if created else 200
    if phone_now is not None and abs(phone_now - server_now) > NOTICEABLE_SKEW:
        response.headers[CLOCK_SKEW_HEADER] = str(round((phone_now - server_now).total_seconds()))
    return response


def _fine_by_the_phones_clock(check: Callable, body, phone_now: datetime) -> bool:
    try:
        check(body, phone_now)
    except Invalid:
        return False
    return True


def _clock_message() -> str:
    return _(
        "Telefonens klocka och serverns skiljer sig med mer än två dygn. Det du sparat finns "
        "kvar på telefonen och skickas igen; kontrollera telefonens tid."
    )


def earlier_finding(row: dict) -> dict:
    """An earlier walk's finding as a walker's phone shows it on a repeat walk (after photos, a
    re-walk's checks): category, place, day and status in the walker's language. Never a note, a
    photo or a name."""
    return {
        "id": row["id"],
        "category": str(CATEGORIES.get(row["category"], row["category"])),
        "place": row["place_name"],
        "recorded_on": clock.local_day(row["recorded_at"]),
        "status": str(MEASURE_STATUSES[row["status"]]),
    }


def photo_folder() -> Path:
    return settings.current().photo_folder


def walker_id() -> str | None:
    walker = g.get("walker")  # unset on staff routes
    return walker["walker"] if walker else None


def date_arg(name: str) -> date | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(400, description=_("%(name)s ska vara ett datum som ÅÅÅÅ-MM-DD.", name=name))
    first, last = clock.EARLIEST_DAY, clock.LATEST_DAY
    if not first <= day <= last:
        abort(
            400,
            description=_(
                "%(name)s ska vara ett datum mellan %(first)s och %(last)s.",
                name=name,
                first=first.isoformat(),
                last=last.isoformat(),
            ),
        )
    return day


def int_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        abort(400, description=_("%(name)s ska vara ett id (ett positivt heltal).", name=name))
    return value


def paging(endpoint: str, total: int, per_page: int) -> dict:
    """The request's page of a list of `total` rows (404 past the last): its number, how many
    pages, the (rows, offset) for the query and the links to the pages beside it, keeping the
    request's other arguments."""
    pages = max(1, -(-total // per_page))
    page = int_arg("page") or 1
    if not 1 <= page <= pages:
        abort(404)
    args = {k: v for k, v in request.args.items(multi=True) if k != "page"}
    return {
        "page": page,
        "pages": pages,
        "total": total,
        "window": (per_page, (page - 1) * per_page),
        "previous": url_for(endpoint, **args, page=page - 1) if page > 1 else None,
        "next": url_for(endpoint, **args, page=page + 1) if page < pages else None,
    }


# Triage works through a walk's or a place's untriaged observations (?queue=walk|place), or
# through the measures list's selection (?queue=list with the list's filters).
QUEUE_KINDS = ("walk", "place", "list")
# The measures list's filters, which a list queue carries from finding to finding.
LIST_FILTERS = ("status", "partner", "place", "overdue")


def queue_kind() -> str | None:
    """The triage queue this request belongs to, if any."""
    kind = request.args.get("queue")
    return kind if kind in QUEUE_KINDS else None


def list_filter_args() -> dict:
    """The measures list's filters as the query gave them."""
    return {name: request.args.getlist(name) for name in LIST_FILTERS if name in request.args}


def queue_args() -> dict:
    """The query that keeps a request in its triage queue: the kind, and a list's filters."""
    kind = queue_kind()
    if kind is None:
        return {}
    return {"queue": kind, **(list_filter_args() if kind == "list" else {})}


def triage_url(observation_id: str) -> str:
    """Back to a observation's triage, in the queue the request came from: every form on the
    triage page (not public, after photo, duplicate, the measure) returns here."""
    return url_for("measures.triage", observation_id=observation_id, **queue_args())
