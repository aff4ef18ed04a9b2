"""Flask extensions, created here and bound in create_app()."""

from flask import has_request_context, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from . import languages

csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def screen_family() -> str:
    if not has_request_context():
        return languages.STAFF
    return languages.family(request.blueprint, request.endpoint)


def select_locale() -> str:
    """The kept choice (cookie) when this screen speaks it; walkers' and the public's screens
    then follow the phone (Accept-Language); else Swedish."""
    if not has_request_context():
        return languages.DEFAULT  # the CLI
    screens = screen_family()
    chosen = request.cookies.get("lang") or session.get("lang")
    follows_phone = screens == languages.RESIDENTS
    return languages.choose(
        languages.FAMILIES[screens],
        chosen,
        request.accept_languages.best_match if follows_phone else None,
    )
