"""The walks as calendars (.ics): the public feeds of public walks (all organisations', and one
organisation's at /o/<slug>/walks.ics), and an organisation's partners' feed of every walk and
its meetings behind a key its coordinators hand out (and renew on the walks page)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from .. import calendars, clock, organisations, settings
from ..access import COORDINATOR, PUBLIC, current_user, requires
from ..db import get_db
from ..db import organisations as organisations_db
from ..db import walks as walks_db

bp = Blueprint("calendars", __name__)
ICS = "text/calendar"


def _ics(body: bytes, name: str) -> Response:
    response = Response(body, mimetype=ICS)
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


def _host() -> str:
    return (settings.current().public_url or request.host_url).split("//", 1)[-1].strip("/")


@bp.get("/walks.ics")
@requires(PUBLIC)
def public_feed():
    """Every organisation's public walks of the last year and ahead, each linking to its
    organisation's public page."""
    db = get_db()
    walks = walks_db.walks_for_calendar(db, calendars.since(clock.now_utc()), True)
    homes = _homes(db)
    body = calendars.feed(
        walks, _("Trygghetsvandringar"), _host(), lambda w: homes.get(w["organisation_id"]), False
    )
    return _ics(body, "trygghetsvandringar")


@bp.get("/o/<slug>/walks.ics")
@requires(PUBLIC)
def organisation_feed(slug: str):
    """One organisation's public walks."""
    db = get_db()
    organisation = organisations_db.get_by_slug(db, slug) or abort(404)
    since = calendars.since(clock.now_utc())
    walks = walks_db.walks_for_calendar(db, since, True, organisation["id"])
    home = _homes(db).get(organisation["id"])
    body = calendars.feed(walks, organisation["name"], _host(), lambda _w: home, False)
    return _ics(body, f"trygghetsvandringar-{slug}")


@bp.get("/walks/partners.ics")
@requires(PUBLIC)
def partners_feed():
    """Every walk of the key's organisation with its pre-meeting and follow-up meeting, for the
    key's holders only (another organisation's key shows that one's, never two)."""
    db = get_db()
    organisations = organisations_db.list_organisations(db)
    found = calendars.organisation_of_key(
        db, [o["id"] for o in organisations], request.args.get("key")
    )
    if found is None:
        abort(404)
    organisation = next(o for o in organisations if o["id"] == found)
    walks = walks_db.walks_for_calendar(db, calendars.since(clock.now_utc()), False, found)
    home = _homes(db).get(found)
    body = calendars.feed(
        walks,
        _("%(organisation)s – partner", organisation=organisation["name"]),
        _host(),
        lambda walk: home if walk["public"] else None,
        True,
    )
    return _ics(body, "trygghetsvandringar-partner")


@bp.post("/walks/calendar-key")
@requires(COORDINATOR)
def renew_key():
    db = get_db()
    user = current_user()
    organisation_id = organisations.home_of(db, user)
    if user["role"] not in ("coordinator", "admin") or organisation_id is None:
        abort(403)
    calendars.renew_partners_key(db, organisation_id, user["id"])
    flash(_("Partnernas kalenderlänk är ny: den gamla fungerar inte längre."))
    return redirect(url_for("walks.index"), 303)


def _homes(db) -> dict[int, str]:
    """Each organisation's public page, as an absolute address."""
    first = organisations_db.first(db)
    return {
        o["id"]: url_for("public.index", _external=True)
        if first and o["id"] == first["id"]
        else url_for("public.organisation_index", slug=o["slug"], _external=True)
        for o in organisations_db.list_organisations(db)
    }
