"""Settings: defaults, overridden by WALKAPP_* environment variables, overridden by create_app(config)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

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
    "WALKER_WRITES_PER_MINUTE": 600,
}

_INT = {
    "PROXY_FIX",
    "MAX_PHOTO_BYTES",
    "SESSION_HOURS",
    "RETAIN_PHOTOS_DAYS",
    "RETAIN_NAMES_DAYS",
    "WALKER_WRITES_PER_MINUTE",
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
    """The key kept in the instance folder, made on first start (never a fixed default)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    # Written aside and linked into place, so two workers starting at once share one key.
    tmp = instance / f".secret_key.{os.getpid()}"
    tmp.write_text(key)
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        tmp.unlink()
    return key
