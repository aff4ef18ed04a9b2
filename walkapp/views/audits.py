"""Safety audits: the phone posts the nine scores (`POST /api/walks/<walk_id>/audits`, idempotent
by id; 400 naming an unknown parameter or a score outside 0–3), coordinators read them per stop
(walk page, protocol: audits/_table.html) and per place over time (meeting view:
audits/_place.html), and tools get `/export/audits.geojson` with flat scores."""

from __future__ import annotations

from flask import Blueprint, current_app

from .. import audits, routes, settings
from ..access import COORDINATOR, requires
from ..audits import PARAMETERS
from ..db import audits as audits_db
from ..db import get_db
from ..db import routes as routes_db
from ..exports.geojson import feature_texts, stream_feature_collection
from ..extensions import csrf
from ..places_index import current_index
from .shared import (
    GEOJSON,
    attachment,
    filters_or_400,
    streamed_rows,
    walker_endpoint,
    walker_id,
    walker_write,
)

bp = Blueprint("audits", __name__)
api = Blueprint("audits_api", __name__, url_prefix="/api")
csrf.exempt(api)


def audit_texts() -> list[dict]:
    """The parameters in order with their level texts, in the page's language, for the phone's
    sheet (a list: JSON objects lose their order through `tojson`)."""
    return [
        {"key": key, "label": str(label), "levels": [str(level) for level in levels]}
        for key, (label, levels) in PARAMETERS.items()
    ]


@api.post("/walks/<walk_id>/audits")
@walker_endpoint(audits.BODY_BYTES)
def add_audit(walk_id: str):
    def store(db, walk, clean):
        index = current_index(db, settings.current().near_distance_m, walk["organisation_id"])
        route = routes_db.get_route(db, walk["id"])
        return audits.record(db, index, walk["id"], walker_id(), route, clean)

    return walker_write(walk_id, audits.check_audit, store)


@bp.app_template_global()
def walk_audits(walk_id: str) -> dict:
    """For audits/_table.html: the walk's audits per stop, and the parameters' labels."""
    db = get_db()
    stops = routes.stops_of(routes_db.get_route(db, walk_id))
    rows = audits_db.for_walk(db, walk_id)
    return {"parameters": PARAMETERS, "stops": audits.by_stop(rows, stops), "count": len(rows)}


@bp.app_template_global()
def place_audits(place_id: int) -> dict:
    """For audits/_place.html: the place's audits per walk over time."""
    rows = audits_db.for_place(get_db(), place_id)
    return {"parameters": PARAMETERS, "walks": audits.over_time(rows), "count": len(rows)}


@bp.get("/export/audits.geojson")
@requires(COORDINATOR)
def audits_geojson():
    filters = filters_or_400(areas=False)
    app = current_app._get_current_object()

    def features(db):
        for row in audits_db.iter_filtered(db, filters):
            yield audits.audit_feature(row)

    return current_app.response_class(
        stream_feature_collection(feature_texts(streamed_rows(app, features))),
        mimetype=GEOJSON,
        headers=attachment("bedomningar", "geojson"),
    )
