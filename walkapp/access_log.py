"""gunicorn's access log without secrets: API tokens (`?token=wk_…`, `Bearer …`), walker
tokens and cookies never reach the log, whatever the log format (`walkapp serve` and
deploy/walkapp.service use this logger class). No Flask."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
_SECRET_KEYS = frozenset(("token", "access_token", "api_key", "key"))
# A query's key=value pair; the key compared once percent-decoded (`?%74oken=` is `?token=`).
_QUERY_PAIR = re.compile(r"([?&;])([^=&;\s\"?]{1,64})=([^&;\s\"]*)")
_API_TOKEN = re.compile(r"wk_[A-Za-z0-9_\-]+")
# itsdangerous' URL-safe serializer: base64url JSON ({"walk"… starts "eyJ"), a dot, a signature.
# Possessive, and starting only where a run of such characters starts: each run is read once,
# so a 700 KB header block of "eyJeyJ…" costs milliseconds, not minutes.
_SIGNED = re.compile(r"(?<![A-Za-z0-9_\-])\.?eyJ[A-Za-z0-9_\-]++\.[A-Za-z0-9_\-]{16,}")
_BEARER = re.compile(r"(?i)(bearer\s+)\S+")
# Header and environ atoms that are secrets as a whole.
_SECRET_NAMES = ("authorization", "cookie", "x-csrftoken", "x-api-key")


def _redact_pair(match: re.Match) -> str:
    if unquote_plus(match.group(2)).casefold() in _SECRET_KEYS:
        return f"{match.group(1)}{match.group(2)}={REDACTED}"
    return match.group(0)


def redact(text: str) -> str:
    """`text` with every token-like value replaced by [redacted]."""
    text = _QUERY_PAIR.sub(_redact_pair, text)
    text = _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
    text = _API_TOKEN.sub(REDACTED, text)
    return _SIGNED.sub(REDACTED, text)


def redact_atoms(atoms: dict) -> dict:
    safe = {}
    for key, value in atoms.items():
        if any(name in key.lower() for name in _SECRET_NAMES):
            safe[key] = REDACTED if value not in (None, "-", "") else value
        elif isinstance(value, str):
            safe[key] = redact(value)
        else:
            safe[key] = value
    return safe


class RedactingLogger(Logger):
    """gunicorn's logger, with the access log's atoms passed through redact()."""

    def atoms(self, resp, req, environ, request_time):
        return redact_atoms(super().atoms(resp, req, environ, request_time))
