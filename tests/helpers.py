"""What many tests share: a test app on a real SQLite file, signing in, a live server."""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
import sqlite3
import subprocess
import threading
import traceback
import uuid
from contextlib import contextmanager

from click.testing import CliRunner
from jinja2 import BytecodeCache
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from walkapp import create_app
from walkapp.cli import build as walkapp_group
from walkapp.db import connect, database_path
from walkapp.db import sessions as sessions_db
from walkapp.db.migrations import migrate
from walkapp.extensions import limiter

PASSWORD = "correct horse battery"
# The users tests make for themselves: scrypt at n=2**10 instead of the app's 2**15 (about 4 ms a
# hash or check instead of 100-150 ms, and hundreds of tests make two users and sign one in). The
# sign-in checks them with the same code; passwords set through the app keep walkapp.passwords'
# full cost.
QUICK_SCRYPT = "scrypt:1024:8:1"


def hash_password(password: str) -> str:
    """A real scrypt hash of `password` for a user a test makes, at QUICK_SCRYPT's cost."""
    return generate_password_hash(password, method=QUICK_SCRYPT)


class _CompiledTemplates(BytecodeCache):
    """The templates' compiled code, kept for every app this test process builds: each new app
    has a new Jinja environment that would parse and compile every template it renders again
    (about a second for a test that goes through all the screens). Jinja checks each entry
    against the template's source, so an edited template is compiled anew."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def make_app(tmp_path, **overrides):
    """A test app on a real SQLite file. CSRF and rate limits are off unless asked for;
    tests of those pass WTF_CSRF_ENABLED=True / RATELIMIT_ENABLED=True."""
    config = {
        "INSTANCE": str(tmp_path / "instance"),
        "TESTING": True,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    app = create_app(config)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


def shared_app(tmp_path_factory, name: str, **overrides):
    """One app built once per test process, and a migrated database with the shipped geodata
    to copy. Building an app costs about 0.2 s (most of it Werkzeug compiling the URL rules)
    and a fresh database a tenth of that; a copy of the file costs almost nothing."""
    base = tmp_path_factory.mktemp(name)
    shared = make_app(base, **overrides)
    pristine = base / "pristine.db"
    source = connect(database_path(shared))
    try:
        target = sqlite3.connect(pristine)
        source.conn.backup(target)
        target.close()
    finally:
        source.close()
    # Flask-Limiter keeps its settings and storage on the one extension object, set by the last
    # app built: each test puts back the shared app's (limits off, its own memory storage).
    return shared, pristine, dict(vars(limiter))


@contextmanager
def pointed_at(one, tmp_path):
    """The shared app `one` pointed at this test's own instance folder (tmp_path / "instance",
    as make_app gives) with a fresh copy of the database. Settings and extensions a test
    changes are put back after it."""
    shared, pristine, limiter_state = one
    vars(limiter).update(limiter_state)
    instance = (tmp_path / "instance").resolve()
    (instance / "photos").mkdir(parents=True, mode=0o700)  # as create_app makes it
    shutil.copyfile(pristine, instance / "walkapp.db")
    os.chmod(instance / "walkapp.db", 0o600)
    config, extensions = dict(shared.config), dict(shared.extensions)
    shared.extensions["walkapp_settings"] = dataclasses.replace(
        extensions["walkapp_settings"], instance=instance
    )
    shared.config["WALKAPP_INSTANCE"] = str(instance)
    shared.instance_path = str(instance)
    try:
        yield shared
    finally:
        shared.config.clear()
        shared.config.update(config)
        shared.extensions.clear()
        shared.extensions.update(extensions)


def walkapp_in_process(*args: str, env: dict) -> subprocess.CompletedProcess:
    """`walkapp ARGS` through the real command group, in this process, with `env` over os.environ
    (None unsets a variable): for tests of what a command does rather than of its process, at
    no interpreter start (1.5 s). Answers as subprocess.run would: an exception the command lets
    through is the traceback a process would print on stderr (exit code 1)."""
    # FlaskGroup sets FLASK_RUN_FROM_CLI in os.environ; named here, the runner puts it back after.
    result = CliRunner().invoke(
        walkapp_group(), list(args), env={"FLASK_RUN_FROM_CLI": None, **env}
    )
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["walkapp", *args], result.exit_code, result.stdout, stderr)


def login(client, username: str, password: str = PASSWORD):
    """Sign in through the real form (CSRF off in the plain test app)."""
    return client.post("/login", data={"username": username, "password": password})


def admin_client(app):
    """A test client of `app` signed in as a new admin."""
    from walkapp.db import users as users_db

    db = connect(database_path(app))
    users_db.create_user(db, "admin", hash_password(PASSWORD), "admin")
    db.close()
    client = app.test_client()
    login(client, "admin")
    return client


def database_at(tmp_path, migration: str):
    """A database file migrated up to `migration` (the schema as it was then), to test an
    upgrade from it."""
    db = connect(tmp_path / "old.db")
    migrate(db, upto=migration)
    return db


def sign_in_page(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form in a browser page (Playwright), as a person would."""
    page.goto(base_url + "/login")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def sign_in_directly(client, db, user_id: int) -> str:
    """A server-side session for user_id, as the sign-in form would make (no password check);
    returns the session id."""
    session_id = sessions_db.start(db, user_id, 12)
    with client.session_transaction() as session:
        session["sid"] = session_id
    return session_id


def signed_in(app, user_id: int):
    """A test client of `app` signed in as user_id (sign_in_directly, on its own connection)."""
    client = app.test_client()
    db = connect(database_path(app))
    sign_in_directly(client, db, user_id)
    db.close()
    return client


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


SERGELS_TORG = {"latitude": 59.3326, "longitude": 18.0649}
# Metres to degrees at Stockholm's latitude.
EAST = 1 / (111_320 * math.cos(math.radians(59.3326)))
NORTH = 1 / 110_574


def query(server, sql, params=()):
    """Rows the live server stored, read straight from its database."""
    db = connect(database_path(server.app))
    try:
        return list(db.query(sql, params))
    finally:
        db.close()


def at(east_m: float, north_m: float = 0, accuracy: float = 6) -> dict:
    """A phone position so many metres east and north of Sergels torg."""
    return {
        "latitude": SERGELS_TORG["latitude"] + north_m * NORTH,
        "longitude": SERGELS_TORG["longitude"] + east_m * EAST,
        "accuracy": accuracy,
    }


def plan_walk(client, title: str, starts_at: str = "2026-12-03T18:00", **fields):
    """Post the walk form as a signed-in coordinator (a dark evening unless told otherwise)."""
    return client.post("/walks/new", data={"title": title, "starts_at": starts_at,
                                            "light": "dark", **fields})  # fmt: skip


def join(client, walk, name="Anna") -> dict:
    """Join a walk through the walker's API; the Authorization header its token gives."""
    response = client.post("/api/join", json={"code": walk["code"], "name": name})
    assert response.status_code == 201, response.json
    return {"Authorization": "Bearer " + response.json["token"]}


def observation(**overrides) -> dict:
    """A walker's observation as the phone posts it: a red lamp at Sergels torg."""
    return {
        "id": str(uuid.uuid4()),
        "category": "lighting",
        "rating": "red",
        "note": "Lampan är trasig",
        "lon": 18.0649,
        "lat": 59.3326,
        "accuracy_m": 8,
        "recorded_at": "2026-11-24T18:30:00+01:00",
        **overrides,
    }


def post_observation(client, walk, headers, body):
    return client.post(f"/api/walks/{walk['id']}/observations", json=body, headers=headers)


def open_offline(browser, saved, console_errors: bool = True):
    """A downloaded file opened with no network: (context, page, the page's errors and, with
    console_errors, what it logged as errors)."""
    context = browser.new_context()
    context.set_offline(True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if console_errors:
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(saved.as_uri())
    return context, page, errors


def slowest_first(items: list, workers: int, slowest: tuple[str, ...]) -> list:
    """`items` reordered so that each of pytest-xdist's `workers` starts with its share of the
    tests whose ids start with one of `slowest` (longest first). The worksteal scheduler hands
    each worker an equal run of the list, in order, and an idle worker takes the second half of
    the longest queue still waiting: a long test near the end of a run keeps one worker busy
    while the others have nothing left to take."""
    rank = {}
    for index, item in enumerate(items):
        for place, prefix in enumerate(slowest):
            if item.nodeid.startswith(prefix):
                rank[index] = place
                break
    slow = [items[i] for i in sorted(rank, key=lambda i: (rank[i], i))]
    rest = [item for i, item in enumerate(items) if i not in rank]
    ordered, left = [], len(items)
    for worker in range(workers):
        size = left // (workers - worker)  # as worksteal splits the list at the start
        left -= size
        head = slow[worker::workers]
        ordered += head
        take = max(size - len(head), 0)
        ordered += rest[:take]
        rest = rest[take:]
    return ordered + rest
