"""Admins keep the organisations (arrangörer) on the web, as `walkapp create-organisation` does on
the command line: the instance's admin makes them and edits any; an organisation's own admin
edits theirs (another organisation's id is a 404, walkapp.access). The rules are in
walkapp/organisations.py."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import organisations
from ..access import ADMIN, current_user, requires, scope
from ..db import areas as areas_db
from ..db import get_db
from ..db import organisations as organisations_db
from ..forms import OrganisationForm
from .shared import found_or_404

bp = Blueprint("organisations", __name__, url_prefix="/admin/organisations")

# The kinds of area, as a coordinator reads them, in the order the form lists them.
AREA_KINDS = {
    "region": _l("Polisregion"),
    "lpo": _l("Lokalpolisområde"),
    "lan": _l("Län"),
    "kommun": _l("Kommun"),
    "stadsdelsomrade": _l("Stadsdelsområde"),
    "stadsdel": _l("Stadsdel"),
    "free": _l("Eget område"),
}
# What a refusal of walkapp.organisations is about, in the form's words.
REFUSALS = {
    "slug": _l("Kortnamnet ska vara 1–40 små bokstäver a–z, siffror eller bindestreck, och inte"
               " redan användas av en annan arrangör."),  # fmt: skip
    "name": _l("Skriv arrangörens namn, högst 120 tecken."),
    "logo": _l("Logotypen ska vara en sökväg på den här webbplatsen, t.ex."
               " /static/logos/lidingo.png: sidorna visar inga bilder från andra webbplatser."),  # fmt: skip
    "jurisdiction_id": _l("Open311-id:t används redan av en annan arrangör (eller är tomt)."),
    "areas": _l("Välj områden i listan."),
    "languages": _l("Välj språk i listan."),
}


def _form(organisation: dict | None = None) -> OrganisationForm:
    form = OrganisationForm(data=_data(organisation) if organisation else None)
    groups: dict = {str(label): [] for label in AREA_KINDS.values()}
    for area in areas_db.list_areas(get_db(), with_geometry=False):
        label = str(AREA_KINDS.get(area["kind"], area["kind"]))
        name = f"{area['name']} ({area['code']})" if area["code"] else area["name"]
        groups.setdefault(label, []).append((area["id"], name))
    form.areas.choices = {label: choices for label, choices in groups.items() if choices}
    return form


def _data(organisation: dict) -> dict:
    return {
        **organisation,
        "areas": organisations_db.area_ids_of(get_db(), organisation["id"]),
        "languages": list(organisations.languages_of(organisation)),
    }


def _languages_posted(form: OrganisationForm) -> list[str] | None:
    """The ticked languages, or None when the post had no languages field at all (the form
    always sends Swedish): then an edit keeps the stored ones and a new organisation gets all."""
    return form.languages.data if "languages" in request.form else None


def _refused(form: OrganisationForm, refused: organisations.Refused) -> None:
    getattr(form, refused.field or "name").errors = [str(REFUSALS[refused.field or "name"])]


def _index(form: OrganisationForm, status: int = 200):
    return render_template(
        "organisations/index.html",
        organisations=organisations_db.list_organisations(get_db(), scope()),
        form=form,
        may_create=organisations.is_instance_admin(current_user()),
    ), status


@bp.get("")
@requires(ADMIN)
def index():
    return _index(_form())


@bp.post("")
@requires(ADMIN)
def create():
    """A new organisation: the instance's admin only (an organisation's admin keeps theirs)."""
    if not organisations.is_instance_admin(current_user()):
        abort(403)
    form = _form()
    if form.validate_on_submit():
        try:
            organisations.create(
                get_db(),
                (form.slug.data or "").strip(),
                form.name.data,
                logo=form.logo.data or "",
                jurisdiction_id=(form.jurisdiction_id.data or "").strip() or None,
                by=current_user()["id"],
                area_ids=form.areas.data,
                languages_offered=_languages_posted(form),
            )
        except organisations.Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Arrangören %(name)s är skapad.", name=form.name.data.strip()))
            return redirect(url_for("organisations.index"), code=303)
    return _index(form, 400)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@requires(ADMIN)
def edit(organisation_id: int):
    organisation = found_or_404(organisations_db.get_organisation(get_db(), organisation_id))
    form = _form(organisation)
    if form.validate_on_submit():
        try:
            organisations.update(
                get_db(),
                organisation_id,
                form.name.data,
                form.logo.data or "",
                form.jurisdiction_id.data or "",
                form.areas.data,
                by=current_user()["id"],
                languages_offered=_languages_posted(form),
            )
        except organisations.Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Ändringarna är sparade."))
            return redirect(url_for("organisations.index"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "organisations/edit.html", organisation=organisation, form=form
    ), status
