"""Fixtures: an app on a real SQLite file in a temporary instance folder, a live server, the browser."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from walkapp import create_app
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.passwords import hash_password

PASSWORD = "correct horse battery"


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
    return create_app(config)


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    database = connect(database_path(app))
    yield database
    database.close()


@pytest.fixture
def users(db):
    """A coordinator and an admin, both with PASSWORD."""
    return {
        role: users_db.create_user(db, role, hash_password(PASSWORD), role)
        for role in ("coordinator", "admin")
    }


def login(client, username: str, password: str = PASSWORD):
    """Sign in through the real form (CSRF off in the plain test app)."""
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def staff(client, users):
    """The test client signed in as the coordinator."""
    login(client, "coordinator")
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


@pytest.fixture
def live_server(tmp_path):
    # No map tiles: the machines running tests have no internet, and a failed tile is a
    # console error the browser tests would (rightly) count.
    server = LiveServer(make_app(tmp_path, TILE_URL="none"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
    }
