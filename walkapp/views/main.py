"""Start page, language switch, health check."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from ..access import PUBLIC, requires
from ..db import get_db
from ..db import places as places_db
from ..extensions import LANGUAGES

bp = Blueprint("main", __name__)


@bp.get("/")
@requires(PUBLIC)
def index():
    places = places_db.list_places(get_db())
    return render_template("main/index.html", places=places)


@bp.get("/lang/<code>")
@requires(PUBLIC)
def set_language(code: str):
    target = request.args.get("next") or url_for("main.index")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.index")
    response = redirect(target)
    if code in LANGUAGES:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/healthz")
@requires(PUBLIC)
def health():
    get_db().execute("select 1").fetchone()
    return {"status": "ok"}
