"""Admins keep the accounts: reset a password, deactivate or reactivate, sign out everywhere.
Each ends the user's sessions (db/sessions.py) and is written to the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import users
from ..access import ADMIN, current_user, requires, scope
from ..db import get_db
from ..db import users as users_db
from ..forms import ResetPasswordForm
from ..passwords import hash_password, password_problem
from .shared import found_or_404

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _user_or_404(user_id: int) -> dict:
    user = found_or_404(users_db.get_any_user(get_db(), user_id))
    return user


def _index(form: ResetPasswordForm | None = None, reset_id: int | None = None, status: int = 200):
    return render_template(
        "users/index.html",
        users=users_db.list_users(get_db(), scope()),
        form=form or ResetPasswordForm(),
        reset_id=reset_id,
        me=current_user(),
    ), status


@bp.get("")
@requires(ADMIN)
def index():
    return _index()


@bp.post("/<int:user_id>/password")
@requires(ADMIN)
def reset_password(user_id: int):
    """Set a new password the admin hands over; every sign-in of the user ends."""
    user = _user_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if problem := password_problem(form.new_password.data, user["username"]):
            form.new_password.errors.append(problem)
        else:
            users.reset_password(
                get_db(), user_id, hash_password(form.new_password.data), current_user()["id"]
            )
            flash(
                _(
                    "Nytt lösenord satt för %(name)s; alla inloggningar avslutades.",
                    name=user["username"],
                )
            )
            return redirect(url_for("users.index"), code=303)
    return _index(form, reset_id=user_id, status=400)


@bp.post("/<int:user_id>/active")
@requires(ADMIN)
def set_active(user_id: int):
    """Deactivate (ends every sign-in and API token use at once) or reactivate an account."""
    user = _user_or_404(user_id)
    active = request.form.get("active") == "1"
    if not active and user_id == current_user()["id"]:
        flash(_("Du kan inte inaktivera ditt eget konto."))
        return redirect(url_for("users.index"), code=303)
    users.set_active(get_db(), user_id, active, current_user()["id"])
    flash(
        _("%(name)s är aktiv igen.", name=user["username"])
        if active
        else _("%(name)s är inaktiverad och utloggad.", name=user["username"])
    )
    return redirect(url_for("users.index"), code=303)


@bp.post("/<int:user_id>/sign-out")
@requires(ADMIN)
def sign_out_everywhere(user_id: int):
    """End every sign-in of the user (a lost laptop, a shared computer)."""
    user = _user_or_404(user_id)
    ended = users.sign_out_everywhere(get_db(), user_id, current_user()["id"])
    flash(
        ngettext(
            "%(name)s är utloggad överallt (%(num)d inloggning).",
            "%(name)s är utloggad överallt (%(num)d inloggningar).",
            ended,
            name=user["username"],
        )
    )
    return redirect(url_for("users.index"), code=303)
