"""Error pages in Swedish (HTML) and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..access import wants_json
from ..bodies import too_large_message
from .shared import open311_error


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
    }


def _render(status: int, message: str):
    if request.path.startswith("/open311/"):
        return open311_error(status, message)
    if wants_json():
        return jsonify({"error": message}), status
    return render_template("error.html", status=status, message=message), status


def register(app: Flask) -> None:
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
        response = make_response(_render(status, message))
        # Keep what the exception itself says in headers (Allow, Retry-After, ...).
        for key, value in error.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        return response
