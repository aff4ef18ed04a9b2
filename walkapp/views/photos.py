"""Photos: the walker uploads them (API), coordinators and that walk's walkers see them."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    g,
    jsonify,
    request,
    send_from_directory,
)
from flask_babel import gettext as _

from .. import observations, rate_limits, settings
from ..access import (
    WALKER,
    reads_with_api_token,
    requires,
)
from ..db import get_db
from ..db import observations as obs_db
from ..db import photos as photos_db
from ..extensions import csrf
from ..observations import parse_uuid
from ..photos import PhotoRefused, store_photo
from .shared import photo_folder, refuse

bp = Blueprint("photos", __name__)
api = Blueprint("photos_api", __name__, url_prefix="/api")
csrf.exempt(api)


@api.post("/observations/<observation_id>/photos")
@requires(WALKER)
@rate_limits.walker_write
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
                upload.read(settings.current().max_photo_bytes + 1),
                photo_folder(),
                settings.current().max_photo_bytes,
            )
        except PhotoRefused as refused:
            return refuse(400, {"photo": str(refused.message)})
        try:
            created, existing = observations.attach_photo(
                db, photo_id, observation_id, stored, photo_folder()
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


@bp.get("/observations/<observation_id>/photos/<photo_id>.jpg", defaults={"thumb": False})
@bp.get("/observations/<observation_id>/photos/<photo_id>/thumb.jpg", defaults={"thumb": True})
@requires(WALKER)
@reads_with_api_token
def photo(observation_id: str, photo_id: str, thumb: bool):
    row = photos_db.get_photo(get_db(), photo_id)
    if row is None or row["observation_id"] != observation_id:
        abort(404)
    folder = photo_folder()
    response = send_from_directory(
        folder, row["thumb_filename"] if thumb else row["filename"], mimetype="image/jpeg"
    )
    # Private: never kept by a shared proxy; the phone may keep it for the walk.
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
