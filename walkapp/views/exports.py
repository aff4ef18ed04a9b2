"""Data out: streamed GeoJSON and CSV of the observations, and the places as GeoJSON."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from .. import clock, public
from ..access import COORDINATOR, PUBLIC, current_user, requires
from ..db import exports as exports_db
from ..db import get_db
from ..db import places as places_db
from ..db import public as public_db
from ..exports.csv import CSV_COLUMNS, csv_row, excel_csv
from ..exports.geojson import stream_feature_collection
from ..places_upload import places_to_geojson
from .shared import (
    GEOJSON,
    attachment,
    download_name,
    filters_or_400,
    photo_url,
    streamed_rows,
    token_suffix,
)

bp = Blueprint("exports", __name__)


@bp.get("/export/observations.geojson")
@requires(COORDINATOR)
def observations_geojson():
    filters = filters_or_400()
    app = current_app._get_current_object()
    host, suffix = request.host_url, token_suffix()
    texts = streamed_rows(app, lambda db: exports_db.iter_feature_texts(db, filters, host, suffix))
    return Response(
        stream_feature_collection(texts),
        mimetype=GEOJSON,
        headers=attachment("observationer", "geojson"),
    )


@bp.get("/export/observations.csv")
@requires(COORDINATOR)
def observations_csv():
    """The GeoJSON's columns (same names), then longitude and latitude, for Swedish Excel."""
    filters = filters_or_400()
    app = current_app._get_current_object()
    host, suffix = request.host_url, token_suffix()
    rows = (
        csv_row(row, photo_url(row, host, suffix))
        for row in streamed_rows(app, lambda db: exports_db.iter_rows(db, filters))
    )
    return Response(
        excel_csv(CSV_COLUMNS, rows),
        mimetype="text/csv",
        headers=attachment("observationer", "csv"),
    )


@bp.get("/export/places.geojson")
@requires(PUBLIC)
def places_geojson():
    """The prioritised places (public data) with what the public page shows of them: this year's
    observations and how many are fixed, as counts. `?all=1` adds inactive places for staff."""
    db = get_db()
    everything = request.args.get("all") == "1" and current_user() is not None
    collection = places_to_geojson(places_db.list_places(db, active_only=not everything))
    year = clock.today().year
    counts = {
        row["place_id"]: row
        for row in public.observations_by_place(public_db.observation_counts(db, year))
    }
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
