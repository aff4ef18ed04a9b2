"""Health: what `/healthz` and `walkapp status` report, and the disk-space floor under every write.

Four checks, each `ok` (or `off`), `degraded` (serving, but an operator should look) or `failing`
(`/healthz` answers 503):

- database: SQLite's quick_check when the process started, and a write probe now (one row
  written and read back);
- disk: the free space of the instance folder's disk against WALKAPP_MIN_FREE_BYTES; under it
  every write is refused with a 507 (`ensure_room`), so the database never fills the disk;
- rate_limits: the shared store (Redis) answers; when it does not, limits count in memory per
  worker (rate_limits.storage_config), which is degraded, never a 500;
- replication: Litestream runs and the replica keeps up (degraded when not).

No Flask, no SQL.
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from limits.storage import storage_from_string

from . import clock, replication
from .db import health as health_db
from .db import transaction

OK, OFF, DEGRADED, FAILING = "ok", "off", "degraded", "failing"
_SEVERITY = {OK: 0, OFF: 0, DEGRADED: 1, FAILING: 2}
# A shared store that does not answer within this is down: a request never waits longer on it.
STORE_TIMEOUT_S = 1.0
# /healthz asks Litestream at most this often (three subprocesses, a listing of the replica).
REPLICATION_CACHE_S = 15.0


@dataclass(frozen=True)
class Check:
    status: str
    message: str
    facts: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"status": self.status, "message": self.message, **self.facts}


class DiskFull(Exception):
    """The disk's free space is under the floor: a write is refused before anything is written."""

    def __init__(self, free: int, floor: int, incoming: int = 0):
        super().__init__(
            f"{mib(free)} free, {mib(incoming)} to write, under the floor of {mib(floor)}"
        )
        self.free, self.floor, self.incoming = free, floor, incoming


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MiB"


def free_bytes(folder: Path) -> int:
    """Free bytes on the disk holding folder (or, before it exists, its nearest parent)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def ensure_room(folder: Path, floor: int, incoming: int = 0) -> None:
    """Raise DiskFull when writing `incoming` bytes would leave less than `floor` free."""
    free = free_bytes(folder)
    if free - incoming < floor:
        raise DiskFull(free, floor, incoming)


def worst(checks: dict[str, Check]) -> str:
    found = [check.status for check in checks.values()]
    return max(found, key=_SEVERITY.__getitem__) if found else OK


def report(checks: dict[str, Check]) -> dict:
    return {"status": worst(checks), "checks": {n: c.as_dict() for n, c in checks.items()}}


DAMAGED_WAL = "-wal.damaged-"


def keep_damaged_wal(path: Path) -> Path | None:
    """Before anything opens the database: a WAL that SQLite would silently cut short (a flipped
    byte drops every transaction after it) is copied aside, where health reports it until an
    operator moves it away."""
    wal = path.with_name(path.name + "-wal")
    if health_db.wal_damage(wal) is None:
        return None
    kept = path.with_name(f"{path.name}{DAMAGED_WAL}{clock.stamp().replace(':', '')}")
    shutil.copy2(wal, kept)
    return kept


def database_at_start(path: Path) -> list[str]:
    """What health reports about the database file until the process ends: WALs kept aside as
    damaged, and what SQLite's quick_check (it reads every page, so once a process) finds."""
    kept = [
        f"{copy.name} was kept at a start: {health_db.wal_damage(copy) or 'a damaged WAL'}; "
        "restore from the replica or a backup, then move the copy out of the instance folder"
        for copy in sorted(path.parent.glob(f"{path.name}{DAMAGED_WAL}*"))
    ]
    checked = health_db.file_problems(path, check="quick")
    return kept + [f"quick_check at start: {problem}" for problem in checked]


class StartCheck:
    """database_at_start in a thread of its own, begun as the process starts: quick_check reads
    every page (3 s of a 1 GB database), which a worker's start need not wait for; /healthz
    waits for it (`result`), so what it reports is the same."""

    def __init__(self, path: Path):
        self._found: list[str] = []
        self._thread = threading.Thread(
            target=self._run, args=(path,), name="walkapp-quick-check", daemon=True
        )
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            self._found = database_at_start(path)
        except Exception as error:  # reported, never raised in a thread nobody joins
            self._found = [f"quick_check at start could not run: {error}"]

    def result(self) -> list[str]:
        self._thread.join()
        return self._found


def probe(db) -> None:
    """Write the probe row in a transaction of its own and read it back."""
    token = secrets.token_hex(8)
    with transaction(db):
        health_db.write_probe(db, token, clock.stamp())
    if health_db.read_probe(db) != token:
        raise health_db.DatabaseError("the probe row read back is not the one written")


def check_database(open_db: Callable | None, at_start: list[str]) -> Check:
    """The quick_check of the start and a write probe now on the database `open_db()` gives;
    `open_db` None when there is no database file."""
    problems = at_start[:5]
    if open_db is None:
        problems.append("there is no database: run `walkapp init-db`")
    else:
        try:
            probe(open_db())
        except (health_db.DatabaseError, OSError) as error:
            problems.append(f"the write probe failed: {error}")
    if problems:
        return Check(FAILING, "; ".join(problems))
    return Check(OK, "quick_check at start found nothing; the write probe was written and read")


def check_disk(folder: Path, floor: int) -> Check:
    free = free_bytes(folder)
    facts = {"free_bytes": free, "min_free_bytes": floor}
    if free < floor:
        return Check(
            FAILING,
            f"{mib(free)} free, under the floor of {mib(floor)} (WALKAPP_MIN_FREE_BYTES): "
            "every write is refused with a 507",
            facts,
        )
    return Check(OK, f"{mib(free)} free (floor {mib(floor)})", facts)


def store_options(uri: str) -> dict:
    """Options for the limits library's storage: a Redis that does not answer is down at once."""
    if uri.startswith("redis"):
        return {"socket_timeout": STORE_TIMEOUT_S, "socket_connect_timeout": STORE_TIMEOUT_S}
    return {}


def store_answers(uri: str) -> bool:
    return bool(storage_from_string(uri, **store_options(uri)).check())


def check_rate_limits(enabled: bool, uri: str) -> Check:
    store = uri.split("://", 1)[0]
    if not enabled:
        return Check(OFF, "rate limits are off (WALKAPP_RATELIMIT_ENABLED)", {"store": store})
    if store == "memory":
        return Check(OK, "limits count in this worker's memory", {"store": store})
    if store_answers(uri):
        return Check(OK, "the shared store answers", {"store": store})
    return Check(
        DEGRADED,
        f"the shared store ({store}) does not answer: each worker counts its limits in its own "
        "memory until it does",
        {"store": store},
    )


_replication_seen: dict[tuple[Path, str], tuple[float, Check]] = {}
_replication_reading: set[tuple[Path, str]] = set()
_replication_lock = threading.Lock()


def replication_check(state: replication.ReplicationState | None, error: Exception | None = None) -> Check:
    """The replication check of a state read (or of the error reading it)."""
    if state is None:
        return Check(DEGRADED, f"the replication state cannot be read: {error}")
    facts = {k: v for k, v in state.as_dict().items() if k not in ("url", "warning")}
    return Check(DEGRADED if state.warning else OK, state.warning or "the replica keeps up", facts)


def _read_replication(instance: Path, url: str) -> Check:
    try:
        state = replication.state(instance, url)
    except Exception as error:  # a timeout, a missing binary: reported, never a 500
        check = replication_check(None, error)
    else:
        check = replication_check(state)
    with _replication_lock:
        _replication_seen[(instance, url)] = (time.monotonic(), check)
        _replication_reading.discard((instance, url))
    return check


def check_replication(instance: Path, url: str, wait: bool = True) -> Check:
    """Litestream's state (three subprocesses and a listing of the replica). With `wait` False
    (`/healthz`, which a load balancer asks with a short timeout) it answers at once with what
    was read at most REPLICATION_CACHE_S ago and reads anew in a thread when that is older."""
    if not url:
        return Check(OFF, "no replica (WALKAPP_REPLICA_URL is empty)")
    if wait:
        return _read_replication(instance, url)
    key = (instance, url)
    with _replication_lock:
        seen = _replication_seen.get(key)
        stale = seen is None or time.monotonic() - seen[0] >= REPLICATION_CACHE_S
        if stale and key not in _replication_reading:
            _replication_reading.add(key)
            threading.Thread(target=_read_replication, args=key, daemon=True).start()
    if seen is None:
        return Check(DEGRADED, "Litestream's state is being read: ask again in a few seconds")
    return seen[1]
