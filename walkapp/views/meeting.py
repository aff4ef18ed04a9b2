"""The platssamverkan meeting: places with their measures, the place view, the partners' view,
and the partner list the admin keeps."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..access import ADMIN, COORDINATOR, current_user, requires
from ..db import get_db
from ..db import measures as measures_db
from ..db import places as places_db
from ..db import walks as walks_db
from ..forms import PartnerForm, StatusForm
from ..measures import OPEN, compare_latest_walk, counts, default_since, open_measures
from ..vocabulary import CATEGORIES, MEASURE_STATUSES, RATINGS

bp = Blueprint("meeting", __name__)


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description=_("%(name)s ska vara ett datum som ÅÅÅÅ-MM-DD.", name=name))


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        abort(400, description=_("%(name)s ska vara ett heltal.", name=name))
    return int(raw)


@bp.get("/places")
@requires(COORDINATOR)
def places():
    db = get_db()
    today = date.today().isoformat()
    rows = []
    for place in places_db.list_places(db):
        open_rows = measures_db.filtered_lines(db, statuses=OPEN, place_id=place["id"])
        overdue = sum(1 for r in open_rows if r["deadline"] and r["deadline"] < today)
        rows.append({**place, "open": len(open_rows), "overdue": overdue})
    return render_template("meeting/places.html", places=rows)


def _status_form() -> StatusForm:
    form = StatusForm()
    form.status.choices = [(key, str(label)) for key, label in MEASURE_STATUSES.items()]
    return form


@bp.get("/places/<int:place_id>")
@requires(COORDINATOR)
def place(place_id: int):
    db = get_db()
    place = places_db.get_place(db, place_id)
    if place is None:
        abort(404)
    today = date.today()
    walks = walks_db.walks_for_place(db, place_id)
    since = _date_arg("since") or default_since(walks, today)
    lines = measures_db.lines_for_place(db, place_id)
    return render_template(
        "meeting/place.html",
        place=place,
        since=since,
        open_rows=open_measures(lines, today),
        fixed_rows=measures_db.status_changes_since(db, place_id, since.isoformat()),
        counts=counts(lines),
        walks=walks,
        comparison=compare_latest_walk(lines, walks),
        has_map="maps.place" in current_app.view_functions,
        status_form=_status_form(),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    )


@bp.get("/partners")
@requires(COORDINATOR)
def partners():
    return render_template(
        "meeting/partners.html",
        partners=measures_db.partner_counts(get_db(), date.today().isoformat()),
    )


@bp.get("/measures")
@requires(COORDINATOR)
def measures():
    """What each partner has to do: filter by partner, status, place, overdue."""
    db = get_db()
    statuses = tuple(s for s in request.args.getlist("status") if s)
    unknown = [s for s in statuses if s not in MEASURE_STATUSES and s != "open"]
    if unknown:
        abort(400, description=_("Okänd status: %(s)s", s=", ".join(unknown)))
    if "open" in statuses:
        statuses = tuple(s for s in statuses if s != "open") + OPEN
    partner_id = _int_arg("partner")
    place_id = _int_arg("place")
    overdue = request.args.get("overdue") == "1"
    rows = measures_db.filtered_lines(
        db,
        partner_id=partner_id,
        statuses=statuses,
        place_id=place_id,
        overdue_on=date.today().isoformat() if overdue else None,
    )
    return render_template(
        "meeting/measures.html",
        rows=rows,
        partners=measures_db.list_partners(db, active_only=False),
        places=places_db.list_places(db),
        chosen={"partner": partner_id, "place": place_id, "statuses": statuses, "overdue": overdue},
        today=date.today().isoformat(),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    )


@bp.route("/admin/partners", methods=["GET", "POST"])
@requires(ADMIN)
def admin_partners():
    db = get_db()
    form = PartnerForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        # Case-blind in Python: SQLite's lower() leaves å, ä and ö alone.
        taken = {p["name"].casefold() for p in measures_db.list_partners(db, active_only=False)}
        if name.casefold() not in taken and measures_db.add_partner(
            db, name, form.kind.data, current_user()["id"]
        ):
            flash(_("%(name)s är tillagd.", name=name))
            return redirect(url_for("meeting.admin_partners"))
        form.name.errors.append(_("Det finns redan en partner med det namnet."))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "meeting/admin_partners.html", form=form, partners=measures_db.list_partners(db, False)
    ), status


@bp.post("/admin/partners/<int:partner_id>/active")
@requires(ADMIN)
def partner_active(partner_id: int):
    active = request.form.get("active") == "1"
    measures_db.set_partner_active(get_db(), partner_id, active, current_user()["id"])
    return redirect(url_for("meeting.admin_partners"), code=303)
