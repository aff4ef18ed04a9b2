"""Mail: events read from the measures' history, the outbox the worker sends, unsubscribes.

No transactions here: walkapp/mail.py owns them (one door per write)."""

from __future__ import annotations

import sqlite_utils

from ..vocabulary import FIXED_STATUSES, OPEN_STATUSES
from . import marks, now, one, quoted, rows
from .organisations import WALK_ORGANISERS, walks_in_scope


def collect_events(db: sqlite_utils.Database) -> int:
    """Turn the measure history written since the last call into events: a partner given a
    measure ("assigned"), a fixed measure opened again ("reopened", for its partner). The cursor
    moves in the same transaction, so each history row becomes at most one event."""
    cursor = db.execute("select history_id from mail_cursor where id = 1").fetchone()[0]
    newest = db.execute("select coalesce(max(id), 0) from measure_history").fetchone()[0]
    if newest <= cursor:
        return 0
    made = db.execute(
        f"""
        insert or ignore into mail_events
            (history_id, kind, observation_id, partner_id, walk_id, happened_at)
        select h.id,
            case when h.field = 'partner_id' then 'assigned' else 'reopened' end,
            h.observation_id, m.partner_id, o.walk_id, h.changed_at
        from measure_history h
        join measures m on m.observation_id = h.observation_id
        join observations o on o.id = h.observation_id
        where h.id > ? and h.id <= ? and m.partner_id is not null and (
            (h.field = 'partner_id' and h.new_value is not null
                and cast(h.new_value as integer) = m.partner_id)
            or (h.field = 'status' and h.old_value in ({quoted(FIXED_STATUSES)})
                and h.new_value in ({quoted(OPEN_STATUSES)})))
        """,
        [cursor, newest],
    ).rowcount
    made += _collect_answers(db, cursor, newest)
    made += _collect_walker_events(db, cursor, newest)
    db.execute("update mail_cursor set history_id = ? where id = 1", [newest])
    return made


def _collect_answers(db: sqlite_utils.Database, after: int, upto: int) -> int:
    """A partner's person answering (a status change or a comment of theirs: accepted, planned,
    done, given back) is an event for the coordinators of the walk, one per answer."""
    return db.execute(
        """
        insert or ignore into mail_events
            (history_id, kind, observation_id, partner_id, walk_id, happened_at)
        select h.id, 'answered', h.observation_id, u.partner_id, o.walk_id, h.changed_at
        from measure_history h
        join users u on u.id = h.changed_by and u.role = 'partner' and u.partner_id is not null
        join observations o on o.id = h.observation_id
        where h.id > ? and h.id <= ? and h.field in ('status', 'comment')
        """,
        [after, upto],
    ).rowcount


# A coordinator a kind of mail (the one parameter) reaches: active, with an address, not
# unsubscribed from that kind.
_COORDINATOR_READS = """u.role = 'coordinator' and u.active = 1 and u.email is not null
    and u.email != '' and not exists (select 1 from mail_unsubscribes x
                                      where x.user_id = u.id and x.kind = ?)"""


def walk_coordinators(db: sqlite_utils.Database, walk_id: str, kind: str) -> list[dict]:
    """The coordinators of a walk's organisers (its lead and its co-organisers) with an address,
    not unsubscribed from `kind`."""
    organisers = WALK_ORGANISERS.format(walk="?")
    return rows(db, f"""
        select u.id, u.username, u.email, u.language, u.role, u.organisation_id from users u
        where u.organisation_id in ({organisers}) and {_COORDINATOR_READS}
        order by u.id
    """, [walk_id, walk_id, kind])  # fmt: skip


def _unmailed(db: sqlite_utils.Database, asked: str, params: list) -> list[dict]:
    """The rows of `asked` (a person's id, a walk_id, its starts_at and a mail's dedupe_key)
    whose mail has not been made yet, soonest walk first."""
    return rows(db, f"""
        with asked as ({asked})
        select * from asked
        where not exists (select 1 from mail_outbox b where b.dedupe_key = asked.dedupe_key)
        order by starts_at, walk_id, id
    """, params)  # fmt: skip


def invitations_unmailed(db: sqlite_utils.Database) -> list[dict]:
    """Each coordinator with an address (not unsubscribed from "invited") of an organisation
    invited to a joint walk it has not answered, not yet mailed of it: the person, the walk, the
    lead's and the invited organisation's names, and the mail's dedupe_key (of this invitation:
    invited again after a no, it is mailed again)."""
    return _unmailed(db, f"""
        select u.id, u.username, u.email, u.language, wo.walk_id, lead.name as lead,
            guest.name as invited, w.starts_at,
            'invited:' || wo.walk_id || ':' || wo.organisation_id || ':' || u.id || ':'
                || coalesce(wo.invited_at, '') as dedupe_key
        from walk_organisers wo join walks w on w.id = wo.walk_id
        join organisations lead on lead.id = w.organisation_id
        join organisations guest on guest.id = wo.organisation_id
        join users u on u.organisation_id = wo.organisation_id and {_COORDINATOR_READS}
        where wo.accepted_at is null
    """, ["invited"])  # fmt: skip


def declines_unmailed(db: sqlite_utils.Database, now_stamp: str) -> list[dict]:
    """Each coordinator with an address (not unsubscribed from "declined") of a joint walk's
    lead, for each organisation that said no to its invitation (walk_declines), not yet mailed
    of that no: the person, the walk, the declining organisation's name, when, and the mail's
    dedupe_key (of this no: invited again and saying no again, it is mailed again). Only while
    the walk lies ahead (planned, its start after `now_stamp`: walks.has_begun's rule): a no to
    a walk already held is no news to plan by (and the declines kept from before this kind of
    mail, migration 0024, of walks held since, are not mailed)."""
    return _unmailed(db, f"""
        select u.id, u.username, u.email, u.language, d.walk_id, guest.name as declined,
            d.declined_at, w.starts_at,
            'declined:' || d.walk_id || ':' || d.organisation_id || ':' || u.id || ':'
                || d.declined_at as dedupe_key
        from walk_declines d
        join walks w on w.id = d.walk_id and w.state = 'planned' and w.starts_at > ?
        join organisations guest on guest.id = d.organisation_id
        join users u on u.organisation_id = w.organisation_id and {_COORDINATOR_READS}
    """, [now_stamp, "declined"])  # fmt: skip


def _collect_walker_events(db: sqlite_utils.Database, after: int, upto: int) -> int:
    """A finding becoming fixed (done or verified, from a status that was not) is an event for
    the walker who made it and for each walker whose finding of the same thing was merged into
    it (a duplicate of it), when they left an address: one row per walker's own finding."""
    return db.execute(
        f"""
        insert or ignore into mail_walker_events
            (history_id, observation_id, measure_id, walker_id, walk_id, status, happened_at)
        select h.id, own.id, h.observation_id, own.walker_id, own.walk_id, h.new_value,
            h.changed_at
        from measure_history h
        join observations own on own.id = h.observation_id or own.id in (
            select d.observation_id from measures d
            where d.duplicate_of = h.observation_id and d.status = 'duplicate')
        join walkers k on k.id = own.walker_id
        where h.id > ? and h.id <= ? and h.field = 'status' and k.email is not null
            and h.new_value in ({quoted(FIXED_STATUSES)})
            and coalesce(h.old_value, '') not in ({quoted(FIXED_STATUSES)})
        """,
        [after, upto],
    ).rowcount


def quiet_groups(db: sqlite_utils.Database, before: str) -> list[dict]:
    """Unmailed events per (kind, partner, walk) whose newest is older than `before`: a
    coordinator triaging a walk gets one mail out to each partner, not one per finding."""
    return rows(db, """
        select kind, partner_id, walk_id, max(happened_at) as newest
        from mail_events where mailed_at is null
        group by kind, partner_id, walk_id having max(happened_at) <= ?
        order by newest
    """, [before])  # fmt: skip


def group_measures(
    db: sqlite_utils.Database, kind: str, partner_id: int, walk_id: str
) -> list[dict]:
    """A group's unmailed events with what the mail tells of each measure (never who walked):
    its category, rating, note, place, deadline, position and whether it is still the
    partner's and still open."""
    return rows(db, f"""
        select e.history_id, e.observation_id, o.category, o.rating, o.note, o.lon, o.lat,
            m.status, m.deadline, m.reason, m.comment, p.name as place,
            m.partner_id = e.partner_id and m.status in ({quoted(OPEN_STATUSES)}) as still_ours
        from mail_events e
        join observations o on o.id = e.observation_id
        join measures m on m.observation_id = e.observation_id
        left join places p on p.id = o.place_id
        where e.mailed_at is null and e.kind = ? and e.partner_id = ? and e.walk_id = ?
        order by p.name, o.recorded_at
    """, [kind, partner_id, walk_id])  # fmt: skip


def mark_events_mailed(db: sqlite_utils.Database, history_ids: list[int], stamp: str) -> None:
    db.execute(
        f"update mail_events set mailed_at = ? where history_id in ({marks(history_ids)})",
        [stamp, *history_ids],
    )


def recipients(db: sqlite_utils.Database, kind: str, partner_id: int | None = None) -> list[dict]:
    """Active accounts with an e-mail address that have not unsubscribed from `kind`: a
    partner's people (partner_id given), else the coordinators and admins."""
    role = "u.role = 'partner' and u.partner_id = ?" if partner_id is not None else (
        "u.role in ('coordinator', 'admin')"
    )  # fmt: skip
    params = [partner_id] if partner_id is not None else []
    return rows(db, f"""
        select u.id, u.username, u.email, u.language, u.role, u.organisation_id from users u
        where u.active = 1 and u.email is not null and u.email != '' and {role}
            and not exists (select 1 from mail_unsubscribes x
                            where x.user_id = u.id and x.kind = ?)
        order by u.id
    """, [*params, kind])  # fmt: skip


def due_for_partner(db: sqlite_utils.Database, partner_id: int, until: str) -> list[dict]:
    """A partner's open measures with a deadline on or before `until`, earliest first."""
    return rows(db, f"""
        select m.observation_id, m.status, m.deadline, o.category, o.note, o.lon, o.lat,
            p.name as place, o.walk_id
        from measures m join observations o on o.id = m.observation_id
        left join places p on p.id = o.place_id
        where m.partner_id = ? and m.status in ({quoted(OPEN_STATUSES)})
            and m.deadline is not null and m.deadline <= ?
        order by m.deadline, p.name
    """, [partner_id, until])  # fmt: skip


def overdue_by_partner(
    db: sqlite_utils.Database, today: str, organisation_ids=None
) -> list[dict]:
    """Open measures past their deadline (of these organisations' walks, when given), counted
    per partner, for the coordinators' digest."""
    scoped, ids = walks_in_scope("w.id", organisation_ids)
    return rows(db, f"""
        select pa.name as partner, count(*) as overdue, min(m.deadline) as oldest
        from measures m join partners pa on pa.id = m.partner_id
            join observations o on o.id = m.observation_id join walks w on w.id = o.walk_id
        where m.status in ({quoted(OPEN_STATUSES)}) and m.deadline < ? and {scoped}
        group by m.partner_id order by overdue desc, pa.name
    """, [today, *ids])  # fmt: skip


def partners_with_people(db: sqlite_utils.Database) -> list[dict]:
    return rows(db, """
        select distinct pa.id, pa.name from partners pa
        join users u on u.partner_id = pa.id and u.role = 'partner' and u.active = 1
        order by pa.name
    """)  # fmt: skip


def queue(db: sqlite_utils.Database, mail: dict) -> bool:
    """Add a mail unless one with its dedupe_key exists; whether it was added. A mail goes to
    an account (user_id) or to a walker (walker_id)."""
    stamp = now()
    return (
        db.execute(
            "insert or ignore into mail_outbox (dedupe_key, kind, user_id, walker_id, recipient,"
            " subject, body_text, body_html, unsubscribe_url, created_at, next_attempt_at)"
            " values (:dedupe_key, :kind, :user_id, :walker_id, :recipient, :subject,"
            " :body_text, :body_html, :unsubscribe_url, :stamp, :stamp)",
            {"user_id": None, "walker_id": None, **mail, "stamp": stamp},
        ).rowcount
        == 1
    )


def due(db: sqlite_utils.Database, at: str, limit: int = 50) -> list[dict]:
    return rows(db, """
        select * from mail_outbox where sent_at is null and next_attempt_at <= ?
        order by next_attempt_at, id limit ?
    """, [at, limit])  # fmt: skip


def mark_sent(db: sqlite_utils.Database, mail_id: int, stamp: str) -> None:
    db.execute(
        "update mail_outbox set sent_at = ?, attempts = attempts + 1, last_error = null"
        " where id = ? and sent_at is null",
        [stamp, mail_id],
    )


def mark_failed(db: sqlite_utils.Database, mail_id: int, error: str, next_at: str) -> None:
    db.execute(
        "update mail_outbox set attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
        " where id = ? and sent_at is null",
        [error[:500], next_at, mail_id],
    )


def unsubscribe(db: sqlite_utils.Database, user_id: int, kind: str) -> None:
    db.execute(
        "insert or ignore into mail_unsubscribes (user_id, kind, at) values (?, ?, ?)",
        [user_id, kind, now()],
    )


def counts(db: sqlite_utils.Database) -> dict:
    """The outbox at a glance: waiting, failing (tried and not yet sent), sent, oldest waiting."""
    row = one(db, """
        select coalesce(sum(sent_at is null), 0) as waiting,
            coalesce(sum(sent_at is null and attempts > 0), 0) as failing,
            coalesce(sum(sent_at is not null), 0) as sent,
            min(case when sent_at is null then created_at end) as oldest_waiting
        from mail_outbox
    """)  # fmt: skip
    return row or {"waiting": 0, "failing": 0, "sent": 0, "oldest_waiting": None}


# --- walkers ----------------------------------------------------------------------------------

# A walker's finding as their mail tells it: their own note and photos, the place, who fixed it
# and its after photos (of the measure: theirs, or the finding theirs was merged into).
_WALKER_FINDING = f"""
    select e.id as event_id, e.observation_id, e.measure_id, e.status as became,
        e.happened_at, e.answer,
        o.category, o.rating, o.note, p.name as place, m.status, m.comment,
        pa.name as partner, m.status in ({quoted(FIXED_STATUSES)}) as still_fixed,
        (select group_concat(ph.id) from photos ph where ph.observation_id = o.id
         and ph.kind = 'before') as photo_ids,
        (select group_concat(ph.id) from photos ph where ph.observation_id = e.measure_id
         and ph.kind = 'after') as after_photo_ids
    from mail_walker_events e
    join observations o on o.id = e.observation_id
    join measures m on m.observation_id = e.measure_id
    left join places p on p.id = o.place_id
    left join partners pa on pa.id = m.partner_id
"""


def _findings(db: sqlite_utils.Database, where: str, params) -> list[dict]:
    found = rows(db, _WALKER_FINDING + where + " order by p.name, o.recorded_at", params)
    for row in found:
        for key in ("photo_ids", "after_photo_ids"):
            row[key] = row[key].split(",") if row[key] else []
    return found


def walker_quiet_groups(db: sqlite_utils.Database, before: str) -> list[dict]:
    """Unmailed fixed-events per (walker, walk) whose newest is older than `before`: one mail
    per walk to each walker, however many of their findings a round fixed."""
    return rows(db, """
        select walker_id, walk_id, max(happened_at) as newest from mail_walker_events
        where mailed_at is null group by walker_id, walk_id having max(happened_at) <= ?
        order by newest
    """, [before])  # fmt: skip


def walker_group_findings(db: sqlite_utils.Database, walker_id: str, walk_id: str) -> list[dict]:
    return _findings(
        db, " where e.mailed_at is null and e.walker_id = ? and e.walk_id = ?", [walker_id, walk_id]
    )


def mark_walker_events_mailed(
    db: sqlite_utils.Database, event_ids: list[int], stamp: str
) -> None:
    db.execute(
        f"update mail_walker_events set mailed_at = ? where id in ({marks(event_ids)})",
        [stamp, *event_ids],
    )


def questions_due(db: sqlite_utils.Database, done_before: str) -> list[dict]:
    """(walker, walk) pairs with findings made done before `done_before` (their latest fix),
    still done, never asked about: the four-week question."""
    return rows(db, """
        select e.walker_id, e.walk_id, max(e.id) as last from mail_walker_events e
        join measures m on m.observation_id = e.measure_id
        where e.asked_at is null and e.status = 'done' and m.status = 'done'
            and e.happened_at <= ? and e.history_id = (
                select max(x.history_id) from mail_walker_events x
                where x.observation_id = e.observation_id)
        group by e.walker_id, e.walk_id order by last
    """, [done_before])  # fmt: skip


def question_findings(
    db: sqlite_utils.Database, walker_id: str, walk_id: str, done_before: str
) -> list[dict]:
    return _findings(
        db,
        " where e.asked_at is null and e.status = 'done' and m.status = 'done'"
        " and e.happened_at <= ? and e.walker_id = ? and e.walk_id = ?"
        # Only a finding's latest fix is asked about: one fixed, reopened and fixed again
        # waits four weeks from its second fix.
        " and e.history_id = (select max(x.history_id) from mail_walker_events x"
        " where x.observation_id = e.observation_id)",
        [done_before, walker_id, walk_id],
    )


def mark_asked(db: sqlite_utils.Database, event_ids: list[int], stamp: str) -> None:
    db.execute(
        f"update mail_walker_events set asked_at = ? where id in ({marks(event_ids)})",
        [stamp, *event_ids],
    )


def walker_reader(db: sqlite_utils.Database, walker_id: str) -> dict | None:
    """A walker as a mail's reader: their address and language, their walk's title and code;
    None once the address is gone (unsubscribed, or retention)."""
    return one(db, """
        select k.id, k.email, k.language, w.id as walk_id, w.title as walk_title, w.code
        from walkers k join walks w on w.id = k.walk_id
        where k.id = ? and k.email is not null
    """, [walker_id])  # fmt: skip


def walker_event(db: sqlite_utils.Database, event_id: int) -> dict | None:
    """One asked-about finding, for its answer page."""
    return next(iter(_findings(db, " where e.id = ? and e.asked_at is not null",
                               [event_id])), None)  # fmt: skip


def record_answer(db: sqlite_utils.Database, event_id: int, answer: str, stamp: str) -> bool:
    """The walker's answer, once: False when it was answered before."""
    return (
        db.execute(
            "update mail_walker_events set answer = ?, answered_at = ?"
            " where id = ? and answer is null",
            [answer, stamp, event_id],
        ).rowcount
        == 1
    )


def drop_walker_mail(db: sqlite_utils.Database, walker_id: str) -> None:
    """The mails still waiting for a walker who asked for none (their bodies hold the address)."""
    db.execute("delete from mail_outbox where walker_id = ? and sent_at is null", [walker_id])


def digest_week(db: sqlite_utils.Database) -> str | None:
    """The ISO week ("2026-W49") whose digests were made last."""
    return db.execute("select digest_week from mail_cursor where id = 1").fetchone()[0]


def set_digest_week(db: sqlite_utils.Database, week: str) -> None:
    db.execute("update mail_cursor set digest_week = ? where id = 1", [week])
