"""What walkapp's mails say and where their links lead: each mail written from its templates
(templates/mail/<kind>.txt and .html) in the reader's language, and the signed link that
unsubscribes a reader from one kind. The web layer's half of walkapp.mail (templates, url_for
and the app's secret key are Flask's)."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from . import mail, settings
from .vocabulary import CATEGORIES

# The staff screens' languages: a partner's person reads Swedish or English.
MAIL_LANGUAGES = ("sv", "en")


def compose(kind: str, person: dict, context: dict) -> dict:
    """One mail to person, in their language (Swedish unless they chose English), with links on
    the public address (`PUBLIC_URL`): {subject, body_text, body_html, unsubscribe_url}."""
    language = person.get("language") if person.get("language") in MAIL_LANGUAGES else "sv"
    with _on_public_url(), force_locale(language):
        unsubscribe = unsubscribe_url(person["id"], kind)
        values = {
            **context,
            "person": person,
            "unsubscribe": unsubscribe,
            "language": language,
            "categories": CATEGORIES,
        }
        subject = _subject(kind, context)
        text = render_template(f"mail/{kind}.txt", subject=subject, **values)
        html = render_template(f"mail/{kind}.html", subject=subject, **values)
    return {"subject": subject, "body_text": text, "body_html": html, "unsubscribe_url": unsubscribe}


def _subject(kind: str, context: dict) -> str:
    if kind == "assigned":
        return ngettext(
            "walkapp: %(num)d åtgärd till %(partner)s från %(walk)s",
            "walkapp: %(num)d åtgärder till %(partner)s från %(walk)s",
            len(context["measures"]),
            partner=context["partner"]["name"],
            walk=context["walk"]["title"],
        )
    if kind == "reopened":
        return _("walkapp: åtgärdat öppnades igen – %(walk)s", walk=context["walk"]["title"])
    if kind == "digest":
        return ngettext(
            "walkapp: %(partner)s vecka %(week)d – %(num)d åtgärd med sista dag",
            "walkapp: %(partner)s vecka %(week)d – %(num)d åtgärder med sista dag",
            len(context["due"]),
            partner=context["partner"]["name"],
            week=context["week"],
        )
    return _("walkapp: försenade åtgärder vecka %(week)d", week=context["week"])


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="mail-unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps({"u": user_id, "k": kind})


def unsubscribe_url(user_id: int, kind: str) -> str:
    with _on_public_url():
        return url_for("mail.unsubscribe", token=unsubscribe_token(user_id, kind), _external=True)


def _on_public_url():
    """A request context on the public address, so url_for(_external=True) makes the links a
    reader opens (the worker runs outside any request)."""
    base = settings.current().public_url or f"http://localhost:{settings.SERVE_PORT}"
    return current_app.test_request_context("/", base_url=base)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in mail.KINDS or not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]
