"""Error pages in Swedish (HTML) and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..access import wants_json
from ..bodies import too_large_message
from ..db import health as health_db
from ..health import DiskFull
from .shared import open311_error

DISK_FULL = 507  # Insufficient Storage


def _messages() -> dict[int, str]:
    return {
        400: _("Begäran kunde inte förstås."),
        401: _("Logga in för att fortsätta."),
        403: _("Du saknar behörighet för den här sidan."),
        404: _("Sidan finns inte."),
        405: _("Det går inte att göra så här."),
        413: too_large_message(),
        429: _("För många försök. Vänta en stund och försök igen."),
        500: _("Något gick fel hos oss. Försök igen om en stund."),
        DISK_FULL: _(
            "Servern har för lite lagringsutrymme kvar och kan inte spara något just nu. "
            "Inget av det du skickade är sparat. Försök igen senare."
        ),
    }


def _disk_full_api_message() -> str:
    # The phone keeps what a 5xx refused in its outbox (static/js/sync.js) and sends it again.
    return _(
        "Servern har för lite lagringsutrymme kvar och kan inte spara just nu. "
        "Telefonen behåller det du skickade och försöker igen senare."
    )


def _render(status: int, message: str, errors: dict | None = None):
    if request.path.startswith("/open311/"):
        return open311_error(status, message)
    if wants_json():
        if status == DISK_FULL:
            return jsonify({"error": _disk_full_api_message(), "retry": True}), status
        if errors:
            return jsonify({"error": message, "errors": errors}), status
        return jsonify({"error": message}), status
    return render_template(
        "error.html", status=status, message=message, errors=errors or {}
    ), status


def _disk_full(error: Exception):
    current_app.logger.error("write refused, the disk is (nearly) full: %s", error)
    return _render(DISK_FULL, _messages()[DISK_FULL])


def register(app: Flask) -> None:
    app.register_error_handler(DiskFull, _disk_full)

    def storage_error(error: Exception):
        """SQLite's "database or disk is full" or a photo file's ENOSPC is a 507, not a 500;
        any other error takes Flask's usual way (logged, a 500)."""
        if health_db.disk_full(error):
            return _disk_full(error)
        raise error

    for error_class in health_db.WRITE_ERRORS:
        app.register_error_handler(error_class, storage_error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400,
            _(
                "Formuläret har gått ut eller saknar säkerhetstoken. Ladda om sidan och försök igen."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:
            return error.response
        status = error.code or 500
        message = _messages().get(status) or error.name
        # A rate limit's own description is its rule ("10 per 1 minute"), not a sentence,
        # unless the limit brings its own message (walkapp/rate_limits.py).
        own_message = getattr(getattr(error, "limit", None), "error_message", None)
        if status == 429 and own_message:
            message = error.description
        elif status != 429 and error.description and error.description != type(error).description:
            message = error.description
        # A field that could not be read (walkapp.bodies.UnreadableForm) is named.
        response = make_response(_render(status, message, getattr(error, "errors", None)))
        # Keep what the exception itself says in headers (Allow, Retry-After, ...).
        for key, value in error.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        return response
