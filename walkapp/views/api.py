"""The walker's JSON API: join, record, edit and delete observations, upload photos.

Documented in the README ("Capture API"). Calls authenticate with the walker's token as
`Authorization: Bearer`; calls authorised by a cookie must carry the CSRF token instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _

from .. import observations
from ..access import PUBLIC, WALKER, make_walker_token, rate_limit_key, requires
from ..db import get_db, transaction
from ..db import observations as obs_db
from ..db import photos as photos_db
from ..db import places as places_db
from ..db import walks as walks_db
from ..extensions import csrf, limiter
from ..observations import Invalid, check_edit, check_new, parse_uuid
from ..photos import PhotoRefused, store_photo
from ..places_index import current_index

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

# Wrong codes cost; right ones do not (a whole class joins at once from one school network).
JOIN_LIMIT = "20 per 10 minutes"


def walker_write_limit() -> str:
    """Observation and photo posts per walker token (WALKAPP_WALKER_WRITES_PER_MINUTE)."""
    return f"{int(current_app.config['WALKAPP_WALKER_WRITES_PER_MINUTE'])} per minute"


def _failed(response) -> bool:
    return response.status_code >= 400


def refuse(status: int, errors: dict | None = None, message: str | None = None):
    body: dict = {"error": message or _("Uppgifterna kunde inte tas emot.")}
    if errors:
        body["errors"] = {field: str(text) for field, text in errors.items()}
    response = jsonify(body)
    response.status_code = status
    return response


def json_body():
    """The request's JSON, or None when it is not JSON (parsing errors included)."""
    if not request.is_json:
        return None
    try:
        return json.loads(request.get_data(cache=False) or b"null")
    except ValueError:
        return None


def _index():
    return current_index(get_db(), float(current_app.config["WALKAPP_NEAR_DISTANCE_M"]))


def _photo_folder() -> Path:
    return Path(current_app.config["WALKAPP_INSTANCE"]) / "photos"


def _walker_id() -> str | None:
    return g.walker["walker"] if g.walker else None


@bp.post("/join")
@requires(PUBLIC)
@limiter.shared_limit(JOIN_LIMIT, scope="join", deduct_when=_failed)
def join():
    payload = json_body()
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), str):
        return refuse(400, {"code": _("Skriv vandringens kod, sex tecken.")})
    name = payload.get("name") or ""
    if not isinstance(name, str) or len(name) > 80:
        return refuse(400, {"name": _("Namnet får vara högst 80 tecken.")})
    db = get_db()
    walk = walks_db.get_walk_by_code(db, payload["code"])
    if walk is None:
        return refuse(404, {"code": _("Det finns ingen vandring med den koden.")})
    if walk["state"] == "closed":
        return refuse(410, {"code": _("Vandringen är avslutad, koden gäller inte längre.")})
    with transaction(db):
        walker_id = walks_db.add_walker(db, walk["id"], name)
    return jsonify(
        {
            "walk_id": walk["id"],
            "walker_id": walker_id,
            "token": make_walker_token(walk["id"], walker_id),
        }
    ), 201


@bp.get("/walks/<walk_id>")
@requires(WALKER)
def walk_info(walk_id: str):
    """The walk and its places (GeoJSON) for the capture map; cached by the service worker."""
    db = get_db()
    walk = walks_db.get_walk(db, walk_id)
    chosen = set(walks_db.walk_place_ids(db, walk_id))
    features = [
        {
            "type": "Feature",
            "id": place["id"],
            "geometry": place["geometry"],
            "properties": {
                "name": place["name"],
                "priority": place["priority"],
                "on_route": place["id"] in chosen,
            },
        }
        for place in places_db.list_places(db)
    ]
    return jsonify(
        {
            "walk": {key: walk[key] for key in ("id", "title", "state", "starts_at", "code")},
            "places": {"type": "FeatureCollection", "features": features},
        }
    )


@bp.get("/walks/<walk_id>/observations")
@requires(WALKER)
def own_observations(walk_id: str):
    walker_id = _walker_id()
    rows = obs_db.list_for_walker(get_db(), walk_id, walker_id) if walker_id else []
    return jsonify({"observations": rows})


@bp.post("/walks/<walk_id>/observations")
@requires(WALKER)
@limiter.limit(walker_write_limit, key_func=rate_limit_key)
def create_observation(walk_id: str):
    try:
        clean = check_new(json_body())
    except Invalid as invalid:
        return refuse(400, invalid.errors)
    db = get_db()
    walk = walks_db.get_walk(db, walk_id)
    if walk is None:
        return refuse(404, message=_("Vandringen finns inte."))
    try:
        created, stored = observations.record(db, _index(), walk, _walker_id(), clean)
    except observations.Conflict:
        return refuse(409, {"id": _("Det id:t används redan av en annan observation.")})
    return jsonify(stored), 201 if created else 200


def _own_open_observation(walk_id: str, observation_id: str):
    """The walker's own observation in an open walk, or a refusal."""
    db = get_db()
    observation = obs_db.get_observation(db, observation_id)
    if observation is None or observation["walk_id"] != walk_id:
        return None, refuse(404, message=_("Observationen finns inte."))
    if g.walker is None or observation["walker_id"] != g.walker["walker"]:
        return None, refuse(403, message=_("Du kan bara ändra dina egna observationer."))
    if walks_db.get_walk(db, walk_id)["state"] == "closed":
        return None, refuse(
            409, message=_("Vandringen är avslutad; observationer kan inte längre ändras.")
        )
    return observation, None


@bp.patch("/walks/<walk_id>/observations/<observation_id>")
@requires(WALKER)
@limiter.limit(walker_write_limit, key_func=rate_limit_key)
def edit_observation(walk_id: str, observation_id: str):
    observation, refusal = _own_open_observation(walk_id, observation_id)
    if refusal:
        return refusal
    try:
        changes = check_edit(json_body())
    except Invalid as invalid:
        return refuse(400, invalid.errors)
    return jsonify(observations.edit(get_db(), _index(), observation, changes))


@bp.delete("/walks/<walk_id>/observations/<observation_id>")
@requires(WALKER)
@limiter.limit(walker_write_limit, key_func=rate_limit_key)
def delete_observation(walk_id: str, observation_id: str):
    db = get_db()
    if obs_db.get_observation(db, observation_id) is None:
        # Already gone: a retried delete is answered like the first one.
        return "", 204
    _observation, refusal = _own_open_observation(walk_id, observation_id)
    if refusal:
        return refusal
    observations.delete(db, observation_id, _photo_folder())
    return "", 204


@bp.post("/observations/<observation_id>/photos")
@requires(WALKER)
@limiter.limit(walker_write_limit, key_func=rate_limit_key)
def upload_photo(observation_id: str):
    photo_id = parse_uuid(request.form.get("id"))
    if photo_id is None:
        return refuse(400, {"id": _("id ska vara ett UUID som telefonen har skapat.")})
    db = get_db()
    observation = obs_db.get_observation(db, observation_id)
    if observation is None:
        return refuse(404, message=_("Observationen finns inte."))
    if g.walker is not None and observation["walker_id"] != g.walker["walker"]:
        return refuse(403, message=_("Du kan bara lägga till bilder till dina egna observationer."))
    existing = photos_db.get_photo(db, photo_id)
    if existing is None:
        upload = request.files.get("photo")
        if upload is None:
            return refuse(400, {"photo": _("Välj en bild.")})
        try:
            stored = store_photo(
                upload.read(int(current_app.config["WALKAPP_MAX_PHOTO_BYTES"]) + 1),
                _photo_folder(),
                int(current_app.config["WALKAPP_MAX_PHOTO_BYTES"]),
            )
        except PhotoRefused as refused:
            return refuse(400, {"photo": str(refused.message)})
        try:
            created, existing = observations.attach_photo(
                db, photo_id, observation_id, stored, _photo_folder()
            )
        except observations.Conflict:
            return refuse(409, {"id": _("Det id:t används redan av en annan bild.")})
    else:
        created = False
        if existing["observation_id"] != observation_id:
            return refuse(409, {"id": _("Det id:t används redan av en annan bild.")})
    return jsonify(_photo_body(existing)), 201 if created else 200


def _photo_body(row: dict) -> dict:
    base = f"/observations/{row['observation_id']}/photos/{row['id']}"
    return {
        "id": row["id"],
        "observation_id": row["observation_id"],
        "url": base + ".jpg",
        "thumb_url": base + "/thumb.jpg",
        "width": row["width"],
        "height": row["height"],
    }
