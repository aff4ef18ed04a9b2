"""Settings: each declared once, as a field of `Settings` with its default and help text.

The defaults are overridden by WALKAPP_* environment variables, which are overridden by
create_app(config). The docs' table (docs/operators/configuration.md) and the deployer's
example (deploy/walkapp.env.example) are made from these declarations by
`python scripts/settings_docs.py`; a test fails when they differ.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

ROOT = Path(__file__).resolve().parent.parent

PREFIX = "WALKAPP_"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
# The port `walkapp serve` listens on unless told otherwise, and so the one the CLI's links name.
SERVE_PORT = 8000


def setting(
    default: Any,
    help: str,
    *,
    shown: str | None = None,
    deploy: str | None = None,
    deploy_note: str | None = None,
) -> Any:
    """Declare one setting: its default, the help text of the docs' table (Markdown), the default
    as the docs show it (`shown`, when the value itself is machine-made), and for the deployer's
    example the value it sets (`deploy`) and a comment of its own (`deploy_note`)."""
    return field(
        default=default,
        metadata={"help": help, "shown": shown, "deploy": deploy, "deploy_note": deploy_note},
    )


@dataclass(frozen=True)
class Settings:
    """The WALKAPP_* settings, typed, read once by create_app(); `current()` in a request.

    Each field is one setting: `WALKAPP_` + its name in upper case, its type, its default and
    its help. A new setting is one more field here, then `python scripts/settings_docs.py`."""

    instance: Path = setting(
        "instance",
        "folder holding the database `walkapp.db` and `photos/` (the served copies of the photos "
        "in the database)",
        shown="`./instance`",
        deploy="/var/lib/walkapp",
    )
    secret_key: str | None = setting(
        None,
        "signs sessions and walker tokens; when unset, a random key is made on first start and "
        "kept in the database (table `instance_secrets`, never a fixed default), so backups and "
        "the replica carry it and walkers' tokens survive a restore; a key file "
        "`instance/secret_key` of an older version is taken over. **If you set it, keep it with "
        "the backups**: a restore without it refuses every walker's token",
        shown="generated",
        deploy_note="Set WALKAPP_SECRET_KEY only if you keep it with the backups and the replica: "
        "without it the key lives in the database and travels with them (walkers' tokens stay "
        "valid after a restore).",
    )
    near_distance_m: float = setting(
        50.0,
        'an observation this close to a place (but outside it) is assigned to it as "near"',
    )
    geodata_dir: Path = setting(
        str(ROOT / "geodata"),
        "where the shipped area and places are read from, once, into an empty database",
        shown="`./geodata`",
    )
    tile_url: str = setting(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "map tiles, as a URL template with `{z}`, `{x}` and `{y}` (`none` for no tiles)",
        shown="OpenStreetMap",
    )
    tile_attribution: str = setting(
        "&copy; OpenStreetMap contributors",
        "the tiles' attribution, shown on every map",
        shown="OpenStreetMap",
    )
    tile_precache: int = setting(
        0,
        "how many map tiles over a walk's places a phone fetches ahead after joining (zoom 15–18, "
        'for "Redo för offline"); only for a tile server whose terms allow bulk fetching — '
        "ignored with OpenStreetMap's public server, whose policy forbids it",
    )
    max_photo_bytes: int = setting(10 * 1024 * 1024, "largest accepted upload", shown="10 MiB")
    min_free_bytes: int = setting(
        256 * 1024 * 1024,
        "free space (bytes) the instance folder's disk keeps: below it every write is refused "
        "with a 507 and a message (the phone keeps what it sent and tries again), so the "
        "database never fills the disk mid-write; `/healthz` fails (see [Health](health.md))",
        shown="256 MiB",
    )
    photos_per_observation: int = setting(
        5,
        "photos one observation holds before, and (separately) after the measure is done; "
        "one more is refused (413) with a message the walker reads",
    )
    photo_bytes_per_walker_day: int = setting(
        100 * 1024 * 1024,
        "bytes of photos as stored on disk (each photo and its thumbnail, after re-encoding) "
        "one walker's token adds in 24 hours; "
        "beyond it an upload is refused (413) with a message the walker reads",
        shown="100 MiB",
    )
    secure_cookies: bool = setting(False, "set `true` behind HTTPS", deploy="true")
    proxy_fix: int = setting(
        0,
        "number of trusted reverse proxies (X-Forwarded-*)",
        deploy="1",
        deploy_note="One reverse proxy (Caddy or nginx) in front: trust its X-Forwarded-* headers.",
    )
    ratelimit_storage_uri: str = setting(
        "memory://",
        "where rate limits count: `memory://` is exact for the default single gunicorn worker; "
        "with several workers a shared Redis, e.g. `redis+unix:///run/walkapp-redis/redis.sock` "
        "(see [Rate limits](rate-limits.md))",
        deploy_note="Rate limits count in memory for the one worker of walkapp.service; "
        "deploy/walkapp-workers.conf (several workers) sets WALKAPP_RATELIMIT_STORAGE_URI to "
        "walkapp-redis.service's socket.",
    )
    ratelimit_enabled: bool = setting(
        True, "`false` switches every rate limit off (benchmarks only)"
    )
    walker_writes_per_minute: int = setting(
        600,
        "observation and photo posts a minute per walker token (429 with `Retry-After` beyond)",
    )
    joins_per_walk_per_minute: int = setting(
        60,
        "new walkers a minute per walk (a school class of 30 joining at once stays under it)",
    )
    walker_token_days: int = setting(
        42,
        "a walker's token works while the walk is open and this many days after the later of its "
        "close and its follow-up meeting",
    )
    session_hours: int = setting(
        12,
        "how long a coordinator's sign-in lasts (kept on the server; logout ends it)",
    )
    public_url: str = setting(
        "",
        "base of join links: pages use the request's own address when empty, the CLI "
        "(`demo`, `create-walk`) its `--url`, else `http://127.0.0.1:` and its `--port` (8000)",
        deploy="https://walkapp.example.se",
    )
    smtp_url: str = setting(
        "",
        "where mail goes: `smtp://user:password@host:587` (STARTTLS, always), `smtps://…:465`, "
        "or `smtp+plain://localhost:25` for a relay on the same machine; empty = no mail is "
        "sent and the screens say so (see [Mail](mail.md)); needs `PUBLIC_URL` for the links",
        shown="none",
        deploy="smtp://walkapp:CHANGE-ME@smtp.example.se:587",
        deploy_note="Mail to partners and coordinators (walkapp-mail.service sends it); leave "
        "empty for none.",
    )
    smtp_ca_file: str = setting(
        "", "a CA bundle to check the SMTP server's certificate with (empty: the system's)"
    )
    mail_from: str = setting(
        "walkapp <noreply@localhost>",
        "the sender of every mail, as `Name <address>`",
        deploy="Trygghetsvandringar <noreply@walkapp.example.se>",
    )
    mail_quiet_minutes: int = setting(
        10,
        "a walk's assignments to a partner are gathered into one mail once its triage has been "
        "quiet this long",
    )
    trusted_hosts: str = setting(
        "",
        "host names walkapp answers for, comma-separated, besides `PUBLIC_URL`'s own (a request "
        "for any other `Host` is a 400, so no one can make join links, QR codes or Open311 "
        "discovery point elsewhere); with both empty any host is answered, except that "
        "`walkapp serve` then answers only `127.0.0.1`, `localhost` and `::1`",
    )
    retain_photos_days: int = setting(
        730, "photos older than this are deleted by `walkapp retention --apply`"
    )
    retain_names_days: int = setting(
        90,
        "walkers' display names and e-mail addresses older than this are blanked by "
        "`walkapp retention --apply` (with the mails to them)",
    )
    retain_tracks_days: int = setting(
        90,
        "walked tracks of walks (or their follow-up meetings) older than this are deleted by "
        "`walkapp retention --apply`",
    )
    # Who publishes: the public page's header and Open311's contact (not the product's name).
    organisation: str = setting(
        "Polisen · Lokalpolisområde Norrmalm",
        "who publishes: the public page's header and site name, Open311's contact; read once, "
        "at the first start after the upgrade to organisations, into the first organisation "
        "(see [Organisations](organisations.md#the-upgrade))",
    )
    organisation_logo: str = setting(
        "",
        "optional logo URL shown before the organisation's name on the public page; read once "
        "into the first organisation, as `WALKAPP_ORGANISATION`",
    )
    open311_jurisdiction: str = setting(
        "lpo-norrmalm",
        "the Open311 `jurisdiction_id` of the first organisation; read once into it, as "
        "`WALKAPP_ORGANISATION`",
    )
    replica_url: str = setting(
        "",
        "a Litestream replica (`file:///…`, `s3://bucket/path`, …): `walkapp serve` streams "
        "every commit there (see [Replication and restore](replication.md))",
        deploy_note="""Continuous replication (pip install -e '.[replication]'): every committed transaction —
observations, photos, the secret key — streams to the replica about a second behind.
A second disk or a mounted share:
WALKAPP_REPLICA_URL=file:///mnt/walkapp-replica/walkapp
Or object storage (S3, or an S3-compatible one with ?endpoint=host), credentials for Litestream:
WALKAPP_REPLICA_URL=s3://walkapp-replica/norrmalm
WALKAPP_REPLICA_URL=s3://walkapp-replica/norrmalm?endpoint=s3.example.se&region=auto
AWS_ACCESS_KEY_ID=…
AWS_SECRET_ACCESS_KEY=…
Litestream also takes sftp://user:password@host/path (not tested here).""",
    )

    @classmethod
    def from_values(cls, values: dict[str, object]) -> Settings:
        """From DEFAULTS-style keys (upper case, no prefix); unknown keys are kept by Flask only."""
        typed: dict[str, object] = {}
        for declared in SETTINGS:
            value = values.get(declared.name, declared.default)
            typed[declared.name.lower()] = declared.typed(value)
        typed["instance"] = Path(typed["instance"]).resolve()  # type: ignore[arg-type]
        return cls(**typed)  # type: ignore[arg-type]

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

    def answered_hosts(self) -> list[str] | None:
        """The Host names requests may carry (Flask's TRUSTED_HOSTS), or None for any."""
        hosts = [h.strip() for h in self.trusted_hosts.split(",") if h.strip()]
        if self.public_url:
            hosts.insert(0, urlsplit(self.public_url).hostname or "")
        return [h for h in hosts if h] or None

    def link_base(self, url: str | None = None, port: int | None = None) -> str:
        """Where links printed by the CLI point (the web pages use the request's address):
        PUBLIC_URL when set (serve then answers only its host), else the `--url` given, else
        this machine on `--port` (serve's own default when none is given)."""
        if self.public_url:
            return self.public_url
        if url:
            return url
        return f"http://127.0.0.1:{port or SERVE_PORT}"


@dataclass(frozen=True)
class Setting:
    """One declared setting, as the docs, the env example and the parser read it."""

    name: str  # upper case, without the WALKAPP_ prefix
    type: str  # the field's annotation: "int", "float", "bool", "str", "str | None", "Path"
    default: object
    help: str
    shown: str  # the default as the docs' table shows it (Markdown)
    deploy: str | None
    deploy_note: str | None

    @property
    def variable(self) -> str:
        return PREFIX + self.name

    def parse(self, raw: str) -> object:
        """An environment variable's text as this setting's type."""
        if self.type == "int":
            return int(raw)
        if self.type == "float":
            return float(raw)
        if self.type == "bool":
            return raw.strip().lower() in TRUE_WORDS
        return raw

    def typed(self, value: object) -> object:
        """Any value given for this setting (default, environment text, create_app's config)."""
        if isinstance(value, str) and self.type in {"int", "float", "bool"}:
            value = self.parse(value)
        if self.type == "int":
            return int(value)  # type: ignore[call-overload]
        if self.type == "float":
            return float(value)  # type: ignore[arg-type]
        if self.type == "bool":
            return bool(value)
        if self.type == "Path":
            return Path(str(value))
        if self.type == "str":
            return str(value or "")
        return value


def _shown(default: object) -> str:
    if default is None or default == "":
        return "empty"
    if isinstance(default, bool):
        return "`true`" if default else "`false`"
    if isinstance(default, float) and default.is_integer():
        return f"`{int(default)}`"
    return f"`{default}`"


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(
        name=f.name.upper(),
        type=str(f.type),
        default=f.default,
        help=f.metadata["help"],
        shown=f.metadata["shown"] or _shown(f.default),
        deploy=f.metadata["deploy"],
        deploy_note=f.metadata["deploy_note"],
    )
    for f in fields(Settings)
)
BY_NAME = {declared.name: declared for declared in SETTINGS}
DEFAULTS: dict[str, object] = {declared.name: declared.default for declared in SETTINGS}


def from_environment(environ: os._Environ | dict | None = None) -> dict[str, object]:
    """Defaults with WALKAPP_<KEY> environment variables applied."""
    environ = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    for key, value in environ.items():
        if key.startswith(PREFIX) and value != "":
            name = key.removeprefix(PREFIX)
            settings[name] = BY_NAME[name].parse(value) if name in BY_NAME else value
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


def current() -> Settings:
    return current_app.extensions["walkapp_settings"]
