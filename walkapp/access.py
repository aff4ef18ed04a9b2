"""Who may use which route. Every view declares its role with @requires(...).

Roles, weakest first: public < walker < coordinator < admin. A walker is someone
holding a token for one walk; the view receives that walk's id in the URL and
the token must be for that walk. Coordinators and admins sign in; admin can do
all a coordinator can. A region user signs in too and reads what a coordinator reads, of every
organisation it covers, and changes nothing; only a region user and the instance's admin open
the region view, which compares organisations (REGION).

Organisations are scoped here, once for every route: an id in the URL naming something of an
organisation the signed-in caller (or API token) does not see is a 404, as if it did not exist
(walkapp/organisations.py says who sees what); `scope()` hands lists the same organisations.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, current_app, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from . import api_tokens, organisations, settings, walkers
from .db import api_tokens as api_tokens_db
from .db import get_db
from .db import observations as observations_db
from .db import organisations as organisations_db
from .db import photos as photos_db
from .db import sessions as sessions_db
from .db import walks as walks_db
from .extensions import csrf

PUBLIC, WALKER, COORDINATOR, ADMIN = "public", "walker", "coordinator", "admin"
REGION = "region"
# A partner's person: signs in, and sees and answers only their partner's measures
# (walkapp/views/partners.py); never a walker's or a coordinator's screens.
PARTNER = "partner"
# Anyone signed in, whatever their role (a coordinator, an admin, a region user, a partner's
# person): one's own account, such as one's password. Not a write to an organisation's data, so
# a region user may use it too.
ACCOUNT = "account"
STAFF_ROLES = {COORDINATOR: (COORDINATOR, ADMIN, REGION), ADMIN: (ADMIN,)}
# A route declared @requires(REGION) compares organisations (walkapp/views/region.py): for region
# users and the instance's admin (compares_organisations), never one organisation's own staff.
WALKER_COOKIE = "walker"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="walker-token")


def make_walker_token(walk_id: str, walker_id: str) -> str:
    return _serializer().dumps({"walk": walk_id, "walker": walker_id})


def read_walker_token(token: str | None) -> dict | None:
    if not token:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not {"walk", "walker"} <= data.keys():
        return None
    return data


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def walker_tokens_from_cookie() -> dict[str, str]:
    """walk id -> token, for every walk this browser has joined."""
    tokens = {}
    raw = request.cookies.get(WALKER_COOKIE) or ""
    for token in raw.split(" "):
        data = read_walker_token(token)
        if data:
            tokens[data["walk"]] = token
    return tokens


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def via_bearer() -> bool:
    return read_walker_token(bearer_token()) is not None


def _check_csrf() -> None:
    """A write authorised by a cookie needs the CSRF token (the JSON API is exempt from the
    global check because Bearer-token calls cannot be forged by another site)."""
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def walker_standing(data: dict) -> str:
    """walkers.OK, REVOKED, EXPIRED or UNKNOWN for a token's walker (once per request)."""
    cache = g.setdefault("walker_standing", {})
    if data["walker"] not in cache:
        db = get_db()
        cache[data["walker"]] = walkers.standing(
            walks_db.get_walker(db, data["walker"]),
            walks_db.get_walk(db, data["walk"]),
            settings.current().walker_token_days,
        )
    return cache[data["walker"]]


def current_walker(walk_id: str | None) -> dict | None:
    """The walker (token data) for walk_id, from a Bearer token or the cookie, while the token
    is good (not revoked, not past its lifetime)."""
    data = read_walker_token(bearer_token())
    if data is None and walk_id is not None:
        data = read_walker_token(walker_tokens_from_cookie().get(walk_id))
    if data is None or (walk_id is not None and data["walk"] != walk_id):
        return None
    if (standing := walker_standing(data)) != walkers.OK:
        g.walker_refused = standing
        return None
    return data


def _walker_refusal() -> str:
    reason = g.get("walker_refused")
    if reason == walkers.REVOKED:
        return _("Samordnaren har stängt av den här telefonens åtkomst till vandringen.")
    if reason == walkers.EXPIRED:
        return _("Din åtkomst till vandringen har gått ut.")
    return _("Du har inte tillgång till den här vandringen.")


TOOL_PATHS = ("/export/", "/open311/")


def reads_with_api_token(view: Callable) -> Callable:
    """Mark a GET view outside TOOL_PATHS that an export's API token may read too (its photos)."""
    view.reads_with_api_token = True
    return view


def _token_readable() -> bool:
    if request.method not in SAFE_METHODS:
        return False
    if request.path.startswith(TOOL_PATHS):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "reads_with_api_token", False)


def offered_api_token() -> str | None:
    """The API token a tool sent: Bearer, `?token=` or Open311's own name, `?api_key=`."""
    if not _token_readable():
        return None
    token = bearer_token() or request.args.get("token") or request.args.get("api_key")
    return token if token and token.startswith(api_tokens_db.PREFIX) else None


def current_user() -> dict | None:
    if "user" not in g:
        # The cookie names a server-side session; an ended one (logout, new password,
        # deactivation, "sign out everywhere") is simply gone.
        session_id = session.get("sid")
        g.user = sessions_db.user_for(get_db(), session_id) if session_id else None
        if g.user is None and (token := offered_api_token()):
            g.user = api_tokens.user_for(get_db(), token)
    return g.user


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/export/", "/open311/")) or (
        request.accept_mimetypes.best == "application/json"
    )


def _deny(status: int, message: str):
    if request.path.startswith("/open311/"):
        # views/errors.py answers in GeoReport's own error format (JSON or XML).
        abort(status, description=message)
    if wants_json():
        response = jsonify({"error": message})
        response.status_code = status
        abort(response)
    if status == 401:
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    abort(status, description=message)


def scope() -> frozenset[int] | None:
    """The organisations the request's caller sees (None: every one), once per request."""
    if "scope" not in g:
        g.scope = organisations.scope_of(get_db(), current_user())
    return g.scope


def _hide_others(view_args: dict) -> None:
    """A 404 for an id of the URL naming what belongs to an organisation the caller does not
    see: to them it is not there. Ids that name nothing are the view's to answer."""
    seen = scope()
    if seen is organisations.EVERYTHING:
        return
    db = get_db()
    for name, value in view_args.items():
        if name not in organisations_db.OWNED_IDS:
            continue
        if name == "code":
            value = walks_db.normalise_code(value)
        owners = organisations_db.owners(db, name, value)
        if owners is not None and not organisations.sees(seen, owners):
            abort(404)  # answered as any 404 (views/errors.py): nothing tells it apart


def is_staff(user: dict | None) -> bool:
    """Whether a caller reads as an organisation's staff (a coordinator, an admin, a region user,
    or an API token one of them made): the full view of what public routes show. A partner's
    person, signed in, reads those routes as the public does."""
    return user is not None and user["role"] in STAFF_ROLES[COORDINATOR]


def reads_only(user: dict | None) -> bool:
    """Whether a signed-in user only reads (a region user): refused every write, and offered no
    page whose GET is a write's form or makes one (a re-walk's form, the capture screen)."""
    return user is not None and user["role"] == REGION


def compares_organisations(user: dict | None) -> bool:
    """Whether a signed-in user may open the region view: a region user (over the organisations
    its areas cover) or the instance's admin (over every one)."""
    return user is not None and (user["role"] == REGION or organisations.is_instance_admin(user))


def _read_only(user: dict) -> None:
    """A region user reads; every write is refused."""
    if reads_only(user) and request.method not in SAFE_METHODS:
        _deny(403, _("Du saknar behörighet för den här sidan."))


def _walk_of(view_args: dict) -> str | None:
    """The walk a walker route is about: from walk_id, a join code, or an observation id."""
    if "walk_id" in view_args:
        return view_args["walk_id"]
    db = get_db()
    if "code" in view_args:
        walk = walks_db.get_walk_by_code(db, view_args["code"])
        return walk["id"] if walk else "-"
    if "observation_id" in view_args:
        observation = observations_db.get_observation(db, view_args["observation_id"])
        return observation["walk_id"] if observation else "-"
    raise RuntimeError("a WALKER route needs walk_id, code or observation_id in its URL")


def _photo_walk_of(view_args: dict) -> str | None:
    """The walk of the walker who added the photo a route names: an "after" photo taken on a
    repeat walk belongs to an observation of an earlier walk."""
    db = get_db()
    photo = photos_db.get_photo(db, view_args["photo_id"]) if "photo_id" in view_args else None
    if photo is None or photo["walker_id"] is None:
        return None
    walker = walks_db.get_walker(db, photo["walker_id"])
    return walker["walk_id"] if walker else None


def requires(role: str) -> Callable:
    """Declare and enforce the weakest role that may use a view."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if role == WALKER:
                walk_id = _walk_of(kwargs)
                walker = current_walker(walk_id)
                if walker is None and (photo_walk := _photo_walk_of(kwargs)):
                    walker = current_walker(photo_walk)
                staff = current_user() if walker is None else None
                if staff is not None and staff["role"] not in STAFF_ROLES[COORDINATOR]:
                    staff = None  # a partner's person sees photos on their own screens only
                if walker is None and staff is None:
                    _deny(403, _walker_refusal())
                if staff is not None:
                    # A coordinator may open their walks' walker screens (g.walker is then None).
                    _hide_others(kwargs)
                    _read_only(staff)
                g.walker = walker
                if not via_bearer() and request.method not in SAFE_METHODS:
                    _check_csrf()
            elif role in STAFF_ROLES:
                user = current_user()
                if user is None:
                    _deny(401, _("Logga in för att fortsätta."))
                if user["role"] not in STAFF_ROLES[role]:
                    _deny(403, _("Du saknar behörighet för den här sidan."))
                _hide_others(kwargs)
                _read_only(user)
            elif role == REGION:
                user = current_user()
                if user is None:
                    _deny(401, _("Logga in för att fortsätta."))
                if not compares_organisations(user):
                    _deny(403, _("Du saknar behörighet för den här sidan."))
                _read_only(user)
            elif role in (PARTNER, ACCOUNT):
                user = current_user()
                if user is None:
                    _deny(401, _("Logga in för att fortsätta."))
                if role == PARTNER and user["role"] != PARTNER:
                    _deny(403, _("Du saknar behörighet för den här sidan."))
            elif offered_api_token() and current_user() is not None:
                # A public route read with an API token reads its organisation only.
                _hide_others(kwargs)
            return view(*args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorate
