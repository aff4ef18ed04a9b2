"""Places: the platssamverkan meeting's list of places and the place view, and the admin's
upload (checked per feature, previewed on a map, then confirmed), edit and deactivation."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clock, organisations, settings
from ..access import ADMIN, COORDINATOR, current_user, reads_only, requires, scope
from ..db import get_db
from ..db import measures as measures_db
from ..db import places as places_db
from ..db import walks as walks_db
from ..forms import PlaceForm, PlacesUploadForm
from ..measures import (
    CLOSED_SECTION_STATUSES,
    PAGE_ROWS,
    compare_latest_walk,
    counts,
    default_since,
    good_observations,
    open_measures,
    undoable,
)
from ..places_index import import_places, update_place
from ..places_upload import PlaceImportError, compare, parse_places, warnings
from ..vocabulary import CATEGORIES, MEASURE_STATUSES, RATINGS
from ..walks import is_closed
from .measures import status_form
from .shared import date_arg, found_or_404

bp = Blueprint("places", __name__)


@bp.get("/places")
@requires(COORDINATOR)
def index():
    db = get_db()
    today = clock.today().isoformat()
    counts = measures_db.open_and_overdue_by_place(db, today, scope())
    rows = []
    for place in places_db.list_places(db, organisation_ids=scope()):
        open_count, overdue = counts.get(place["id"], (0, 0))
        rows.append({**place, "open": open_count, "overdue": overdue})
    return render_template("places/index.html", places=rows)


@bp.get("/places/<int:place_id>")
@requires(COORDINATOR)
def show(place_id: int):
    db = get_db()
    place = found_or_404(places_db.get_place(db, place_id))
    today = clock.today()
    walks = walks_db.walks_for_place(db, place_id)
    since = date_arg("since") or default_since(walks, today)
    observations = measures_db.observations_for_place(db, place_id)
    start = clock.day_start(since)
    fixed_rows = measures_db.status_changes_since(db, place_id, start)
    closed_rows = measures_db.status_changes_since(db, place_id, start, CLOSED_SECTION_STATUSES)
    good_rows = good_observations(observations)
    # Rows this coordinator moved out of the open list today keep their "Ångra".
    moved = fixed_rows + closed_rows + good_rows
    undoable(
        moved,
        measures_db.latest_changes(db, [row["id"] for row in moved]),
        current_user()["id"],
        clock.day_start(today),
    )
    return render_template(
        "places/show.html",
        place=place,
        since=since,
        open_rows=open_measures(observations, today),
        fixed_rows=fixed_rows,
        closed_rows=closed_rows,
        good_rows=good_rows,
        untriaged=measures_db.untriaged_queue(db, place_id=place_id),
        deadline_bounds=[d.isoformat() for d in clock.deadline_bounds(today)],
        counts=counts(observations),
        walks=walks,
        comparison=compare_latest_walk(observations, walks),
        # "Följ upp med ny vandring" once a walk was held here; a region user changes nothing.
        rewalk=not reads_only(current_user()) and any(is_closed(w) for w in walks),
        page_rows=PAGE_ROWS,
        status_form=status_form(organisation_id=place["organisation_id"]),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    )


# --- admin: upload, preview, confirm, edit, deactivate ---


def _pending_folder() -> Path:
    folder = settings.current().pending_folder
    folder.mkdir(exist_ok=True)
    return folder


def _pending_path(upload_id: str) -> Path:
    if (
        not upload_id
        or not upload_id.replace("-", "").replace("_", "").isalnum()
        or len(upload_id) > 64
    ):
        abort(404)
    path = _pending_folder() / f"{upload_id}.geojson"
    if not path.exists():
        abort(404)
    return path


def _index_page(form, problems=None, status=200):
    places = places_db.list_places(get_db(), active_only=False, organisation_ids=scope())
    return render_template(
        "places/admin.html", form=form, places=places, problems=problems or []
    ), status


@bp.get("/admin/places")
@requires(ADMIN)
def admin_index():
    return _index_page(PlacesUploadForm())


@bp.post("/admin/places/upload")
@requires(ADMIN)
def admin_upload():
    form = PlacesUploadForm()
    if not form.validate_on_submit():
        return _index_page(form, status=400)
    raw = form.file.data.read()
    try:
        parse_places(raw)
    except PlaceImportError as error:
        # The same checks and messages as `walkapp import-places`; nothing is stored.
        # As plain text: a lazy string's __html__ would skip escaping the file's names.
        return _index_page(form, problems=[str(p) for p in error.problems], status=400)
    upload_id = secrets.token_urlsafe(12)
    (_pending_folder() / f"{upload_id}.geojson").write_bytes(raw)
    return redirect(url_for("places.admin_preview", upload=upload_id, mode=form.mode.data))


@bp.get("/admin/places/preview")
@requires(ADMIN)
def admin_preview():
    upload_id = request.args.get("upload", "")
    if not upload_id:
        return redirect(url_for("places.admin_index"))
    places = parse_places(_pending_path(upload_id).read_bytes())
    mode = "replace" if request.args.get("mode") == "replace" else "upsert"
    db = get_db()
    # An upload is the uploader's organisation's places (the first one's for an instance admin).
    own = places_db.list_places(db, False, [organisations.home_of(db, current_user())])
    changes = compare(places, own, replace=mode == "replace")
    return render_template(
        "places/preview.html",
        upload_id=upload_id,
        mode=mode,
        places=places,
        changes=changes,
        warnings=[str(warning) for warning in warnings(places)],
        features={
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": p["geometry"], "properties": {"name": p["name"]}}
                for p in places
            ],
        },
    )


@bp.post("/admin/places/confirm")
@requires(ADMIN)
def admin_confirm():
    upload_id = request.form.get("upload", "")
    path = _pending_path(upload_id)
    places = parse_places(path.read_bytes())
    db = get_db()
    counts = import_places(
        db,
        places,
        replace=request.form.get("mode") == "replace",
        near_m=settings.current().near_distance_m,
        user_id=current_user()["id"],
        organisation_id=organisations.home_of(db, current_user()),
    )
    path.unlink(missing_ok=True)
    flash(
        _(
            "Platserna är inlästa: %(created)s nya, %(updated)s uppdaterade, %(unchanged)s oförändrade, %(deactivated)s inaktiverade; %(reassigned)s observationer omfördelade.",
            **counts,
        )
    )
    return redirect(url_for("places.admin_index"), code=303)


@bp.route("/admin/places/<int:place_id>/edit", methods=["GET", "POST"])
@requires(ADMIN)
def admin_edit(place_id: int):
    db = get_db()
    place = found_or_404(places_db.get_place(db, place_id))
    form = PlaceForm(
        data=None
        if request.method == "POST"
        else {**place, "partners": ", ".join(place["partners"])}
    )
    if form.validate_on_submit():
        name = form.name.data.strip()
        clash = [
            p
            for p in places_db.list_places(db, False, [place["organisation_id"]])
            if p["name"] == name and p["id"] != place_id
        ]
        if clash:
            form.name.errors.append(_("Det finns redan en plats med det namnet."))
        else:
            partners = [p.strip() for p in (form.partners.data or "").split(",") if p.strip()]
            changes = {
                "name": name,
                "priority": form.priority.data,
                "description": (form.description.data or "").strip(),
                "partners": partners,
            }
            update_place(db, place_id, current_user()["id"], **changes)
            flash(_("Platsen är sparad."))
            return redirect(url_for("places.admin_index"))
    status = 400 if request.method == "POST" else 200
    return render_template("places/edit.html", form=form, place=place), status


@bp.post("/admin/places/<int:place_id>/active")
@requires(ADMIN)
def admin_set_active(place_id: int):
    db = get_db()
    if places_db.get_place(db, place_id) is None:
        abort(404)
    active = request.form.get("active") == "1"
    # Observations keep the place they were assigned; new ones no longer land in it.
    update_place(db, place_id, current_user()["id"], active=int(active))
    return redirect(url_for("places.admin_index"), code=303)
