"""The national benchmark's fixes, each timed beside the naive query it replaced on the same
database, as a ratio, with a check that both answer the same (benchmarks/national.py prints
them)."""

from __future__ import annotations

import statistics
import time

from walkapp import maps, measures
from walkapp.db import dashboard as dashboard_db
from walkapp.db import exports as exports_db
from walkapp.db import measures as measures_db
from walkapp.db import rows
from walkapp.db import walks as walks_db
from walkapp.exports.filters import Filters
from walkapp.vocabulary import OPEN_STATUSES
from walkapp.walks import LIST_ROWS

# The walks page before paging: every walk in scope, each counted.
ALL_WALKS_COUNTED = """
    select w.*,
        (select count(*) from observations o where o.walk_id = w.id) as observations,
        (select count(*) from walkers k where k.walk_id = w.id) as walkers
    from walks w order by w.starts_at desc, w.id
"""


# Triage's possible duplicates before the position index: the planner read the organisation's
# walks' observations (or the category's) and compared each one's position.
OLD_CANDIDATES = (
    measures_db.SAME_CATEGORY_CANDIDATES.replace("+o.", "o.").replace("+m.", "m.")
)


def _best(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _row(name: str, ours: tuple[float, object], naive: tuple[float, object], same: bool) -> dict:
    return {
        "name": name,
        "walkapp_ms": round(ours[0] * 1000, 2),
        "naive_ms": round(naive[0] * 1000, 2),
        "ratio": round(naive[0] / ours[0], 1),
        "same": same,
    }


def walks_page(db) -> dict:
    """The walks page as an admin: a page of 100 (and the count) against every walk counted."""
    ours = _best(
        lambda: (walks_db.count_walks(db), walks_db.walks_with_counts(db, None, (LIST_ROWS, 0)))
    )
    naive = _best(lambda: rows(db, ALL_WALKS_COUNTED))
    total, page = ours[1]
    return _row("walks page (admin, page 1)", ours, naive,
                total == len(naive[1]) and page == naive[1][:LIST_ROWS])  # fmt: skip


def overview_map(db) -> dict:
    """The overview map's data as an admin (every observation): counted on the instance's grid,
    from its index (walkapp.maps.overview_cells), against every observation read and made a
    point in Python, as before."""
    everything = Filters()
    ours = _best(lambda: maps.overview_cells(db, everything)[0]["cells"], runs=1)
    naive = _best(lambda: maps.points(exports_db.iter_filtered(db, everything))[0], runs=1)
    counted = sum(cell[2] for cell in ours[1])
    return _row("overview map data (admin, all)", ours, naive, counted == len(naive[1]))


def triage_duplicates(db, sample: dict) -> dict:
    """Triage's possible duplicates of the sample observation (its organisation's coordinator):
    by the position index against the query as it was."""
    observation = measures_db.get_observation(db, sample["observation_id"])
    params = [observation["category"], observation["id"], *OPEN_STATUSES,
              *measures_db._box(observation, 0.001), observation["walk_id"]]  # fmt: skip
    ours = _best(lambda: measures_db.same_category_candidates(db, observation), runs=5)
    naive = _best(lambda: rows(db, OLD_CANDIDATES, params), runs=5)
    return _row("triage duplicates (coordinator)", ours, naive, ours[1] == naive[1])


# The places list's counts before migration 0022: every open measure of the instance joined to its
# observation (by measures_status) and grouped by place.
OLD_OPEN_BY_PLACE = f"""
    select o.place_id, count(*), coalesce(sum(m.deadline is not null and m.deadline < ?), 0)
    from observations o join measures m on m.observation_id = o.id
    where m.status in ({", ".join("?" * len(OPEN_STATUSES))}) and o.place_id is not null
    group by o.place_id
"""


def places_open_counts(db, sample: dict, role: str) -> dict:
    """The places list's open and overdue counts for a coordinator (the organisation's places,
    read place by place) or the instance's admin (every place), from each observation's copy of
    its measure's status, against every open measure of the instance joined to its observation
    (and, for the coordinator, the other organisations' places dropped)."""
    scope = [sample["organisation_id"]] if role == "coordinator" else None
    ours = _best(lambda: measures_db.open_and_overdue_by_place(db, "2026-12-01", scope))
    own = None
    if scope is not None:
        places = db.execute("select id from places where organisation_id = ?", scope)
        own = {row[0] for row in places}
    naive = _best(
        lambda: {
            row[0]: (row[1], row[2])
            for row in db.execute(OLD_OPEN_BY_PLACE, ["2026-12-01", *OPEN_STATUSES])
            if own is None or row[0] in own
        },
        runs=1 if scope is None else 3,
    )
    return _row(f"places list counts ({role})", ours, naive, ours[1] == naive[1])


def dashboard_partners(db, sample: dict) -> dict:
    """The dashboard's open measures per partner for a coordinator: walk by walk, against the
    same query read from measures_status (every open measure of the instance), as the planner
    chose before."""
    scope = [sample["organisation_id"]]
    ours = _best(lambda: dashboard_db.measures_per_partner(db, "2026-12-01", scope))
    naive = _best(lambda: rows(db, OLD_PER_PARTNER, ["2026-12-01", *OPEN_STATUSES, *scope]))
    return _row("dashboard per partner (coordinator)", ours, naive, ours[1] == naive[1])


OLD_PER_PARTNER = """
    select p.id as partner_id, p.name as partner, count(*) as open,
        coalesce(sum(m.deadline is not null and m.deadline < ?), 0) as overdue,
        min(m.deadline) as next_deadline
    from measures m left join partners p on p.id = m.partner_id
        join observations o on o.id = m.observation_id join walks w on w.id = o.walk_id
    where m.status in (?, ?, ?) and w.organisation_id in (?)
    group by m.partner_id order by overdue desc, open desc, p.name is null, p.name
"""


# The days to fixed before migration 0025: every fixed measure's history and walk read.
FROM_THE_HISTORY = """
    select m.partner_id, julianday(min(h.changed_at)) - julianday(w.starts_at) as days
    from measure_history h
    join measures m on m.observation_id = h.observation_id
    join observations o on o.id = h.observation_id
    join walks w on w.id = o.walk_id
    where h.field = 'status' and h.new_value in ('done', 'verified')
    group by h.observation_id
"""


def days_to_fixed(db) -> dict:
    """The medians from walk to fixed of every partner, as the admin's /partners shows them: read
    from the middle of migration 0025's indexes against every fixed measure's history and walk
    read and sorted in Python."""
    ours = _best(lambda: measures.median_days_to_fixed(db))

    def naive():
        by_partner: dict = {}
        for row in rows(db, FROM_THE_HISTORY):
            by_partner.setdefault(row["partner_id"], []).append(row["days"])
        return by_partner

    old = _best(naive, runs=1)
    medians = {
        key: (round(statistics.median(max(d, 0.0) for d in days)), len(days))
        for key, days in old[1].items()
        if key
    }
    return _row("days to fixed per partner (admin, all)", ours, old,
                medians == ours[1]["by_partner"])  # fmt: skip


def walk_walkers(db, sample: dict) -> dict:
    """The walk page's walkers with their counts: among the walk's observations, against each
    walker counted over every observation (there is no index by walker)."""
    walk_id = sample["walk_id"]
    ours = _best(lambda: walks_db.list_walkers(db, walk_id))
    naive = _best(lambda: rows(db, OLD_WALKERS, [walk_id]), runs=1)
    return _row("walk page walkers (any role)", ours, naive, ours[1] == naive[1])


OLD_WALKERS = walks_db.LIST_WALKERS.replace(
    "o.walk_id = k.walk_id\n         and o.walker_id", "o.walker_id"
)


def compare(db, sample: dict) -> list[dict]:
    return [
        walk_walkers(db, sample),
        walks_page(db),
        overview_map(db),
        triage_duplicates(db, sample),
        places_open_counts(db, sample, "coordinator"),
        places_open_counts(db, sample, "admin"),
        dashboard_partners(db, sample),
        days_to_fixed(db),
    ]
