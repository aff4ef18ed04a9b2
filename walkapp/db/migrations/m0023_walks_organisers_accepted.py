"""A co-organiser says yes before a joint walk counts as its own: `walk_organisers.accepted_at`
(null: invited, not answered), and when it was invited (`invited_at`: a second invitation after
a no is mailed again). Until then it sees and works the walk (to decide), but the walk
is not on its public page, its calendar or its promise's count. The co-organisers of an upgraded
instance were counted before: they stay counted, accepted at the upgrade."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from . import migration


@migration("0023_walks_organisers_accepted")
def walks_organisers_accepted(db: sqlite_utils.Database) -> None:
    db.execute("alter table walk_organisers add column invited_at text")
    db.execute("alter table walk_organisers add column accepted_at text")
    db.execute(
        "update walk_organisers set invited_at = :now, accepted_at = :now",
        {"now": datetime.now(UTC).isoformat(timespec="seconds")},
    )
