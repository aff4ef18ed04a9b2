"""Photos: the walker uploads them (API) within the observation's count and their daily budget,
removes the ones they added while the walk is open; coordinators and that walk's walkers see
them."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, g, jsonify, redirect, request, send_from_directory
from flask_babel import gettext as _

from .. import observations, rate_limits, settings, walks
from ..access import COORDINATOR, WALKER, current_user, reads_with_api_token, requires
from ..db import exports as exports_db
from ..db import get_db
from ..db import measures as measures_db
from ..db import observations as obs_db
from ..db import photos as photos_db
from ..db import walks as walks_db
from ..extensions import csrf
from ..inputs import Conflict, parse_uuid
from ..measures import after_photo_allowed
from ..photos import Allowance, PhotoRefused, store_photo
from .shared import (
    earlier_finding,
    found_or_404,
    photo_folder,
    refuse,
    token_filters,
    triage_url,
    walker_id,
)

bp = Blueprint("photos", __name__)
api = Blueprint("photos_api", __name__, url_prefix="/api")
csrf.exempt(api)


def _allowance() -> Allowance:
    current = settings.current()
    return Allowance(current.photos_per_observation, current.photo_bytes_per_walker_day)


@api.post("/observations/<observation_id>/photos")
@requires(WALKER)
@rate_limits.walker_write
@rate_limits.bad_bodies
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
            # Before the decode: a full observation or a spent budget costs no work.
            observations.check_photo_allowance(
                db, _allowance(), observation_id, "before", walker_id()
            )
        except PhotoRefused as refused:
            return refuse(refused.status, {"photo": str(refused.message)})
        try:
            stored = store_photo(
                upload.read(settings.current().max_photo_bytes + 1),
                photo_folder(),
                settings.current().max_photo_bytes,
                keep_free=settings.current().min_free_bytes,
            )
        except PhotoRefused as refused:
            rate_limits.mark_bad_body()
            return refuse(refused.status, {"photo": str(refused.message)})
        try:
            created, existing = observations.attach_photo(
                db,
                photo_id,
                observation_id,
                stored,
                photo_folder(),
                walker_id=walker_id(),
                allowance=_allowance(),
            )
        except PhotoRefused as refused:
            return refuse(refused.status, {"photo": str(refused.message)})
        except Conflict as conflict:
            return refuse(409, {"id": conflict.message})
    else:
        created = False
        if existing["observation_id"] != observation_id:
            return refuse(409, {"id": _("Det id:t används redan av en annan bild.")})
    return jsonify(_photo_body(existing)), 201 if created else 200


@api.delete("/observations/<observation_id>/photos/<photo_id>")
@requires(WALKER)
@rate_limits.walker_write
def remove_photo(observation_id: str, photo_id: str):
    """The walker removes a photo they added, while their walk is open (for an "after" photo
    taken on a repeat walk: the repeat walk). Another's photo and one already removed are both a
    404 (the phone takes a 404 as done)."""
    db = get_db()
    row = photos_db.get_photo(db, photo_id)
    if (
        row is None
        or row["observation_id"] != observation_id
        or walker_id() is None
        or row["walker_id"] != walker_id()
    ):
        return refuse(404, message=_("Bilden finns inte bland dina bilder."))
    if walks.is_closed(walks_db.get_walk(db, g.walker["walk"])):
        return refuse(409, message=_("Vandringen är avslutad; bilder kan inte längre tas bort."))
    observations.remove_photo(db, photo_id, photo_folder())
    return "", 204


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
    db = get_db()
    row = photos_db.get_photo(db, photo_id)
    if row is None or row["observation_id"] != observation_id:
        abort(404)
    allowed = token_filters()
    if allowed is not None and not exports_db.matches(db, observation_id, allowed):
        abort(404)  # a token made with filters sees only its observations' photos
    return send_photo(observation_id, photo_id, thumb)


def send_photo(observation_id: str, photo_id: str, thumb: bool):
    """The photo file (or its thumbnail) of one observation, for a caller already let in."""
    row = photos_db.get_photo(get_db(), photo_id)
    if row is None or row["observation_id"] != observation_id:
        abort(404)
    # Private: never kept by a shared proxy; the phone may keep it for the walk.
    return photo_file(row, thumb, "private, max-age=86400")


def photo_file(row: dict, thumb: bool, cache_control: str):
    """A photo row's file (or its thumbnail) as a JPEG answer, cached as `cache_control` says."""
    response = send_from_directory(
        photo_folder(), row["thumb_filename"] if thumb else row["filename"], mimetype="image/jpeg"
    )
    response.headers["Cache-Control"] = cache_control
    return response


def store_after(observation_id: str, photo_id: str):
    """Store an uploaded "after" photo; (row, None, 201) or (None, refusal message, status)."""
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None, _("Välj en bild."), 400
    limit = settings.current().max_photo_bytes
    try:
        observations.check_photo_allowance(
            get_db(), _allowance(), observation_id, "after", walker_id()
        )
    except PhotoRefused as refused:
        return None, str(refused.message), refused.status
    try:
        stored = store_photo(
            upload.read(limit + 1), photo_folder(), limit, settings.current().min_free_bytes
        )
    except PhotoRefused as refused:
        rate_limits.mark_bad_body()
        return None, str(refused.message), refused.status
    try:
        _created, row = observations.attach_photo(
            get_db(),
            photo_id,
            observation_id,
            stored,
            photo_folder(),
            kind="after",
            walker_id=walker_id(),
            allowance=_allowance(),
        )
    except PhotoRefused as refused:
        return None, str(refused.message), refused.status
    except Conflict as conflict:
        return None, conflict.message, 409
    return row, None, 201


@bp.post("/observations/<observation_id>/after-photos")
@requires(COORDINATOR)
def after_photo(observation_id: str):
    """The coordinator attaches an "after" photo to a measure marked done or verified."""
    observation = found_or_404(measures_db.get_observation(get_db(), observation_id))
    if not after_photo_allowed(observation["status"]):
        flash(_("Ett efter-foto hör till en åtgärd som är åtgärdad eller verifierad."))
    else:
        row, problem, _status = store_after(observation_id, str(uuid.uuid4()))
        flash(problem or _("Efter-fotot är sparat."))
        if row is not None:
            publish_if_asked(row["id"])
    return redirect(triage_url(observation_id), code=303)


def publish_if_asked(photo_id: str) -> None:
    """An after photo just stored goes on the public page when its uploader ticked "Visa fotot
    på den offentliga sidan" (field `public`); never by default."""
    if request.form.get("public") == "1":
        observations.set_photo_public(get_db(), photo_id, True, current_user()["id"])


@api.get("/walks/<walk_id>/earlier")
@requires(WALKER)
def earlier_observations(walk_id: str):
    """On a repeat walk: earlier observations at this walk's places whose measure is done, which
    the walker may photograph "after". Category, place and status only: no notes, no photos."""
    db = get_db()
    rows = measures_db.fixed_at_places(db, walks_db.walk_place_ids(db, walk_id), walk_id)
    return jsonify(
        {
            "findings": [
                {**earlier_finding(row), "after_photos": len(row["after_photo_ids"])}
                for row in rows
            ]
        }
    )


@api.post("/walks/<walk_id>/earlier/<observation_id>/after-photos")
@requires(WALKER)
@rate_limits.walker_write
@rate_limits.bad_bodies
def walker_after_photo(walk_id: str, observation_id: str):
    """A walker on a repeat walk photographs a fixed earlier observation at one of its places."""
    photo_id = parse_uuid(request.form.get("id"))
    if photo_id is None:
        return refuse(400, {"id": _("id ska vara ett UUID som telefonen har skapat.")})
    db = get_db()
    allowed = {
        row["id"]
        for row in measures_db.fixed_at_places(db, walks_db.walk_place_ids(db, walk_id), walk_id)
    }
    if observation_id not in allowed:
        return refuse(
            404, message=_("Ingen åtgärdad iakttagelse med det id:t på vandringens platser.")
        )
    existing = photos_db.get_photo(db, photo_id)
    if existing is not None:
        if existing["observation_id"] != observation_id:
            return refuse(409, {"id": _("Det id:t används redan av en annan bild.")})
        return jsonify({"id": existing["id"], "kind": existing["kind"]}), 200
    row, problem, status = store_after(observation_id, photo_id)
    if problem:
        return refuse(status, {"photo": problem})
    return jsonify({"id": row["id"], "kind": row["kind"]}), 201
