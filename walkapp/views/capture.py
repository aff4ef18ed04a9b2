"""The walker's phone: join by code or link, the capture screen, the service worker and
manifest that make it an installable offline app, and photos for those who may see them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from ..access import (
    PUBLIC,
    WALKER,
    WALKER_COOKIE,
    bearer_token,
    current_user,
    make_walker_token,
    requires,
    walker_tokens_from_cookie,
)
from ..db import get_db, transaction
from ..db import photos as photos_db
from ..db import walks as walks_db
from ..extensions import limiter
from ..forms import CodeForm, JoinForm
from ..settings import ROOT
from ..vocabulary import CATEGORIES, RATINGS
from .api import JOIN_LIMIT, _failed

bp = Blueprint("capture", __name__)

WALKER_COOKIE_DAYS = 30
MAX_WALKS_IN_COOKIE = 8


@bp.route("/j", methods=["GET", "POST"])
@requires(PUBLIC)
def enter_code():
    form = CodeForm()
    if form.validate_on_submit():
        return redirect(url_for("capture.join", code=walks_db.normalise_code(form.code.data)))
    if request.method == "GET":
        # The installed app starts here: straight back into a walk this phone has joined.
        resume = _latest_open_walk(walker_tokens_from_cookie())
        if resume:
            return redirect(url_for("capture.capture", walk_id=resume))
    status = 400 if request.method == "POST" else 200
    return render_template("capture/code.html", form=form), status


def _latest_open_walk(tokens: dict[str, str]) -> str | None:
    db = get_db()
    walks = [walks_db.get_walk(db, walk_id) for walk_id in tokens]
    open_walks = [walk for walk in walks if walk and walk["state"] != "closed"]
    return max(open_walks, key=lambda walk: walk["starts_at"])["id"] if open_walks else None


@bp.route("/j/<code>", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.shared_limit(JOIN_LIMIT, scope="join", deduct_when=_failed)
def join(code: str):
    db = get_db()
    walk = walks_db.get_walk_by_code(db, code)
    if walk is None or walk["state"] == "closed":
        message = (
            _(
                "Det finns ingen vandring med koden %(code)s. Kontrollera koden och försök igen.",
                code=code[:12],
            )
            if walk is None
            else _("Vandringen är avslutad, koden gäller inte längre.")
        )
        form = CodeForm(data={"code": ""})
        return render_template("capture/code.html", form=form, error=message), 404
    tokens = walker_tokens_from_cookie()
    if walk["id"] in tokens and request.method == "GET":
        return redirect(url_for("capture.capture", walk_id=walk["id"]))
    form = JoinForm()
    if form.validate_on_submit():
        with transaction(db):
            walker_id = walks_db.add_walker(db, walk["id"], form.name.data or "")
        tokens[walk["id"]] = make_walker_token(walk["id"], walker_id)
        response = redirect(url_for("capture.capture", walk_id=walk["id"]))
        _set_walker_cookie(response, tokens)
        return response
    status = 400 if request.method == "POST" else 200
    return render_template("capture/join.html", form=form, walk=walk), status


def _set_walker_cookie(response, tokens: dict[str, str]) -> None:
    kept = list(tokens.values())[-MAX_WALKS_IN_COOKIE:]
    response.set_cookie(
        WALKER_COOKIE,
        " ".join(kept),
        max_age=WALKER_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["WALKAPP_SECURE_COOKIES"]),
    )


def capture_texts() -> dict[str, str]:
    """The capture screen's messages for its JavaScript, in the page's language."""
    return {
        "inside": _("%(place)s — på platsen"),
        "near": _("nära %(place)s, %(m)s m"),
        "none": _("utanför prioriterade platser"),
        "queued": _("sparad på telefonen, skickas när nätet är tillbaka"),
        "waiting_one": _("1 väntar på att skickas"),
        "waiting": _("%(n)s väntar på att skickas"),
        "all_sent": _("Allt är skickat"),
        "failed": _("%(n)s kunde inte tas emot – se listan"),
        "gps_wait": _("Väntar på GPS … tryck på kartan för att sätta nålen."),
        "gps_start": _("Tryck på ”Använd GPS” eller på kartan där du står."),
        "gps_ok": _("GPS ±%(m)s m"),
        "gps_poor": _("Osäker position (±%(m)s m) – kontrollera nålen."),
        "gps_manual": _("Nålen är flyttad för hand."),
        "gps_denied": _("Ingen GPS – tryck på kartan där du står."),
        "choose_category": _("Välj en kategori."),
        "choose_rating": _("Välj Åtgärda, Bevaka eller Bra."),
        "saving": _("Sparar …"),
        "edit_saved": _("Ändringen är sparad."),
        "deleted": _("Observationen är borttagen."),
        "confirm_delete": _("Ta bort observationen?"),
        "edit": _("Ändra"),
        "delete": _("Ta bort"),
        "waiting_mark": _("väntar"),
        "late": _("sen"),
        "photo": _("foto"),
        "no_observations": _("Inga observationer ännu."),
        "closed": _("Vandringen är avslutad. Det du har sparat på telefonen skickas ändå."),
        "theme_dark": _("Mörkt tema"),
        "theme_light": _("Ljust tema"),
    }


@bp.get("/walks/<walk_id>/capture")
@requires(WALKER)
def capture(walk_id: str):
    db = get_db()
    walk = walks_db.get_walk(db, walk_id)
    if walk is None:
        abort(404)
    # The page hands the walker's token to its script, which sends it as a Bearer token.
    token = walker_tokens_from_cookie().get(walk_id) or bearer_token()
    if g.walker is None:
        # A signed-in coordinator opening the screen joins as a walker under their own name.
        with transaction(db):
            walker_id = walks_db.add_walker(db, walk_id, current_user()["username"])
        token = make_walker_token(walk_id, walker_id)
    response = make_response(
        render_template(
            "capture/capture.html",
            walk=walk,
            token=token,
            categories=CATEGORIES,
            ratings=RATINGS,
            texts=capture_texts(),
            tile_url=current_app.config["WALKAPP_TILE_URL"],
            tile_attribution=current_app.config["WALKAPP_TILE_ATTRIBUTION"],
        )
    )
    if g.walker is None:
        _set_walker_cookie(response, {**walker_tokens_from_cookie(), walk_id: token})
    response.headers["Cache-Control"] = "no-store" if g.walker is None else "private, no-cache"
    return response


SHELL_FILES = (
    "css/app.css",
    "css/capture.css",
    "js/theme.js",
    "js/capture.js",
    "js/outbox.js",
    "js/sync.js",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "icons/icon.svg",
    "icons/icon-192.png",
)


def _service_worker_source() -> str:
    """sw.js with the shell list and a version that changes whenever a shell file does."""
    cached = current_app.extensions.get("walkapp_sw")
    if cached is None:
        static = Path(ROOT) / "static"
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
    body = {
        "name": _("Trygghetsvandring – walkapp"),
        "short_name": _("Trygghetsvandring"),
        "description": _("Registrera det som gör en plats otrygg, även utan nät."),
        "lang": "sv",
        "start_url": url_for("capture.enter_code"),
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


@bp.get("/observations/<observation_id>/photos/<photo_id>.jpg", defaults={"thumb": False})
@bp.get("/observations/<observation_id>/photos/<photo_id>/thumb.jpg", defaults={"thumb": True})
@requires(WALKER)
def photo(observation_id: str, photo_id: str, thumb: bool):
    row = photos_db.get_photo(get_db(), photo_id)
    if row is None or row["observation_id"] != observation_id:
        abort(404)
    folder = Path(current_app.config["WALKAPP_INSTANCE"]) / "photos"
    response = send_from_directory(
        folder, row["thumb_filename"] if thumb else row["filename"], mimetype="image/jpeg"
    )
    # Private: never kept by a shared proxy; the phone may keep it for the walk.
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response
