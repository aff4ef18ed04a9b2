"""Coordinators' read-only API tokens for tools such as QGIS: made (shown once), listed, revoked."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import api_tokens
from ..access import COORDINATOR, current_user, requires, scope
from ..db import api_tokens as api_tokens_db
from ..db import exports as exports_db
from ..db import get_db
from ..db import organisations as organisations_db
from ..db import places as places_db
from ..db import walks as walks_db
from ..exports.filters import filter_errors as filter_errors_of
from ..exports.filters import query_string
from ..forms import TokenForm
from ..vocabulary import CATEGORIES, MEASURE_STATUSES, RATINGS

bp = Blueprint("api_tokens", __name__)


# Where the new token waits between the POST that makes it and the page that shows it once.
NEW_TOKEN = "new_api_token"


# How many of the latest walks the token form offers as a filter.
FORM_WALKS = 300


@bp.route("/tokens", methods=["GET", "POST"])
@requires(COORDINATOR)
def index():
    db = get_db()
    user = current_user()
    form = TokenForm()
    filter_errors = {}
    if form.validate_on_submit():
        filter_errors = filter_errors_of(
            request.form, lambda places, walks: exports_db.known_ids(db, places, walks, scope())
        )
        if not filter_errors:
            query = query_string(request.form)
            _token_id, token = api_tokens.create(
                db, user["id"], form.label.data or "", filters=query
            )
            # POST, redirect, GET: a reload of the page shows the list, it makes no second token.
            session[NEW_TOKEN] = {"token": token, "query": query}
            return redirect(url_for("api_tokens.index"), code=303)
    # Shown once: taken out of the session by the page that shows it.
    created = session.pop(NEW_TOKEN, None) if request.method == "GET" else None
    status = 400 if request.method == "POST" else 200
    mine = None if user["role"] == "admin" else user["id"]
    listed = api_tokens_db.list_tokens(db, mine, scope())
    places = places_db.list_places(db, active_only=False, organisation_ids=scope())
    # The form offers the latest walks (an instance of 20 000 walks listed them all: 3 s);
    # a token's own walks are named whatever their age.
    walks = walks_db.list_walks(db, scope(), FORM_WALKS)
    named = {w["id"]: w["title"] for w in walks}
    named.update(
        walks_db.walk_titles(
            db, [w for t in listed for w in MultiDict(parse_qsl(t["filters"])).getlist("walk")]
        )
    )
    return render_template(
        "api_tokens/index.html",
        form=form,
        created=created,
        chosen=request.form if request.method == "POST" else None,
        filter_errors=filter_errors,
        tokens=[{**t, "reads": _in_words(t["filters"], places, named)} for t in listed],
        base=request.host_url.rstrip("/"),
        places=_by_organisation([p for p in places if p["active"]], organisations_db.names(db)),
        walks=walks,
        walks_cut=len(walks) == FORM_WALKS,
        categories=CATEGORIES,
        ratings=RATINGS,
        statuses=MEASURE_STATUSES,
    ), status


def _by_organisation(places: list[dict], names: dict[int, str]) -> list[tuple[str, list]]:
    """The form's places grouped by their organisation, in the order of its name (an instance's
    admin picks among 2 000 places of 100 organisations)."""
    groups: dict[int, list] = {}
    for place in places:
        groups.setdefault(place["organisation_id"], []).append(place)
    order = sorted(groups, key=lambda owner: (names.get(owner, ""), owner))
    return [(names.get(owner, ""), groups[owner]) for owner in order]


def _in_words(query: str, places: list[dict], walks: dict[str, str]) -> list[str]:
    """A token's filters as a coordinator reads them ("Platser: Plattan"); empty: everything."""
    chosen = MultiDict(parse_qsl(query))
    names = {
        "place": {str(p["id"]): p["name"] for p in places},
        "walk": walks,
        "category": CATEGORIES,
        "rating": RATINGS,
        "status": {"open": _("Öppna"), "closed": _("Avslutade"), **MEASURE_STATUSES},
    }
    headings = {
        "place": _("Platser"),
        "walk": _("Vandringar"),
        "category": _("Kategorier"),
        "rating": _("Bedömning"),
        "status": _("Status"),
    }
    words = []
    if chosen.get("from"):
        words.append(_("Från %(day)s", day=chosen["from"]))
    if chosen.get("to"):
        words.append(_("Till och med %(day)s", day=chosen["to"]))
    for name, heading in headings.items():
        values = chosen.getlist(name)
        if values:
            labels = ", ".join(str(names[name].get(v, v)) for v in values)
            words.append(f"{heading}: {labels}")
    return words


@bp.post("/tokens/<int:token_id>/revoke")
@requires(COORDINATOR)
def revoke(token_id: int):
    user = current_user()
    if api_tokens.revoke(get_db(), token_id, user["id"], user["role"] == "admin"):
        flash(_("Nyckeln är spärrad."))
    else:
        flash(_("Nyckeln fanns inte eller var redan spärrad."))
    return redirect(url_for("api_tokens.index"), code=303)
