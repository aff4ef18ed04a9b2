"""Areas of several kinds (police region, LPO, län, kommun, stadsdelsområde, stadsdel, free),
each a polygon or a union of other areas (its parts), and the areas every observation lies in.

The districts table stays: it is the police area that "outside_area" means (walkapp.areas)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0006_areas_kinds")
def areas_kinds(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table areas (
            id integer primary key,
            kind text not null,
            name text not null,
            code text,
            approximate integer not null default 0,
            source text not null default '',
            geometry text,
            unique (kind, name)
        );
        create index areas_kind_code on areas (kind, code);
        create table area_parts (
            area_id integer not null references areas (id) on delete cascade,
            part_id integer not null references areas (id) on delete cascade,
            primary key (area_id, part_id)
        ) without rowid;
        create table observation_areas (
            observation_id text not null references observations (id) on delete cascade,
            kind text not null,
            area_id integer not null references areas (id) on delete cascade,
            primary key (observation_id, kind, area_id)
        ) without rowid;
        create index observation_areas_area on observation_areas (area_id, observation_id);
        insert into meta (key, value) values ('areas_version', '0')
        """,
    )
