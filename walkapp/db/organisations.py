"""Organisations (arrangörer), the areas they cover, the partners they work with, the areas a
region user reads, and which organisation owns the thing a URL's id names."""

from __future__ import annotations

import sqlite_utils

from . import marks, now, one, rows


def create_organisation(
    db: sqlite_utils.Database,
    slug: str,
    name: str,
    logo: str,
    jurisdiction_id: str | None,
    languages: str,
) -> int:
    cursor = db.execute(
        "insert into organisations (slug, name, logo, jurisdiction_id, languages, created_at)"
        " values (?, ?, ?, ?, ?, ?)",
        [slug, name, logo, jurisdiction_id, languages, now()],
    )
    return cursor.lastrowid


def update_organisation(db: sqlite_utils.Database, organisation_id: int, **fields) -> None:
    allowed = {
        k: v for k, v in fields.items() if k in ("name", "logo", "jurisdiction_id", "languages")
    }
    if allowed:
        sets = ", ".join(f"{key} = ?" for key in allowed)
        db.execute(
            f"update organisations set {sets} where id = ?", [*allowed.values(), organisation_id]
        )


def add_areas(db: sqlite_utils.Database, organisation_id: int, area_ids: list[int]) -> None:
    for area_id in area_ids:
        db.execute(
            "insert or ignore into organisation_areas (organisation_id, area_id) values (?, ?)",
            [organisation_id, area_id],
        )


def set_areas(db: sqlite_utils.Database, organisation_id: int, area_ids: list[int]) -> None:
    """The areas an organisation covers are exactly these."""
    db.execute("delete from organisation_areas where organisation_id = ?", [organisation_id])
    add_areas(db, organisation_id, area_ids)


def area_ids_of(db: sqlite_utils.Database, organisation_id: int) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "select area_id from organisation_areas where organisation_id = ? order by 1",
            [organisation_id],
        )
    ]


def with_jurisdiction(db: sqlite_utils.Database, jurisdiction_id: str) -> dict | None:
    return one(db, "select * from organisations where jurisdiction_id = ?", [jurisdiction_id])


def add_partner(db: sqlite_utils.Database, organisation_id: int, partner_id: int) -> None:
    db.execute(
        "insert or ignore into organisation_partners (organisation_id, partner_id) values (?, ?)",
        [organisation_id, partner_id],
    )


def set_region_areas(db: sqlite_utils.Database, user_id: int, area_ids: list[int]) -> None:
    db.execute("delete from region_areas where user_id = ?", [user_id])
    for area_id in area_ids:
        db.execute(
            "insert into region_areas (user_id, area_id) values (?, ?)", [user_id, area_id]
        )


def flag(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return row[0] if row else None


def set_flag(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute("insert or replace into meta (key, value) values (?, ?)", [key, value])


def list_organisations(db: sqlite_utils.Database, organisation_ids=None) -> list[dict]:
    """Every organisation (of `organisation_ids`, None: all) with its areas' names and how many
    walks, places and users it has."""
    where, params = in_scope_clause("o.id", organisation_ids)
    return rows(
        db,
        "select o.*,"
        " (select group_concat(a.name, ', ') from organisation_areas oa"
        "  join areas a on a.id = oa.area_id where oa.organisation_id = o.id) as areas,"
        " (select count(*) from walks w where w.organisation_id = o.id) as walks,"
        " (select count(*) from places p where p.organisation_id = o.id) as places,"
        " (select count(*) from users u where u.organisation_id = o.id) as users"
        f" from organisations o where {where} order by o.id",
        params,
    )


def covered_areas(db: sqlite_utils.Database, organisation_id: int) -> dict[str, list[int]]:
    """The areas an organisation covers, by kind: {kind: [area id, …]}."""
    covered: dict[str, list[int]] = {}
    for kind, area_id in db.execute(
        "select a.kind, a.id from organisation_areas oa join areas a on a.id = oa.area_id"
        " where oa.organisation_id = ? order by a.kind, a.id",
        [organisation_id],
    ):
        covered.setdefault(kind, []).append(area_id)
    return covered


def names(db: sqlite_utils.Database) -> dict[int, str]:
    """Every organisation's name by id, in the order of their names."""
    return dict(db.execute("select id, name from organisations order by name, id").fetchall())


def get_organisation(db: sqlite_utils.Database, organisation_id: int) -> dict | None:
    return one(db, "select * from organisations where id = ?", [organisation_id])


def get_by_slug(db: sqlite_utils.Database, slug: str) -> dict | None:
    return one(db, "select * from organisations where slug = ?", [slug])


def first(db: sqlite_utils.Database) -> dict | None:
    """The default organisation: the first made (the one an upgraded instance became)."""
    return one(db, "select * from organisations order by id limit 1")


def count(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from organisations").fetchone()[0]


def area_count(db: sqlite_utils.Database, organisation_id: int) -> int:
    return db.execute(
        "select count(*) from organisation_areas where organisation_id = ?", [organisation_id]
    ).fetchone()[0]


def with_observations(db: sqlite_utils.Database) -> list[int]:
    """The organisations whose walks hold observations."""
    return [
        row[0]
        for row in db.execute(
            "select distinct w.organisation_id from walks w"
            " where exists (select 1 from observations o where o.walk_id = w.id) order by 1"
        )
    ]


def region_organisations(db: sqlite_utils.Database, user_id: int) -> list[int]:
    """The organisations covering one of a region user's areas: the same area, one of its
    parts, or an area it is a part of (area_parts, one level either way)."""
    return [
        row[0]
        for row in db.execute(
            "select distinct oa.organisation_id from region_areas r"
            " join organisation_areas oa on oa.area_id = r.area_id"
            "  or oa.area_id in (select part_id from area_parts where area_id = r.area_id)"
            "  or oa.area_id in (select area_id from area_parts where part_id = r.area_id)"
            " where r.user_id = ? order by 1",
            [user_id],
        )
    ]


# A walk's organisers: its lead organisation, then its co-organisers (walk_organisers); no row
# when there is no such walk. `walk` is SQL giving one walk id.
WALK_ORGANISERS = (
    "select organisation_id from walks where id = {walk}"
    " union all select organisation_id from walk_organisers where walk_id = {walk}"
)

# Which organisation owns what a URL's id names: the id's name -> SQL giving organisation ids
# (one for most things, several for a shared partner). No row: there is no such thing.
_OWNER_SQL = {
    "walk_id": WALK_ORGANISERS.format(walk="?"),
    "code": WALK_ORGANISERS.format(walk="(select id from walks where code = upper(?))"),
    "observation_id": WALK_ORGANISERS.format(
        walk="(select walk_id from observations where id = ?)"
    ),
    "photo_id": WALK_ORGANISERS.format(
        walk="(select o.walk_id from photos p join observations o on o.id = p.observation_id"
        " where p.id = ?)"
    ),
    "walker_id": WALK_ORGANISERS.format(walk="(select walk_id from walkers where id = ?)"),
    "place_id": "select organisation_id from places where id = ?",
    "partner_id": "select organisation_id from organisation_partners where partner_id = ?"
    " union all select null from partners where id = ?"
    " and not exists (select 1 from organisation_partners where partner_id = ?)",
    "promise_id": "select organisation_id from promises where id = ?",
    "commitment_id": "select p.organisation_id from commitments c"
    " join promises p on p.id = c.promise_id where c.id = ?",
    "activity_id": "select p.organisation_id from activities a join commitments c"
    " on c.id = a.commitment_id join promises p on p.id = c.promise_id where a.id = ?",
    "token_id": "select organisation_id from api_tokens where id = ?",
    "user_id": "select organisation_id from users where id = ?",
    "organisation_id": "select id from organisations where id = ?",
}
OWNED_IDS = tuple(_OWNER_SQL)


def owners(db: sqlite_utils.Database, name: str, value) -> list[int | None] | None:
    """The organisations owning what `name` = `value` names ([None] for a thing of no
    organisation: an instance admin), or None when there is no such thing."""
    sql = _OWNER_SQL[name]
    found = [row[0] for row in db.execute(sql, [value] * sql.count("?"))]
    return found or None


def in_scope_clause(column: str, organisation_ids) -> tuple[str, list]:
    """`column in (…)` for a caller's organisations: "1" for None (every organisation), "0"
    for none (nothing matches)."""
    if organisation_ids is None:
        return "1", []
    ids = sorted(organisation_ids)
    if not ids:
        return "0", []
    return f"{column} in ({marks(ids)})", ids


def walks_in_scope(
    walk_id_column: str, organisation_ids, accepted_only: bool = False
) -> tuple[str, list]:
    """`walk_id_column in (…)` for the walks these organisations organise, as lead or as
    co-organiser (walk_organisers, invited or not): the one rule of whose a joint walk is to its
    organisers' people, used by every staff list and export of walks and what they hold.
    `accepted_only`: a co-organiser's walks only once it said yes, as organised_by counts them
    for the public. "1" for None (every walk), "0" for none."""
    if organisation_ids is None:
        return "1", []
    ids = sorted(organisation_ids)
    if not ids:
        return "0", []
    accepted = " and accepted_at is not null" if accepted_only else ""
    sql = (
        f"{walk_id_column} in (select id from walks where organisation_id in ({marks(ids)})"
        " union all select walk_id from walk_organisers"
        f" where organisation_id in ({marks(ids)}){accepted})"
    )
    return sql, [*ids, *ids]


def organised_by(alias: str, organisation: str = ":organisation") -> str:
    """SQL: walk `alias` counts as the organisation's that the parameter `organisation` names
    (as lead, or as a co-organiser that said yes; a null parameter: every walk): its public
    page, calendar and promise. The parameter is used three times, so it is named."""
    return (
        f"({organisation} is null or {alias}.organisation_id = {organisation}"
        f" or {alias}.id in (select walk_id from walk_organisers"
        f" where organisation_id = {organisation} and accepted_at is not null))"
    )


def organiser_pairs(walks: str) -> str:
    """SQL: (walk_id, organisation_id) for each walk whose id `walks` (a subquery) gives and each
    organisation it counts for — its lead, then its co-organisers that said yes (organised_by's
    rule as pairs), for counts grouped by organisation (a joint walk counts in each one's)."""
    return (
        f"select id as walk_id, organisation_id from walks where id in ({walks})"
        " union select walk_id, organisation_id from walk_organisers"
        f" where walk_id in ({walks}) and accepted_at is not null"
    )
