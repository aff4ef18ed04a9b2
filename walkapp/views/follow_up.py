"""The walkers' follow-up: what their walk found and what has happened since (no account).

Opened with the same walk token as the capture screen. The walker sees their own notes; of the
others' observations only category, rating, place and status (walkapp.db.public.walk_follow_up).
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, url_for

from .. import public
from ..access import WALKER, requires
from ..db import get_db
from ..db import photos as photos_db
from ..db import public as public_db
from ..db import walks as walks_db
from ..vocabulary import CATEGORIES, GOOD_LABEL, RATINGS, is_fixed, is_good
from .shared import found_or_404

bp = Blueprint("follow_up", __name__)


def follow_up_url(code: str, external: bool = False) -> str:
    """Where a walker follows up their walk; the capture screen links here after the walk."""
    return url_for("follow_up.page", code=code, _external=external)


def _walk_and_observations(code: str) -> tuple[dict, list[dict]]:
    db = get_db()
    if g.walker is None:
        # A signed-in coordinator sees the walkers' view of the walk (no notes of their own).
        walk = found_or_404(walks_db.get_walk_by_code(db, code))
        return walk, public_db.walk_follow_up(db, walk["id"], "")
    walk = walks_db.get_walk(db, g.walker["walk"])
    return walk, public_db.walk_follow_up(db, walk["id"], g.walker["walker"])


@bp.get("/j/<code>/follow-up")
@requires(WALKER)
def page(code: str):
    walk, observations = _walk_and_observations(code)
    # Before and after photos of the walker's own observations (others' photos stay private).
    photos = photos_db.photo_ids_by_kind(get_db(), [f["id"] for f in observations if f["mine"]])
    # Of the others' observations: the after photos published for the public page.
    published = public_db.published_after_photos(
        get_db(), [f["id"] for f in observations if not f["mine"]]
    )
    for observation in observations:
        observation["sentence"] = public.status_sentence(observation)
        observation["good"] = is_good(observation["status"])
        kinds = photos.get(observation["id"], {"before": [], "after": []})
        observation["photo_ids"], observation["after_photo_ids"] = kinds["before"], kinds["after"]
        observation["public_photo_ids"] = published.get(observation["id"], [])
    body = render_template(
        "follow_up/page.html",
        walk=walk,
        observations=observations,
        mine=[f for f in observations if f["mine"]],
        others=[f for f in observations if not f["mine"]],
        fixed=sum(is_fixed(f["status"]) for f in observations),
        categories=CATEGORIES,
        ratings=RATINGS,
        good_label=GOOD_LABEL,
        text=public,
    )
    # A walker's own notes: no-store, as every private answer (walkapp.security).
    return body


@bp.get("/api/follow-up/<code>")
@requires(WALKER)
def summary(code: str):
    """A small summary for the capture screen: the link, and how far the walk's observations got."""
    walk, observations = _walk_and_observations(code)
    return jsonify(
        {
            "url": follow_up_url(walk["code"]),
            "state": walk["state"],
            "findings": len(observations),
            "mine": sum(1 for f in observations if f["mine"]),
            "fixed": sum(is_fixed(f["status"]) for f in observations),
            "last_change": max((public.last_change(f) for f in observations), default=None),
        }
    )
