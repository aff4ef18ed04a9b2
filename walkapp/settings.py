"""Settings: defaults, overridden by WALKAPP_* environment variables, overridden by create_app(config)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, fields
from pathlib import Path

from flask import current_app

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "INSTANCE": "instance",
    "SECRET_KEY": None,
    "NEAR_DISTANCE_M": 50.0,
    "GEODATA_DIR": str(ROOT / "geodata"),
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILE_ATTRIBUTION": "&copy; OpenStreetMap contributors",
    "MAX_PHOTO_BYTES": 10 * 1024 * 1024,
    "PROXY_FIX": 0,
    "SECURE_COOKIES": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    "SESSION_HOURS": 12,
    "PUBLIC_URL": "",
    "RETAIN_PHOTOS_DAYS": 730,
    "RETAIN_NAMES_DAYS": 90,
    "RETAIN_TRACKS_DAYS": 90,
    "WALKER_WRITES_PER_MINUTE": 600,
    "JOINS_PER_WALK_PER_MINUTE": 60,
    "WALKER_TOKEN_DAYS": 42,
    # Who publishes: the public page's header and Open311's contact (not the product's name).
    "ORGANISATION": "Polisen · Lokalpolisområde Norrmalm",
    "ORGANISATION_LOGO": "",
    "OPEN311_JURISDICTION": "lpo-norrmalm",
    "REPLICA_URL": "",
    "TILE_PRECACHE": 0,
}

_INT = {
    "PROXY_FIX",
    "MAX_PHOTO_BYTES",
    "SESSION_HOURS",
    "RETAIN_PHOTOS_DAYS",
    "RETAIN_NAMES_DAYS",
    "RETAIN_TRACKS_DAYS",
    "WALKER_WRITES_PER_MINUTE",
    "JOINS_PER_WALK_PER_MINUTE",
    "WALKER_TOKEN_DAYS",
    "TILE_PRECACHE",
}
_FLOAT = {"NEAR_DISTANCE_M"}
_BOOL = {"SECURE_COOKIES", "RATELIMIT_ENABLED"}


def _parse(key: str, raw: str) -> object:
    if key in _INT:
        return int(raw)
    if key in _FLOAT:
        return float(raw)
    if key in _BOOL:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return raw


def from_environment(environ: os._Environ | dict | None = None) -> dict[str, object]:
    """Defaults with WALKAPP_<KEY> environment variables applied."""
    environ = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    for key, value in environ.items():
        if key.startswith("WALKAPP_") and value != "":
            name = key.removeprefix("WALKAPP_")
            settings[name] = _parse(name, value)
    return settings


def instance_secret_key(instance: Path) -> str:
    """The key kept in the database (so backups and replicas carry it), made on first start.

    Never a fixed default. A key file from before (`instance/secret_key`) is taken over, so
    walkers' tokens stay valid across the upgrade. Needs the migrated database."""
    from .db import connect
    from .db import secrets as secrets_db

    db = connect(instance / "walkapp.db")
    try:
        key = secrets_db.get_secret(db, "secret_key")
        if key:
            return key
        legacy = instance / "secret_key"
        candidate = legacy.read_text().strip() if legacy.is_file() else ""
        # Several workers may start at once: the first key stored wins, the others read it.
        return secrets_db.keep_first(db, "secret_key", candidate or secrets.token_urlsafe(48))
    finally:
        db.close()


@dataclass(frozen=True)
class Settings:
    """The WALKAPP_* settings, typed, read once by create_app(); `current()` in a request."""

    instance: Path
    secret_key: str | None
    near_distance_m: float
    geodata_dir: Path
    tile_url: str
    tile_attribution: str
    max_photo_bytes: int
    proxy_fix: int
    secure_cookies: bool
    ratelimit_storage_uri: str
    ratelimit_enabled: bool
    session_hours: int
    public_url: str
    retain_photos_days: int
    retain_names_days: int
    retain_tracks_days: int
    walker_writes_per_minute: int
    joins_per_walk_per_minute: int
    walker_token_days: int
    organisation: str
    organisation_logo: str
    open311_jurisdiction: str
    replica_url: str
    tile_precache: int

    @classmethod
    def from_values(cls, values: dict[str, object]) -> Settings:
        """From DEFAULTS-style keys (upper case, no prefix); unknown keys are kept by Flask only."""
        known = {f.name for f in fields(cls)}
        typed = {}
        for key, value in values.items():
            name = key.lower()
            if name not in known:
                continue
            if isinstance(value, str) and key in _INT | _FLOAT | _BOOL:
                value = _parse(key, value)
            typed[name] = value
        typed["instance"] = Path(str(typed["instance"])).resolve()
        typed["geodata_dir"] = Path(str(typed["geodata_dir"]))
        typed["public_url"] = str(typed["public_url"] or "")
        for name in ("organisation", "organisation_logo", "open311_jurisdiction"):
            typed[name] = str(typed[name] or "")
        typed["replica_url"] = str(typed["replica_url"] or "")
        for name in (
            "max_photo_bytes",
            "proxy_fix",
            "session_hours",
            "retain_photos_days",
            "retain_names_days",
            "retain_tracks_days",
            "walker_writes_per_minute",
            "joins_per_walk_per_minute",
            "walker_token_days",
        ):
            typed[name] = int(typed[name])
        typed["near_distance_m"] = float(typed["near_distance_m"])
        for name in ("secure_cookies", "ratelimit_enabled"):
            typed[name] = bool(typed[name])
        return cls(**typed)

    @property
    def database_file(self) -> Path:
        return self.instance / "walkapp.db"

    @property
    def photo_folder(self) -> Path:
        return self.instance / "photos"

    @property
    def pending_folder(self) -> Path:
        """Uploaded place files waiting for the admin's confirmation."""
        return self.instance / "pending"

    @property
    def base_url(self) -> str:
        """Where join links printed by the CLI point (the web pages use the request's address)."""
        return self.public_url or "http://127.0.0.1:8000"


def current() -> Settings:
    return current_app.extensions["walkapp_settings"]
