"""Measures: triage (a coordinator turns an observation into a measure: partner, deadline,
status, comment, with history and possible duplicates) as a queue through a walk's or a
place's untriaged findings, merging several walkers' findings of one thing, the quick status
change used in meetings, and the list of measures by partner, status and place."""

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
from flask_babel import ngettext

from .. import clock, measures
from ..access import COORDINATOR, current_user, requires
from ..db import get_db
from ..db import measures as measures_db
from ..db import partners as partners_db
from ..db import places as places_db
from ..forms import StatusForm, TriageForm
from ..inputs import parse_version
from ..measures import (
    REQUIRED_HINTS,
    after_photo_allowed,
    history_in_words,
    next_in_queue,
    possible_duplicates,
    quick_submission,
)
from ..redirects import safe_path
from ..vocabulary import (
    CATEGORIES,
    MEASURE_STATUSES,
    OPEN_STATUSES,
    RATING_COLOURS,
    RATINGS,
    STATUS_FIELDS,
    STATUS_REQUIRES,
    standing,
)
from .shared import int_arg, queue_kind, triage_url

bp = Blueprint("measures", __name__)


def _status_choices():
    return [(key, str(label)) for key, label in MEASURE_STATUSES.items()]


def partner_choices(partners: list[dict], keep: int | None = None) -> list[tuple[int, str]]:
    """The partners a measure may be given: the active ones, and the one it has."""
    return [(0, _("– ingen vald –"))] + [
        (p["id"], p["name"]) for p in partners if p["active"] or p["id"] == keep
    ]


def status_form(line: dict | None = None) -> StatusForm:
    form = StatusForm()
    form.status.choices = _status_choices()
    form.partner_id.choices = partner_choices(
        partners_db.list_partners(get_db(), active_only=False),
        line["partner_id"] if line else None,
    )
    return form


def _line_or_404(observation_id: str) -> dict:
    line = measures_db.get_line(get_db(), observation_id)
    if line is None:
        abort(404)
    return line


def _queue(line: dict) -> tuple[str, list[str]] | None:
    """The triage queue the coordinator works through (?queue=walk or ?queue=place): the
    untriaged findings in recording order, with the one on screen kept in its place."""
    kind = queue_kind()
    db = get_db()
    if kind == "walk":
        return kind, measures_db.untriaged_queue(db, walk_id=line["walk_id"], keeping=line["id"])
    if kind == "place" and line["place_id"] is not None:
        return kind, measures_db.untriaged_queue(db, place_id=line["place_id"], keeping=line["id"])
    return None


def _next_finding(line: dict, queue) -> str:
    """The next finding of the queue after this one, or back to the walk (place) when none is
    left."""
    kind, ids = queue
    following = next_in_queue(ids, line["id"])
    if following:
        return url_for("measures.triage", observation_id=following, queue=kind)
    flash(_("Alla obehandlade observationer är genomgångna."))
    if kind == "place":
        return url_for("places.show", place_id=line["place_id"])
    return url_for("walks.show", walk_id=line["walk_id"])


def _after_saving(line: dict, queue) -> str:
    """Where "Spara och nästa" leads: the next untriaged finding, or back when none is left;
    "Spara åtgärden" stays on this finding, in its queue."""
    if queue is None or "next" not in request.form:
        return triage_url(line["id"])
    return _next_finding(line, queue)


def _map_data(line: dict) -> dict:
    """The triage map: the point, its accuracy (or the walker's pin), the place, what is near."""
    db = get_db()
    place = places_db.get_place(db, line["place_id"]) if line["place_id"] else None
    return {
        "point": [line["lat"], line["lon"]],
        "accuracy_m": line["accuracy_m"],
        # Older rows say nothing of the source: no accuracy then means a pin.
        "pinned": line["position_source"] == "pin"
        or (line["position_source"] is None and line["accuracy_m"] is None),
        "colour": RATING_COLOURS[line["rating"]],
        "place": place["geometry"] if place else None,
        "nearby": [
            [n["lat"], n["lon"], RATING_COLOURS[n["rating"]], str(CATEGORIES.get(n["category"]))]
            for n in measures_db.nearby(db, line)
        ],
    }


def _triage_form(line: dict, partners: list[dict], posted: bool = False) -> TriageForm:
    """The triage form: what was posted, or the stored measure."""
    if posted:
        form = TriageForm()
    else:
        form = TriageForm(
            formdata=None,
            data={
                "status": line["status"],
                "partner_id": line["partner_id"] or 0,
                "deadline": date.fromisoformat(line["deadline"]) if line["deadline"] else None,
                "reason": line["reason"],
                "duplicate_of": line["duplicate_of"] or "",
            },
        )
    form.status.choices = _status_choices()
    form.partner_id.choices = partner_choices(partners, line["partner_id"])
    return form


def _seen(form: TriageForm) -> int | None:
    """The history row the posted form was opened at; None when it says nothing (a form of
    an earlier version), -1 (matches nothing, so nothing is stored) when it is not a count."""
    if not form.seen.data:
        return None
    seen = parse_version(form.seen.data)
    return -1 if seen is None else seen


@bp.route("/observations/<observation_id>/triage", methods=["GET", "POST"])
@requires(COORDINATOR)
def triage(observation_id: str):
    line = _line_or_404(observation_id)
    db = get_db()
    partners = partners_db.list_partners(db, active_only=False)
    form = _triage_form(line, partners, posted=request.method == "POST")
    queue = _queue(line)
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        made, errors = measures.change(db, line, form.data, current_user()["id"], seen=_seen(form))
        if "seen" in errors:
            # Shown as it is now, so saving again is a choice made on what is stored.
            flash(str(errors["seen"]))
            form, status, errors = _triage_form(line, partners), 409, {}
        elif not errors:
            flash(_("Åtgärden är sparad.") if made else _("Inget ändrades."))
            return redirect(_after_saving(line, queue))
        for field, message in errors.items():
            getattr(form, field).errors.append(str(message))
    form.seen.data = str(measures_db.last_change(db, observation_id))
    entries = measures_db.history(db, observation_id)
    linked = [
        e[k]
        for e in entries
        if e["field"] == "duplicate_of"
        for k in ("old_value", "new_value")
        if e[k]
    ]
    first, last = clock.deadline_bounds(clock.today())
    return render_template(
        "measures/triage.html",
        line=line,
        form=form,
        history=history_in_words(
            entries,
            {p["id"]: p["name"] for p in partners},
            MEASURE_STATUSES,
            measures_db.short_ids(db, linked),
            CATEGORIES,
        ),
        duplicates=possible_duplicates(line, measures_db.same_category_candidates(get_db(), line)),
        queue=queue,
        queue_left=_left(line, queue),
        map_data=_map_data(line),
        hints=REQUIRED_HINTS,
        requires_by_status=STATUS_REQUIRES,
        fields_by_status=STATUS_FIELDS,
        deadline_bounds=(first.isoformat(), last.isoformat()),
        after_photo_allowed=after_photo_allowed(line["status"]),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    ), status


def _left(line: dict, queue) -> int | None:
    """How many untriaged findings the queue still holds (this one counts while it is new)."""
    if queue is None:
        return None
    return sum(1 for i in queue[1] if i != line["id"] or line["status"] == "new")


@bp.post("/observations/<observation_id>/duplicate")
@requires(COORDINATOR)
def mark_duplicate(observation_id: str):
    """One click on a listed candidate: this finding is a duplicate of that one. In a queue
    the next finding follows, as after "Spara och nästa"."""
    line = _line_or_404(observation_id)
    queue = _queue(line)
    _made, errors = measures.mark_duplicate(
        get_db(), line, request.form.get("duplicate_of", ""), current_user()["id"]
    )
    for message in errors.values():
        flash(str(message))
    if errors:
        return redirect(triage_url(observation_id), code=303)
    flash(_("Markerad som dubblett."))
    return redirect(_next_finding(line, queue) if queue else triage_url(observation_id), code=303)


@bp.post("/observations/<observation_id>/merge")
@requires(COORDINATOR)
def merge(observation_id: str):
    """Several walkers, one thing: the others become duplicates of this one, in one step."""
    lead = _line_or_404(observation_id)
    merged = measures.merge(get_db(), lead, request.form.getlist("others"), current_user()["id"])
    flash(
        ngettext(
            "%(num)d observation slogs ihop med den första.",
            "%(num)d observationer slogs ihop med den första.",
            merged,
        )
    )
    return redirect(
        url_for("walks.show", walk_id=lead["walk_id"]) + f"#o-{observation_id}", code=303
    )


QUICK_FIELDS = ("partner_id", "deadline", "reason")


@bp.post("/observations/<observation_id>/status")
@requires(COORDINATOR)
def quick_status(observation_id: str):
    """Change the status from the meeting's place view, without leaving it: the same rule as
    triage (walkapp.measures.triage_changes), with partner, deadline and reason typed inline;
    of those only the chosen status's fields are kept."""
    line = _line_or_404(observation_id)
    form = status_form(line)
    errors: dict = {}
    if form.validate_on_submit():
        if form.status.data == "duplicate":
            errors["status"] = _("Markera dubbletter i triagen, där du väljer vilken observation.")
        else:
            sent = {f: getattr(form, f).data for f in QUICK_FIELDS if f in request.form}
            submitted = quick_submission(line, form.status.data, sent)
            _made, found = measures.change(get_db(), line, submitted, current_user()["id"])
            errors = {field: str(message) for field, message in found.items()}
    else:
        errors = {
            field: " ".join(str(m) for m in messages) for field, messages in form.errors.items()
        }
    return _quick_answer(line, errors, _("Statusen ändrades inte."))


@bp.post("/observations/<observation_id>/undo")
@requires(COORDINATOR)
def undo(observation_id: str):
    """The meeting's "Ångra": the latest status change undone, through the same door."""
    line = _line_or_404(observation_id)
    _made, found = measures.undo(get_db(), line, current_user()["id"])
    errors = {field: str(message) for field, message in found.items()}
    return _quick_answer(line, errors, _("Ändringen ångrades inte."))


def _quick_answer(line: dict, errors: dict, refused: str):
    """JSON for the page's script (where the row goes now, how to undo), else back to the page."""
    if request.accept_mimetypes.best == "application/json":
        if errors:
            return jsonify({"error": refused, "errors": errors}), 400
        now = measures_db.get_line(get_db(), line["id"])
        return jsonify(
            {
                "status": now["status"],
                "label": str(MEASURE_STATUSES[now["status"]]),
                "section": standing(now["status"]),  # where the meeting lists it
                "partner": now["partner_name"],
                "deadline": now["deadline"],
                "reason": now["reason"],
                "undo": url_for("measures.undo", observation_id=line["id"]),
            }
        )
    for message in errors.values():
        flash(message)
    back = safe_path(request.form.get("next")) or url_for(
        "measures.triage", observation_id=line["id"]
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
    today = clock.today()
    rows = measures_db.filtered_lines(
        db,
        partner_id=partner_id,
        statuses=statuses,
        place_id=place_id,
        overdue_on=today.isoformat() if overdue else None,
    )
    return render_template(
        "measures/index.html",
        rows=rows,
        partners=partners_db.list_partners(db, active_only=False),
        places=places_db.list_places(db),
        chosen={"partner": partner_id, "place": place_id, "statuses": statuses, "overdue": overdue},
        today=today.isoformat(),
        status_form=status_form(),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    )
