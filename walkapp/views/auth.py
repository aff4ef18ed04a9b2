"""Sign-in and sign-out for coordinators and admins. Walkers never sign in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..access import PUBLIC, requires
from ..db import get_db
from ..db import users as users_db
from ..extensions import limiter
from ..forms import LoginForm
from ..passwords import check_password

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("public.index")


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = users_db.get_user_by_name(get_db(), form.username.data.strip())
        if user and check_password(user["password_hash"], form.password.data):
            session.clear()
            session.permanent = True
            session["user_id"] = user["id"]
            return redirect(_safe_next(request.args.get("next")))
        error = _("Fel användarnamn eller lösenord.")
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@requires(PUBLIC)
def logout():
    session.clear()
    flash(_("Du är utloggad."))
    return redirect(url_for("public.index"))
