"""Areas of several kinds (police region, LPO, län, kommun, stadsdelsområde, stadsdel, free),
each a polygon or a union of other areas (its parts), and the areas every observation lies in: a column of the observation per kind (at most one area
of each, `area_kommun`…), the free areas as a JSON list of ids (`area_free`).

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
        alter table observations add column area_stadsdel integer;
        alter table observations add column area_stadsdelsomrade integer;
        alter table observations add column area_kommun integer;
        alter table observations add column area_lan integer;
        alter table observations add column area_lpo integer;
        alter table observations add column area_region integer;
        alter table observations add column area_free text;
        insert into meta (key, value) values ('areas_version', '0')
        """,
    )
