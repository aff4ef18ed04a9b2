"""Follow-up maps (walkapp/maps.py makes them): one walk, one place, the overview, and the public
map of counts per place. `?download=1` gives one self-contained HTML file.

CSP: folium writes its map as inline scripts, so these pages get every <script> tagged with the
request's nonce (still no 'unsafe-inline'); map pages may be framed by walkapp's own pages."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import audits, clock, languages, map_controls, maps_download, routes, settings, tracks
from ..access import COORDINATOR, PUBLIC, requires, scope
from ..db import audits as audits_db
from ..db import exports as exports_db
from ..db import get_db
from ..db import measures as measures_db
from ..db import organisations as organisations_db
from ..db import places as places_db
from ..db import public as public_db
from ..db import routes as routes_db
from ..db import walks as walks_db
from ..inputs import parse_id
from ..public import observations_by_place
from ..security import content_security_policy, csp_nonce, tile_origin
from ..settings import ROOT
from .shared import filters_or_400, found_or_404

bp = Blueprint("maps", __name__, url_prefix="/maps")


def _maps():
    """walkapp.maps, imported at the first map a process draws, not at its start: folium and
    branca are about a fifth of a second of every worker's boot."""
    from .. import maps

    return maps


def _asset_url(path: str) -> str:
    return url_for("static", filename=path)


def _tiles() -> dict:
    return {
        "tile_url": settings.current().tile_url,
        "tile_attribution": settings.current().tile_attribution,
    }


def _page(fmap, stem: str, lang: str = "sv"):
    if request.args.get("download") == "1":
        html = maps_download.self_contained(
            _maps().render(fmap),
            Path(ROOT) / "static",
            tile_origin(settings.current().tile_url),
        )
        response = current_app.response_class(html, mimetype="text/html")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="walkapp-karta-{stem}-{clock.today().isoformat()}.html"'
        )
        return response
    nonce = csp_nonce()
    html = _maps().render(fmap, nonce, lang, languages.direction(lang))
    response = current_app.response_class(html, mimetype="text/html")
    # Framed by walkapp's own pages (the place view, the public page), never by another site.
    policy = content_security_policy(current_app, nonce)
    response.headers["Content-Security-Policy"] = policy.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _map(rows, places, title: str, back: tuple[str, str], open_counts=None, layers=None):
    """A follow-up map with its page title and, unless downloaded, a link back to its page."""
    return _maps().follow_up_map(
        rows,
        places,
        asset_url=_asset_url,
        open_counts=open_counts,
        title=title,
        back=None if request.args.get("download") == "1" or request.args.get("embed") else back,
        **(layers or {}),
        **_tiles(),
    )


def _route_layers(db, filters, with_tracks: bool) -> dict:
    """The planned routes and stops (with the walked tracks on one walk's map) and the audits."""
    features = []
    for found in routes_db.walks_filtered(db, filters, routed_only=not with_tracks):
        features += (found["route"] or {}).get("features", [])
        if with_tracks:
            features += tracks.track_features(db, found["id"])
    rows = list(audits_db.iter_filtered(db, filters))
    return {
        "routes": routes.map_data(features) if features else None,
        "audits": audits.map_data(rows) if rows else None,
    }


@bp.get("/overview")
@requires(COORDINATOR)
def overview():
    db = get_db()
    filters = filters_or_400()
    layers = _route_layers(db, filters, with_tracks=False)
    levels = _maps().overview_cells(db, filters)
    if levels:
        layers["cells"] = {"levels": levels}
    fmap = _map(
        exports_db.iter_filtered(db, filters) if "cells" not in layers else (),
        places_db.list_places(db, organisation_ids=scope()),
        "Alla platser och observationer",
        (url_for("places.index"), "Platser"),
        open_counts=measures_db.open_counts_by_place(db, scope()),
        layers=layers,
    )
    return _page(fmap, "oversikt")


@bp.get("/walk/<walk_id>")
@requires(COORDINATOR)
def walk(walk_id: str):
    db = get_db()
    found = found_or_404(walks_db.get_walk(db, walk_id))
    place_ids = set(walks_db.walk_place_ids(db, walk_id))
    places = [p for p in places_db.list_places(db) if p["id"] in place_ids]
    filters = filters_or_400(walks=[walk_id])
    back = (url_for("walks.show", walk_id=walk_id), "Vandringen")
    fmap = _map(
        exports_db.iter_filtered(db, filters),
        places,
        found["title"],
        back,
        layers=_route_layers(db, filters, with_tracks=True),
    )
    return _page(fmap, f"vandring-{found['code']}")


@bp.get("/place/<int:place_id>")
@requires(COORDINATOR)
def place(place_id: int):
    db = get_db()
    found = found_or_404(places_db.get_place(db, place_id))
    rows = exports_db.iter_filtered(db, filters_or_400(places=[place_id]))
    back = (url_for("places.show", place_id=place_id), found["name"])
    return _page(_map(rows, [found], found["name"], back), f"plats-{place_id}")


@bp.get("/public")
@requires(PUBLIC)
def public():
    db = get_db()
    year = parse_id(request.args.get("year", "")) or 0  # ASCII digits only: not "²", not 10⁵⁰⁰⁰
    year = year if 2000 <= year <= 2100 else clock.today().year
    locale = str(get_locale() or languages.DEFAULT)
    # An organisation's map (?organisation=slug), the first organisation's without one; every
    # organisation's on one map with ?all_organisations=1 (the instance's front page links it).
    slug = request.args.get("organisation")
    owner = organisations_db.get_by_slug(db, slug) if slug else organisations_db.first(db)
    if owner is None:
        abort(404)
    shown = None if request.args.get("all_organisations") == "1" else owner["id"]
    fmap = _maps().public_map(
        observations_by_place(public_db.observation_counts(db, year, shown)),
        places_db.list_places(db, organisation_ids=None if shown is None else [shown]),
        asset_url=_asset_url,
        labels={
            "place": _("Plats"),
            "total": _("Iakttagelser"),
            "fixed": _("Åtgärdade"),
            "title": _("Iakttagelser och åtgärder per plats %(year)s", year=year),
            **map_controls.WORDS,
        },
        direction=languages.direction(locale),
        **_tiles(),
    )
    return _page(fmap, f"publik-{year}", locale)
