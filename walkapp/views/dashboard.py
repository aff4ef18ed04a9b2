"""The coordinator dashboard: this year's promise and its pace, walks planned, measures per partner.

Also where coordinators log the activities that count towards a commitment.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from .. import languages, promises, public
from ..access import COORDINATOR, current_user, requires, scope
from ..db import dashboard as dashboard_db
from ..db import get_db
from ..db import places as places_db
from ..db import promises as promises_db
from ..db import walks as walks_db
from ..forms import ActivityForm
from ..promises import with_pace

bp = Blueprint("dashboard", __name__)


def _reader_language() -> str:
    return str(get_locale() or languages.DEFAULT)


def _commitments_with_pace(promise: dict, today: date) -> list[dict]:
    """With each heading and text in the reader's language where the promise gives one, else the
    Swedish (its `…_lang` says which)."""
    db = get_db()
    planned = promises_db.planned_walks_left(
        db, promise["year"], today.isoformat(), promise["organisation_id"]
    )
    language = _reader_language()
    own = promises_db.commitment_texts(db, promise["id"], language)
    return [
        {**item, **public.in_language(item, own.get(item["id"]), language)}
        for item in with_pace(promises_db.progress(db, promise), promise["year"], today, planned)
    ]


@bp.get("/dashboard")
@requires(COORDINATOR)
def index():
    db = get_db()
    today = public.today()
    promise = promises_db.promise_for_year(db, today.year, scope())
    return render_template(
        "dashboard/index.html",
        year=today.year,
        promise=promise,
        commitments=_commitments_with_pace(promise, today) if promise else [],
        walks=dashboard_db.planned_walks(db, today.year, today.isoformat(), scope()),
        partners=dashboard_db.measures_per_partner(db, today.isoformat(), scope()),
        # A joint walk the lead invited this organisation to: only its own people can answer.
        invitations=walks_db.invitations(db, [organisation])
        if (organisation := current_user().get("organisation_id"))
        else [],
        text=public,
    )


def _activity_choices(today: date) -> list[SelectChoice]:
    """Activity-counted commitments of this year's and last year's promise (late logging)."""
    db = get_db()
    choices = []
    for year in (today.year, today.year - 1):
        promise = promises_db.promise_for_year(db, year, scope())
        if promise is None:
            continue
        own = promises_db.commitment_texts(db, promise["id"], _reader_language())
        for item in promises_db.list_commitments(db, promise["id"]):
            if item["counting"] == "activities":
                words = public.in_language(item, own.get(item["id"]), _reader_language())
                label = f"{year} · {words['heading'] or words['text'][:60]}"
                choices.append(SelectChoice(item["id"], label))
    return choices


@bp.route("/dashboard/activities", methods=["GET", "POST"])
@requires(COORDINATOR)
def activities():
    db = get_db()
    today = public.today()
    form = ActivityForm()
    form.commitment_id.choices = _activity_choices(today)
    form.place_id.choices = [SelectChoice(0, _("Ingen särskild plats"))] + [
        SelectChoice(place["id"], place["name"])
        for place in places_db.list_places(db, organisation_ids=scope())
    ]
    if form.validate_on_submit():
        commitment = promises_db.get_commitment(db, form.commitment_id.data)
        promise = promises_db.get_promise(db, commitment["promise_id"])
        happened = form.happened_on.data
        if happened.year != promise["year"] or happened > today:
            form.happened_on.errors.append(
                _(
                    "Datumet ska ligga under %(year)s och inte i framtiden.",
                    year=promise["year"],
                )
            )
        else:
            promises.add_activity(
                db,
                commitment["id"],
                happened.isoformat(),
                form.description.data,
                form.place_id.data or None,
                current_user()["id"],
            )
            flash(_("Insatsen är loggad och syns nu på den publika sidan."))
            return redirect(url_for("dashboard.activities"))
    promise = promises_db.promise_for_year(db, today.year, scope())
    status = 400 if form.is_submitted() else 200
    return render_template(
        "dashboard/activities.html",
        form=form,
        promise=promise,
        activities=promises_db.list_activities(db, promise["id"]) if promise else [],
        commitments={c["id"]: c for c in promises_db.list_commitments(db, promise["id"])}
        if promise
        else {},
        text=public,
    ), status


@bp.post("/dashboard/activities/<int:activity_id>/delete")
@requires(COORDINATOR)
def delete_activity(activity_id: int):
    if not promises.delete_activity(get_db(), activity_id, current_user()["id"]):
        abort(404)
    flash(_("Insatsen är borttagen."))
    return redirect(url_for("dashboard.activities"))
