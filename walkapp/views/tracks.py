"""The walked track: the phone posts its recorded points in chunks, through the offline outbox.

`POST /api/walks/<walk_id>/track` with `{"id": <uuid of the chunk>, "points": [{lon, lat,
accuracy_m, t}]}`: 201 the first time, 200 with the same body for a chunk already stored, 400 with
a message per bad field (`points[3].lat`), 409 for a chunk id of another walk. Tracks are shown to
coordinators only (views/routes.py), never to the public.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_babel import gettext as _

from .. import rate_limits, tracks
from ..access import WALKER, requires
from ..db import get_db
from ..db import walks as walks_db
from ..extensions import csrf
from .shared import json_body, refuse, walker_id

api = Blueprint("tracks_api", __name__, url_prefix="/api")
csrf.exempt(api)


@api.post("/walks/<walk_id>/track")
@requires(WALKER)
@rate_limits.walker_write
def add_track_chunk(walk_id: str):
    try:
        chunk = tracks.check_chunk(json_body())
    except tracks.Invalid as invalid:
        return refuse(400, invalid.errors)
    db = get_db()
    if walks_db.get_walk(db, walk_id) is None:
        return refuse(404, message=_("Vandringen finns inte."))
    try:
        created, stored = tracks.record(db, walk_id, walker_id(), chunk)
    except tracks.Conflict:
        return refuse(409, {"id": _("Det id:t används redan av en annan vandring.")})
    return jsonify(stored), 201 if created else 200
