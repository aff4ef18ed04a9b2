"""Every rate limit in one place: its number, what it counts and whose it is.

Limits count in Flask-Limiter's storage (`WALKAPP_RATELIMIT_STORAGE_URI`): `memory://` is exact
for the embedded default of one gunicorn worker with threads; with several workers it must be a
shared store (Redis), or each worker counts alone. When the shared store is down, each worker
counts in its own memory until it answers again (`storage_config`): never a 500. Every refusal is
a 429 with Retry-After and a Swedish message (views/errors.py).
"""

from __future__ import annotations

import ipaddress
import json
import logging

from flask import g, request
from flask.logging import default_handler
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from . import health, settings
from .access import bearer_token, read_walker_token
from .db import get_db
from .db.walks import get_walk_by_code, normalise_code
from .extensions import limiter

# Sign-in: only failures count, per user name (a guessed account) and, more generously, per
# address (one school or office network holds many people, and one of them may mistype).
SIGN_IN_FAILURES_PER_NAME = "10 per minute"
SIGN_IN_FAILURES_PER_ADDRESS = "50 per minute"
# Wrong join codes per address; right codes neither count nor are ever refused by it (a class
# joins at once, and one mistyping pupil must not lock a whole school network out).
JOIN_WRONG_CODES_PER_ADDRESS = "20 per 10 minutes"
# Wrong codes from everywhere together: a guess names no walk, so every walk's code is guessed
# at once; this bounds guessing from many addresses. Right codes still always pass.
JOIN_WRONG_CODES_PER_INSTANCE = "300 per 10 minutes"
# One IPv6 subscriber holds a whole /64: counting single addresses there would count nothing.
IPV6_PREFIX = 64

# Bodies refused per address on the walkers' API: too large (413), not JSON or not an object,
# nested too deep, text that cannot be stored, photos that cannot be taken. A phone sends none;
# a school network of thirty phones stays far below, a script sending junk does not.
BAD_BODIES_PER_ADDRESS = "60 per 10 minutes"


def storage_config(uri: str) -> dict:
    """Flask-Limiter's storage keys. A shared store that is down (or does not answer within
    `health.STORE_TIMEOUT_S`) fails in a stated direction: Flask-Limiter logs "Rate limit storage
    unreachable - falling back to in-memory storage", each worker counts the same limits in its
    own memory, asks the store again now and then and goes back to it once it answers;
    /healthz says `degraded`. An error it does not fall back from is logged, not a 500."""
    return {
        "RATELIMIT_STORAGE_URI": uri,
        "RATELIMIT_STORAGE_OPTIONS": health.store_options(uri),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
    }


# Flask-Limiter's warning, once a worker finds the store dead (not again until it recovers)...
STORE_DOWN = "falling back to in-memory storage"
# ... followed in the log by the direction we fail in.
STORE_DOWN_LOG = (
    "each worker now counts its rate limits alone, in its own memory, until the shared store "
    "answers again (with N workers a limit lets up to N times as much through)"
)


def _store_changes(record: logging.LogRecord) -> bool:
    if STORE_DOWN in str(record.msg) and STORE_DOWN_LOG not in str(record.msg):
        record.msg = f"{record.msg}: {STORE_DOWN_LOG}"
    # Its other INFO lines name each refused key (an address, a user name): not for the log.
    return record.levelno >= logging.WARNING or "storage recovered" in record.getMessage()


def log_store_changes() -> None:
    """Flask-Limiter's logger has only a NullHandler: its warnings (the store unreachable, said
    with the direction we fail in) and "Rate limit storage recovered" go to the app's log,
    gunicorn's error log, not nowhere."""
    logger = logging.getLogger("flask-limiter")
    logger.setLevel(logging.INFO)
    if default_handler not in logger.handlers:
        logger.addHandler(default_handler)
        logger.addFilter(_store_changes)


def address() -> str:
    """Whose count: the IPv4 address, or the /64 network of an IPv6 address."""
    raw = request.remote_addr or "-"
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        return "ip:" + raw[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return "ip:" + str(ip.ipv4_mapped)
        return "ip6:" + str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return "ip:" + str(ip)


def instance() -> str:
    return "instance"


def sign_in_name() -> str:
    # Case-folded so Admin and admin share one count.
    return "user:" + (request.form.get("username") or "").strip().casefold()[:80]


def _joined_walk_id() -> str | None:
    """The walk a join names, by its code (from the URL, or the API's JSON body)."""
    if "joined_walk_id" not in g:
        code = (request.view_args or {}).get("code")
        if code is None:
            try:
                body = json.loads(request.get_data(cache=True) or b"null")
            except (ValueError, RecursionError, RequestEntityTooLarge):
                body = None
            code = body.get("code") if isinstance(body, dict) else None
        code = normalise_code(code) if isinstance(code, str) else ""
        # Only what could be a code reaches the database (no surrogates, no megabytes).
        plausible = code.isascii() and code.isalnum() and len(code) <= 12
        walk = get_walk_by_code(get_db(), code) if plausible else None
        g.joined_walk_id = walk["id"] if walk else None
    return g.joined_walk_id


def joined_walk() -> str:
    return "walk:" + (_joined_walk_id() or "-")


def _no_such_walk() -> bool:
    # Unknown codes are wrong guesses, counted per address; they fill no walk's count.
    return _joined_walk_id() is None


def _right_code() -> bool:
    return _joined_walk_id() is not None


def walker_or_address() -> str:
    """Per walker token where there is one, else per address."""
    data = read_walker_token(bearer_token())
    if data:
        return "walker:" + data["walker"]
    return address()


def joins_per_walk() -> str:
    return f"{settings.current().joins_per_walk_per_minute} per minute"


def walker_writes() -> str:
    return f"{settings.current().walker_writes_per_minute} per minute"


def _wrong_password(response) -> bool:
    return response.status_code == 400


def _wrong_code(response) -> bool:
    # An unknown code; not a refusal by another limit (429), which is no guess.
    return response.status_code == 404


def mark_bad_body() -> None:
    """This request's body is one the route cannot take: it counts as a bad body."""
    g.bad_body = True


def _bad_body(response) -> bool:
    return response.status_code == 413 or bool(g.get("bad_body"))


def _sign_in_message() -> str:
    return _("För många misslyckade inloggningar. Vänta en minut och försök igen.")


def _join_message() -> str:
    return _("Många går med i vandringen just nu. Vänta en minut och försök igen.")


def _bad_body_message() -> str:
    return _("För många felaktiga förfrågningar från din adress. Vänta en stund och försök igen.")


def _wrong_code_message() -> str:
    return _("För många felaktiga koder. Vänta en stund och försök igen.")


def sign_in(view):
    """Failed sign-ins, per user name and per address."""
    for limit, key in (
        (SIGN_IN_FAILURES_PER_NAME, sign_in_name),
        (SIGN_IN_FAILURES_PER_ADDRESS, address),
    ):
        view = limiter.limit(
            limit,
            key_func=key,
            methods=["POST"],
            deduct_when=_wrong_password,
            error_message=_sign_in_message,
        )(view)
    return view


def join(view):
    """Wrong codes per address and in all; every new walker per walk (counted before the join,
    so exact). A right code is exempt from the wrong-code counts: it always passes them."""
    for limit, scope, key in (
        (JOIN_WRONG_CODES_PER_ADDRESS, "join", address),
        (JOIN_WRONG_CODES_PER_INSTANCE, "join-all", instance),
    ):
        view = limiter.shared_limit(
            limit,
            scope=scope,
            key_func=key,
            deduct_when=_wrong_code,
            exempt_when=_right_code,
            error_message=_wrong_code_message,
        )(view)
    return limiter.shared_limit(
        joins_per_walk,
        scope="join-walk",
        key_func=joined_walk,
        methods=["POST"],
        exempt_when=_no_such_walk,
        error_message=_join_message,
    )(view)


def walker_write(view):
    """Observation and photo posts per walker token."""
    return limiter.limit(walker_writes, key_func=walker_or_address)(view)


def bad_bodies(view):
    """Refused bodies per address (walkapp/bodies.py declares the sizes)."""
    return limiter.shared_limit(
        BAD_BODIES_PER_ADDRESS,
        scope="bad-bodies",
        key_func=address,
        deduct_when=_bad_body,
        error_message=_bad_body_message,
    )(view)
