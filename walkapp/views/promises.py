"""Admins keep the citizen promises: next year's starts as a copy of the last, then is edited."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from .. import languages, organisations, promises, public
from ..access import ADMIN, current_user, requires, scope
from ..db import get_db
from ..db import promises as promises_db
from ..forms import NewCommitmentForm, PromiseCreateForm, PromiseEditForm, PromiseTextsForm
from ..inputs import parse_id
from .shared import found_or_404

bp = Blueprint("promises", __name__, url_prefix="/admin/promises")


def _create_form() -> PromiseCreateForm:
    db = get_db()
    kept = promises_db.list_promises(db, scope())
    next_year = max([p["year"] for p in kept] + [public.today().year - 1]) + 1
    form = PromiseCreateForm(
        year=next_year,
        title=promises.default_title(db, next_year, organisations.home_of(db, current_user())),
        copy_from=kept[0]["id"] if kept else 0,
    )
    form.copy_from.choices = [SelectChoice(0, _("Inga – börja tomt"))] + [
        SelectChoice(p["id"], f"{p['year']} · {p['title']}") for p in kept
    ]
    return form


def _render_index(form: PromiseCreateForm):
    return render_template(
        "promises/index.html", promises=promises_db.list_promises(get_db(), scope()), form=form
    )


@bp.get("")
@requires(ADMIN)
def index():
    return _render_index(_create_form())


@bp.post("")
@requires(ADMIN)
def create():
    db = get_db()
    form = _create_form()
    if form.validate_on_submit():
        home = organisations.home_of(db, current_user())
        if promises_db.promise_for_year(db, form.year.data, [home]):
            form.year.errors.append(
                _("Det finns redan ett löfte för %(year)s.", year=form.year.data)
            )
        else:
            promise_id = promises.create(
                db,
                form.year.data,
                None,  # the organisation's area (promises.area_for)
                form.title.data.strip(),
                current_user()["id"],
                copy_from=form.copy_from.data or None,
                organisation_id=home,
            )
            flash(_("Löftet är skapat. Se över åtagandena och målen."))
            return redirect(url_for("promises.edit", promise_id=promise_id))
    return _render_index(form), 400


def _promise_or_404(promise_id: int) -> dict:
    promise = found_or_404(promises_db.get_promise(get_db(), promise_id))
    return promise


@bp.route("/<int:promise_id>", methods=["GET", "POST"])
@requires(ADMIN)
def edit(promise_id: int):
    db = get_db()
    promise = _promise_or_404(promise_id)
    commitments = promises_db.list_commitments(db, promise_id)
    form = PromiseEditForm(
        data={
            "title": promise["title"],
            "commitments": [{**c, "commitment_id": c["id"]} for c in commitments],
        }
    )
    if form.validate_on_submit():
        known = {c["id"] for c in commitments}
        entries = [
            {
                "id": int(entry.commitment_id.data),
                "heading": entry.heading.data.strip(),
                "text": entry.text.data.strip(),
                "target": entry.target.data,
            }
            for entry in form.commitments
            if parse_id(entry.commitment_id.data or "") in known
        ]
        promises.update(db, promise_id, form.title.data.strip(), entries, current_user()["id"])
        flash(_("Ändringarna är sparade."))
        return redirect(url_for("promises.edit", promise_id=promise_id))
    return render_template(
        "promises/edit.html",
        promise=promise,
        form=form,
        counting={c["id"]: c["counting"] for c in commitments},
        new_form=NewCommitmentForm(),
        other_languages=_other_languages(),
    ), (400 if form.is_submitted() else 200)


def _other_language_or_404(language: str) -> str:
    """One of the public's languages other than Swedish (the promise's own texts)."""
    if language not in languages.FAMILIES[languages.RESIDENTS] or language == languages.DEFAULT:
        abort(404)
    return language


@bp.route("/<int:promise_id>/texts/<language>", methods=["GET", "POST"])
@requires(ADMIN)
def texts(promise_id: int, language: str):
    """The commitments' headings and texts in one of the public's other languages."""
    db = get_db()
    promise = _promise_or_404(promise_id)
    language = _other_language_or_404(language)
    commitments = promises_db.list_commitments(db, promise_id)
    own = promises_db.commitment_texts(db, promise_id, language)
    form = PromiseTextsForm(
        data={
            "commitments": [
                {**own.get(c["id"], {"heading": "", "text": ""}), "commitment_id": c["id"]}
                for c in commitments
            ]
        }
    )
    if form.validate_on_submit():
        known = {c["id"] for c in commitments}
        entries = [
            {
                "id": int(entry.commitment_id.data),
                "heading": (entry.heading.data or "").strip(),
                "text": (entry.text.data or "").strip(),
            }
            for entry in form.commitments
            if parse_id(entry.commitment_id.data or "") in known
        ]
        promises.save_texts(db, promise_id, language, entries, current_user()["id"])
        flash(_("Ändringarna är sparade."))
        return redirect(url_for("promises.texts", promise_id=promise_id, language=language))
    return render_template(
        "promises/texts.html",
        promise=promise,
        form=form,
        language=language,
        direction=languages.direction(language),
        swedish={c["id"]: c for c in commitments},
        other_languages=_other_languages(),
    ), (400 if form.is_submitted() else 200)


def _other_languages() -> list[str]:
    return [code for code in languages.FAMILIES[languages.RESIDENTS] if code != languages.DEFAULT]


@bp.post("/<int:promise_id>/commitments")
@requires(ADMIN)
def add_commitment(promise_id: int):
    _promise_or_404(promise_id)
    form = NewCommitmentForm()
    if form.validate_on_submit():
        promises.add_commitment(
            get_db(),
            promise_id,
            (form.heading.data or "").strip(),
            form.text.data.strip(),
            form.target.data,
            form.counting.data,
            current_user()["id"],
        )
        flash(_("Åtagandet är tillagt."))
    else:
        flash(_("Åtagandet lades inte till: fyll i text och mål (ett heltal mellan 1 och 1000)."))
    return redirect(url_for("promises.edit", promise_id=promise_id))


@bp.post("/<int:promise_id>/commitments/<int:commitment_id>/delete")
@requires(ADMIN)
def delete_commitment(promise_id: int, commitment_id: int):
    commitment = promises_db.get_commitment(get_db(), commitment_id)
    if commitment is None or commitment["promise_id"] != promise_id:
        abort(404)
    if promises.delete_commitment(get_db(), commitment_id, current_user()["id"]):
        flash(_("Åtagandet är borttaget."))
    else:
        flash(_("Åtagandet har loggade insatser och kan inte tas bort. Ändra texten i stället."))
    return redirect(url_for("promises.edit", promise_id=promise_id))
