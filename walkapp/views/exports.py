"""Data out: streamed GeoJSON and CSV of the observations, and the places as GeoJSON."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from .. import clock, public
from ..access import COORDINATOR, PUBLIC, current_user, is_staff, requires, scope
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
    filters, app, host, suffix = _export_request()
    texts = streamed_rows(app, lambda db: exports_db.iter_feature_texts(db, filters, host, suffix))
    return _download(stream_feature_collection(texts), GEOJSON, "geojson")


@bp.get("/export/observations.csv")
@requires(COORDINATOR)
def observations_csv():
    """The GeoJSON's columns (same names), then longitude and latitude, for Swedish Excel."""
    filters, app, host, suffix = _export_request()
    rows = streamed_rows(app, lambda db: exports_db.iter_rows(db, filters))
    lines = (csv_row(row, photo_url(row, host, suffix)) for row in rows)
    return _download(excel_csv(CSV_COLUMNS, lines), "text/csv", "csv")


def _export_request():
    """What an export of observations streams from: the list's filters (400 for bad ones), the
    app (the stream outlives the request) and the photo links' host and token."""
    return filters_or_400(), current_app._get_current_object(), request.host_url, token_suffix()


def _download(body, mimetype: str, extension: str) -> Response:
    return Response(body, mimetype=mimetype, headers=attachment("observationer", extension))


@bp.get("/export/places.geojson")
@requires(PUBLIC)
def places_geojson():
    """The prioritised places (public data) with what the public page shows of them: this year's
    observations and how many are fixed, as counts. `?all=1` adds inactive places for staff."""
    db = get_db()
    everything = request.args.get("all") == "1" and is_staff(current_user())
    # Public data; a signed-in caller (or token) gets its organisations' places, as every list.
    collection = places_to_geojson(
        places_db.list_places(db, active_only=not everything, organisation_ids=scope())
    )
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
