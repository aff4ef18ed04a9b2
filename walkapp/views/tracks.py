"""The walked track: the phone posts its recorded points in chunks, through the offline outbox.

`POST /api/walks/<walk_id>/track` with `{"id": <uuid of the chunk>, "points": [{lon, lat,
accuracy_m, t}]}`: 201 the first time, 200 with the same body for a chunk already stored, 400 with
a message per bad field (`points[3].lat`), 409 for a chunk id of another walk or stored with
other points (views/shared.walker_write). Tracks are shown to coordinators only (views/routes.py),
never to the public.
"""

from __future__ import annotations

from flask import Blueprint

from .. import tracks
from ..extensions import csrf
from .shared import walker_endpoint, walker_id, walker_write

api = Blueprint("tracks_api", __name__, url_prefix="/api")
csrf.exempt(api)


@api.post("/walks/<walk_id>/track")
@walker_endpoint(tracks.CHUNK_BODY_BYTES)
def add_track_chunk(walk_id: str):
    return walker_write(
        walk_id,
        tracks.check_chunk,
        lambda db, walk, chunk: tracks.record(db, walk["id"], walker_id(), chunk),
    )
