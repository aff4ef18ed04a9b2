"""Measures: triage (a coordinator turns an observation into a measure: partner, deadline,
status, comment, with history and possible duplicates), the quick status change used in
meetings, and the list of measures by partner, status and place."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..access import COORDINATOR, current_user, requires
from ..db import get_db
from ..db import measures as measures_db
from ..db import partners as partners_db
from ..db import places as places_db
from ..forms import StatusForm, TriageForm
from ..measures import (
    triage_changes,
)
from ..places import metres_between
from ..redirects import safe_path
from ..vocabulary import CATEGORIES, MEASURE_STATUSES, OPEN_STATUSES, RATINGS
from .shared import int_arg

bp = Blueprint("measures", __name__)


def status_form() -> StatusForm:
    form = StatusForm()
    form.status.choices = [(key, str(label)) for key, label in MEASURE_STATUSES.items()]
    return form


DUPLICATE_RADIUS_M = 25.0


def _line_or_404(observation_id: str) -> dict:
    line = measures_db.get_line(get_db(), observation_id)
    if line is None:
        abort(404)
    return line


def possible_duplicates(line: dict) -> list[dict]:
    """Open observations of the same category within 25 m, any walk, nearest first."""
    candidates = measures_db.same_category_candidates(get_db(), line)
    distances = metres_between(
        (line["lon"], line["lat"]), [(c["lon"], c["lat"]) for c in candidates]
    )
    near = [
        {**candidate, "distance_m": round(float(distance))}
        for candidate, distance in zip(candidates, distances)
        if distance <= DUPLICATE_RADIUS_M
    ]
    return sorted(near, key=lambda c: c["distance_m"])


def _status_choices():
    return [(key, str(label)) for key, label in MEASURE_STATUSES.items()]


@bp.route("/observations/<observation_id>/triage", methods=["GET", "POST"])
@requires(COORDINATOR)
def triage(observation_id: str):
    line = _line_or_404(observation_id)
    db = get_db()
    form = TriageForm(
        data=None
        if request.method == "POST"
        else {
            "status": line["status"],
            "partner_id": line["partner_id"] or 0,
            "deadline": date.fromisoformat(line["deadline"]) if line["deadline"] else None,
            "reason": line["reason"],
            "duplicate_of": line["duplicate_of"] or "",
        }
    )
    form.status.choices = _status_choices()
    partners = partners_db.list_partners(db)
    form.partner_id.choices = [(0, _("– ingen vald –"))] + [(p["id"], p["name"]) for p in partners]
    if form.validate_on_submit():
        changes, errors = triage_changes(
            form.data,
            line,
            observation_id,
            date.today(),
            lambda i: measures_db.observation_exists(db, i),
        )
        for field, message in errors.items():
            getattr(form, field).errors.append(str(message))
        if not errors:
            made = measures_db.update_measure(db, observation_id, current_user()["id"], changes)
            flash(_("Åtgärden är sparad.") if made else _("Inget ändrades."))
            return redirect(url_for("measures.triage", observation_id=observation_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "measures/triage.html",
        line=line,
        form=form,
        history=measures_db.history(db, observation_id),
        duplicates=possible_duplicates(line),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    ), status


@bp.post("/observations/<observation_id>/status")
@requires(COORDINATOR)
def quick_status(observation_id: str):
    """Change only the status, from the meeting's place view, without leaving it."""
    line = _line_or_404(observation_id)
    form = StatusForm()
    form.status.choices = _status_choices()
    wants_json = request.accept_mimetypes.best == "application/json"
    errors: dict = {}
    if form.validate_on_submit():
        status = form.status.data
        reason = (form.reason.data or "").strip()
        if status == "not_possible" and not reason:
            errors["reason"] = _("Skriv varför det inte går att åtgärda.")
        elif status == "duplicate":
            errors["status"] = _("Markera dubbletter i triagen, där du anger vilken observation.")
        elif status in ("assigned", "planned") and not line["partner_id"]:
            errors["status"] = _("Välj först vem som ansvarar (i triagen).")
        elif status == "planned" and not line["deadline"]:
            errors["status"] = _("Sätt först en sista dag (i triagen).")
        else:
            measures_db.update_measure(
                get_db(), observation_id, current_user()["id"], {"status": status, "reason": reason}
            )
    else:
        errors = {
            field: " ".join(str(m) for m in messages) for field, messages in form.errors.items()
        }
    if wants_json:
        if errors:
            return jsonify({"error": _("Statusen ändrades inte."), "errors": errors}), 400
        return jsonify(
            {"status": form.status.data, "label": str(MEASURE_STATUSES[form.status.data])}
        )
    for message in errors.values():
        flash(message)
    back = safe_path(request.form.get("next")) or url_for(
        "measures.triage", observation_id=observation_id
    )
    return redirect(back, code=303)


@bp.get("/measures")
@requires(COORDINATOR)
def index():
    """What each partner has to do: filter by partner, status, place, overdue."""
    db = get_db()
    statuses = tuple(s for s in request.args.getlist("status") if s)
    unknown = [s for s in statuses if s not in MEASURE_STATUSES and s != "open"]
    if unknown:
        abort(400, description=_("Okänd status: %(s)s", s=", ".join(unknown)))
    if "open" in statuses:
        statuses = tuple(s for s in statuses if s != "open") + OPEN_STATUSES
    partner_id = int_arg("partner")
    place_id = int_arg("place")
    overdue = request.args.get("overdue") == "1"
    rows = measures_db.filtered_lines(
        db,
        partner_id=partner_id,
        statuses=statuses,
        place_id=place_id,
        overdue_on=date.today().isoformat() if overdue else None,
    )
    return render_template(
        "measures/index.html",
        rows=rows,
        partners=partners_db.list_partners(db, active_only=False),
        places=places_db.list_places(db),
        chosen={"partner": partner_id, "place": place_id, "statuses": statuses, "overdue": overdue},
        today=date.today().isoformat(),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    )
