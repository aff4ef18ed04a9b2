"""The planned route: drawn on the walk form (routes/_form_map.html), shown on the capture map,
the walk page and protocol (routes/_map.html), public for a public walk; `/export/routes.geojson`
gives per walk the planned route and the walked track (coordinators and read-only tokens)."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from .. import routes, tracks
from ..access import COORDINATOR, PUBLIC, WALKER, requires
from ..db import audits as audits_db
from ..db import get_db
from ..db import measures as measures_db
from ..db import routes as routes_db
from ..db import walks as walks_db
from ..exports.geojson import feature_texts, stream_feature_collection
from ..routes import InvalidRoute, check_route
from .audits import audit_texts
from .shared import GEOJSON, attachment, filters_or_400, found_or_404, streamed_rows

bp = Blueprint("routes", __name__)
api = Blueprint("routes_api", __name__, url_prefix="/api")

EMPTY = {"type": "FeatureCollection", "features": []}


def route_from_form() -> tuple[dict | None, str | None]:
    """The route drawn on the walk form (the hidden `route` field): (route or None, error)."""
    try:
        return check_route(request.form.get("route", "")), None
    except InvalidRoute as invalid:
        return None, str(invalid)


@bp.app_template_global()
def walk_route_json(walk_id: str | None) -> str:
    """The stored route as JSON text for the drawing map of the walk form."""
    route = routes_db.get_route(get_db(), walk_id) if walk_id else None
    return json.dumps(route or EMPTY, separators=(",", ":"))


@bp.app_template_global()
def route_capture_config(walk: dict) -> dict:
    """What routes/_capture.html hands its script: URLs, the track rules (walkapp/tracks.py),
    the audit parameters with their level texts (walkapp/audits.py) and the words."""
    return {
        "walk_id": walk["id"],
        "api": {
            "route": url_for("routes_api.walker_route", walk_id=walk["id"]),
            "track": url_for("tracks_api.add_track_chunk", walk_id=walk["id"]),
            "audits": url_for("audits_api.add_audit", walk_id=walk["id"]),
        },
        "rules": tracks.RULES,
        "parameters": audit_texts(),
        "text": {
            "stop": _("Stopp"),
            "track_on": _("Spelar in: %(n)s punkter", n="%(n)s"),
            "track_off": _("Rutten spelas inte in."),
            "track_denied": _("Telefonen ger ingen position: rutten spelas inte in."),
            "audit_count": _("%(n)s av 9 bedömda", n="%(n)s"),
            "audit_empty": _("Sätt minst en poäng (0–3)."),
            "audit_no_position": _("Ingen position ännu – tryck på kartan där ni står."),
            "audit_saved": _("Bedömningen är sparad."),
        },
    }


@bp.app_template_global()
def public_walk_route(walk_id: str) -> dict | None:
    """For routes/_public.html: the planned route of a public walk (never a walked track)."""
    walk = walks_db.get_walk(get_db(), walk_id)
    if not walk or not walk["public"]:
        return None
    route = routes_db.get_route(get_db(), walk_id)
    if route is None:
        return None
    return {
        "stops": routes.stops_of(route),
        "has_line": bool(routes.line_of(route)),
        "url": url_for("routes.public_route", walk_id=walk_id),
    }


def _walk_or_404(walk_id: str) -> dict:
    walk = found_or_404(walks_db.get_walk(get_db(), walk_id))
    return walk


@api.get("/walks/<walk_id>/route")
@requires(WALKER)
def walker_route(walk_id: str):
    """The planned route and stops for the capture map (cached by the service worker)."""
    _walk_or_404(walk_id)
    response = jsonify(routes_db.get_route(get_db(), walk_id) or EMPTY)
    response.mimetype = GEOJSON
    return response


@bp.get("/walks/<walk_id>/route.json")
@requires(COORDINATOR)
def walk_map_data(walk_id: str):
    """The walk page's and protocol's map: planned route, stops, walked tracks, audits and
    observations (coordinators only: tracks are a person's movement)."""
    _walk_or_404(walk_id)
    db = get_db()
    route = routes_db.get_route(db, walk_id) or EMPTY
    audits = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {"kind": "audit", "stop": row["stop"], "recorded_at": row["recorded_at"]},
        }
        for row in audits_db.for_walk(db, walk_id)
    ]
    observations = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [observation["lon"], observation["lat"]]},
            "properties": {
                "kind": "observation",
                "rating": observation["rating"],
                "category": observation["category"],
                "url": url_for("measures.triage", observation_id=observation["id"]),
            },
        }
        for observation in measures_db.observations_for_walk(db, walk_id)
    ]
    return jsonify(
        {
            "type": "FeatureCollection",
            "features": route["features"]
            + tracks.track_features(db, walk_id)
            + audits
            + observations,
        }
    )


@bp.get("/public/walks/<walk_id>/route.geojson")
@requires(PUBLIC)
def public_route(walk_id: str):
    """The planned route of a walk the coordinator made public; never a walked track."""
    walk = walks_db.get_walk(get_db(), walk_id)
    route = found_or_404(
        routes_db.get_route(get_db(), walk_id) if walk and walk["public"] else None
    )
    response = jsonify(route)
    response.mimetype = GEOJSON
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def route_features(db, walk: dict) -> list[dict]:
    """Export features of one walk: its planned route and the walked
    track of each walker who recorded (MultiLineString, one part per stretch between gaps)."""
    about = {"walk_id": walk["id"], "walk_title": walk["title"], "starts_at": walk["starts_at"]}
    features = []
    route_line = routes.line_of(walk["route"])
    if route_line:
        features.append(
            {
                "type": "Feature",
                "id": f"{walk['id']}:route",
                "geometry": {"type": "MultiLineString", "coordinates": [route_line]},
                "properties": {**about, "kind": "route"},
            }
        )
    for feature in tracks.track_features(db, walk["id"]):
        feature["id"] = f"{walk['id']}:track:{feature['properties']['track']}"
        feature["properties"] = {**about, **feature["properties"]}
        features.append(feature)
    return features


@bp.get("/export/routes.geojson")
@requires(COORDINATOR)
def routes_geojson():
    filters = filters_or_400(areas=False)
    app = current_app._get_current_object()

    def features(db):
        for walk in routes_db.walks_filtered(db, filters):
            yield from route_features(db, walk)

    return current_app.response_class(
        stream_feature_collection(feature_texts(streamed_rows(app, features))),
        mimetype=GEOJSON,
        headers=attachment("rutter", "geojson"),
    )
