"""Flask extensions, created here and bound in create_app()."""

from flask import has_request_context, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

LANGUAGES = ("sv", "en")

csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def select_locale() -> str:
    if not has_request_context():
        return "sv"  # the CLI
    chosen = request.cookies.get("lang") or session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return "sv"
