"""Walkers join a walk without an account: by code or link on the phone, or by the API.

A join sets a signed token for that walk (cookie, or Bearer for the API).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import bodies, languages, mail, rate_limits, settings, walkers, walks
from ..access import (
    COORDINATOR,
    PUBLIC,
    WALKER_COOKIE,
    current_user,
    make_walker_token,
    read_walker_token,
    requires,
    walker_standing,
    walker_tokens_from_cookie,
)
from ..db import get_db
from ..db import walks as walks_db
from ..extensions import csrf
from ..join_forms import ADDRESS_MESSAGE, CodeForm, JoinForm
from .shared import json_body, refuse

bp = Blueprint("walkers", __name__)
api = Blueprint("walkers_api", __name__, url_prefix="/api")
csrf.exempt(api)

WALKER_COOKIE_DAYS = 30
MAX_WALKS_IN_COOKIE = 8


@bp.route("/j", methods=["GET", "POST"])
@requires(PUBLIC)
def enter_code():
    form = CodeForm()
    if form.validate_on_submit():
        return redirect(url_for("walkers.join", code=walks_db.normalise_code(form.code.data)))
    if request.method == "GET":
        # The installed app starts here: back into the walk this phone joined last, its
        # capture screen while it is open and its follow-up page after.
        resume = _latest_walk(walker_tokens_from_cookie())
        if resume:
            return redirect(_walker_home(resume))
    status = 400 if request.method == "POST" else 200
    return render_template("walkers/code.html", form=form), status


def _latest_walk(tokens: dict[str, str]) -> dict | None:
    """The latest walk this phone joined and may still open (not revoked, not expired)."""
    db = get_db()
    usable = [
        walks_db.get_walk(db, walk_id)
        for walk_id, token in tokens.items()
        if walker_standing(read_walker_token(token)) == walkers.OK
    ]
    joined = [walk for walk in usable if walk]
    return max(joined, key=lambda walk: walk["starts_at"]) if joined else None


def _walker_home(walk: dict) -> str:
    if walks.is_closed(walk):
        return url_for("follow_up.page", code=walk["code"])
    return url_for("observations.capture", walk_id=walk["id"])


@bp.route("/j/<code>", methods=["GET", "POST"])
@requires(PUBLIC)
@rate_limits.join
def join(code: str):
    db = get_db()
    walk = walks_db.get_walk_by_code(db, code)
    if walk is None:
        message = _(
            "Det finns ingen vandring med koden %(code)s. Kontrollera koden och försök igen.",
            code=code[:12],
        )
        form = CodeForm(data={"code": ""})
        return render_template("walkers/code.html", form=form, error=message), 404
    tokens = walker_tokens_from_cookie()
    if walk["id"] in tokens and request.method == "GET":
        if walker_standing(read_walker_token(tokens[walk["id"]])) == walkers.OK:
            return redirect(_walker_home(walk))
        del tokens[walk["id"]]  # revoked or expired: join anew
    if walks.is_closed(walk):
        # The poster's QR code after the walk: what happens now, not an empty code form.
        return render_template("walkers/closed.html", walk=walk), 410
    walks.start_if_begun(db, walk)
    form = JoinForm()
    if form.validate_on_submit():
        walker_id = walkers.join(
            db, walk["id"], form.name.data or "", form.email.data or "", _language()
        )
        tokens[walk["id"]] = make_walker_token(walk["id"], walker_id)
        response = redirect(url_for("observations.capture", walk_id=walk["id"]))
        set_walker_cookie(response, tokens)
        return response
    status = 400 if request.method == "POST" else 200
    return render_template("walkers/join.html", form=form, walk=walk), status


def _language() -> str:
    """The language the walker joined in: their mail is written in it."""
    return str(get_locale() or languages.DEFAULT)


def set_walker_cookie(response, tokens: dict[str, str]) -> None:
    kept = list(tokens.values())[-MAX_WALKS_IN_COOKIE:]
    response.set_cookie(
        WALKER_COOKIE,
        " ".join(kept),
        max_age=WALKER_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.current().secure_cookies,
    )


@api.post("/join")
@requires(PUBLIC)
@rate_limits.join
@bodies.limit(walkers.JOIN_BODY_BYTES)
def join_by_api():
    payload = json_body()
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), str):
        return refuse(400, {"code": _("Skriv vandringens kod, sex tecken.")})
    name = payload.get("name") or ""
    if not isinstance(name, str) or len(name) > walkers.MAX_NAME:
        return refuse(400, {"name": _("Namnet får vara högst 80 tecken.")})
    email = payload.get("email") or ""
    if not isinstance(email, str) or (email.strip() and not mail.is_address(email.strip())):
        return refuse(400, {"email": str(ADDRESS_MESSAGE)})
    db = get_db()
    walk = walks_db.get_walk_by_code(db, payload["code"])
    if walk is None:
        return refuse(404, {"code": _("Det finns ingen vandring med den koden.")})
    if walks.is_closed(walk):
        return refuse(410, {"code": _("Vandringen är avslutad, koden gäller inte längre.")})
    walker_id = walkers.join(db, walk["id"], name, email, _language())
    return jsonify(
        {
            "walk_id": walk["id"],
            "walker_id": walker_id,
            "token": make_walker_token(walk["id"], walker_id),
        }
    ), 201


@bp.post("/walks/<walk_id>/walkers/<walker_id>/revoke")
@requires(COORDINATOR)
def revoke(walk_id: str, walker_id: str):
    """A lost phone: its token stops working at once; what it sent stays."""
    db = get_db()
    walker = walks_db.get_walker(db, walker_id)
    if walker is None or walker["walk_id"] != walk_id:
        abort(404)
    walkers.revoke(db, walker_id, current_user()["id"])
    flash(
        _(
            "Åtkomsten för %(name)s är avstängd. Det som redan skickats finns kvar.",
            name=walker["display_name"] or _("deltagaren"),
        )
    )
    return redirect(url_for("walks.show", walk_id=walk_id) + "#walkers", code=303)
