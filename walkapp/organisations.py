"""Organisations (arrangörer): who runs walks and owns their follow-up. One instance holds many;
each owns its places, walks, promises, coordinators and API tokens, works with partners it may
share with others, and covers areas.

Who sees what (`scope_of`): an instance admin (role admin, no organisation) everything; a
coordinator or an organisation's admin their organisation only; a region user, read-only, every
organisation covering one of the region user's areas; an API token the organisation of who made
it. Anything of another organisation is, to the caller, not there (a 404). No Flask, no SQL.
"""

from __future__ import annotations

import json
import re

import sqlite_utils

from . import languages
from .db import areas as areas_db
from .db import audit_log, transaction
from .db import organisations as organisations_db

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
ADOPTED = "organisation_settings_adopted"
# The caller sees every organisation.
EVERYTHING = None


class Refused(ValueError):
    """A change refused, with a sentence saying why (in English, for the command line) and the
    field it is about, for a form to say it in its own words."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def create(
    db: sqlite_utils.Database,
    slug: str,
    name: str,
    area_names: tuple[str, ...] = (),
    logo: str = "",
    jurisdiction_id: str | None = None,
    by: int | None = None,
    area_ids: list[int] | None = None,
    languages_offered: list[str] | None = None,
) -> int:
    """A new organisation covering the named areas (any kind) and those of `area_ids`, offering
    the given languages (all walkapp speaks when none are given); Refused names what is wrong."""
    offered = checked_languages(
        list(languages.NAMES) if languages_offered is None else languages_offered
    )
    if not SLUG.match(slug):
        raise Refused(
            f"the slug {slug!r} must be 1–40 lower-case letters, digits or dashes (a-z, 0-9, -)",
            "slug",
        )
    _check(name, logo)
    with transaction(db):
        if organisations_db.get_by_slug(db, slug):
            raise Refused(f"the organisation {slug!r} already exists", "slug")
        _check_jurisdiction(db, jurisdiction_id or slug, None)
        area_ids = [*area_ids_named(db, area_names), *_existing(db, area_ids)]
        organisation_id = organisations_db.create_organisation(
            db, slug, name.strip(), logo.strip(), jurisdiction_id or slug, json.dumps(offered)
        )
        organisations_db.add_areas(db, organisation_id, area_ids)
        audit_log.record(db, by, "create", "organisation", organisation_id, {"slug": slug})
    return organisation_id


# A logo is a picture this site serves (e.g. /static/logos/lidingo.png): the pages' CSP shows no
# image of another site (walkapp/security.py).
LOGO = re.compile(r"^/[^/\s\"'<>][^\s\"'<>]*$")
MAX_NAME = 120


def _check(name: str, logo: str, before: dict | None = None) -> None:
    """Refused for an empty or overlong name or a logo of another site (one kept from before,
    say WALKAPP_ORGANISATION_LOGO's, may stay)."""
    if not name.strip():
        raise Refused("the name must not be empty", "name")
    if len(name.strip()) > MAX_NAME:
        raise Refused(f"the name must be at most {MAX_NAME} characters", "name")
    unchanged = before is not None and before["logo"] == logo.strip()
    if logo.strip() and not unchanged and not LOGO.match(logo.strip()):
        raise Refused("the logo must be a path on this site, such as /static/logos/x.png", "logo")


def _in_switch_order(codes) -> tuple[str, ...]:
    """Swedish and those of `codes` walkapp speaks, in the order the language switch lists."""
    return tuple(code for code in languages.NAMES if code == languages.DEFAULT or code in codes)


def languages_of(organisation: dict) -> tuple[str, ...]:
    """The languages the organisation offers residents (its public page's switch): Swedish
    always; what the stored list holds that walkapp does not speak is left out."""
    try:
        stored = set(json.loads(organisation.get("languages") or "[]"))
    except (TypeError, ValueError):
        stored = set()
    return _in_switch_order(stored)


def offered_to(organisation: dict, reader: str) -> tuple[str, ...]:
    """Its languages, and the reader's own when that is another one walkapp speaks: a phone in
    Somali reads the page in Somali and finds its language in the switch."""
    return _in_switch_order({*languages_of(organisation), reader})


def checked_languages(codes: list[str] | None) -> list[str]:
    """The languages to store, Swedish first and in the switch's order; Refused for one walkapp
    does not speak."""
    unknown = set(codes or []) - set(languages.NAMES)
    if unknown:
        raise Refused(f"walkapp does not speak {', '.join(sorted(unknown))}", "languages")
    return list(_in_switch_order(set(codes or [])))


def _check_jurisdiction(db, jurisdiction_id: str, organisation_id: int | None) -> None:
    other = organisations_db.with_jurisdiction(db, jurisdiction_id)
    if other is not None and other["id"] != organisation_id:
        raise Refused(f"the jurisdiction_id {jurisdiction_id!r} is another's", "jurisdiction_id")


def _existing(db, area_ids: list[int] | None) -> list[int]:
    ids = list(dict.fromkeys(area_ids or []))
    if set(ids) - areas_db.existing_areas(db, ids):
        raise Refused("no area has one of those ids", "areas")
    return ids


def update(
    db: sqlite_utils.Database,
    organisation_id: int,
    name: str,
    logo: str,
    jurisdiction_id: str,
    area_ids: list[int],
    by: int | None = None,
    languages_offered: list[str] | None = None,
) -> None:
    """Change an organisation's name, logo, Open311 jurisdiction_id, the areas it covers and
    (given) the languages it offers (the slug stays: its public pages' addresses are shared).
    Refused names what is wrong."""
    if not jurisdiction_id.strip():
        raise Refused("the jurisdiction_id must not be empty", "jurisdiction_id")
    offered = None if languages_offered is None else checked_languages(languages_offered)
    with transaction(db):
        before = organisations_db.get_organisation(db, organisation_id)
        _check(name, logo, before)
        _check_jurisdiction(db, jurisdiction_id.strip(), organisation_id)
        ids = _existing(db, area_ids)
        values = {
            "name": name.strip(),
            "logo": logo.strip(),
            "jurisdiction_id": jurisdiction_id.strip(),
        }
        if offered is not None:
            values["languages"] = json.dumps(offered)
        organisations_db.update_organisation(db, organisation_id, **values)
        organisations_db.set_areas(db, organisation_id, ids)
        changed = {
            key: value
            for key, value in values.items()
            if key != "languages" and before[key] != value
        }
        if offered is not None and languages_of(before) != tuple(offered):
            changed["languages"] = offered
        audit_log.record(
            db, by, "update", "organisation", organisation_id, {**changed, "areas": ids}
        )


def area_ids_named(db: sqlite_utils.Database, names: tuple[str, ...]) -> list[int]:
    """The ids of the areas named (or coded) so, of every kind with that name ("Norrmalm": the
    stadsdel, the stadsdelsområde and the LPO), or of one (`lpo:Norrmalm`, `kommun:0186`);
    Refused names the unknown ones."""
    found, missing = [], []
    for name in names:
        kind, _, value = name.rpartition(":")
        ids = areas_db.ids_named(db, value, kind or None)
        if ids:
            found.extend(ids)
        else:
            missing.append(name)
    if missing:
        raise Refused(f"no area is named {', '.join(map(repr, missing))}", "areas")
    return found


def adopt_settings(
    db: sqlite_utils.Database, name: str, logo: str, jurisdiction_id: str, lpo_kind: str = "lpo"
) -> bool:
    """Once, at the first start after the upgrade: the instance's WALKAPP_ORGANISATION,
    WALKAPP_ORGANISATION_LOGO and WALKAPP_OPEN311_JURISDICTION become the first organisation's
    data, which it covers the shipped LPO when it covers nothing yet. True when it ran."""
    if organisations_db.flag(db, ADOPTED):
        return False  # every later start: a read, no write lock taken
    with transaction(db):
        if organisations_db.flag(db, ADOPTED):
            return False
        first = organisations_db.first(db)
        if first is not None:
            organisations_db.update_organisation(
                db, first["id"], name=name, logo=logo, jurisdiction_id=jurisdiction_id
            )
            if not organisations_db.area_count(db, first["id"]):
                shipped = list(areas_db.area_ids(db, lpo_kind).values())
                organisations_db.add_areas(db, first["id"], shipped)
        organisations_db.set_flag(db, ADOPTED, "1")
    return True


def scope_of(db: sqlite_utils.Database, user: dict | None) -> frozenset[int] | None:
    """The organisations a signed-in caller (or API token) sees; EVERYTHING (None) for an
    instance admin and for nobody signed in (public routes scope themselves)."""
    if user is None:
        return EVERYTHING
    if "token_id" in user:
        # A token reads the organisation of who made it.
        organisation_id = user.get("token_organisation_id")
        if organisation_id is None:
            return EVERYTHING if is_instance_admin(user) else frozenset()
        return frozenset({organisation_id})
    if user["role"] == "region":
        return frozenset(organisations_db.region_organisations(db, user["id"]))
    if user["role"] == "partner":
        # A partner's person reaches no organisation's staff routes; on the public ones they
        # read what everyone reads (their own screens go by their partner, views/partners.py).
        return EVERYTHING
    if is_instance_admin(user):
        return EVERYTHING
    return frozenset({user["organisation_id"]}) if user.get("organisation_id") else frozenset()


def is_instance_admin(user: dict) -> bool:
    return user["role"] == "admin" and user.get("organisation_id") is None


def desk_scope(user: dict) -> frozenset[int] | None:
    """The organisations whose walks a partner's person reads, on their desk and in their mail:
    the one that invited them (a partner shared by several organisations); all (None) for one
    made on the command line."""
    organisation_id = user.get("organisation_id")
    return None if organisation_id is None else frozenset({organisation_id})


def leads(user: dict, walk: dict) -> bool:
    """Whether a caller changes a walk's facts — its time, places (the lead's), route and who
    is invited to co-organise: a coordinator or admin of its lead organisation, or an instance
    admin; a co-organiser's people see them only."""
    return is_instance_admin(user) or user.get("organisation_id") == walk["organisation_id"]


def runs(user: dict, walk: dict, co_organisers: list[dict]) -> bool:
    """Whether a caller starts, closes or reopens a walk (its co-organisers: db/walks'
    co_organisers): the lead's people, an instance admin, or the people of a co-organiser that
    said yes (an invited one reads the walk only)."""
    return leads(user, walk) or user.get("organisation_id") in {
        o["id"] for o in co_organisers if o["accepted_at"]
    }


def sees(scope: frozenset[int] | None, owners: list[int | None]) -> bool:
    """Whether a caller of `scope` sees a thing owned by `owners` (one organisation, several for
    a shared partner, [None] for an instance admin's, which only instance admins see)."""
    return scope is EVERYTHING or any(owner in scope for owner in owners)


def home_of(db: sqlite_utils.Database, user: dict | None) -> int | None:
    """The organisation what a caller makes belongs to: their own; for an instance admin (or a
    command) the first organisation."""
    if user and user.get("organisation_id"):
        return user["organisation_id"]
    first = organisations_db.first(db)
    return first["id"] if first else None


def for_new_user(db: sqlite_utils.Database, role: str, slug: str | None) -> int | None:
    """The organisation a new account works for: coordinators need one (the only one when there
    is one); an admin with none is the instance's admin; a region user has areas instead, a
    partner's person a partner."""
    if role in ("region", "partner"):
        if slug:
            raise Refused(f"a {role} user works for no one organisation: leave out --organisation")
        return None
    if slug:
        found = organisations_db.get_by_slug(db, slug)
        if found is None:
            raise Refused(f"no organisation has the slug {slug!r}")
        return found["id"]
    if role == "admin":
        return None
    if organisations_db.count(db) == 1:
        return organisations_db.first(db)["id"]
    raise Refused("there are several organisations: say which with --organisation SLUG")


def by_slug_or_refused(db: sqlite_utils.Database, slug: str | None) -> int | None:
    """The id of the organisation with the slug (the first one for None)."""
    if slug is None:
        return home_of(db, None)
    found = organisations_db.get_by_slug(db, slug)
    if found is None:
        raise Refused(f"no organisation has the slug {slug!r}")
    return found["id"]
