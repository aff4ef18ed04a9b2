"""The installable offline app: the service worker (versioned by its shell files) and the manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .. import colours, languages, settings
from ..access import PUBLIC, requires
from ..settings import ROOT

bp = Blueprint("offline", __name__)

STATIC = Path(ROOT) / "static"
# The capture screen's files, cached at install: its modules are listed from their folder.
SHELL_FILES = (
    "css/app.css",
    "css/capture.css",
    "js/theme.js",
    "js/outbox.js",
    "js/sync.js",
    "js/map_controls.js",  # the capture map's controls, shared with every map
    *sorted(f"js/capture/{path.name}" for path in (STATIC / "js" / "capture").glob("*.js")),
    "js/after_photos.js",
    # The walk as a route on the capture screen (templates/routes/_capture.html).
    "css/routes.css",
    "js/route_capture.js",
    "js/route_style.js",
    "js/track.js",
    "js/track_filter.js",
    "js/audit.js",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "icons/icon.svg",
    "icons/icon-192.png",
)
# The capture screen's ES modules, preloaded by its page so the browser fetches them at once.
CAPTURE_MODULES = tuple(name for name in SHELL_FILES if name.startswith("js/"))
# The zoom levels a walk is looked at, closest last; fetched only while within the limit.
TILE_PRECACHE_ZOOMS = (15, 16, 17, 18)
# OpenStreetMap's public tile server forbids bulk prefetching: only tiles already seen are kept.
NO_PRECACHE_HOSTS = ("tile.openstreetmap.org",)


def inline_css() -> Markup:
    """The capture screen's own styles, put into its page: the first paint waits for no request.
    Our own files, so marked safe (quotes in CSS must not become HTML entities)."""
    cached = current_app.extensions.get("walkapp_capture_css")
    if cached is None:
        cached = "\n".join(
            [
                colours.root_css(),
                *(
                    (STATIC / name).read_text(encoding="utf-8")
                    for name in ("css/app.css", "css/capture.css", "css/routes.css")
                ),
            ]
        )
        if not current_app.debug:
            current_app.extensions["walkapp_capture_css"] = cached
    return Markup(cached)


def tile_precache() -> dict:
    """How many map tiles over the walk's places the phone may fetch ahead (0 = none)."""
    url = settings.current().tile_url
    allowed = url != "none" and not any(host in url for host in NO_PRECACHE_HOSTS)
    limit = settings.current().tile_precache if allowed else 0
    return {"max": max(0, limit), "zooms": TILE_PRECACHE_ZOOMS}


def _service_worker_source() -> str:
    """sw.js with the shell list and a version that changes whenever a shell file does."""
    cached = current_app.extensions.get("walkapp_sw")
    if cached is None:
        static = STATIC
        digest = hashlib.sha256()
        for name in SHELL_FILES:
            digest.update((static / name).read_bytes())
        shell = [f"/static/{name}" for name in SHELL_FILES] + ["/manifest.webmanifest"]
        source = (static / "js" / "sw.js").read_text(encoding="utf-8")
        cached = source.replace("__VERSION__", digest.hexdigest()[:12]).replace(
            "__SHELL__", json.dumps(shell)
        )
        if not current_app.debug:
            current_app.extensions["walkapp_sw"] = cached
    return cached


@bp.get("/sw.js")
@requires(PUBLIC)
def service_worker():
    response = current_app.response_class(_service_worker_source(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
@requires(PUBLIC)
def manifest():
    icons = [
        {
            "src": url_for("static", filename="icons/icon-192.png"),
            "sizes": "192x192",
            "type": "image/png",
        },
        {
            "src": url_for("static", filename="icons/icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
        },
        {
            "src": url_for("static", filename="icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {
            "src": url_for("static", filename="icons/icon.svg"),
            "sizes": "any",
            "type": "image/svg+xml",
        },
    ]
    locale = str(get_locale() or languages.DEFAULT)
    body = {
        "name": _("Trygghetsvandring – walkapp"),
        "short_name": _("Trygghetsvandring"),
        "description": _("Registrera det som gör en plats otrygg, även utan nät."),
        "lang": locale,
        "dir": languages.direction(locale),
        "start_url": url_for("walkers.enter_code"),
        "scope": "/",
        "id": "/j",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#0f1720",
        "theme_color": "#12355b",
        "icons": icons,
    }
    response = current_app.response_class(
        current_app.json.dumps(body), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response
