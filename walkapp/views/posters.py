"""The walk's poster: printed by a coordinator and hung at the meeting point, read by passers-by.

It speaks the language chosen with its switch (six, like the walker's screens) and invites in all
six languages at once, each in its own script and direction, beside a large QR code.
"""

from __future__ import annotations

import segno
from flask import Blueprint, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .. import languages, public
from ..access import COORDINATOR, requires
from ..db import get_db
from ..db import walks as walks_db
from .shared import found_or_404
from .walks import join_url

bp = Blueprint("posters", __name__)


def invitations() -> list[dict]:
    """One line of invitation per language, each in that language."""
    lines = []
    for code, name in languages.NAMES.items():
        with force_locale(code):
            text = _("Skanna koden med mobilen och gå med. Du behöver inget konto.")
        lines.append({"code": code, "dir": languages.direction(code), "name": name, "text": text})
    return lines


@bp.get("/walks/<walk_id>/poster")
@requires(COORDINATOR)
def walk_poster(walk_id: str):
    walk = found_or_404(walks_db.get_walk(get_db(), walk_id))
    url = join_url(walk)
    qr = segno.make(url, error="m")
    return render_template(
        "posters/walk.html",
        walk=walk,
        join_url=url,
        when=public.day_and_time(walk["starts_at"]),
        # segno writes the SVG from the URL alone: no user text in it.
        qr_svg=Markup(qr.svg_inline(border=2, omitsize=True, title=_("QR-kod för att gå med"))),
        invitations=invitations(),
    )
