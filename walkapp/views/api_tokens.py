"""Coordinators' read-only API tokens for tools such as QGIS: made (shown once), listed, revoked."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import api_tokens
from ..access import COORDINATOR, current_user, requires
from ..db import api_tokens as api_tokens_db
from ..db import exports as exports_db
from ..db import get_db
from ..db import places as places_db
from ..db import walks as walks_db
from ..exports.filters import BadFilter, parse_filters, query_string, unknown_ids
from ..forms import TokenForm
from ..vocabulary import (
    CATEGORIES,
    MEASURE_STATUSES,
    RATINGS,
)

bp = Blueprint("api_tokens", __name__)


@bp.route("/tokens", methods=["GET", "POST"])
@requires(COORDINATOR)
def index():
    db = get_db()
    user = current_user()
    form = TokenForm()
    created, query, filter_errors = None, "", {}
    chosen = request.form if request.method == "POST" else None
    if form.validate_on_submit():
        filter_errors = _filter_errors(request.form)
        if not filter_errors:
            _token_id, created = api_tokens.create(db, user["id"], form.label.data or "")
            # The QGIS URL shown with the new token keeps the chosen filters; the form starts over.
            query, chosen = query_string(request.form), None
            form.label.data = ""
    status = 400 if request.method == "POST" and created is None else 200
    listed = api_tokens_db.list_tokens(db, None if user["role"] == "admin" else user["id"])
    return render_template(
        "api_tokens/index.html",
        form=form,
        created=created,
        query=query,
        chosen=chosen,
        filter_errors=filter_errors,
        tokens=listed,
        base=request.host_url.rstrip("/"),
        places=places_db.list_places(db),
        walks=walks_db.list_walks(db),
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    ), status


def _filter_errors(form) -> dict:
    """The chosen filters checked as the export will check them (unknown ids included)."""
    try:
        filters = parse_filters(form)
    except BadFilter as bad:
        return {name: str(message) for name, message in bad.errors.items()}
    known = exports_db.known_ids(get_db(), filters.places, filters.walks)
    return {name: str(message) for name, message in unknown_ids(filters, *known).items()}


@bp.post("/tokens/<int:token_id>/revoke")
@requires(COORDINATOR)
def revoke(token_id: int):
    user = current_user()
    if api_tokens.revoke(get_db(), token_id, user["id"], user["role"] == "admin"):
        flash(_("Nyckeln är spärrad."))
    else:
        flash(_("Nyckeln fanns inte eller var redan spärrad."))
    return redirect(url_for("api_tokens.index"), code=303)
