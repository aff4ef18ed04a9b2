"""Observations: the capture screen and the walker's JSON API to record, edit and delete, and on
a re-walk the measures it carries with the walker's checks of them.

Documented in docs/developers/api.md. API calls authenticate with the walker's token as
`Authorization: Bearer`; calls authorised by a cookie must carry the CSRF token instead.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, make_response, render_template
from flask_babel import gettext as _

from .. import observations, rewalks, settings, walkers, walks
from ..access import (
    WALKER,
    bearer_token,
    current_user,
    make_walker_token,
    reads_only,
    requires,
    walker_tokens_from_cookie,
)
from ..db import get_db
from ..db import measures as measures_db
from ..db import observations as obs_db
from ..db import places as places_db
from ..db import rewalks as rewalks_db
from ..db import walks as walks_db
from ..exports.open311 import PUBLIC_DECIMALS
from ..extensions import csrf
from ..inputs import Invalid
from ..observations import ACCURACY_FAIR_M, ACCURACY_GOOD_M, MAX_NOTE, check_edit, check_new
from ..places_index import current_index
from ..vocabulary import CATEGORIES, RATING_COLOURS, RATINGS
from .capture_texts import capture_texts
from .offline import CAPTURE_MODULES, inline_css, tile_precache
from .shared import (
    earlier_finding,
    found_or_404,
    json_body,
    photo_folder,
    refuse,
    walker_endpoint,
    walker_id,
    walker_write,
)
from .walkers import set_walker_cookie

bp = Blueprint("observations", __name__)
api = Blueprint("observations_api", __name__, url_prefix="/api")
csrf.exempt(api)


def _index(walk: dict):
    """The place index of the walk's organisation: its observations take its places only."""
    return current_index(get_db(), settings.current().near_distance_m, walk["organisation_id"])


@bp.get("/walks/<walk_id>/capture")
@requires(WALKER)
def capture(walk_id: str):
    db = get_db()
    walk = found_or_404(walks_db.get_walk(db, walk_id))
    if g.walker is None and reads_only(current_user()):
        abort(403)  # a region user reads; the capture screen would join (and start) the walk
    walks.start_if_begun(db, walk)
    # The page hands the walker's token to its script, which sends it as a Bearer token.
    token = walker_tokens_from_cookie().get(walk_id) or bearer_token()
    if g.walker is None:
        # A signed-in coordinator opening the screen joins as a walker under their own name.
        walker_id = walkers.join(db, walk_id, current_user()["username"])
        token = make_walker_token(walk_id, walker_id)
    response = make_response(
        render_template(
            "observations/capture.html",
            walk=walk,
            token=token,
            categories=CATEGORIES,
            ratings=RATINGS,
            texts=capture_texts(),
            modules=CAPTURE_MODULES,
            css=inline_css(),
            # A repeat walk: fixed earlier observations at its places may get an "after" photo.
            earlier=measures_db.fixed_at_places(db, walks_db.walk_place_ids(db, walk_id), walk_id),
            # A re-walk: the measures it carries, each checked with one tap.
            checks=rewalk_checks(walk_id) if rewalks_db.follows(db, walk_id) else None,
            tile_url=settings.current().tile_url,
            tile_attribution=settings.current().tile_attribution,
            rules={
                "accuracy": {"good": ACCURACY_GOOD_M, "fair": ACCURACY_FAIR_M},
                "note_max": MAX_NOTE,
                "rating_colours": RATING_COLOURS,
                "tile_precache": tile_precache(),
            },
        )
    )
    if g.walker is None:
        set_walker_cookie(response, {**walker_tokens_from_cookie(), walk_id: token})
    response.headers["Cache-Control"] = "no-store" if g.walker is None else "private, no-cache"
    return response


@api.get("/walks/<walk_id>")
@requires(WALKER)
def walk_info(walk_id: str):
    """The walk and its places (GeoJSON) for the capture map; cached by the service worker."""
    db = get_db()
    walk = walks_db.get_walk(db, walk_id)
    if walk is None:  # staff may ask for any walk id, also one that does not exist
        return refuse(404, message=_("Vandringen finns inte."))
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
        # The walk's organisation's places: its observations are assigned among them.
        for place in places_db.list_places(db, organisation_ids=[walk["organisation_id"]])
    ]
    return jsonify(
        {
            "walk": {key: walk[key] for key in ("id", "title", "state", "starts_at", "code")},
            "places": {"type": "FeatureCollection", "features": features},
        }
    )


def rewalk_checks(walk_id: str) -> dict:
    """A re-walk's carried measures as the phone shows them (none on another walk): category,
    place, day and status in the walker's language, the position as the public sees it (about
    10 m), and this walker's answer so far. Never a note, a photo or a name."""
    db = get_db()
    answers = rewalks_db.answers_of(db, walk_id, walker_id())
    return {
        "items": [
            {
                **earlier_finding(row),
                "lon": round(row["lon"], PUBLIC_DECIMALS),
                "lat": round(row["lat"], PUBLIC_DECIMALS),
                "answer": answers.get(row["id"]),
            }
            for row in rewalks_db.carried(db, walk_id)
        ]
    }


@api.get("/walks/<walk_id>/checks")
@requires(WALKER)
def checks(walk_id: str):
    """What a re-walk's walkers check; cached by the service worker for an offline start."""
    found_or_404(walks_db.get_walk(get_db(), walk_id))
    return jsonify(rewalk_checks(walk_id))


@api.post("/walks/<walk_id>/checks")
@walker_endpoint(rewalks.BODY_BYTES)
def add_check(walk_id: str):
    """A walker's one tap on a carried measure: "fixed" or "still_there" (walkapp/rewalks.py)."""
    return walker_write(
        walk_id,
        rewalks.parse_check,
        lambda db, walk, clean: rewalks.record_check(db, walk, walker_id(), clean),
    )


@api.get("/walks/<walk_id>/observations")
@requires(WALKER)
def own_observations(walk_id: str):
    me = walker_id()
    rows = obs_db.list_for_walker(get_db(), walk_id, me) if me else []
    return jsonify({"observations": rows})


@api.post("/walks/<walk_id>/observations")
@walker_endpoint(observations.BODY_BYTES)
def create_observation(walk_id: str):
    return walker_write(
        walk_id,
        check_new,
        lambda db, walk, clean: observations.record(db, _index(walk), walk, walker_id(), clean),
    )


def _own_open_observation(walk_id: str, observation_id: str):
    """The walker's own observation in an open walk, or a refusal."""
    db = get_db()
    observation = obs_db.get_observation(db, observation_id)
    if observation is None or observation["walk_id"] != walk_id:
        return None, refuse(404, message=_("Observationen finns inte."))
    if g.walker is None or observation["walker_id"] != g.walker["walker"]:
        return None, refuse(403, message=_("Du kan bara ändra dina egna observationer."))
    if walks.is_closed(walks_db.get_walk(db, walk_id)):
        return None, refuse(
            409, message=_("Vandringen är avslutad; observationer kan inte längre ändras.")
        )
    return observation, None


@api.patch("/walks/<walk_id>/observations/<observation_id>")
@walker_endpoint(observations.BODY_BYTES)
def edit_observation(walk_id: str, observation_id: str):
    observation, refusal = _own_open_observation(walk_id, observation_id)
    if refusal:
        return refusal
    try:
        changes = check_edit(json_body())
    except Invalid as invalid:
        return refuse(400, invalid.errors)
    walk = walks_db.get_walk(get_db(), walk_id)
    return jsonify(observations.edit(get_db(), _index(walk), observation, changes))


@api.delete("/walks/<walk_id>/observations/<observation_id>")
@walker_endpoint()
def delete_observation(walk_id: str, observation_id: str):
    db = get_db()
    if obs_db.get_observation(db, observation_id) is None:
        # Already gone: a retried delete is answered like the first one.
        return "", 204
    _observation, refusal = _own_open_observation(walk_id, observation_id)
    if refusal:
        return refusal
    observations.delete(db, observation_id, photo_folder())
    return "", 204
