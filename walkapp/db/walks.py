"""Walks, their places and walkers."""

from __future__ import annotations

import secrets
import uuid

import sqlite_utils

from ..clock import from_typed
from . import marks, now, one, rows
from .organisations import in_scope_clause, organised_by, walks_in_scope

# No look-alikes: 0/O, 1/I/L are left out.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

WALK_FIELDS = (
    "title",
    "starts_at",
    "light",
    "meeting_point",
    "route_notes",
    "pre_meeting_at",
    "follow_up_at",
    "leader",
    "public",
)
INSTANTS = ("starts_at", "pre_meeting_at", "follow_up_at")


def _instants(fields: dict) -> dict:
    """Walk times as stored: UTC with an offset; a time without one is Stockholm wall time."""
    return {
        key: from_typed(value) if key in INSTANTS and value else value
        for key, value in fields.items()
    }


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -\t")


def create_walk(
    db: sqlite_utils.Database,
    *,
    title: str,
    starts_at: str,
    place_ids=(),
    organisation_id: int | None = None,
    **fields,
) -> dict:
    allowed = {*WALK_FIELDS, "state", "public", "created_by"} - {"title", "starts_at"}
    extra = _instants(
        {key: value for key, value in fields.items() if key in allowed and value is not None}
    )
    starts_at = from_typed(starts_at)
    walk_id = str(uuid.uuid4())
    for _ in range(20):
        code = new_code()
        if not db.execute("select 1 from walks where code = ?", [code]).fetchone():
            break
    columns = ["id", "title", "code", "starts_at", "created_at", *extra, "organisation_id"]
    values = [walk_id, title, code, starts_at, now(), *extra.values(), organisation_id]
    # Seeding without an organisation: the first one's (walkapp.walks.create names one).
    db.execute(
        f"insert into walks ({', '.join(columns)}) values ({marks(columns[:-1])},"
        " coalesce(?, (select min(id) from organisations)))",
        values,
    )
    _set_places(db, walk_id, place_ids)
    return get_walk(db, walk_id)


def get_walk(db: sqlite_utils.Database, walk_id: str) -> dict | None:
    return one(db, "select * from walks where id = ?", [walk_id])


def get_walk_by_code(db: sqlite_utils.Database, code: str) -> dict | None:
    return one(db, "select * from walks where code = ?", [normalise_code(code)])


def find_walk_by_title(db: sqlite_utils.Database, title: str) -> dict | None:
    return one(db, "select * from walks where title = ? order by created_at limit 1", [title])


def walk_place_ids(db: sqlite_utils.Database, walk_id: str) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "select place_id from walk_places where walk_id = ? order by position", [walk_id]
        )
    ]


def list_walks(
    db: sqlite_utils.Database, organisation_ids=None, limit: int = -1
) -> list[dict]:
    """Every walk (of these organisations, when given), newest first; the newest `limit`."""
    where, params = walks_in_scope("id", organisation_ids)
    return rows(
        db, f"select * from walks where {where} order by starts_at desc limit ?", [*params, limit]
    )


def walk_titles(db: sqlite_utils.Database, walk_ids) -> dict[str, str]:
    """The titles of these walks, by id."""
    ids = sorted(set(walk_ids))
    if not ids:
        return {}
    return dict(db.execute(f"select id, title from walks where id in ({marks(ids)})", ids))


def set_state(db: sqlite_utils.Database, walk_id: str, state: str) -> None:
    """Store a walk's state and when it opened or closed (the rules are walkapp.walks')."""
    column = {"ongoing": "opened_at", "closed": "closed_at"}.get(state)
    sql = "update walks set state = ?" + (f", {column} = ?" if column else "") + " where id = ?"
    params = [state, now(), walk_id] if column else [state, walk_id]
    db.execute(sql, params)


def add_walker(
    db: sqlite_utils.Database,
    walk_id: str,
    display_name: str = "",
    email: str | None = None,
    language: str | None = None,
) -> str:
    """A walker of the walk; email (opt-in, for their mail) and the language they joined in."""
    walker_id = str(uuid.uuid4())
    db.execute(
        "insert into walkers (id, walk_id, display_name, joined_at, email, language)"
        " values (?, ?, ?, ?, ?, ?)",
        [walker_id, walk_id, display_name.strip()[:80], now(), email or None, language],
    )
    return walker_id


def forget_walker_email(db: sqlite_utils.Database, walker_id: str) -> bool:
    """The walker asked for no more mail: their address goes. False when it was gone already."""
    cursor = db.execute(
        "update walkers set email = null where id = ? and email is not null", [walker_id]
    )
    return cursor.rowcount == 1


def get_walker(db: sqlite_utils.Database, walker_id: str) -> dict | None:
    return one(db, "select * from walkers where id = ?", [walker_id])


def list_walkers(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """The walk's walkers with how many observations each sent, first joined first; counted
    among the walk's observations (observations_walk): there is no index by walker, and each
    count read every observation of the instance, 2.8 s for 15 walkers at 1 000 000."""
    return rows(db, LIST_WALKERS, [walk_id])


LIST_WALKERS = """
    select k.id, k.display_name, k.joined_at, k.revoked_at,
        (select count(*) from observations o where o.walk_id = k.walk_id
         and o.walker_id = k.id) as observations
    from walkers k where k.walk_id = ? order by k.joined_at, k.id
"""


def revoke_walker(db: sqlite_utils.Database, walker_id: str, user_id: int) -> bool:
    """False when already revoked or not there."""
    cursor = db.execute(
        "update walkers set revoked_at = ?, revoked_by = ? where id = ? and revoked_at is null",
        [now(), user_id, walker_id],
    )
    return cursor.rowcount == 1


def count_walkers(db: sqlite_utils.Database, walk_id: str) -> int:
    return db.execute("select count(*) from walkers where walk_id = ?", [walk_id]).fetchone()[0]


def update_walk(
    db: sqlite_utils.Database,
    walk_id: str,
    fields: dict,
    place_ids=None,
) -> None:
    """Change a walk's facts (and, when given, its places)."""
    changed = _instants({key: value for key, value in fields.items() if key in WALK_FIELDS})
    if changed:
        db.execute(
            f"update walks set {', '.join(f'{key} = ?' for key in changed)} where id = ?",
            [*changed.values(), walk_id],
        )
    if place_ids is not None:
        db.execute("delete from walk_places where walk_id = ?", [walk_id])
        _set_places(db, walk_id, place_ids)


def _set_places(db: sqlite_utils.Database, walk_id: str, place_ids) -> None:
    for position, place_id in enumerate(place_ids):
        db.execute(
            "insert into walk_places (walk_id, place_id, position) values (?, ?, ?)",
            [walk_id, place_id, position],
        )


def walks_with_counts(
    db: sqlite_utils.Database, organisation_ids=None, page: tuple[int, int] = (-1, 0)
) -> list[dict]:
    """The walks, latest first, with their counts; page: (rows, offset). The page is chosen
    first, so only its walks are counted (by index: observations_walk, walkers_walk)."""
    where, params = _scoped(organisation_ids)
    return rows(db, WALKS_WITH_COUNTS.format(where=where), [*params, *page])


WALKS_WITH_COUNTS = """
    with page as (select * from walks w where {where}
                  order by w.starts_at desc, w.id limit ? offset ?)
    select page.*,
        (select count(*) from observations o where o.walk_id = page.id) as observations,
        (select count(*) from walkers k where k.walk_id = page.id) as walkers
    from page order by page.starts_at desc, page.id
"""


def _scoped(organisation_ids) -> tuple[str, list]:
    return walks_in_scope("w.id", organisation_ids)


def count_walks(db: sqlite_utils.Database, organisation_ids=None) -> int:
    where, params = _scoped(organisation_ids)
    return db.execute(f"select count(*) from walks w where {where}", params).fetchone()[0]


def walks_for_place(db: sqlite_utils.Database, place_id: int) -> list[dict]:
    """Walks that passed a place or found something there, oldest first, with their counts.

    The place's observations are counted once, grouped by walk (index observations_place), and
    only the walks they name or that planned the place are read: per walk, a count over every
    observation of the place took 21 s at 100 000 observations."""
    return rows(db, WALKS_FOR_PLACE, {"place": place_id})


WALKS_FOR_PLACE = (
    "with counted as (select walk_id, count(*) as n from observations where place_id = :place"
    " group by walk_id),"
    " hit as (select walk_id from walk_places where place_id = :place"
    " union select walk_id from counted)"
    " select w.id, w.title, w.starts_at, w.state, w.follow_up_at,"
    " coalesce(c.n, 0) as observations"
    " from hit join walks w on w.id = hit.walk_id left join counted c on c.walk_id = w.id"
    " order by w.starts_at"
)


def walks_for_calendar(
    db: sqlite_utils.Database, since: str, public_only: bool, organisation_id: int | None = None
) -> list[dict]:
    """Walks starting at or after `since`, earliest first (of one organisation when given), with
    what a calendar shows of them (never their code: a calendar is shared, a code lets anyone
    join)."""
    where = "starts_at >= :since" + (" and public = 1" if public_only else "")
    return rows(db, f"""
        select id, title, starts_at, meeting_point, route_notes, pre_meeting_at, follow_up_at,
            leader, state, public, created_at, organisation_id
        from walks w where {where} and {organised_by("w")} order by starts_at
    """, {"since": since, "organisation": organisation_id})  # fmt: skip


def co_organiser_ids(db: sqlite_utils.Database, walk_id: str) -> list[int]:
    """The organisations beside the lead that organise a joint walk."""
    return [
        row[0]
        for row in db.execute(
            "select organisation_id from walk_organisers where walk_id = ? order by 1", [walk_id]
        )
    ]


def set_co_organisers(db: sqlite_utils.Database, walk_id: str, organisation_ids) -> None:
    """A walk's co-organisers are exactly these (never its lead): those it had keep their
    answer, those new to it are invited (accepted_at null; a no they gave before is forgotten)."""
    wanted = sorted(set(organisation_ids))
    db.execute(
        f"delete from walk_declines where walk_id = ? and organisation_id in ({marks(wanted)})",
        [walk_id, *wanted],
    )
    db.execute(
        "delete from walk_organisers where walk_id = ?"
        f" and organisation_id not in ({marks(wanted)})",
        [walk_id, *wanted],
    )
    for organisation_id in wanted:
        db.execute(
            "insert or ignore into walk_organisers (walk_id, organisation_id, invited_at)"
            " select id, ?, ? from walks where id = ? and organisation_id is not ?",
            [organisation_id, now(), walk_id, organisation_id],
        )


def co_organisers(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """A joint walk's co-organisers by name, each with when it said yes (None: invited)."""
    return rows(db, """
        select o.id, o.name, o.slug, wo.accepted_at from walk_organisers wo
        join organisations o on o.id = wo.organisation_id where wo.walk_id = ? order by o.name
    """, [walk_id])  # fmt: skip


def accept_co_organiser(
    db: sqlite_utils.Database, walk_id: str, organisation_id: int, stamp: str
) -> bool:
    """An invited co-organiser says yes; False when it was not invited (or had said yes)."""
    return (
        db.execute(
            "update walk_organisers set accepted_at = ? where walk_id = ?"
            " and organisation_id = ? and accepted_at is null",
            [stamp, walk_id, organisation_id],
        ).rowcount
        == 1
    )


def invited_among(db: sqlite_utils.Database, walk_ids: list[str], organisation_ids) -> set[str]:
    """Those of these walks that one of these organisations is invited to and has not
    answered (none for every organisation: an instance admin is nobody's guest)."""
    if organisation_ids is None or not walk_ids:
        return set()
    scoped, ids = in_scope_clause("organisation_id", organisation_ids)
    return {
        row[0]
        for row in db.execute(
            f"select walk_id from walk_organisers where walk_id in ({marks(walk_ids)})"
            f" and accepted_at is null and {scoped}",
            [*walk_ids, *ids],
        )
    }


def invitations(db: sqlite_utils.Database, organisation_ids) -> list[dict]:
    """The joint walks these organisations are invited to and have not answered, soonest
    first, with the lead's name."""
    scoped, ids = in_scope_clause("wo.organisation_id", organisation_ids)
    return rows(db, f"""
        select w.id, w.title, w.starts_at, w.state, lead.name as lead, guest.name as invited
        from walk_organisers wo join walks w on w.id = wo.walk_id
        join organisations lead on lead.id = w.organisation_id
        join organisations guest on guest.id = wo.organisation_id
        where wo.accepted_at is null and {scoped} order by w.starts_at, w.id
    """, ids)  # fmt: skip


def record_decline(
    db: sqlite_utils.Database, walk_id: str, organisation_id: int, stamp: str
) -> None:
    db.execute(
        "insert or replace into walk_declines (walk_id, organisation_id, declined_at)"
        " values (?, ?, ?)",
        [walk_id, organisation_id, stamp],
    )


def declines(db: sqlite_utils.Database, walk_id: str) -> list[dict]:
    """The organisations that said no to the walk's invitation (not invited again since), by
    name, with when."""
    return rows(db, """
        select o.name, d.declined_at from walk_declines d
        join organisations o on o.id = d.organisation_id where d.walk_id = ? order by o.name
    """, [walk_id])  # fmt: skip


def remove_co_organiser(db: sqlite_utils.Database, walk_id: str, organisation_id: int) -> bool:
    """Take one co-organiser off a walk; False when it was none."""
    return (
        db.execute(
            "delete from walk_organisers where walk_id = ? and organisation_id = ?",
            [walk_id, organisation_id],
        ).rowcount
        == 1
    )
