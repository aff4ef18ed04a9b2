"""Data out: streamed GeoJSON and CSV of the findings, and the places as GeoJSON."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    request,
)

from ..access import COORDINATOR, PUBLIC, current_user, requires
from ..db import exports as exports_db
from ..db import get_db
from ..db import places as places_db
from ..db import public as public_db
from ..exports.csv import excel_csv
from ..exports.geojson import observation_feature, stream_feature_collection
from ..places_upload import places_to_geojson
from ..vocabulary import (
    CATEGORY_LABELS_SV,
    RATING_LABELS_SV,
    STATUS_LABELS_SV,
)
from .shared import GEOJSON, download_name, filters_or_400, photo_url, streamed_rows

bp = Blueprint("exports", __name__)


@bp.get("/export/observations.geojson")
@requires(COORDINATOR)
def observations_geojson():
    filters = filters_or_400()
    app = current_app._get_current_object()
    host = request.host_url

    def features():
        for row in streamed_rows(app, lambda db: exports_db.iter_filtered(db, filters)):
            yield observation_feature(row, photo_url(row, host))

    return Response(
        stream_feature_collection(features()),
        mimetype=GEOJSON,
        headers={
            "Content-Disposition": f'attachment; filename="{download_name("observationer", "geojson")}"'
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
        for row in streamed_rows(app, lambda db: exports_db.iter_filtered(db, filters))
    )
    return Response(
        excel_csv(CSV_COLUMNS, rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{download_name("observationer", "csv")}"'
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
        f'attachment; filename="{download_name("platser", "geojson")}"'
    )
    return response
