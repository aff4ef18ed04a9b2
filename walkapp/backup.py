"""Consistent backups and restores of an instance: the database and its photos. No Flask."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

DB_NAME = "walkapp.db"


def backup(instance: Path, destination: Path) -> Path:
    """Copy the database with SQLite's online backup API (safe while the server runs), then photos.

    Photos are written before the row that names them, so every photo the copied database
    refers to is already on disk when the folder is copied afterwards.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = destination / f"walkapp-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
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
    photos = instance / "photos"
    if photos.is_dir():
        shutil.copytree(photos, target / "photos", ignore=shutil.ignore_patterns(".*", "*.tmp"))
    return target


def restore(source: Path, instance: Path, force: bool = False) -> None:
    """Put a backup folder's database and photos into instance. Stop the server first."""
    if not (source / DB_NAME).is_file():
        raise FileNotFoundError(f"{source} holds no {DB_NAME}")
    instance.mkdir(parents=True, exist_ok=True)
    current = instance / DB_NAME
    if current.exists() and not force:
        raise FileExistsError(f"{current} exists; pass --force to replace it")
    backup_db = sqlite3.connect(source / DB_NAME)
    target = sqlite3.connect(current)
    try:
        with target:
            backup_db.backup(target)
    finally:
        target.close()
        backup_db.close()
    if (source / "photos").is_dir():
        shutil.copytree(source / "photos", instance / "photos", dirs_exist_ok=True)
