"""Consistent backups and restores of an instance. No Flask.

The database is the whole instance: rows, the photos' bytes and the secret key that signs
walkers' tokens (unless WALKAPP_SECRET_KEY is set). A backup is readable only by its owner."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from .db import health as health_db

DB_NAME = "walkapp.db"


def backup(instance: Path, destination: Path) -> Path:
    """Copy the database with SQLite's online backup API (safe while the server runs).

    Photos are in it (`photo_blobs`, committed with their rows), and so is the secret key."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = destination / f"walkapp-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    target.chmod(0o700)
    _private(target / DB_NAME)
    source = sqlite3.connect(instance / DB_NAME)
    copy = sqlite3.connect(target / DB_NAME)
    try:
        with copy:
            source.backup(copy)
        if copy.execute("pragma integrity_check").fetchone()[0] != "ok":
            raise RuntimeError("the copied database failed its integrity check")
    finally:
        copy.close()
        source.close()
    return target


def _private(path: Path) -> None:
    """Create path empty and readable only by its owner, before anything is written to it."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class DamagedBackup(Exception):
    """The backup cannot be restored: unreadable, damaged or not a walkapp database."""


def restore(source: Path, instance: Path, force: bool = False) -> None:
    """Put a backup folder's database into instance (photos of older backups, kept as files,
    too: the next start reads them in). Stop the server first.

    The copy is written beside the target, checked (`integrity_check`, the walkapp schema) and
    only then renamed over it: a damaged backup leaves the instance as it was."""
    if not (source / DB_NAME).is_file():
        raise FileNotFoundError(f"{source} holds no {DB_NAME}")
    instance.mkdir(parents=True, exist_ok=True)
    current = instance / DB_NAME
    if current.exists() and not force:
        raise FileExistsError(f"{current} exists; pass --force to replace it")
    partial = instance / f".{DB_NAME}.restoring"
    for leftover in instance.glob(f".{DB_NAME}.restoring*"):
        leftover.unlink()
    _private(partial)
    try:
        try:
            _copy(source / DB_NAME, partial)
            problems = health_db.file_problems(partial, check="full")
        except sqlite3.DatabaseError as error:
            problems = [f"it cannot be read as a database: {error}"]
        if problems:
            raise DamagedBackup(
                f"{source / DB_NAME} cannot be restored ({'; '.join(problems)});"
                f" {current} is left as it was"
            )
    except BaseException:
        for leftover in instance.glob(f".{DB_NAME}.restoring*"):
            leftover.unlink()
        raise
    if force:
        for sidecar in ("-wal", "-shm"):
            (instance / f"{DB_NAME}{sidecar}").unlink(missing_ok=True)
    os.replace(partial, current)
    if (source / "photos").is_dir():
        shutil.copytree(source / "photos", instance / "photos", dirs_exist_ok=True)


def _copy(source: Path, target: Path) -> None:
    """SQLite's backup API, from a read-only look at the backup (it is never changed)."""
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            backup_db.backup(copy)
        # No WAL beside the copy: checked read-only, then renamed alone (serving turns WAL on).
        copy.execute("pragma journal_mode = delete")
    finally:
        copy.close()
        backup_db.close()
