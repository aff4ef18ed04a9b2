"""Organisations (arrangörer): one instance holds several, each owning its places, partners (which
it may share), walks, promises, coordinators and API tokens, and covering some areas. A region
user reads every organisation covering one of its areas (region_areas).

An instance of one organisation upgrades into it: organisation 1, `lpo-norrmalm`, owns every
place, walk, promise and token there is, and every coordinator works for it. Admins stay
without an organisation: they are the instance's admins, who see everything. Its name, logo
and Open311 jurisdiction are today's defaults of the settings; the app copies the instance's
own settings over them once at its first start (walkapp/organisations.py adopt_settings), as a
migration cannot read settings. A fresh database gets the same first organisation.

Columns are added (`alter table … add column`), but to places: their names were unique in
the instance and are now unique in their organisation (two organisations may both have a
"Centralstationen"), which SQLite changes only by copying the table — foreign keys off around
it, ids kept, as m0007 did for users. An organisation_id NULL on a user is the instance
admin's or a region user's.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from . import migration, run_script

FIRST = {
    "slug": "lpo-norrmalm",
    "name": "Polisen · Lokalpolisområde Norrmalm",
    "jurisdiction_id": "lpo-norrmalm",
}
ADDED_TO = ("walks", "promises", "users", "api_tokens")


@migration("0008_organisations", foreign_keys_off=True)
def organisations(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table organisations (
            id integer primary key,
            slug text not null unique,
            name text not null,
            logo text not null default '',
            languages text not null default '["sv", "en"]',
            jurisdiction_id text unique,
            created_at text not null
        );
        create table organisation_areas (
            organisation_id integer not null references organisations(id) on delete cascade,
            area_id integer not null references areas(id) on delete cascade,
            primary key (organisation_id, area_id)
        ) without rowid;
        create index organisation_areas_area on organisation_areas (area_id);
        create table organisation_partners (
            organisation_id integer not null references organisations(id) on delete cascade,
            partner_id integer not null references partners(id) on delete cascade,
            primary key (organisation_id, partner_id)
        ) without rowid;
        create index organisation_partners_partner on organisation_partners (partner_id);
        create table region_areas (
            user_id integer not null references users(id) on delete cascade,
            area_id integer not null references areas(id) on delete cascade,
            primary key (user_id, area_id)
        ) without rowid
        """,
    )
    for table in ADDED_TO:
        db.execute(
            f"alter table {table} add column organisation_id integer references organisations(id)"
        )
        db.execute(f"create index {table}_organisation on {table} (organisation_id)")
    run_script(
        db,
        """
        create table places_new (
            id integer primary key,
            name text not null,
            priority integer not null default 3,
            description text not null default '',
            partners text not null default '[]',
            approximate integer not null default 0,
            active integer not null default 1,
            geometry text not null,
            updated_at text not null,
            organisation_id integer references organisations(id),
            unique (organisation_id, name)
        );
        insert into places_new (id, name, priority, description, partners, approximate, active,
                                geometry, updated_at)
            select id, name, priority, description, partners, approximate, active, geometry,
                   updated_at from places;
        drop table places;
        alter table places_new rename to places;
        create index places_organisation on places (organisation_id)
        """,
    )
    db.execute(
        "insert into organisations (id, slug, name, jurisdiction_id, created_at)"
        " values (1, ?, ?, ?, ?)",
        [
            FIRST["slug"],
            FIRST["name"],
            FIRST["jurisdiction_id"],
            datetime.now(UTC).isoformat(timespec="seconds"),
        ],
    )
    for table in ("places", "walks", "promises", "api_tokens"):
        db.execute(f"update {table} set organisation_id = 1")
    db.execute("update users set organisation_id = 1 where role = 'coordinator'")
    db.execute("insert into organisation_partners select 1, id from partners")
    db.execute("insert into organisation_areas select 1, id from areas where kind = 'lpo'")
