"""Unsubscribing from a kind of mail, from the link every mail carries: a page with one button,
and the one-click POST mail programs send by themselves (RFC 8058, no CSRF token: the signed
token in the path is the authority, and it can only unsubscribe its own reader)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _

from .. import mail, mail_texts
from ..access import PUBLIC, requires
from ..db import get_db
from ..extensions import csrf

bp = Blueprint("mail", __name__)


def _reader_or_404(token: str) -> tuple[int, str]:
    found = mail_texts.read_unsubscribe_token(token)
    if found is None:
        abort(404, _("Länken gäller inte. Kopiera hela länken ur mejlet."))
    return found


@bp.get("/mail/unsubscribe/<token>")
@requires(PUBLIC)
def unsubscribe(token: str):
    _user, kind = _reader_or_404(token)
    return render_template("mail/unsubscribe.html", token=token, kind=kind, done=False)


@bp.post("/mail/unsubscribe/<token>")
@requires(PUBLIC)
def unsubscribe_post(token: str):
    user_id, kind = _reader_or_404(token)
    mail.unsubscribe(get_db(), user_id, kind)
    return render_template("mail/unsubscribe.html", token=token, kind=kind, done=True)


csrf.exempt(unsubscribe_post)
