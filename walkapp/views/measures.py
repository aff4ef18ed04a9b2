"""Measures: triage (a coordinator turns an observation into a measure: partner, deadline,
status, comment, with history and possible duplicates) as a queue through a walk's or a
place's untriaged observations or through the measures list's selection, merging several walkers' observations of one thing, the quick status
change used in meetings, and the list of measures by partner, status and place."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import clock, measures, observations
from ..access import COORDINATOR, current_user, requires, scope
from ..db import get_db
from ..db import measures as measures_db
from ..db import organisations as organisations_db
from ..db import partners as partners_db
from ..db import photos as photos_db
from ..db import places as places_db
from ..forms import StatusForm, TriageForm
from ..inputs import seen_version
from ..measures import (
    LIST_ROWS,
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
from .shared import (
    found_or_404,
    int_arg,
    list_filter_args,
    paging,
    queue_args,
    queue_kind,
    readable_places,
    triage_url,
)

bp = Blueprint("measures", __name__)


def _status_choices():
    return [(key, str(label)) for key, label in MEASURE_STATUSES.items()]


def partner_choices(partners: list[dict], keep: int | None = None) -> list[tuple[int, str]]:
    """The partners a measure may be given: the active ones, and the one it has."""
    return [(0, _("– ingen vald –"))] + [
        (p["id"], p["name"]) for p in partners if p["active"] or p["id"] == keep
    ]


def status_form(observation: dict | None = None, organisation_id: int | None = None) -> StatusForm:
    """The quick status change; its partners those of the reader's organisations, or of
    `organisation_id` (a place's: the instance admin is offered that place's partners, not
    every partner of the instance on every row), or the observation's (_partners_for)."""
    form = StatusForm()
    form.status.choices = _status_choices()
    if organisation_id is not None:
        partners = partners_db.list_partners(get_db(), False, [organisation_id])
    else:
        partners = _partners_for(observation)
    form.partner_id.choices = partner_choices(
        partners, observation["partner_id"] if observation else None
    )
    return form


def _partners_for(observation: dict | None) -> list[dict]:
    """The partners a measure may be given: those of the reader's organisations; for the
    instance's admin (every organisation), those of the observation's walk's organisers, as a
    coordinator of them would be offered (a partner of another organisation is refused)."""
    whose = scope()
    if whose is None and observation is not None:
        owners = organisations_db.owners(get_db(), "walk_id", observation["walk_id"]) or []
        whose = [owner for owner in owners if owner is not None]
    return partners_db.list_partners(get_db(), active_only=False, organisation_ids=whose)


def _observation_or_404(observation_id: str) -> dict:
    observation = found_or_404(measures_db.get_observation(get_db(), observation_id))
    return observation


def _queue(observation: dict) -> tuple[str, list[str]] | None:
    """The triage queue the coordinator works through (?queue=walk or ?queue=place): the
    untriaged observations in recording order, with the one on screen kept in its place."""
    kind = queue_kind()
    db = get_db()
    if kind == "walk":
        return kind, measures_db.untriaged_queue(
            db, walk_id=observation["walk_id"], keeping=observation["id"]
        )
    if kind == "place" and observation["place_id"] is not None:
        return kind, measures_db.untriaged_queue(
            db, place_id=observation["place_id"], keeping=observation["id"]
        )
    if kind == "list":
        return kind, measures_db.filtered_ids(db, keeping=observation["id"], **_list_filters())
    return None


def _next_observation(observation: dict, queue) -> str:
    """The next observation of the queue after this one, or back to the walk (place) when none is
    left."""
    kind, ids = queue
    following = next_in_queue(ids, observation["id"])
    if following:
        return url_for("measures.triage", observation_id=following, **queue_args())
    if kind == "list":
        flash(_("Alla i urvalet är genomgångna."))
        return url_for("measures.index", **list_filter_args())
    flash(_("Alla obehandlade observationer är genomgångna."))
    if kind == "place":
        return url_for("places.show", place_id=observation["place_id"])
    return url_for("walks.show", walk_id=observation["walk_id"])


def _after_saving(observation: dict, queue) -> str:
    """Where "Spara och nästa" leads: the next untriaged observation, or back when none is left;
    "Spara åtgärden" stays on this observation, in its queue."""
    if queue is None or "next" not in request.form:
        return triage_url(observation["id"])
    return _next_observation(observation, queue)


def _map_data(observation: dict) -> dict:
    """The triage map: the point, its accuracy (or the walker's pin), the place, what is near."""
    db = get_db()
    place = places_db.get_place(db, observation["place_id"]) if observation["place_id"] else None
    return {
        "point": [observation["lat"], observation["lon"]],
        "accuracy_m": observation["accuracy_m"],
        # Older rows say nothing of the source: no accuracy then means a pin.
        "pinned": observation["position_source"] == "pin"
        or (observation["position_source"] is None and observation["accuracy_m"] is None),
        "colour": RATING_COLOURS[observation["rating"]],
        "place": place["geometry"] if place else None,
        "nearby": [
            [n["lat"], n["lon"], RATING_COLOURS[n["rating"]], str(CATEGORIES.get(n["category"]))]
            for n in measures_db.nearby(db, observation)
        ],
    }


def _triage_form(observation: dict, partners: list[dict], posted: bool = False) -> TriageForm:
    """The triage form: what was posted, or the stored measure."""
    if posted:
        form = TriageForm()
    else:
        form = TriageForm(
            formdata=None,
            data={
                "status": observation["status"],
                "partner_id": observation["partner_id"] or 0,
                "deadline": date.fromisoformat(observation["deadline"])
                if observation["deadline"]
                else None,
                "reason": observation["reason"],
                "duplicate_of": observation["duplicate_of"] or "",
            },
        )
    form.status.choices = _status_choices()
    form.partner_id.choices = partner_choices(partners, observation["partner_id"])
    return form


@bp.route("/observations/<observation_id>/triage", methods=["GET", "POST"])
@requires(COORDINATOR)
def triage(observation_id: str):
    observation = _observation_or_404(observation_id)
    db = get_db()
    partners = _partners_for(observation)
    form = _triage_form(observation, partners, posted=request.method == "POST")
    queue = _queue(observation)
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        made, errors = measures.change(
            db, observation, form.data, current_user()["id"], seen=seen_version(form.seen.data)
        )
        if "seen" in errors:
            # Shown as it is now, so saving again is a choice made on what is stored.
            flash(str(errors["seen"]))
            form, status, errors = _triage_form(observation, partners), 409, {}
        elif not errors:
            flash(_("Åtgärden är sparad.") if made else _("Inget ändrades."))
            return redirect(_after_saving(observation, queue))
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
        observation=observation,
        place_linked=bool(readable_places([observation["place_id"]])),
        form=form,
        history=history_in_words(
            entries,
            {p["id"]: p["name"] for p in partners},
            MEASURE_STATUSES,
            measures_db.short_ids(db, linked),
            CATEGORIES,
        ),
        duplicates=possible_duplicates(
            observation, measures_db.same_category_candidates(get_db(), observation)
        ),
        queue=queue,
        queue_args=queue_args(),
        queue_left=_left(observation, queue),
        map_data=_map_data(observation),
        hints=REQUIRED_HINTS,
        requires_by_status=STATUS_REQUIRES,
        fields_by_status=STATUS_FIELDS,
        deadline_bounds=(first.isoformat(), last.isoformat()),
        after_photo_allowed=after_photo_allowed(observation["status"]),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    ), status


def _left(observation: dict, queue) -> int | None:
    """How many untriaged observations the queue still holds (this one counts while it is new);
    of a list's selection, how many it still holds (this one while it matches)."""
    if queue is None:
        return None
    if queue[0] == "list":
        return measures_db.count_filtered(get_db(), **_list_filters())
    return sum(1 for i in queue[1] if i != observation["id"] or observation["status"] == "new")


@bp.post("/observations/<observation_id>/duplicate")
@requires(COORDINATOR)
def mark_duplicate(observation_id: str):
    """One click on a listed candidate: this observation is a duplicate of that one. In a queue
    the next observation follows, as after "Spara och nästa"."""
    observation = _observation_or_404(observation_id)
    queue = _queue(observation)
    _made, errors = measures.mark_duplicate(
        get_db(),
        observation,
        request.form.get("duplicate_of", ""),
        current_user()["id"],
        seen=seen_version(request.form.get("seen")),
    )
    for message in errors.values():
        flash(str(message))
    if errors:
        return redirect(triage_url(observation_id), code=303)
    flash(_("Markerad som dubblett."))
    return redirect(
        _next_observation(observation, queue) if queue else triage_url(observation_id), code=303
    )


@bp.post("/observations/<observation_id>/merge")
@requires(COORDINATOR)
def merge(observation_id: str):
    """Several walkers, one thing: the others become duplicates of this one, in one step."""
    lead = _observation_or_404(observation_id)
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
    observation = _observation_or_404(observation_id)
    form = status_form(observation)
    errors: dict = {}
    if form.validate_on_submit():
        if form.status.data == "duplicate":
            errors["status"] = _("Markera dubbletter i triagen, där du väljer vilken observation.")
        else:
            sent = {f: getattr(form, f).data for f in QUICK_FIELDS if f in request.form}
            submitted = quick_submission(observation, form.status.data, sent)
            _made, found = measures.change(
                get_db(),
                observation,
                submitted,
                current_user()["id"],
                seen=seen_version(request.form.get("seen")),
            )
            errors = {field: str(message) for field, message in found.items()}
    else:
        errors = {
            field: " ".join(str(m) for m in messages) for field, messages in form.errors.items()
        }
    return _quick_answer(observation, errors, _("Statusen ändrades inte."))


@bp.post("/observations/<observation_id>/undo")
@requires(COORDINATOR)
def undo(observation_id: str):
    """The meeting's "Ångra": the latest status change undone, through the same door."""
    observation = _observation_or_404(observation_id)
    _made, found = measures.undo(get_db(), observation, current_user()["id"])
    errors = {field: str(message) for field, message in found.items()}
    return _quick_answer(observation, errors, _("Ändringen ångrades inte."))


def _quick_answer(observation: dict, errors: dict, refused: str):
    """JSON for the page's script (where the row goes now, how to undo), else back to the page."""
    if request.accept_mimetypes.best == "application/json":
        if errors:
            # Changed by someone else since the page was opened: 409, nothing stored.
            return jsonify({"error": refused, "errors": errors}), 409 if "seen" in errors else 400
        now = measures_db.get_observation(get_db(), observation["id"])
        return jsonify(
            {
                "status": now["status"],
                "label": str(MEASURE_STATUSES[now["status"]]),
                "section": standing(now["status"]),  # where the meeting lists it
                "partner": now["partner_name"],
                "deadline": now["deadline"],
                "reason": now["reason"],
                "undo": url_for("measures.undo", observation_id=observation["id"]),
                "seen": now["seen"],  # what the row's next change is made on
            }
        )
    for message in errors.values():
        flash(message)
    back = safe_path(request.form.get("next")) or url_for(
        "measures.triage", observation_id=observation["id"]
    )
    return redirect(back, code=303)


def _list_filters() -> dict:
    """The measures list's filters from the query (the list and its triage queue): partner,
    status (several, or "open"), place, overdue."""
    statuses = tuple(s for s in request.args.getlist("status") if s)
    unknown = [s for s in statuses if s not in MEASURE_STATUSES and s != "open"]
    if unknown:
        abort(400, description=_("Okänd status: %(s)s", s=", ".join(unknown)))
    if "open" in statuses:
        statuses = tuple(s for s in statuses if s != "open") + OPEN_STATUSES
    overdue = request.args.get("overdue") == "1"
    return {
        "partner_id": int_arg("partner"),
        "statuses": statuses,
        "place_id": int_arg("place"),
        "overdue_on": clock.today().isoformat() if overdue else None,
        "organisation_ids": scope(),
    }


@bp.get("/measures")
@requires(COORDINATOR)
def index():
    """What each partner has to do: filter by partner, status, place, overdue; "Triagera dessa"
    walks the selection in the list's order."""
    db = get_db()
    filters = _list_filters()
    statuses, partner_id, place_id = filters["statuses"], filters["partner_id"], filters["place_id"]
    overdue = filters["overdue_on"] is not None
    today = clock.today()
    total = measures_db.count_filtered(db, **filters)
    pages = paging("measures.index", total, LIST_ROWS)
    rows = measures_db.filtered_observations(db, **filters, page=pages["window"])
    # "Triagera dessa" starts at the list's first row: on page 1 it is this page's (a region's
    # list read it twice, 0.3 s at 1 000 000 observations).
    if pages["window"][1] == 0:
        first = rows[:1]
    else:
        first = measures_db.filtered_observations(db, **filters, page=(1, 0)) if total else []
    return render_template(
        "measures/index.html",
        rows=rows,
        paging=pages,
        partners=partners_db.list_partners(db, active_only=False, organisation_ids=scope()),
        places=places_db.list_places(db, organisation_ids=scope()),
        chosen={"partner": partner_id, "place": place_id, "statuses": statuses, "overdue": overdue},
        triage_all=url_for(
            "measures.triage", observation_id=first[0]["id"], queue="list", **list_filter_args()
        )
        if first
        else None,
        today=today.isoformat(),
        status_form=status_form(),
        row_choices=_partners_by_row(rows) if scope() is None else None,
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    )


def _partners_by_row(rows: list[dict]) -> dict[str, list]:
    """The instance admin's list spans organisations: each row offers the partners its measure
    may be given (_partners_for: its walk's organisers'; and the one it has), not every partner
    of the instance (300 on every row). Read once per walk."""
    of_walk: dict[str, list[dict]] = {}
    for row in rows:
        if row["walk_id"] not in of_walk:
            of_walk[row["walk_id"]] = _partners_for(row)
    return {row["id"]: partner_choices(of_walk[row["walk_id"]], row["partner_id"]) for row in rows}


@bp.post("/observations/<observation_id>/photos/<photo_id>/public")
@requires(COORDINATOR)
def set_photo_public(observation_id: str, photo_id: str):
    """The coordinator publishes an after photo of this measure on the public page, or takes it
    back (field `public`: 1 or 0). The public sees it while the measure is fixed."""
    row = found_or_404(photos_db.get_photo(get_db(), photo_id))
    if row["observation_id"] != observation_id or row["kind"] != "after":
        abort(404)
    public = request.form.get("public") == "1"
    observations.set_photo_public(get_db(), photo_id, public, current_user()["id"])
    flash(
        _("Fotot visas på den offentliga sidan när åtgärden är klar.")
        if public
        else _("Fotot visas inte längre offentligt.")
    )
    return redirect(triage_url(observation_id), code=303)
