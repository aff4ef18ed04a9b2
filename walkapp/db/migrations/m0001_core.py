"""The first schema and the 2022 promise."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0001_core")
def core_schema(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table meta (key text primary key, value text not null);
        insert into meta (key, value) values ('places_version', '0');

        create table districts (
            id integer primary key,
            name text not null unique,
            municipality text,
            included integer not null default 1,
            approximate integer not null default 0,
            geometry text not null
        );

        create table partners (
            id integer primary key,
            name text not null unique,
            kind text not null default 'other',
            active integer not null default 1
        );

        create table places (
            id integer primary key,
            name text not null unique,
            priority integer not null default 3,
            description text not null default '',
            partners text not null default '[]',
            approximate integer not null default 0,
            active integer not null default 1,
            geometry text not null,
            updated_at text not null
        );

        create table users (
            id integer primary key,
            username text not null unique,
            password_hash text not null,
            role text not null check (role in ('coordinator', 'admin')),
            active integer not null default 1,
            created_at text not null
        );

        create table walks (
            id text primary key,
            title text not null,
            code text not null unique,
            starts_at text not null,
            light text not null default 'dark' check (light in ('dark', 'dusk', 'daylight')),
            meeting_point text not null default '',
            route_notes text not null default '',
            pre_meeting_at text,
            follow_up_at text,
            leader text not null default '',
            state text not null default 'planned'
                check (state in ('planned', 'ongoing', 'closed')),
            public integer not null default 0,
            created_by integer references users(id),
            created_at text not null,
            opened_at text,
            closed_at text
        );
        create index walks_starts_at on walks (starts_at);

        create table walk_places (
            walk_id text not null references walks(id) on delete cascade,
            place_id integer not null references places(id),
            position integer not null default 0,
            primary key (walk_id, place_id)
        );

        create table walkers (
            id text primary key,
            walk_id text not null references walks(id) on delete cascade,
            display_name text not null default '',
            joined_at text not null
        );
        create index walkers_walk on walkers (walk_id);

        create table observations (
            id text primary key,
            walk_id text not null references walks(id),
            walker_id text references walkers(id),
            category text not null,
            rating text not null check (rating in ('red', 'yellow', 'green')),
            note text not null default '',
            lon real not null,
            lat real not null,
            accuracy_m real,
            recorded_at text not null,
            received_at text not null,
            updated_at text not null,
            late integer not null default 0,
            place_id integer references places(id),
            relation text not null
                check (relation in ('inside', 'near', 'none', 'outside_area')),
            distance_m real
        );
        create index observations_walk on observations (walk_id, recorded_at);
        create index observations_place on observations (place_id, recorded_at);
        create index observations_recorded on observations (recorded_at);
        create index observations_category on observations (category);

        create table measures (
            observation_id text primary key references observations(id) on delete cascade,
            status text not null default 'new' check (status in
                ('new', 'assigned', 'planned', 'done', 'verified', 'not_possible', 'duplicate')),
            partner_id integer references partners(id),
            deadline text,
            comment text not null default '',
            reason text not null default '',
            duplicate_of text references observations(id),
            updated_at text not null,
            updated_by integer references users(id)
        );
        create index measures_status on measures (status);
        create index measures_partner on measures (partner_id, status);

        create table measure_history (
            id integer primary key,
            observation_id text not null references observations(id) on delete cascade,
            changed_at text not null,
            changed_by integer references users(id),
            field text not null,
            old_value text,
            new_value text,
            comment text not null default ''
        );
        create index measure_history_observation on measure_history (observation_id, changed_at);

        create table photos (
            id text primary key,
            observation_id text not null references observations(id) on delete cascade,
            filename text not null unique,
            thumb_filename text not null unique,
            content_type text not null default 'image/jpeg',
            bytes integer not null,
            width integer not null,
            height integer not null,
            created_at text not null
        );
        create index photos_observation on photos (observation_id);

        create table api_tokens (
            id integer primary key,
            user_id integer not null references users(id),
            label text not null default '',
            token_hash text not null unique,
            created_at text not null,
            last_used_at text,
            revoked_at text
        );

        create table promises (
            id integer primary key,
            year integer not null,
            area text not null,
            title text not null default '',
            unique (year, area)
        );

        create table commitments (
            id integer primary key,
            promise_id integer not null references promises(id) on delete cascade,
            position integer not null default 0,
            text text not null,
            target integer not null,
            counting text not null check (counting in ('walks', 'activities'))
        );

        create table activities (
            id integer primary key,
            commitment_id integer not null references commitments(id) on delete cascade,
            happened_on text not null,
            description text not null,
            place_id integer references places(id),
            created_by integer references users(id),
            created_at text not null
        );
        create index activities_commitment on activities (commitment_id, happened_on);

        create table audit_log (
            id integer primary key,
            at text not null,
            user_id integer references users(id),
            action text not null,
            entity text not null,
            entity_id text,
            detail text not null default '{}'
        );
        create index audit_log_at on audit_log (at);
        """,
    )


@migration("0002_public_commitment_heading")
def public_commitment_heading(db: sqlite_utils.Database) -> None:
    """A short public heading per commitment ("Ungdomar"), shown above its text."""
    db.execute("alter table commitments add column heading text not null default ''")


# The 2022 citizen promise of LPO Norrmalm (reference/medborgarlofte-norrmalm-2022.txt).
PROMISE_2022 = {
    "year": 2022,
    "area": "Lokalpolisområde Norrmalm",
    "title": "Medborgarlöfte 2022 för Stockholm, Norrmalm",
    "commitments": [
        (
            "Ungdomar",
            "Minst sex polisinsatser med särskilt fokus på personrån, våldsbrott och"
            " narkotikabrott bland ungdomar.",
            6,
            "activities",
        ),
        (
            "Särskilt utsatta brottsoffer",
            "Minst sex brottsförebyggande informationsinsatser som riktar sig mot särskilt"
            " utsatta brottsoffer, till exempel äldre och utsatta i parrelation.",
            6,
            "activities",
        ),
        (
            "Otrygga och brottsutsatta platser",
            "Minst åtta trygghetsvandringar på otrygga och brottsutsatta platser under året.",
            8,
            "walks",
        ),
        (
            "Kriminella nätverk",
            "Minst fyra insatser med fokus på organiserad brottslighet och brottsvinster,"
            " i samverkan med andra myndigheter.",
            4,
            "activities",
        ),
    ],
}


@migration("0002_public_seed_promise_2022")
def public_seed_promise_2022(db: sqlite_utils.Database) -> None:
    promise = PROMISE_2022
    if db.execute(
        "select 1 from promises where year = ? and area = ?", [promise["year"], promise["area"]]
    ).fetchone():
        return
    cursor = db.execute(
        "insert into promises (year, area, title) values (?, ?, ?)",
        [promise["year"], promise["area"], promise["title"]],
    )
    for position, (heading, text, target, counting) in enumerate(promise["commitments"]):
        db.execute(
            "insert into commitments (promise_id, position, heading, text, target, counting)"
            " values (?, ?, ?, ?, ?, ?)",
            [cursor.lastrowid, position, heading, text, target, counting],
        )
