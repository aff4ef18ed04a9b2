"""Language switch (the choice is kept in a cookie); `/healthz` is views/health.py.

The start page `/` is the public page (views/public.py).
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for

from .. import languages
from ..access import PUBLIC, requires
from ..redirects import safe_path

bp = Blueprint("main", __name__)


@bp.get("/lang/<code>")
@requires(PUBLIC)
def set_language(code: str):
    response = redirect(safe_path(request.args.get("next")) or url_for("public.index"))
    if languages.is_known(code):
        response.set_cookie(
            "lang",
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response
