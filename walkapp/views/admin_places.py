"""Admins keep the prioritised places: upload a GeoJSON (checked per feature, previewed on a map,
then confirmed), edit a place, deactivate it, download them all."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..access import ADMIN, current_user, requires
from ..db import audit, get_db, transaction
from ..db import places as places_db
from ..forms import PlaceForm, PlacesUploadForm
from ..places_index import import_places
from ..places_upload import PlaceImportError, parse_places

bp = Blueprint("admin_places", __name__)


def _pending_folder() -> Path:
    folder = Path(current_app.config["WALKAPP_INSTANCE"]) / "pending"
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
    places = places_db.list_places(get_db(), active_only=False)
    return render_template(
        "admin_places/index.html", form=form, places=places, problems=problems or []
    ), status


@bp.get("/admin/places")
@requires(ADMIN)
def index():
    return _index_page(PlacesUploadForm())


@bp.post("/admin/places/upload")
@requires(ADMIN)
def upload():
    form = PlacesUploadForm()
    if not form.validate_on_submit():
        return _index_page(form, status=400)
    raw = form.file.data.read()
    try:
        parse_places(raw)
    except PlaceImportError as error:
        # The same checks and messages as `walkapp import-places`; nothing is stored.
        return _index_page(form, problems=error.problems, status=400)
    upload_id = secrets.token_urlsafe(12)
    (_pending_folder() / f"{upload_id}.geojson").write_bytes(raw)
    return redirect(url_for("admin_places.preview", upload=upload_id, mode=form.mode.data))


@bp.get("/admin/places/preview")
@requires(ADMIN)
def preview():
    upload_id = request.args.get("upload", "")
    if not upload_id:
        return redirect(url_for("admin_places.index"))
    places = parse_places(_pending_path(upload_id).read_bytes())
    existing = {p["name"] for p in places_db.list_places(get_db(), active_only=False)}
    mode = "replace" if request.args.get("mode") == "replace" else "upsert"
    incoming = {p["name"] for p in places}
    return render_template(
        "admin_places/preview.html",
        upload_id=upload_id,
        mode=mode,
        places=places,
        new=sorted(incoming - existing),
        updated=sorted(incoming & existing),
        deactivated=sorted(existing - incoming) if mode == "replace" else [],
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
def confirm():
    upload_id = request.form.get("upload", "")
    path = _pending_path(upload_id)
    places = parse_places(path.read_bytes())
    db = get_db()
    counts = import_places(
        db,
        places,
        replace=request.form.get("mode") == "replace",
        near_m=float(current_app.config["WALKAPP_NEAR_DISTANCE_M"]),
    )
    with transaction(db):
        audit.record(db, current_user()["id"], "import", "places", None, counts)
    path.unlink(missing_ok=True)
    flash(
        _(
            "Platserna är inlästa: %(created)s nya, %(updated)s uppdaterade, %(deactivated)s inaktiverade; %(reassigned)s observationer omfördelade.",
            **counts,
        )
    )
    return redirect(url_for("admin_places.index"), code=303)


@bp.route("/admin/places/<int:place_id>/edit", methods=["GET", "POST"])
@requires(ADMIN)
def edit(place_id: int):
    db = get_db()
    place = places_db.get_place(db, place_id)
    if place is None:
        abort(404)
    form = PlaceForm(
        data=None
        if request.method == "POST"
        else {**place, "partners": ", ".join(place["partners"])}
    )
    if form.validate_on_submit():
        name = form.name.data.strip()
        clash = [
            p for p in places_db.list_places(db, False) if p["name"] == name and p["id"] != place_id
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
            places_db.update_place(db, place_id, **changes)
            with transaction(db):
                places_db.ensure_partners(db, partners)
                audit.record(db, current_user()["id"], "update", "place", place_id, changes)
            flash(_("Platsen är sparad."))
            return redirect(url_for("admin_places.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin_places/edit.html", form=form, place=place), status


@bp.post("/admin/places/<int:place_id>/active")
@requires(ADMIN)
def set_active(place_id: int):
    db = get_db()
    if places_db.get_place(db, place_id) is None:
        abort(404)
    active = request.form.get("active") == "1"
    # Observations keep the place they were assigned; new ones no longer land in it.
    places_db.update_place(db, place_id, active=int(active))
    with transaction(db):
        audit.record(db, current_user()["id"], "update", "place", place_id, {"active": active})
    return redirect(url_for("admin_places.index"), code=303)
