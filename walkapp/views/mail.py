"""Unsubscribing from a kind of mail, from the link every mail carries: a page with one button,
and the one-click POST mail programs send by themselves (RFC 8058, no CSRF token: the signed
token in the path is the authority, and it can only unsubscribe its own reader). A walker's
mail links here too: their photos, their answer to "Är det åtgärdat?", no more mail."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_from_directory
from flask_babel import gettext as _

from .. import mail, mail_texts
from ..access import PUBLIC, requires
from ..db import get_db
from ..db import photos as photos_db
from ..extensions import csrf
from ..vocabulary import CATEGORIES
from .shared import photo_folder

bp = Blueprint("mail", __name__)


def _reader_or_404(token: str) -> tuple[int, str]:
    return _link_or_refuse(mail_texts.read_unsubscribe_token(token))


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


# --- walkers' mail: photo links, the answer to "Är det åtgärdat?", no more mail -----------------
# Resident screens (walkapp.languages.RESIDENT_ENDPOINTS): they speak the walker's six languages.


def _link_or_refuse(found):
    if found is None:
        abort(404, _("Länken gäller inte. Kopiera hela länken ur mejlet."))
    if found == mail_texts.EXPIRED:
        abort(403, _("Länken har gått ut. Följ vandringen på dess uppföljningssida i stället."))
    return found


@bp.get("/mail/photos/<photo_token>")
@requires(PUBLIC)
def photo(photo_token: str):
    """A photo of a walker's own finding, from their mail: the signed link is the authority (it
    names one photo and expires); no account, no walk token."""
    photo_id, thumb = _link_or_refuse(mail_texts.read_photo_token(photo_token))
    row = photos_db.get_photo(get_db(), photo_id)
    if row is None:
        abort(404, _("Bilden finns inte längre."))
    response = send_from_directory(
        photo_folder(), row["thumb_filename"] if thumb else row["filename"], mimetype="image/jpeg"
    )
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


def _asked_or_404(token: str) -> tuple[dict, str]:
    event_id, given = _link_or_refuse(mail_texts.read_answer_token(token))
    finding = mail.asked(get_db(), event_id)
    if finding is None:
        abort(404, _("Länken gäller inte. Kopiera hela länken ur mejlet."))
    return finding, given


@bp.get("/mail/answer/<answer_token>")
@requires(PUBLIC)
def answer(answer_token: str):
    """The link in the question: the answer it carries, on one button (a mail program's link
    checker opens links by itself, so opening one changes nothing)."""
    finding, given = _asked_or_404(answer_token)
    return render_template("mail/answer.html", token=answer_token, finding=finding, given=given,
                           categories=CATEGORIES, recorded=False)  # fmt: skip


@bp.post("/mail/answer/<answer_token>")
@requires(PUBLIC)
def answer_post(answer_token: str):
    """The walker's answer, once: a second click (either answer) changes nothing."""
    finding, given = _asked_or_404(answer_token)
    finding, recorded = mail.answer(get_db(), finding["event_id"], given)
    return render_template("mail/answer.html", token=answer_token, finding=finding, given=given,
                           categories=CATEGORIES, recorded=recorded)  # fmt: skip


def _walker_or_404(token: str) -> str:
    walker_id = mail_texts.read_stop_token(token)
    if walker_id is None:
        abort(404, _("Länken gäller inte. Kopiera hela länken ur mejlet."))
    return walker_id


@bp.get("/mail/stop/<stop_token>")
@requires(PUBLIC)
def stop(stop_token: str):
    _walker_or_404(stop_token)
    return render_template("mail/stop.html", token=stop_token, done=False)


@bp.post("/mail/stop/<stop_token>")
@requires(PUBLIC)
def stop_post(stop_token: str):
    """One click, also by a mail program on its own (RFC 8058): the walker's address is forgotten."""
    mail.unsubscribe_walker(get_db(), _walker_or_404(stop_token))
    return render_template("mail/stop.html", token=stop_token, done=True)


csrf.exempt(answer_post)
csrf.exempt(stop_post)
