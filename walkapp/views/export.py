"""Data out: streamed GeoJSON and CSV of the findings, the places as GeoJSON, Open311 GeoReport v2
(read side), and the coordinators' read-only API tokens for tools such as QGIS."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import geojson_export as gx
from ..access import COORDINATOR, PUBLIC, current_user, open311_error, requires
from ..db import api_tokens as api_tokens_db
from ..db import connect, database_path, get_db
from ..db import export as export_db
from ..db import places as places_db
from ..db import public as public_db
from ..db import walks as walks_db
from ..export import excel_csv
from ..forms import TokenForm
from ..places_upload import places_to_geojson
from ..vocabulary import (
    CATEGORIES,
    CATEGORY_LABELS_SV,
    MEASURE_STATUSES,
    RATING_LABELS_SV,
    RATINGS,
    STATUS_LABELS_SV,
)

bp = Blueprint("export", __name__)

GEOJSON = "application/geo+json"


def filters_or_400(**fixed) -> gx.Filters:
    """The request's export filters (with `fixed` ones set), or a 400 naming each bad one."""
    try:
        filters = gx.parse_filters(request.args)
    except gx.BadFilter as bad:
        errors = {name: str(message) for name, message in bad.errors.items()}
        response = jsonify({"error": " ".join(errors.values()), "errors": errors})
        response.status_code = 400
        abort(response)
    for key, value in fixed.items():
        setattr(filters, key, value)
    return filters


def _photo_url(row: dict, host: str) -> str | None:
    """Only for callers who may see photos: every caller of these routes is staff."""
    if not row["photo_ids"]:
        return None
    return f"{host}observations/{row['id']}/photos/{row['photo_ids'][0]}.jpg"


def _streamed_rows(app, query) -> Iterator[dict]:
    """Rows from a connection of their own: the stream outlives the request's context."""
    db = connect(database_path(app))
    try:
        yield from query(db)
    finally:
        db.close()


def _download_name(stem: str, extension: str) -> str:
    return f"walkapp-{stem}-{date.today().isoformat()}.{extension}"


@bp.get("/export/observations.geojson")
@requires(COORDINATOR)
def observations_geojson():
    filters = filters_or_400()
    app = current_app._get_current_object()
    host = request.host_url

    def features():
        for row in _streamed_rows(app, lambda db: export_db.iter_filtered(db, filters)):
            yield gx.observation_feature(row, _photo_url(row, host))

    return Response(
        gx.stream_feature_collection(features()),
        mimetype=GEOJSON,
        headers={
            "Content-Disposition": f'attachment; filename="{_download_name("observationer", "geojson")}"'
        },
    )


CSV_COLUMNS = [
    "id",
    "registrerad",
    "kategori",
    "kategori_namn",
    "bedömning",
    "vandring",
    "plats",
    "relation",
    "status",
    "ansvarig",
    "sista_dag",
    "anteckning",
    "longitud",
    "latitud",
]


@bp.get("/export/observations.csv")
@requires(COORDINATOR)
def observations_csv():
    filters = filters_or_400()
    app = current_app._get_current_object()
    rows = (
        [
            row["id"],
            row["recorded_at"][:10],
            row["category"],
            CATEGORY_LABELS_SV.get(row["category"], row["category"]),
            RATING_LABELS_SV[row["rating"]],
            row["walk_title"],
            row["place_name"] or "",
            row["relation"],
            STATUS_LABELS_SV[row["status"]],
            row["partner_name"] or "",
            row["deadline"] or "",
            row["note"],
            round(row["lon"], 6),
            round(row["lat"], 6),
        ]
        for row in _streamed_rows(app, lambda db: export_db.iter_filtered(db, filters))
    )
    return Response(
        excel_csv(CSV_COLUMNS, rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_download_name("observationer", "csv")}"'
        },
    )


@bp.get("/export/places.geojson")
@requires(PUBLIC)
def places_geojson():
    """The prioritised places (public data) with what the public page shows of them: this year's
    findings and how many are fixed, as counts. `?all=1` adds inactive places for staff."""
    db = get_db()
    everything = request.args.get("all") == "1" and current_user() is not None
    collection = places_to_geojson(places_db.list_places(db, active_only=not everything))
    year = date.today().year
    counts = {row["place_id"]: row for row in public_db.findings_by_place(db, year)}
    for feature in collection["features"]:
        row = counts.get(feature["id"], {"total": 0, "fixed": 0})
        feature["properties"].update(
            {"year": year, "findings": row["total"], "fixed": row["fixed"]}
        )
    response = jsonify(collection)
    response.mimetype = GEOJSON
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_download_name("platser", "geojson")}"'
    )
    return response


# --- Open311 GeoReport v2 (read side) ---


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
    return jsonify([gx.open311_service(key) for key in CATEGORIES])


def _open311_rows(query: dict) -> list[dict]:
    return list(export_db.iter_open311(get_db(), query, gx.OPEN311_MAX))


@bp.get("/open311/v2/requests.json")
@requires(COORDINATOR)
def open311_requests():
    try:
        query = gx.parse_open311(request.args)
    except gx.BadFilter as bad:
        return open311_error(400, " ".join(bad.errors.values()))
    return jsonify(
        [gx.open311_request(row, _photo_url(row, request.host_url)) for row in _open311_rows(query)]
    )


@bp.get("/open311/v2/requests/<observation_id>.json")
@requires(COORDINATOR)
def open311_request(observation_id: str):
    rows = _open311_rows({"ids": [observation_id]})
    if not rows:
        return open311_error(404, f"service_request_id {observation_id[:64]} not found")
    return jsonify([gx.open311_request(rows[0], _photo_url(rows[0], request.host_url))])


# --- API tokens ---


@bp.route("/tokens", methods=["GET", "POST"])
@requires(COORDINATOR)
def tokens():
    db = get_db()
    user = current_user()
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        _token_id, created = api_tokens_db.create_token(db, user["id"], form.label.data or "")
    status = 400 if request.method == "POST" and created is None else 200
    listed = api_tokens_db.list_tokens(db, None if user["role"] == "admin" else user["id"])
    return render_template(
        "export/tokens.html",
        form=form,
        created=created,
        tokens=listed,
        base=request.host_url.rstrip("/"),
        places=places_db.list_places(db),
        walks=walks_db.list_walks(db),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    ), status


@bp.post("/tokens/<int:token_id>/revoke")
@requires(COORDINATOR)
def revoke(token_id: int):
    user = current_user()
    if api_tokens_db.revoke_token(get_db(), token_id, user["id"], user["role"] == "admin"):
        flash(_("Nyckeln är spärrad."))
    else:
        flash(_("Nyckeln fanns inte eller var redan spärrad."))
    return redirect(url_for("export.tokens"), code=303)
