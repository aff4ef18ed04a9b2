"""The public page: "Följ med i hur det går" — the citizen promise's progress, for everyone.

No sign-in, no JavaScript. Only counts per walk and per place, categories and measure statuses:
the SQL in walkapp.db.public never hands a note, name, photo, incident or position to this view.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import languages, observations, public
from ..access import COORDINATOR, PUBLIC, current_user, requires
from ..db import get_db
from ..db import organisations as organisations_db
from ..db import places as places_db
from ..db import promises as promises_db
from ..db import public as public_db
from ..vocabulary import CATEGORIES, GOOD_LABEL
from .shared import triage_url

bp = Blueprint("public", __name__)


def overview(year: int) -> dict:
    """Everything the public page shows for `year` (the model: walkapp.public.overview)."""
    db = get_db()
    today = public.today()
    promise = promises_db.promise_for_year(db, year)
    language = str(get_locale() or languages.DEFAULT)
    return public.overview(
        year,
        today,
        promise,
        progress=promises_db.progress(db, promise) if promise else [],
        activities=promises_db.list_activities(db, promise["id"]) if promise else [],
        planned=promises_db.planned_walks_left(
            db, year, today.isoformat(), promise["organisation_id"]
        )
        if promise
        else 0,
        walks=public_db.walks_held(db, year),
        counts=public_db.observation_counts(db, year),
        next_walk=public_db.next_public_walk(db, today.isoformat()) if year == today.year else None,
        texts=promises_db.commitment_texts(db, promise["id"], language) if promise else {},
        language=language,
    )


def _page(year: int, front: bool):
    data = overview(year)
    # The first organisation's page, until each has its own (docs/operators/organisations.md).
    publisher = organisations_db.first(get_db())
    other_years = sorted(set(promises_db.promise_years(get_db())) - {year}, reverse=True)
    return render_template(
        "public/index.html",
        data=data,
        front=front,
        other_years=other_years,
        priority_places=places_db.list_places(get_db()),
        text=public,
        categories=CATEGORIES,
        good_label=GOOD_LABEL,
        organisation=publisher["name"],
        organisation_logo=publisher["logo"],
    )


@bp.get("/")
@requires(PUBLIC)
def index():
    return _page(public.today().year, front=True)


def _known_year(year: int) -> None:
    if year != public.today().year and promises_db.promise_for_year(get_db(), year) is None:
        abort(404)


@bp.get("/promise/<int:year>")
@requires(PUBLIC)
def year_page(year: int):
    _known_year(year)
    return _page(year, front=False)


@bp.get("/promise/<int:year>/data.json")
@requires(PUBLIC)
def year_data(year: int):
    """The page's figures as open data (the same aggregated, non-personal content)."""
    _known_year(year)
    response = jsonify(overview(year))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.post("/observations/<observation_id>/public")
@requires(COORDINATOR)
def set_not_public(observation_id: str):
    """A coordinator marks a observation "inte publik" (near a shelter, a private entrance): it
    leaves every public output. Posted from the triage page (templates/public/_not_public.html)."""
    not_public = request.form.get("not_public") == "1"
    if not observations.set_not_public(get_db(), observation_id, not_public, current_user()["id"]):
        abort(404)
    flash(
        _("Iakttagelsen visas inte längre offentligt.")
        if not_public
        else _("Iakttagelsen räknas åter offentligt.")
    )
    return redirect(triage_url(observation_id), code=303)
