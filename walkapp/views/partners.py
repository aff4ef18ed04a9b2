"""Partners (ansvariga aktörer): open and overdue measures per partner, and the list the admin
keeps."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clock, mail, organisations, partners
from ..access import ADMIN, COORDINATOR, current_user, requires, scope
from ..db import get_db
from ..db import partners as partners_db
from ..forms import PartnerForm
from ..vocabulary import PARTNER_KINDS

bp = Blueprint("partners", __name__)


@bp.get("/partners")
@requires(COORDINATOR)
def index():
    return render_template(
        "partners/index.html",
        partners=partners_db.partner_counts(get_db(), clock.today().isoformat(), scope()),
        mail_on=mail.configured(),
    )


@bp.route("/admin/partners", methods=["GET", "POST"])
@requires(ADMIN)
def admin():
    db = get_db()
    form = PartnerForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        # Case-blind in Python: SQLite's lower() leaves å, ä and ö alone.
        own = partners_db.list_partners(db, active_only=False, organisation_ids=scope())
        taken = {p["name"].casefold() for p in own}
        user = current_user()
        if name.casefold() not in taken and partners.add(
            db, name, form.kind.data, user["id"], organisations.home_of(db, user)
        ):
            flash(_("%(name)s är tillagd.", name=name))
            return redirect(url_for("partners.admin"))
        form.name.errors.append(_("Det finns redan en partner med det namnet."))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "partners/admin.html",
        form=form,
        partners=partners_db.list_partners(db, False, scope()),
        partner_kinds=PARTNER_KINDS,
    ), status


@bp.post("/admin/partners/<int:partner_id>/active")
@requires(ADMIN)
def set_active(partner_id: int):
    active = request.form.get("active") == "1"
    partners.set_active(get_db(), partner_id, active, current_user()["id"])
    return redirect(url_for("partners.admin"), code=303)
