"""What walkapp's mails say and where their links lead: each mail written from its templates
(templates/mail/<kind>.txt and .html) in the reader's language, and the signed link that
unsubscribes a reader from one kind. The web layer's half of walkapp.mail (templates, url_for
and the app's secret key are Flask's)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from . import languages, mail, settings
from .vocabulary import CATEGORIES, MEASURE_STATUSES

# The staff screens' languages: a partner's person reads Swedish or English.
MAIL_LANGUAGES = ("sv", "en")
# A walker reads the walkers' screens' six languages.
WALKER_LANGUAGES = languages.FAMILIES[languages.RESIDENTS]
# How long a walker's mail's links work: photos are private, so their links expire; an answer
# may come a while after the question.
PHOTO_LINK_DAYS = 60
ANSWER_LINK_DAYS = 90
EXPIRED = "expired"


def compose(kind: str, person: dict, context: dict) -> dict:
    """One mail to person, in their language (Swedish unless they chose English), with links on
    the public address (`PUBLIC_URL`): {subject, body_text, body_html, unsubscribe_url}."""
    if person.get("walker"):
        return _compose_for_walker(kind, person, context)
    language = person.get("language") if person.get("language") in MAIL_LANGUAGES else "sv"
    with _on_public_url(), force_locale(language):
        unsubscribe = unsubscribe_url(person["id"], kind)
        values = {
            **context,
            "person": person,
            "unsubscribe": unsubscribe,
            "language": language,
            "categories": CATEGORIES,
            "statuses": MEASURE_STATUSES,
        }
        return _written(kind, _subject(kind, context), values)


def _written(kind: str, subject: str, values: dict) -> dict:
    """The mail of `kind` from its two templates (inside compose's locale and request)."""
    return {
        "subject": subject,
        "body_text": render_template(f"mail/{kind}.txt", subject=subject, **values),
        "body_html": render_template(f"mail/{kind}.html", subject=subject, **values),
        "unsubscribe_url": values["unsubscribe"],
    }


def _compose_for_walker(kind: str, walker: dict, context: dict) -> dict:
    """A walker's mail, in the language they joined in: their findings with signed links to
    the before and after photos, the answers (a question), the walk's follow-up page and the
    one click that forgets their address."""
    language = walker.get("language") if walker.get("language") in WALKER_LANGUAGES else "sv"
    with _on_public_url(), force_locale(language):
        findings = [_linked(finding) for finding in context["findings"]]
        values = {
            "walker": walker,
            "findings": findings,
            "follow_up": url_for("follow_up.page", code=walker["code"], _external=True),
            "unsubscribe": url_for(
                "mail.stop", stop_token=stop_token(walker["id"]), _external=True
            ),
            "language": language,
            "direction": languages.direction(language),
            "photo_days": PHOTO_LINK_DAYS,
            "categories": CATEGORIES,
            "statuses": MEASURE_STATUSES,
        }
        subject = render_template(f"mail/{kind}_subject.txt", **values).strip()
        return _written(kind, subject, values)


def _linked(finding: dict) -> dict:
    def photo(photo_id: str, thumb: bool) -> str:
        return url_for("mail.photo", photo_token=photo_token(photo_id, thumb), _external=True)

    answers = {
        given: url_for(
            "mail.answer", answer_token=answer_token(finding["event_id"], given), _external=True
        )
        for given in mail.ANSWERS
    }
    return {
        **finding,
        "before": [(photo(i, False), photo(i, True)) for i in finding["photo_ids"]],
        "after": [(photo(i, False), photo(i, True)) for i in finding["after_photo_ids"]],
        "answers": answers,
    }


def _timed(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def photo_token(photo_id: str, thumb: bool = False) -> str:
    return _timed("mail-photo").dumps({"p": photo_id, "t": int(thumb)})


def read_photo_token(token: str) -> tuple[str, bool] | str | None:
    """(photo id, thumbnail?) of a photo link; EXPIRED when it is too old; None when forged."""
    data = _read_timed("mail-photo", token, PHOTO_LINK_DAYS, lambda d: isinstance(d.get("p"), str))
    return data if data in (None, EXPIRED) else (data["p"], bool(data.get("t")))


def answer_token(event_id: int, given: str) -> str:
    """The signed one-click answer to a walker's question: the event (mail_walker_events.id)
    and the answer."""
    return _timed("mail-answer").dumps({"e": event_id, "a": given})


def read_answer_token(token: str) -> tuple[int, str] | str | None:
    """(event, answer) of an answer link; EXPIRED when it is too old; None when forged."""
    data = _read_timed(
        "mail-answer",
        token,
        ANSWER_LINK_DAYS,
        lambda d: isinstance(d.get("e"), int) and d.get("a") in mail.ANSWERS,
    )
    return data if data in (None, EXPIRED) else (data["e"], data["a"])


def _read_timed(salt: str, token: str, days: int, valid: Callable[[dict], bool]):
    """A signed link's payload when it is of its kind (`valid`), EXPIRED, or None (forged)."""
    try:
        data = _timed(salt).loads(token, max_age=int(timedelta(days=days).total_seconds()))
    except SignatureExpired:
        return EXPIRED
    except BadSignature:
        return None
    return data if isinstance(data, dict) and valid(data) else None


def stop_token(walker_id: str) -> str:
    return URLSafeSerializer(current_app.secret_key, salt="mail-stop").dumps({"w": walker_id})


def read_stop_token(token: str) -> str | None:
    """The walker a "no more mail" link is for, or None."""
    try:
        data = URLSafeSerializer(current_app.secret_key, salt="mail-stop").loads(token)
    except BadSignature:
        return None
    return data.get("w") if isinstance(data, dict) and isinstance(data.get("w"), str) else None


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
    if kind == "answered":
        return ngettext(
            "walkapp: %(partner)s har svarat om %(num)d åtgärd från %(walk)s",
            "walkapp: %(partner)s har svarat om %(num)d åtgärder från %(walk)s",
            len(context["measures"]),
            partner=context["partner"]["name"],
            walk=context["walk"]["title"],
        )
    if kind == "digest":
        return ngettext(
            "walkapp: %(partner)s vecka %(week)d – %(num)d åtgärd med sista dag",
            "walkapp: %(partner)s vecka %(week)d – %(num)d åtgärder med sista dag",
            len(context["due"]),
            partner=context["partner"]["name"],
            week=context["week"],
        )
    if kind == "invited":
        return _(
            "walkapp: %(lead)s bjuder in %(invited)s att arrangera %(walk)s tillsammans",
            lead=context["lead"], invited=context["invited"], walk=context["walk"]["title"],
        )
    if kind == "declined":
        return _(
            "walkapp: %(declined)s tackar nej till att arrangera %(walk)s tillsammans",
            declined=context["declined"], walk=context["walk"]["title"],
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
    if (
        not isinstance(data, dict)
        or data.get("k") not in mail.KINDS
        or not isinstance(data.get("u"), int)
    ):
        return None
    return data["u"], data["k"]
