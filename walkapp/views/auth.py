"""Sign-in, sign-out and one's own password, for everyone who signs in (walkers never do).

A sign-in is a row in `sessions` (db/sessions.py); the signed cookie only names it, so ending
the row ends the sign-in everywhere that cookie was copied to.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import rate_limits, sessions, settings, users
from ..access import ACCOUNT, PUBLIC, current_user, requires
from ..db import get_db
from ..db import users as users_db
from ..forms import ChangePasswordForm, LoginForm
from ..passwords import check_password, hash_password, password_problem
from ..redirects import safe_path

bp = Blueprint("auth", __name__)


def sign_in(user_id: int) -> None:
    """A fresh session (never the one from before sign-in: no fixation)."""
    session.clear()
    session.permanent = True
    session["sid"] = sessions.start(get_db(), user_id, settings.current().session_hours)


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
@rate_limits.sign_in
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = users_db.get_user_by_name(get_db(), form.username.data.strip())
        # The hash is checked for unknown names too (against a dummy), so both cost the same.
        if check_password(user["password_hash"] if user else None, form.password.data):
            sign_in(user["id"])
            # Straight to work: the page that asked for sign-in, else the dashboard (a
            # partner's person: their partner's measures).
            home = "partners.desk" if users.is_partners_person(user) else "dashboard.index"
            return redirect(safe_path(request.args.get("next")) or url_for(home))
        error = _("Fel användarnamn eller lösenord.")
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@requires(PUBLIC)
def logout():
    if session.get("sid"):
        sessions.end(get_db(), session["sid"])
    session.clear()
    flash(_("Du är utloggad."))
    return redirect(url_for("public.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires(ACCOUNT)
def change_password():
    """Change one's own password, whatever one's role; every other sign-in of the account ends."""
    user = current_user()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password(user["password_hash"], form.current.data):
            form.current.errors.append(_("Det nuvarande lösenordet stämmer inte."))
        elif problem := password_problem(form.new_password.data, user["username"]):
            form.new_password.errors.append(problem)
        else:
            ended = users.change_password(
                get_db(), user["id"], hash_password(form.new_password.data), session.get("sid")
            )
            flash(
                _("Lösenordet är bytt. %(n)d andra inloggningar avslutades.", n=ended)
                if ended
                else _("Lösenordet är bytt.")
            )
            return redirect(url_for("auth.change_password"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status
