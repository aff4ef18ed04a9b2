"""What arrives from outside before any rule looks at it: JSON bodies of bounded nesting and
valid Unicode, integer ids that fit SQLite, the phone's UUIDs, numbers within bounds and instants
with an offset; the field errors (`Invalid`) and the taken-id refusal (`Conflict`) every walker
write answers with. No Flask.

Without these, `"[" * 100000` (RecursionError), a lone surrogate `"\\ud83d"` (UnicodeEncodeError
when SQLite stores it) and `99999999999999999999` (OverflowError on binding) were 500s.
"""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_plus

from flask_babel import lazy_gettext as _l

# SQLite's INTEGER is a signed 64-bit number; an id beyond it names nothing.
MAX_ID = 2**63 - 1
# No request of ours nests deeper than a GeoJSON MultiPolygon (5) inside a feature collection.
MAX_DEPTH = 12
# A phone clock a little ahead is normal; a day ahead is a broken clock or junk.
CLOCK_SKEW = timedelta(hours=1)
# The phone says what its clock reads with every write (header X-Phone-Time). Clocks this far
# apart are still two clocks, one of them wrong, not junk: the later one is trusted for "now".
MAX_CLOCK_DISAGREEMENT = timedelta(days=2)
# Apart by more than this, the phone tells its walker the clocks disagree.
NOTICEABLE_SKEW = timedelta(minutes=2)


# The two refusals of an id a walker's phone made (shown for the `id` field).
TAKEN_BY_ANOTHER_WALK = _l("Det id:t används redan av en annan vandring.")
STORED_WITH_ANOTHER_BODY = _l(
    "Det id:t är redan sparat med annat innehåll. Spara det nya med ett nytt id."
)


class Invalid(Exception):
    """Field-level errors: {field: message}."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class Refused(Exception):
    """A walker's write the word module refuses after its body was read: `status` (404 for what
    the walk does not hold, 409 when it cannot be done now) with `message` for `field`."""

    def __init__(self, message, status: int = 409, field: str = "id"):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.field = field


class Conflict(Refused):
    """The id is taken: by another walk's (or observation's) record, or stored with another body
    (a retry repeats the body exactly). `message` says which, for the `id` field; it never shows
    what is stored."""

    def __init__(self, message):
        super().__init__(message)


class Unreadable(ValueError):
    """The body is not JSON we can read; `field` names where, when we know."""

    def __init__(self, message, field: str = "_"):
        super().__init__(field)  # the message stays lazy: it is rendered in the caller's language
        self.message = message
        self.field = field


class NotJson(Unreadable):
    """Not JSON at all: the caller answers with its own message; `detail` is the parser's."""

    def __init__(self, message, detail: str):
        super().__init__(message)
        self.detail = detail


def parse_id(raw) -> int | None:
    """A positive id that SQLite can hold, from text of ASCII digits only ("²".isdigit() is True)."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def parse_version(raw) -> int | None:
    """A count a form carries back (0 or more, ASCII digits only); None when it is not one."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


def seen_version(raw: str | None) -> int | None:
    """The history row a posted form was opened at (its `seen`): None when it says nothing (a
    form of an earlier version: no check), -1 (matches nothing, so nothing is stored) when it
    is not a count."""
    if not raw:
        return None
    seen = parse_version(raw)
    return -1 if seen is None else seen


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_value(value, field: str = "_") -> None:
    """Refuse nesting deeper than MAX_DEPTH and text that cannot be stored (lone surrogates),
    naming the top-level field. Iterative, so it cannot recurse."""
    stack = [(value, field, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, str):
            if _has_surrogate(item):
                raise not_text(where)
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= MAX_DEPTH:
            raise Unreadable(_l("Innehållet är för djupt nästlat."), where)
        if isinstance(item, list):
            stack.extend((inner, where, depth + 1) for inner in item)
            continue
        for key, inner in item.items():
            if _has_surrogate(key):
                raise not_text(where)
            stack.append((inner, key if depth == 0 and where == "_" else where, depth + 1))


# What a form field, a query value or a JSON string that is not text is answered with.
NOT_TEXT = _l("Texten innehåller ogiltiga tecken.")


def not_text(field: str = "_") -> Unreadable:
    """The refusal of a field that is not text (not UTF-8, or a lone surrogate)."""
    return Unreadable(NOT_TEXT, field)


def field_text(raw: bytes, field: str = "_") -> str:
    """A form field's bytes (a multipart part) as text: strict UTF-8, else not_text(field)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise not_text(field) from None


def check_form_text(body: bytes) -> None:
    """A form body (application/x-www-form-urlencoded) or a query string whose names and values
    are all text: not_text naming the field otherwise. Werkzeug keeps what is not UTF-8
    (`%ED%A0%80`, a lone surrogate percent-encoded) as literal text, which would then be
    stored or matched."""
    text = field_text(body)
    for pair in text.split("&"):
        name, _equals, value = pair.partition("=")
        try:
            unquote_plus(name, errors="strict")
            unquote_plus(value, errors="strict")
        except UnicodeDecodeError:
            raise not_text(unquote_plus(name, errors="replace")[:40] or "_") from None


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> Unreadable:
    """A JSON body with a byte that is not UTF-8: the byte's offset, and the top-level field
    holding it when the rest is JSON (each such byte read as a lone surrogate, which
    check_value names)."""
    message = _l("Innehållet är inte UTF-8-text (byte %(offset)s).", offset=error.start)
    try:
        check_value(json.loads(data.decode("utf-8", "surrogateescape")))
    except Unreadable as found:
        return Unreadable(message, found.field)
    except (ValueError, RecursionError):
        pass
    return Unreadable(message)


def parse_json(data: bytes | str):
    """JSON text to a value, or Unreadable: not JSON, nested too deep, or invalid Unicode."""
    try:
        value = json.loads(data or b"null")
    except RecursionError:  # the C parser's own guard against "[" * 100000
        raise Unreadable(_l("Innehållet är för djupt nästlat.")) from None
    except UnicodeDecodeError as exc:
        raise _not_utf8(data, exc) from None
    except ValueError as exc:
        raise NotJson(_l("Innehållet är inte giltig JSON."), str(exc)) from None
    check_value(value)
    return value


def parse_uuid(raw) -> str | None:
    """A UUID as the phone made it, in its canonical spelling, or None."""
    if not isinstance(raw, str) or len(raw) > 64:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def number_between(raw, low: float, high: float) -> float | None:
    """A JSON number within [low, high], or None (also for true/false, NaN, infinities and
    integers too large for a float, such as 400 digits)."""
    # bool is an int in Python; true is not a coordinate.
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        value = float(raw)
    except OverflowError:
        return None
    if not math.isfinite(value) or not low <= value <= high:
        return None
    return value


def instant(raw, now: datetime, timespec: str = "seconds") -> str | None:
    """An ISO 8601 instant with its offset, from 2000 on and not far in the future, as stored UTC
    text (to `timespec`); or None."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 or 9999-12-31T23:59-01:00
        return None
    if moment > now + CLOCK_SKEW or moment.year < 2000:
        return None
    return moment.isoformat(timespec=timespec)


def phone_clock(raw) -> datetime | None:
    """What the phone's clock read as it sent (an ISO 8601 instant with offset), or None."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return moment.astimezone(UTC) if moment.tzinfo else None
    except (ValueError, OverflowError):
        return None


def reference_now(server_now: datetime, phone_now: datetime | None) -> datetime:
    """The "now" a walker's instants are checked against: the later of the server's clock and
    the phone's, when the two are within MAX_CLOCK_DISAGREEMENT. A server clock running two
    hours behind must not refuse what a phone recorded a moment ago."""
    if phone_now is not None and abs(phone_now - server_now) <= MAX_CLOCK_DISAGREEMENT:
        return max(server_now, phone_now)
    return server_now


# Fields every walker write carries, each checked in one place: the value, or its message in
# `errors` under the field's name (a track point's fields are named `points[3].lon`).


def phone_id(payload: dict, errors: dict) -> str | None:
    """The `id` the phone made for what it sends: a UUID."""
    found = parse_uuid(payload.get("id"))
    if found is None:
        errors["id"] = _l("id ska vara ett UUID som telefonen har skapat.")
    return found


def longitude(raw, errors: dict, field: str = "lon") -> float | None:
    found = number_between(raw, -180, 180)
    if found is None:
        errors[field] = _l("Longitud saknas eller är ogiltig (−180 till 180).")
    return found


def latitude(raw, errors: dict, field: str = "lat") -> float | None:
    found = number_between(raw, -90, 90)
    if found is None:
        errors[field] = _l("Latitud saknas eller är ogiltig (−90 till 90).")
    return found


def accuracy_metres(raw, errors: dict, field: str = "accuracy_m") -> float | None:
    """A GPS accuracy in metres; None when the phone sent none (or on an error)."""
    if raw is None:
        return None
    found = number_between(raw, 0, 100_000)
    if found is None:
        errors[field] = _l("Noggrannheten ska vara ett antal meter.")
    return found


def moment(
    raw, now: datetime, errors: dict, field: str = "recorded_at", timespec: str = "seconds"
) -> str | None:
    """When the phone recorded it (see `instant`)."""
    found = instant(raw, now, timespec)
    if found is None:
        errors[field] = _l("Tidpunkten ska vara ISO 8601 med tidszon och inte ligga i framtiden.")
    return found
