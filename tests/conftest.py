"""Fixtures: an app on a real SQLite file in a temporary instance folder, a live server, the browser."""

from __future__ import annotations

import os
import shutil

import pytest
from flask import has_app_context
from flask.globals import _cv_app

from tests.helpers import (
    PASSWORD,
    LiveServer,
    hash_password,
    login,
    make_app,
    pointed_at,
    shared_app,
    slowest_first,
)
from tests.redis_server import RedisServer
from tests.smtp_server import SmtpServer, make_certificate
from walkapp import passwords
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db

# Tests of 10 s or more in a run's --durations (under load), longest first: each
# worker starts with its share of them (tests.helpers.slowest_first), so the workers end together.
SLOWEST = (
    "tests/test_fuzz.py::test_junk_never_gives_500_and_refusals_store_nothing[admin]",
    "tests/test_replication.py::test_drill_observations_with_photos_then_the_disk_is_lost",
    "tests/test_replication.py::test_serve_refuses_an_empty_or_foreign_database",
    "tests/test_replication.py::test_drill_kill_mid_burst",
    "tests/test_fuzz.py::test_every_read_route_takes_junk_ids_and_queries_without_500[admin]",
    "tests/test_fuzz.py::test_every_form_a_screen_shows",
    "tests/test_mail.py::test_kill_9_of_the_worker_mid_round",
    "tests/test_crash_safety.py::test_sigkill_mid_burst",
    "tests/browser/test_accessibility.py::test_staff_screens_pass_axe",
    "tests/test_fuzz.py::test_every_read_route_takes_junk_ids_and_queries_without_500[walker]",
    "tests/test_rate_limits.py::test_two_workers_share_exact_counts_through_redis",
    "tests/test_health.py::test_redis_stopping_mid_walk",
    "tests/test_fuzz.py::test_junk_never_gives_500_and_refusals_store_nothing",
    "tests/test_security.py::test_serve_without_a_public_url",
    "tests/browser/test_coordinators_flow.py::test_plan_join_record_watch_triage",
    "tests/test_crash_safety.py::test_twenty_concurrent_clients",
    "tests/test_access_log.py::test_a_huge_header_block_is_refused_by_the_server",
    "tests/browser/test_coordinators_phone.py::test_no_word_breaks_letter_by_letter",
)


def pytest_collection_modifyitems(config, items):
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1:  # every worker collects and sorts alike: xdist checks the lists are equal
        items[:] = slowest_first(items, workers, SLOWEST)


@pytest.fixture(autouse=True, scope="session")
def _unknown_names_cost_what_the_tests_users_cost():
    """The sign-in checks an unknown name against walkapp.passwords' dummy hash so that it costs
    what a real user's check costs; the users tests make have QUICK_SCRYPT hashes
    (tests.helpers.hash_password), so the dummy gets one too: the same cost as theirs again, and
    fifty guessed names no longer take 50 full scrypt checks."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_DUMMY", hash_password("not-a-password"))
        yield


@pytest.fixture(autouse=True)
def _no_app_context_left_behind():
    """A test that leaves an app context pushed makes every later CLI command (which reuses the
    current app) run against its database: fail the test that does it, not the ones after."""
    yield
    if has_app_context():
        while (left := _cv_app.get(None)) is not None:
            left.pop()
        pytest.fail("this test left a Flask app context pushed", pytrace=False)


@pytest.fixture(autouse=True)
def _no_setting_left_in_the_environment():
    """A WALKAPP_ variable a test leaves in os.environ (as `walkapp serve` sets its trusted hosts)
    is read by every later app in that worker: put it back and fail the test that left it."""
    before = {k: v for k, v in os.environ.items() if k.startswith("WALKAPP_")}
    yield
    after = {k: v for k, v in os.environ.items() if k.startswith("WALKAPP_")}
    if after != before:
        for key in after.keys() - before.keys():
            del os.environ[key]
        os.environ.update(before)
        changed = sorted(set(after.items()) ^ set(before.items()))
        pytest.fail(f"this test left settings in os.environ: {changed}", pytrace=False)


@pytest.fixture(scope="session")
def _one_app(tmp_path_factory):
    return shared_app(tmp_path_factory, "one-app")


@pytest.fixture(scope="session")
def _one_browser_app(tmp_path_factory):
    """The browser tests' shared app: no map tiles (the test machines have no internet)."""
    return shared_app(tmp_path_factory, "one-browser-app", TILE_URL="none")


@pytest.fixture
def app(_one_app, tmp_path):
    """The process's app pointed at this test's own instance folder with a fresh copy of the
    database; a test that needs other settings builds its own with make_app."""
    with pointed_at(_one_app, tmp_path) as shared:
        yield shared


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
def walk(db):
    """A planned evening walk (files that need another walk define their own)."""
    return walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")


@pytest.fixture
def other_walk(db):
    return walks_db.create_walk(db, title="Annan vandring", starts_at="2026-11-24T18:00")


@pytest.fixture
def users(db):
    """A coordinator and an admin, both with PASSWORD."""
    return {
        role: users_db.create_user(db, role, hash_password(PASSWORD), role)
        for role in ("coordinator", "admin")
    }


@pytest.fixture
def staff(client, users):
    """The test client signed in as the coordinator."""
    login(client, "coordinator")
    return client


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server on a Unix socket, stopped by its pid afterwards."""
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """The SMTP server's self-signed certificate (key, cert), made once a run."""
    return make_certificate(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def smtp(certificate):
    """A real SMTP server (STARTTLS, AUTH) on a free loopback port, and what it received."""
    server = SmtpServer(certificate).start()
    yield server
    server.stop()


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
