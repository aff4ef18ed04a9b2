"""What the public and the walkers may see of the walks.

The public gets counts per walk and per place, category and measure status: never a note, a
walker's name, a photo, an incident observation or a position finer than the place. Those rules
are in the SQL here, so nothing personal ever reaches a view. A walker's follow-up shows their
own notes and, of the others' observations, only category, rating, place and status.
"""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

from .. import clock
from ..vocabulary import FIXED_STATUSES, INITIAL_STATUSES, NEVER_PUBLIC_CATEGORIES
from . import marks, one, quoted, rows
from .areas import RESOLVED
from .organisations import organised_by

# Observations the public may count: not incidents or gatherings, not duplicates, not marked "inte
# publik", from walks held (closed) that year.
# Driven from the walks (a range on walks_starts_at), then each walk's observations by index;
# _PUBLIC_OBSERVATIONS_BY_AREA leaves the order to the planner, for a query that narrows the
# observations by their areas (indexed: m0020) rather than by one organisation's walks.
_PUBLIC_FROM = """
    select o.id, o.walk_id, o.place_id, o.category, o.rating, m.status, m.partner_id,
      m.deadline, m.reason, m.updated_at,
      o.area_stadsdel, o.area_stadsdelsomrade, o.area_kommun, o.area_lan, o.area_lpo,
      o.area_region, o.area_free
    from walks w
    {join} observations o on o.walk_id = w.id
    join measures m on m.observation_id = o.id"""
_PUBLIC_WHERE = f"""
    where w.state = 'closed' and w.starts_at >= :start and w.starts_at < :end
      and {organised_by("w")}
      and o.category not in ({quoted(NEVER_PUBLIC_CATEGORIES)})
      and m.status != 'duplicate' and o.not_public = 0
"""
_PUBLIC_OBSERVATIONS = _PUBLIC_FROM.format(join="cross join") + _PUBLIC_WHERE
_PUBLIC_OBSERVATIONS_BY_AREA = _PUBLIC_FROM.format(join="join") + _PUBLIC_WHERE


def _year(year: int, organisation_id: int | None = None) -> dict:
    """Bounds of a Stockholm year for `starts_at` (stored UTC text with an offset), and the
    organisation whose walks count (None: every organisation's)."""
    start, end = clock.year_bounds(year)
    return {"start": start, "end": end, "organisation": organisation_id}


def _place_names(db: sqlite_utils.Database, walk_ids: list[str]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    if not walk_ids:
        return names
    for walk_id, name in db.execute(
        "select wp.walk_id, p.name from walk_places wp join places p on p.id = wp.place_id"
        f" where wp.walk_id in ({marks(walk_ids)}) order by wp.walk_id, wp.position",
        walk_ids,
    ):
        names[walk_id].append(name)
    return names


def walks_held(
    db: sqlite_utils.Database, year: int, organisation_id: int | None = None
) -> list[dict]:
    """Closed walks of `year` (of an organisation, when given), newest first: date, light, place
    names, observations and fixed."""
    rows = list(
        db.query(
            "with public_observations as (" + _PUBLIC_OBSERVATIONS + ")"
            " select w.id, w.starts_at, w.light, count(f.walk_id) as findings,"
            f" coalesce(sum(f.status in ({quoted(FIXED_STATUSES)})), 0) as fixed"
            " from walks w left join public_observations f on f.walk_id = w.id"
            " where w.state = 'closed' and w.starts_at >= :start and w.starts_at < :end"
            f" and {organised_by('w')}"
            " group by w.id order by w.starts_at desc",
            _year(year, organisation_id),
        )
    )
    planned_places = _place_names(db, [row["id"] for row in rows])
    unplanned = any(row["id"] not in planned_places for row in rows)
    found_places = _found_place_names(db, year, organisation_id) if unplanned else {}
    return [
        {
            "starts_at": row["starts_at"],
            "light": row["light"],
            "places": planned_places.get(row["id"]) or found_places.get(row["id"], []),
            "findings": row["findings"],
            "fixed": row["fixed"],
        }
        for row in rows
    ]


def walks_held_inside(
    db: sqlite_utils.Database,
    year: int,
    organisation_id: int,
    areas: dict[str, list[int]],
    limit: int = 20,
) -> list[dict]:
    """Closed walks of `year` that other organisations held with public observations inside
    `areas` (kind -> area ids: those the organisation covers), newest first: date, light, the
    organiser's name, and the public observations inside (and fixed)."""
    query = walks_held_inside_query(year, organisation_id, areas, limit)
    return rows(db, *query) if query else []


def walks_held_inside_query(
    year: int, organisation_id: int, areas: dict[str, list[int]], limit: int = 20
) -> tuple[str, dict] | None:
    """walks_held_inside's SQL and parameters (None: no area to look in). Read from the
    observations in those areas by their area indexes (m0020), not from every walk of the year:
    at 1 000 000 observations that took 4–8 s on the public page, and now under 10 ms."""
    inside, params = [], {**_year(year), "own": organisation_id, "limit": limit}
    for kind, ids in areas.items():
        if kind not in RESOLVED or not ids:
            continue
        names = []
        for area_id in ids:
            names.append(f":a{len(params)}")
            params[names[-1][1:]] = area_id
        if kind == "free":
            listed = ", ".join(names)
            inside.append(f"exists (select 1 from json_each(f.area_free) where value in ({listed}))")
        else:
            inside.append(f"f.area_{kind} in ({', '.join(names)})")
    if not inside:
        return None
    sql = (
        "with public_observations as (" + _PUBLIC_OBSERVATIONS_BY_AREA + ")"
        " select w.starts_at, w.light, org.name as organiser, count(*) as findings,"
        f" coalesce(sum(f.status in ({quoted(FIXED_STATUSES)})), 0) as fixed"
        " from public_observations f"
        " join walks w on w.id = f.walk_id join organisations org on org.id = w.organisation_id"
        f" where not {organised_by('w', ':own')} and ({' or '.join(inside)})"
        " group by w.id order by w.starts_at desc, w.id limit :limit"
    )
    return sql, params


def _found_place_names(
    db: sqlite_utils.Database, year: int, organisation_id: int | None
) -> dict[str, list[str]]:
    """Places a walk's public observations fell in, for walks planned without places."""
    names: dict[str, list[str]] = defaultdict(list)
    for row in db.query(
        "with public_observations as (" + _PUBLIC_OBSERVATIONS + ")"
        " select distinct f.walk_id, p.name from public_observations f join places p on p.id = f.place_id"
        " order by f.walk_id, p.name",
        _year(year, organisation_id),
    ):
        names[row["walk_id"]].append(row["name"])
    return names


def observation_counts(
    db: sqlite_utils.Database, year: int, organisation_id: int | None = None
) -> list[dict]:
    """How many public observations of `year` (of an organisation's walks, when given) per
    place, category and status:
    [{place_id, place, category, status, n}] (place None = outside every place); the public
    page's figures are built from them in walkapp.public.findings_by_place."""
    return rows(
        db,
        "with public_observations as (" + _PUBLIC_OBSERVATIONS + ")"
        " select f.place_id, p.name as place, f.category, f.status,"
        " count(*) as n from public_observations f left join places p on p.id = f.place_id"
        " group by f.place_id, f.category, f.status",
        _year(year, organisation_id),
    )


def worked_measures(
    db: sqlite_utils.Database, year: int, organisation_id: int | None = None
) -> list[dict]:
    """The year's public measures someone has worked on (assigned, planned, done, verified, not
    possible: not the new and the good ones), newest change first, for "each measure in words":
    [{id, place_id, category, status, deadline, reason, partner, updated_at, history_at,
    after_photo_ids}]. The reason is the coordinator's for "not possible", written for the
    public; the after photos are those published (photos.public) — never a before photo."""
    found = rows(
        db,
        "with public_observations as (" + _PUBLIC_OBSERVATIONS + ")"
        " select f.id, f.place_id, f.category, f.status, f.deadline, f.reason, f.updated_at,"
        " pa.name as partner,"
        " (select max(h.changed_at) from measure_history h where h.observation_id = f.id)"
        " as history_at"
        " from public_observations f left join partners pa on pa.id = f.partner_id"
        f" where f.status not in ({quoted(INITIAL_STATUSES)})"
        " order by coalesce(history_at, f.updated_at) desc, f.id",
        _year(year, organisation_id),
    )
    photos = published_after_photos(db, [row["id"] for row in found])
    return [{**row, "after_photo_ids": photos.get(row["id"], [])} for row in found]


# The after photos the public may see: published (photos.public) by a coordinator or the
# partner's person, of a measure fixed (done or verified), of an observation the public counts (a
# held walk's, not an incident or gathering, not "inte publik"). A before photo never is.
_PUBLISHED_PHOTOS = f"""
    from photos p join observations o on o.id = p.observation_id
    join walks w on w.id = o.walk_id join measures m on m.observation_id = o.id
    where p.kind = 'after' and p.public = 1 and w.state = 'closed'
      and m.status in ({quoted(FIXED_STATUSES)}) and o.not_public = 0
      and o.category not in ({quoted(NEVER_PUBLIC_CATEGORIES)})
"""


def published_after_photos(
    db: sqlite_utils.Database, observation_ids: list[str]
) -> dict[str, list[str]]:
    """{observation id: [its after photo ids the public may see]}, in upload order."""
    photos: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(observation_ids), 500):
        chunk = observation_ids[start : start + 500]
        for photo_id, observation_id in db.execute(
            f"select p.id, p.observation_id {_PUBLISHED_PHOTOS}"
            f" and p.observation_id in ({marks(chunk)}) order by p.created_at, p.id",
            chunk,
        ):
            photos[observation_id].append(photo_id)
    return photos


def public_photo(db: sqlite_utils.Database, photo_id: str) -> dict | None:
    """A photo the public may see (_PUBLISHED_PHOTOS), or None for every other photo id."""
    return one(db, f"select p.* {_PUBLISHED_PHOTOS} and p.id = ?", [photo_id])


def next_public_walk(
    db: sqlite_utils.Database, from_iso: str, organisation_id: int | None = None
) -> dict | None:
    """The next planned walk the coordinator made public (of an organisation, when given):
    when, where to meet, which places."""
    rows = list(
        db.query(
            "select id, title, starts_at, light, meeting_point from walks w"
            " where state = 'planned' and public = 1 and starts_at >= :start"
            f" and {organised_by('w')} order by starts_at limit 1",
            {"start": clock.day_start(from_iso), "organisation": organisation_id},
        )
    )
    if not rows:
        return None
    walk = rows[0]
    places = _place_names(db, [walk["id"]])
    return {**walk, "places": next(iter(places.values()), [])}


def walk_follow_up(db: sqlite_utils.Database, walk_id: str, walker_id: str) -> list[dict]:
    """A walk's observations as one walker may see them after the walk.

    Their own observations with notes; the others' without note or name, and without incidents.
    """
    return rows(
        db,
        "select o.id, o.category, o.rating, o.recorded_at, o.relation, p.name as place,"
        " o.walker_id = :walker as mine,"
        " case when o.walker_id = :walker then o.note else '' end as note,"
        " m.status, m.deadline, m.reason, m.updated_at, pa.name as partner,"
        " (select max(h.changed_at) from measure_history h where h.observation_id = o.id)"
        " as history_at"
        " from observations o join measures m on m.observation_id = o.id"
        " left join places p on p.id = o.place_id"
        " left join partners pa on pa.id = m.partner_id"
        " where o.walk_id = :walk and (o.walker_id = :walker or o.category != 'incident')"
        " order by p.name is null, p.name, o.recorded_at",
        {"walk": walk_id, "walker": walker_id},
    )


def set_not_public(db: sqlite_utils.Database, observation_id: str, not_public: bool) -> bool:
    """Mark a observation "inte publik" (or public again). False: no such id."""
    cursor = db.execute(
        "update observations set not_public = ? where id = ?",
        [int(not_public), observation_id],
    )
    return cursor.rowcount == 1
