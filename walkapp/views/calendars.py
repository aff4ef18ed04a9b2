"""The walks as calendars (.ics): the public feed of public walks, the partners' feed of every
walk and its meetings behind a key a coordinator hands out (and renews on the walks page)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from .. import calendars, clock, settings
from ..access import COORDINATOR, PUBLIC, current_user, requires
from ..db import get_db
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
    """The public walks of the last year and ahead, each linking to the public page."""
    walks = walks_db.walks_for_calendar(get_db(), calendars.since(clock.now_utc()), True)
    page = url_for("public.index", _external=True)
    body = calendars.feed(walks, _("Trygghetsvandringar"), _host(), lambda _w: page, False)
    return _ics(body, "trygghetsvandringar")


@bp.get("/walks/partners.ics")
@requires(PUBLIC)
def partners_feed():
    """Every walk with its pre-meeting and follow-up meeting, for the key's holders only."""
    db = get_db()
    if not calendars.is_partners_key(db, request.args.get("key")):
        abort(404)
    walks = walks_db.walks_for_calendar(db, calendars.since(clock.now_utc()), False)
    page = url_for("public.index", _external=True)
    body = calendars.feed(
        walks,
        _("Trygghetsvandringar – partner"),
        _host(),
        lambda walk: page if walk["public"] else None,
        True,
    )
    return _ics(body, "trygghetsvandringar-partner")


@bp.post("/walks/calendar-key")
@requires(COORDINATOR)
def renew_key():
    calendars.renew_partners_key(get_db(), current_user()["id"])
    flash(_("Partnernas kalenderlänk är ny: den gamla fungerar inte längre."))
    return redirect(url_for("walks.index"), 303)
