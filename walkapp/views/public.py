"""The public page: "Följ med i hur det går" — the citizen promise's progress, for everyone.

No sign-in, no JavaScript. Counts per walk and per place, categories, each worked measure in
words, and the after photos a coordinator or partner published: the SQL in walkapp.db.public
never hands a note, name, walker's photo, incident or position to this view.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import clock, languages, measures, observations, organisations, public
from ..access import COORDINATOR, PUBLIC, current_user, requires
from ..db import get_db
from ..db import organisations as organisations_db
from ..db import places as places_db
from ..db import promises as promises_db
from ..db import public as public_db
from ..vocabulary import CATEGORIES, GOOD_LABEL
from .photos import photo_file
from .shared import triage_url

bp = Blueprint("public", __name__)


def overview(year: int, organisation: dict) -> dict:
    """Everything an organisation's public page shows for `year` (the model:
    walkapp.public.overview): its promise, its walks, its places' findings."""
    db = get_db()
    today = public.today()
    owner = organisation["id"]
    promise = promises_db.promise_for_year(db, year, [owner])
    language = str(get_locale() or languages.DEFAULT)
    return public.overview(
        year,
        today,
        promise,
        progress=promises_db.progress(db, promise) if promise else [],
        activities=promises_db.list_activities(db, promise["id"]) if promise else [],
        planned=promises_db.planned_walks_left(db, year, today.isoformat(), owner)
        if promise
        else 0,
        walks=public_db.walks_held(db, year, owner),
        counts=public_db.observation_counts(db, year, owner),
        next_walk=public_db.next_public_walk(db, today.isoformat(), owner)
        if year == today.year
        else None,
        texts=promises_db.commitment_texts(db, promise["id"], language) if promise else {},
        language=language,
        days_to_fixed=measures.median_days_to_fixed(
            db, [owner], True, clock.year_bounds(year)
        )["all"],
        measures=public_db.worked_measures(db, year, owner),
        walks_by_others=public_db.walks_held_inside(
            db, year, owner, organisations_db.covered_areas(db, owner)
        ),
    )


def is_first(organisation: dict) -> bool:
    """Whether this is the instance's first organisation (LPO Norrmalm's, upgraded from one
    organisation): its pages keep the old paths and its promise's own lead text."""
    return organisation["id"] == organisations_db.first(get_db())["id"]


def links(organisation: dict) -> dict:
    """Where an organisation's public page and its years are: the first organisation's keep the
    paths of one-organisation versions (`/`, `/promise/<year>`); the others' are under
    `/o/<slug>/`."""
    if is_first(organisation):
        return {
            "home": url_for("public.index"),
            "year": lambda year, **kw: url_for("public.year_page", year=year, **kw),
            "data": lambda year: url_for("public.year_data", year=year),
            "map": lambda year: url_for("maps.public", year=year),
        }
    slug = organisation["slug"]
    return {
        "home": url_for("public.organisation_index", slug=slug),
        "year": lambda year, **kw: url_for("public.organisation_year", slug=slug, year=year, **kw),
        "data": lambda year: url_for("public.organisation_data", slug=slug, year=year),
        "map": lambda year: url_for("maps.public", year=year, organisation=slug),
    }


def _page(year: int, front: bool, organisation: dict):
    db = get_db()
    data = overview(year, organisation)
    years = promises_db.promise_years(db, [organisation["id"]])
    others = [o for o in organisations_db.list_organisations(db) if o["id"] != organisation["id"]]
    return render_template(
        "public/index.html",
        data=data,
        front=front,
        other_years=sorted(set(years) - {year}, reverse=True),
        priority_places=places_db.list_places(db, organisation_ids=[organisation["id"]]),
        text=public,
        categories=CATEGORIES,
        good_label=GOOD_LABEL,
        organisation=organisation["name"],
        organisation_logo=organisation["logo"],
        links=links(organisation),
        first_organisation=is_first(organisation),
        # The instance's front page lists the other organisations, each with its page.
        other_organisations=[{**o, "url": links(o)["home"]} for o in others] if front else [],
        # The switch offers the organisation's languages (and the reader's own).
        language_choices=languages.choices(
            organisations.offered_to(organisation, str(get_locale() or languages.DEFAULT))
        ),
    )


def _organisation_or_404(slug: str | None) -> dict:
    """The organisation a public path names (the first for the paths without a slug)."""
    db = get_db()
    found = organisations_db.first(db) if slug is None else organisations_db.get_by_slug(db, slug)
    if found is None:
        abort(404)
    return found


def _known_year(year: int, organisation: dict) -> None:
    if year != public.today().year and (
        promises_db.promise_for_year(get_db(), year, [organisation["id"]]) is None
    ):
        abort(404)


@bp.get("/")
@requires(PUBLIC)
def index():
    return _page(public.today().year, True, _organisation_or_404(None))


@bp.get("/promise/<int:year>")
@requires(PUBLIC)
def year_page(year: int):
    organisation = _organisation_or_404(None)
    _known_year(year, organisation)
    return _page(year, False, organisation)


@bp.get("/promise/<int:year>/data.json")
@requires(PUBLIC)
def year_data(year: int):
    """The page's figures as open data (the same aggregated, non-personal content)."""
    return _data(year, _organisation_or_404(None))


@bp.get("/o/<slug>/")
@requires(PUBLIC)
def organisation_index(slug: str):
    return _page(public.today().year, False, _organisation_or_404(slug))


@bp.get("/o/<slug>/promise/<int:year>")
@requires(PUBLIC)
def organisation_year(slug: str, year: int):
    organisation = _organisation_or_404(slug)
    _known_year(year, organisation)
    return _page(year, False, organisation)


@bp.get("/o/<slug>/promise/<int:year>/data.json")
@requires(PUBLIC)
def organisation_data(slug: str, year: int):
    return _data(year, _organisation_or_404(slug))


def _data(year: int, organisation: dict):
    _known_year(year, organisation)
    response = jsonify(overview(year, organisation))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/public/photos/<photo_id>", defaults={"thumb": False})
@bp.get("/public/photos/<photo_id>/thumb", defaults={"thumb": True})
@requires(PUBLIC)
def photo(photo_id: str, thumb: bool):
    """A published "after" photo of a fixed measure (db.public.public_photo says which); every
    other photo id is a 404, as if it did not exist."""
    row = public_db.public_photo(get_db(), photo_id)
    if row is None:
        abort(404)
    # Shared caches may keep it a while; a photo taken back is gone from them within minutes.
    return photo_file(row, thumb, "public, max-age=300")


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
