"""A national instance's data for benchmarks/national.py: organisations around real Swedish
kommun centroids (the shipped boundaries in geodata/), their places, partners shared between
them, walks over ten years and observations with measures in every status and their history.

`fill(db, observations=…)` writes into a database made by `walkapp.db.init` (the schema of every
migration), in one transaction with `executemany` — seeding, not a user's write, so it goes
beside the doors, as benchmarks/place_page.py does. Deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta

from shapely.geometry import shape

from walkapp import languages
from walkapp.passwords import hash_password
from walkapp.vocabulary import CATEGORY_LABELS_SV

PASSWORD = "benchmark-password"
YEARS = 10
FIRST_DAY = datetime(2016, 12, 1, 17, 0, tzinfo=UTC)
TODAY = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
WALKERS = 6  # per walk held, each sending its share of the walk's observations
PLACE_HALF_DEG = 0.0015  # a place is a square of about 170 × 330 m
CATEGORIES = tuple(CATEGORY_LABELS_SV)
# Red and yellow findings' statuses by age: (status, weight) for a walk years ago, then recent.
OLD_STATUSES = (("done", 45), ("verified", 25), ("not_possible", 10), ("duplicate", 5),
                ("planned", 5), ("assigned", 5), ("new", 5))
NEW_STATUSES = (("new", 35), ("assigned", 25), ("planned", 15), ("done", 15), ("verified", 3),
                ("not_possible", 4), ("duplicate", 3))
WITH_PARTNER = {"assigned", "planned", "done", "verified"}


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _square(lon: float, lat: float) -> str:
    w, h = PLACE_HALF_DEG * 2, PLACE_HALF_DEG
    ring = [[lon - w, lat - h], [lon - w, lat + h], [lon + w, lat + h], [lon + w, lat - h]]
    return json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})


def fill(
    db,
    organisations: int = 100,
    places: int = 2000,
    walks: int = 20000,
    observations: int = 100_000,
    partners: int = 300,
    seed: int = 24,
) -> dict:
    """Fill db; return the sample ids and user names the benchmark visits."""
    rnd = random.Random(seed)
    stamp = _stamp(TODAY)
    kommuner = [
        (row[0], row[1], row[2], shape(json.loads(row[3])).representative_point())
        for row in db.execute(
            "select id, name, code, geometry from areas where kind = 'kommun' order by code"
        )
    ]
    lan = {row[1]: row[0] for row in db.execute("select id, code from areas where kind = 'lan'")}
    # Stockholm (0180) first: the organisation there is the existing first one (lpo-norrmalm).
    kommuner.sort(key=lambda k: (k[2] != "0180", k[2]))
    chosen = [kommuner[0], *rnd.sample(kommuner[1:], min(organisations - 1, len(kommuner) - 1))]
    chosen += [kommuner[i % len(kommuner)] for i in range(organisations - len(chosen))]
    db.execute("begin")
    org_ids, centres = [], []
    for i, (area_id, name, code, point) in enumerate(chosen):
        if i == 0:
            org_id = db.execute("select min(id) from organisations").fetchone()[0]
        else:
            org_id = db.execute(
                "insert into organisations (slug, name, jurisdiction_id, languages, created_at)"
                " values (?, ?, ?, ?, ?)",
                [f"org-{i:03d}", f"Trygghetsvandringar {name} {i}", f"org-{i:03d}",
                 json.dumps(list(languages.NAMES)), stamp],  # fmt: skip
            ).lastrowid
        db.execute(
            "insert or ignore into organisation_areas values (?, ?)", [org_id, area_id]
        )
        org_ids.append(org_id)
        centres.append((point.x, point.y, area_id, lan.get(code[:2])))

    # Partners: every organisation works with ~6, a few (Trafikverket-like) shared by many.
    first_partner = db.execute("select coalesce(max(id), 0) from partners").fetchone()[0] + 1
    db.conn.executemany(
        "insert into partners (id, name, kind) values (?, ?, 'other')",
        [(first_partner + p, f"Partner {p:04d}") for p in range(partners)],
    )
    partner_ids = list(range(first_partner, first_partner + partners))
    org_partners = {}
    for o, org_id in enumerate(org_ids):
        own = {partner_ids[(o * 3 + k) % partners] for k in range(5)} | {partner_ids[0]}
        org_partners[org_id] = sorted(own)
    db.conn.executemany(
        "insert or ignore into organisation_partners values (?, ?)",
        [(o, p) for o, ps in org_partners.items() for p in ps],
    )

    # Places: squares scattered within ~4 km of the kommun's point.
    per_org = max(1, places // organisations)
    org_places: dict[int, list[tuple[int, float, float]]] = {}
    next_place = db.execute("select coalesce(max(id), 0) from places").fetchone()[0] + 1
    place_rows = []
    for org_id, (lon, lat, _kommun, _lan) in zip(org_ids, centres):
        for k in range(per_org):
            plon, plat = lon + rnd.uniform(-0.07, 0.07), lat + rnd.uniform(-0.035, 0.035)
            place_rows.append(
                (next_place, f"Plats {k:03d}", rnd.randint(1, 5), _square(plon, plat), stamp,
                 org_id)
            )
            org_places.setdefault(org_id, []).append((next_place, plon, plat))
            next_place += 1
    db.conn.executemany(
        "insert into places (id, name, priority, geometry, updated_at, organisation_id)"
        " values (?, ?, ?, ?, ?, ?)",
        place_rows,
    )

    # Users: a coordinator per organisation, a region user for Stockholms län, an admin.
    password = hash_password(PASSWORD)
    db.conn.executemany(
        "insert into users (username, password_hash, role, created_at, organisation_id)"
        " values (?, ?, ?, ?, ?)",
        [(f"coordinator-{o}", password, "coordinator", stamp, o) for o in org_ids]
        + [("region", password, "region", stamp, None), ("admin", password, "admin", stamp, None)],
    )
    region_id = db.execute("select id from users where username = 'region'").fetchone()[0]
    db.execute("insert into region_areas values (?, ?)", [region_id, lan["01"]])
    db.conn.executemany(
        "insert or ignore into promises (year, area, title, organisation_id) values (?, ?, ?, ?)",
        [
            (year, f"org {o}", f"Medborgarlöfte {year}", o)
            for o in org_ids
            for year in range(FIRST_DAY.year + 1, TODAY.year + 1)
        ],
    )
    db.execute(
        "insert into commitments (promise_id, position, text, target, counting)"
        " select id, 0, 'Minst fyra trygghetsvandringar', 4, 'walks' from promises"
        " where id not in (select promise_id from commitments)"
    )

    # Walks over ten years; the last few are planned, one is ongoing.
    span = (TODAY - FIRST_DAY).total_seconds()
    walk_rows, walk_place_rows, walk_info = [], [], []
    for w in range(walks):
        o = w % len(org_ids)
        org_id = org_ids[o]
        starts = FIRST_DAY + timedelta(seconds=span * (w // len(org_ids)) / (walks / len(org_ids)))
        state = "closed" if starts < TODAY - timedelta(days=2) else "planned"
        if w == walks - 1:
            state = "ongoing"
        walk_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        walk_rows.append(
            (walk_id, f"Trygghetsvandring {w}", f"N{w:06d}", _stamp(starts), state,
             1 if state == "closed" else 0, stamp, org_id)
        )
        visited = rnd.sample(org_places[org_id], min(2, len(org_places[org_id])))
        walk_place_rows += [(walk_id, p[0], k) for k, p in enumerate(visited)]
        walk_info.append((walk_id, starts, org_id, visited, centres[o], state))
    db.conn.executemany(
        "insert into walks (id, title, code, starts_at, state, public, created_at,"
        " organisation_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
        walk_rows,
    )
    db.conn.executemany(
        "insert into walk_places (walk_id, place_id, position) values (?, ?, ?)",
        walk_place_rows,
    )

    # Observations, their measures and history, walk by walk (planned walks have none).
    held = [info for info in walk_info if info[5] != "planned"]
    walkers = {info[0]: [f"{info[0][:24]}{k:012d}" for k in range(WALKERS)] for info in held}
    db.conn.executemany(
        "insert into walkers (id, walk_id, display_name, joined_at) values (?, ?, ?, ?)",
        [
            (walker, info[0], f"Deltagare {k}", _stamp(info[1]))
            for info in held
            for k, walker in enumerate(walkers[info[0]])
        ],
    )
    per_walk = observations // len(held)
    extra = observations - per_walk * len(held)
    obs_sql = (
        "insert into observations (id, walk_id, category, rating, note, lon, lat, recorded_at,"
        " received_at, updated_at, place_id, relation, area_kommun, area_lan, walker_id)"
        " values (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    measure_sql = (
        "insert into measures (observation_id, status, partner_id, deadline, duplicate_of,"
        " updated_at) values (?, ?, ?, ?, ?, ?)"
    )
    history_sql = (
        "insert into measure_history (observation_id, changed_at, field, old_value, new_value)"
        " values (?, ?, ?, ?, ?)"
    )
    sample_observation = None
    for n, (walk_id, starts, org_id, visited, centre, _state) in enumerate(held):
        count = per_walk + (1 if n < extra else 0)
        old = (TODAY - starts).days > 365
        weights = OLD_STATUSES if old else NEW_STATUSES
        obs, measures, history = [], [], []
        first_id = None
        for i in range(count):
            oid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            first_id = first_id or oid
            place = visited[i % len(visited)] if visited else None
            inside = place is not None and rnd.random() < 0.85
            base_lon, base_lat = (place[1], place[2]) if place else centre[:2]
            lon = base_lon + rnd.uniform(-1, 1) * PLACE_HALF_DEG * (2 if inside else 5)
            lat = base_lat + rnd.uniform(-1, 1) * PLACE_HALF_DEG * (1 if inside else 3)
            at = _stamp(starts + timedelta(seconds=20 * i))
            rating = rnd.choices(("red", "yellow", "green"), (45, 35, 20))[0]
            obs.append((oid, walk_id, rnd.choice(CATEGORIES), rating, lon, lat, at, at, at,
                        place[0] if inside else None, "inside" if inside else "none",
                        centre[2], centre[3], walkers[walk_id][i % WALKERS]))
            if rating == "green":
                status = "keep"
            else:
                status = rnd.choices([s for s, _ in weights], [w for _, w in weights])[0]
            if status == "duplicate" and oid == first_id:
                status = "new"
            partner = rnd.choice(org_partners[org_id]) if status in WITH_PARTNER else None
            changed = _stamp(starts + timedelta(days=rnd.randint(1, 200)))
            deadline = (
                (starts + timedelta(days=90)).date().isoformat() if status == "planned" else None
            )
            measures.append((oid, status, partner, deadline,
                             first_id if status == "duplicate" else None, changed))
            if status not in ("new", "keep"):
                history.append((oid, changed, "status", "new", status))
            if partner is not None:
                history.append((oid, changed, "partner_id", None, str(partner)))
        db.conn.executemany(obs_sql, obs)
        db.conn.executemany(measure_sql, measures)
        db.conn.executemany(history_sql, history)
        if sample_observation is None and org_id == org_ids[0] and count:
            sample_observation = first_id
    db.execute("commit")
    db.execute("analyze")
    own_walk = next(info for info in walk_info if info[2] == org_ids[0] and info[5] == "closed")
    return {
        "organisations": len(org_ids),
        "places": len(place_rows),
        "walks": len(walk_rows),
        "observations": per_walk * len(held) + extra,
        "partners": partners,
        "organisation_id": org_ids[0],
        "slug": db.execute(
            "select slug from organisations where id = ?", [org_ids[0]]
        ).fetchone()[0],
        "coordinator": f"coordinator-{org_ids[0]}",
        "walk_id": own_walk[0],
        "place_id": own_walk[3][0][0],
        "observation_id": sample_observation,
        "partner_id": org_partners[org_ids[0]][0],
        "promise_id": db.execute(
            "select id from promises where organisation_id = ? order by year desc limit 1",
            [org_ids[0]],
        ).fetchone()[0],
        "year": TODAY.year,
    }
