"""Retention: photos and walker display names and addresses past their keeping period."""

from __future__ import annotations

import sqlite_utils

from . import rows


def photos_older_than(db: sqlite_utils.Database, cutoff: str) -> list[dict]:
    return rows(db, """
        select p.id, p.filename, p.thumb_filename, p.created_at, o.walk_id from photos p
        join observations o on o.id = p.observation_id
        where p.created_at < ? order by p.created_at
    """, [cutoff])  # fmt: skip


def delete_photos(db: sqlite_utils.Database, photo_ids: list[str]) -> None:
    db.conn.executemany("delete from photos where id = ?", [(i,) for i in photo_ids])


def named_walkers_older_than(db: sqlite_utils.Database, cutoff: str) -> list[dict]:
    """Walkers who joined before `cutoff` and still have a name or an e-mail address."""
    return rows(db, """
        select w.id, w.display_name, w.email is not null as has_email, w.joined_at, w.walk_id
        from walkers w where (w.display_name != '' or w.email is not null) and w.joined_at < ?
        order by w.joined_at
    """, [cutoff])  # fmt: skip


def forget_walker_names(db: sqlite_utils.Database, walker_ids: list[str]) -> None:
    """Their names and addresses go, and every mail to them (its body holds the address)."""
    params = [(i,) for i in walker_ids]
    db.conn.executemany("update walkers set display_name = '', email = null where id = ?", params)
    db.conn.executemany("delete from mail_outbox where walker_id = ?", params)
