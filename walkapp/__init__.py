"""walkapp: the field tool for trygghetsvandringar (safety walks) in LPO Norrmalm."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import bodies, db, health, rate_limits, template_cache
from . import settings as settings_module
from .extensions import babel, csrf, limiter, select_locale
from .security import set_headers


def _load_geodata_once(app: Flask) -> None:
    """A fresh database gets the shipped area and places, so the app is usable at once."""
    from .places_index import load_shipped_geodata

    database = db.connect(db.database_path(app))
    try:
        load_shipped_geodata(
            database,
            app.extensions["walkapp_settings"].geodata_dir,
            app.extensions["walkapp_settings"].near_distance_m,
        )
    finally:
        database.close()


def _adopt_organisation_settings(app: Flask) -> None:
    """Once, after the upgrade to organisations: WALKAPP_ORGANISATION and its kin become the
    first organisation's data (a migration cannot read settings)."""
    from .organisations import adopt_settings

    typed = app.extensions["walkapp_settings"]
    database = db.connect(db.database_path(app))
    try:
        adopt_settings(
            database, typed.organisation, typed.organisation_logo, typed.open311_jurisdiction
        )
    finally:
        database.close()


def _prepare_photo_files(app: Flask) -> None:
    """Write served files the database has (a restore), clear what a crash mid-upload left
    (temporary files, files with no row) and make files of earlier versions the owner's only."""
    from .db import photos as photos_db
    from .photos import clear_leftovers, owner_only, write_missing

    folder = app.extensions["walkapp_settings"].photo_folder
    database = db.connect(db.database_path(app))
    try:
        write_missing(
            folder, photos_db.all_files(database), lambda i: photos_db.photo_bytes(database, i)
        )
        expected = photos_db.file_names(database)
    finally:
        database.close()
    clear_leftovers(folder, expected)
    owner_only(folder)


def _translation_domains() -> dict[str, str]:
    """One gettext domain per feature (translations/en/LC_MESSAGES/<domain>.po), all merged.

    Flask-Babel pairs directories with domains by position, so the folder repeats.
    """
    folder = Path(__file__).parent / "translations"
    domains = sorted({mo.stem for mo in folder.glob("*/LC_MESSAGES/*.mo")}) or ["messages"]
    return {
        "BABEL_TRANSLATION_DIRECTORIES": ";".join([str(folder)] * len(domains)),
        "BABEL_DOMAIN": ";".join(domains),
    }


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings (names as in settings.DEFAULTS) and Flask keys."""
    settings = settings_module.from_environment()
    flask_overrides = {}
    for key, value in (config or {}).items():
        name = key.removeprefix("WALKAPP_")
        if name in settings_module.DEFAULTS:
            settings[name] = value
        else:
            flask_overrides[key] = value

    typed = settings_module.Settings.from_values(settings)
    instance = typed.instance
    instance.mkdir(parents=True, exist_ok=True)
    typed.photo_folder.mkdir(mode=0o700, exist_ok=True)
    # Before the first connection: opening the database replays its WAL, and drops for good what
    # follows a damaged frame.
    health.keep_damaged_wal(typed.database_file)
    if typed.replica_url:
        from .replication import refuse_fresh_start

        # A new empty database must never be streamed over a replica holding a walk's observations.
        refuse_fresh_start(instance, typed.replica_url)
    # Migrations first: the instance's secret key is kept in the database.
    db.init(typed.database_file)
    # quick_check reads every page: once a process, in a thread of its own so the start does not
    # wait for it (3 s at 1 GB), reported by /healthz (which waits for it) and `walkapp status`.
    database_at_start = health.StartCheck(typed.database_file)

    root = settings_module.ROOT
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    for key, value in settings.items():
        app.config[f"WALKAPP_{key}"] = value
    app.config["WALKAPP_INSTANCE"] = str(instance)
    app.extensions["walkapp_settings"] = typed
    app.extensions["walkapp_database_at_start"] = database_at_start
    app.config.update(
        SECRET_KEY=settings["SECRET_KEY"] or settings_module.instance_secret_key(instance),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=typed.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=typed.session_hours),
        MAX_CONTENT_LENGTH=typed.max_photo_bytes + 256 * 1024,
        BABEL_DEFAULT_LOCALE="sv",
        **_translation_domains(),
        **rate_limits.storage_config(typed.ratelimit_storage_uri),
        RATELIMIT_ENABLED=typed.ratelimit_enabled,
        RATELIMIT_HEADERS_ENABLED=True,
        WTF_CSRF_TIME_LIMIT=None,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        TRUSTED_HOSTS=typed.answered_hosts(),
    )
    app.config.update(flask_overrides)

    if typed.proxy_fix:
        hops = typed.proxy_fix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _load_geodata_once(app)
    _adopt_organisation_settings(app)
    _prepare_photo_files(app)
    app.teardown_appcontext(db.close_db)
    # Templates compiled once per instance, not once per worker (walkapp/template_cache.py).
    app.jinja_env.bytecode_cache = template_cache.for_instance(instance)

    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    rate_limits.log_store_changes()
    bodies.init_app(app)
    set_headers(app)

    from .views import register_views

    register_views(app)

    from .cli import register_commands

    register_commands(app)
    return app
