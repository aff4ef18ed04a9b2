"""Partners (ansvariga aktörer): open and overdue measures per partner, the list the admin
keeps, and a partner's person's own screens: their partner's measures and their answers (accept,
plan with a deadline, done with an after photo, or give back with a reason)."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import clock, invitations, mail, measures, organisations, partners, vocabulary
from ..access import ADMIN, COORDINATOR, PARTNER, PUBLIC, current_user, requires, scope
from ..db import get_db
from ..db import invitations as invitations_db
from ..db import measures as measures_db
from ..db import organisations as organisations_db
from ..db import partners as partners_db
from ..forms import InvitationForm, InvitedAccountForm, PartnerAnswerForm, PartnerForm
from ..inputs import seen_version
from ..passwords import hash_password, password_problem
from ..vocabulary import CATEGORIES, MEASURE_STATUSES, PARTNER_KINDS, RATINGS
from .photos import publish_if_asked, send_photo, store_after
from .shared import found_or_404

bp = Blueprint("partners", __name__)


@bp.get("/partners")
@requires(COORDINATOR)
def index():
    db = get_db()
    return render_template(
        "partners/index.html",
        partners=partners_db.partner_counts(db, clock.today().isoformat(), scope()),
        days=measures.median_days_to_fixed(db, scope()),
        mail_on=mail.configured(),
    )


@bp.route("/admin/partners", methods=["GET", "POST"])
@requires(ADMIN)
def admin():
    db = get_db()
    form = PartnerForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        # Case-blind in Python: SQLite's lower() leaves å, ä and ö alone.
        own = partners_db.list_partners(db, active_only=False, organisation_ids=scope())
        taken = {p["name"].casefold() for p in own}
        user = current_user()
        if name.casefold() not in taken and partners.add(
            db, name, form.kind.data, user["id"], organisations.home_of(db, user)
        ):
            flash(_("%(name)s är tillagd.", name=name))
            return redirect(url_for("partners.admin"))
        form.name.errors.append(_("Det finns redan en partner med det namnet."))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "partners/admin.html",
        form=form,
        partners=partners_db.list_partners(db, False, scope()),
        partner_kinds=PARTNER_KINDS,
    ), status


@bp.post("/admin/partners/<int:partner_id>/active")
@requires(ADMIN)
def set_active(partner_id: int):
    db = get_db()
    found_or_404(partners_db.get_partner(db, partner_id))
    partners.set_active(db, partner_id, request.form.get("active") == "1", current_user()["id"])
    return redirect(url_for("partners.admin"), code=303)


# --- a partner's person: their partner's measures, and their answers ------------------------


def _own_or_404(observation_id: str) -> dict:
    """The measure when it is this person's partner's (and of their organisation's walks, when
    an organisation invited them); any other id is a 404, as if it did not exist (another
    partner's measure, one given back, one never assigned)."""
    db = get_db()
    observation = measures_db.get_observation(db, observation_id)
    if observation is None or observation["partner_id"] != current_user()["partner_id"]:
        abort(404)
    seen = _desk_scope()
    if seen is not None and not organisations.sees(
        seen, organisations_db.owners(db, "observation_id", observation_id) or []
    ):
        abort(404)  # a joint walk is each of its organisers' (its co-organisers' too)
    return observation


def _desk_scope() -> frozenset[int] | None:
    return organisations.desk_scope(current_user())


@bp.get("/partner")
@requires(PARTNER)
def desk():
    """What is ours: open measures, the nearest deadline first, then what we fixed lately."""
    db = get_db()
    partner_id = current_user()["partner_id"]
    seen = _desk_scope()
    open_ = measures_db.filtered_observations(
        db, partner_id=partner_id, statuses=vocabulary.OPEN_STATUSES, organisation_ids=seen
    )
    fixed = measures_db.filtered_observations(
        db,
        partner_id=partner_id,
        statuses=vocabulary.FIXED_STATUSES,
        page=(50, 0),
        organisation_ids=seen,
    )
    return render_template(
        "partners/desk.html",
        partner=partners_db.get_partner(db, partner_id),
        open_measures=sorted(open_, key=lambda o: (o["deadline"] or "9999", o["recorded_at"])),
        fixed=fixed,
        today=clock.today().isoformat(),
        categories=CATEGORIES,
        statuses=MEASURE_STATUSES,
    )


# What the page says after each answer.
_DONE_WORDS = {
    "accept": _l("Sparat: ni har tagit emot åtgärden."),
    "plan": _l("Sparat: planerad."),
    "done": _l("Sparat: åtgärdad. Tack!"),
    "decline": _l("Lämnad tillbaka till samordnaren, med ert skäl."),
}


@bp.route("/partner/measures/<observation_id>", methods=["GET", "POST"])
@requires(PARTNER)
def measure(observation_id: str):
    observation = _own_or_404(observation_id)
    db = get_db()
    form = PartnerAnswerForm()
    errors: dict = {}
    if form.is_submitted() and observation["status"] not in vocabulary.OPEN_STATUSES:
        # Fixed, verified or not possible: the page offers nothing to change, nor does a POST.
        errors = {"action": _("Åtgärden är inte öppen längre; samordnaren ändrar den.")}
    elif form.is_submitted():
        action = form.action.data or ""
        if form.validate():
            _made, errors = measures.partner_answer(
                db, observation, action, form.data, current_user()["id"],
                seen_version(form.seen.data),
            )  # fmt: skip
        else:
            errors = {name: messages[0] for name, messages in form.errors.items()}
        if not errors:
            if action == "done" and request.files.get("photo"):
                row, problem, _status = store_after(observation_id, str(uuid.uuid4()))
                if problem:
                    flash(problem)
                else:
                    publish_if_asked(row["id"])
            flash(str(_DONE_WORDS[action]))
            if action == "decline":
                return redirect(url_for("partners.desk"), 303)
            return redirect(url_for("partners.measure", observation_id=observation_id), 303)
        observation = _own_or_404(observation_id)
    form.seen.data = str(measures_db.last_change(db, observation_id))
    history = measures.history_in_words(
        measures_db.history(db, observation_id),
        {p["id"]: p["name"] for p in partners_db.list_partners(db, active_only=False)},
        MEASURE_STATUSES,
        {},
        CATEGORIES,
    )
    page = render_template(
        "partners/measure.html",
        observation=observation,
        form=form,
        history=history,
        errors={key: str(value) for key, value in errors.items()},
        deadline_bounds=[d.isoformat() for d in clock.deadline_bounds(clock.today())],
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    )
    return page, (400 if errors else 200)


@bp.get("/partner/measures/<observation_id>/photos/<photo_id>.jpg", defaults={"thumb": False})
@bp.get("/partner/measures/<observation_id>/photos/<photo_id>/thumb.jpg", defaults={"thumb": True})
@requires(PARTNER)
def photo(observation_id: str, photo_id: str, thumb: bool):
    """A photo of one of our measures (before or after), never another's."""
    _own_or_404(observation_id)
    return send_photo(observation_id, photo_id, thumb)


# --- inviting a partner's new person -----------------------------------------------------------


@bp.route("/partners/<int:partner_id>/invite", methods=["GET", "POST"])
@requires(COORDINATOR)
def invite(partner_id: int):
    """A coordinator makes an invitation link for a partner's new person (shown once)."""
    db = get_db()
    partner = partners_db.get_partner(db, partner_id) or abort(404)
    form = InvitationForm()
    link = None
    if form.validate_on_submit():
        email = (form.email.data or "").strip()
        if email and not mail.is_address(email):
            form.email.errors.append(_("Skriv en e-postadress, eller lämna fältet tomt."))
        else:
            inviter = current_user()
            token = invitations.invite(
                db, partner_id, email, inviter["id"], organisations.home_of(db, inviter)
            )
            link = url_for("partners.join_as_partner", invitation=token, _external=True)
    pending = invitations_db.open_for_partner(db, partner_id, clock.stamp())
    status = 400 if form.errors else 200
    return render_template(
        "partners/invite.html", partner=partner, form=form, link=link, pending=pending
    ), status


@bp.route("/invite/<invitation>", methods=["GET", "POST"])
@requires(PUBLIC)
def join_as_partner(invitation: str):
    """The invited person chooses a name and a password: an account of their partner."""
    db = get_db()
    found, problem = invitations.usable(db, invitation)
    if problem:
        return render_template("error.html", status=410, message=problem), 410
    form = InvitedAccountForm()
    if form.validate_on_submit():
        name = form.username.data.strip()
        if why := password_problem(form.new_password.data, name):
            form.new_password.errors.append(why)
        else:
            made, why = invitations.accept(db, invitation, name, hash_password(form.new_password.data))
            if made:
                flash(_("Kontot är skapat. Logga in med ditt användarnamn och lösenord."))
                return redirect(url_for("auth.login"), 303)
            form.username.errors.append(why)
    status = 400 if request.method == "POST" else 200
    return render_template("partners/join.html", form=form, invitation=found), status
