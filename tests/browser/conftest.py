"""Browser fixtures: the app on a live server (no map tiles: the test machines have no internet),
a walk on it, and a phone context positioned at Sergels torg."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD, SERGELS_TORG, LiveServer, hash_password, pointed_at
from walkapp.db import connect, database_path
from walkapp.db import partners as partners_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db


@pytest.fixture
def server(_one_browser_app, tmp_path):
    """The browser tests' shared app (no tiles) on a live server, pointed at this test's own
    instance and database; stopped before the app is put back."""
    with pointed_at(_one_browser_app, tmp_path) as shared:
        server = LiveServer(shared)
        yield server
        server.stop()


@pytest.fixture
def staff_server(server):
    """The live server with the coordinator kim (PASSWORD) and the partner Trafikkontoret."""
    db = connect(database_path(server.app))
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator")
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    db.close()
    return server


@pytest.fixture
def walk(server):
    db = connect(database_path(server.app))
    try:
        yield walks_db.create_walk(db, title="Kvällsvandring City", starts_at="2026-11-24T18:00")
    finally:
        db.close()


@pytest.fixture
def phone(context, server):
    context.grant_permissions(["geolocation"], origin=server.url)
    context.set_geolocation(SERGELS_TORG)
    return context


@pytest.fixture
def phone_without_worker(browser, server):
    """A phone at Sergels torg with no service worker, so page.route sees the page's own
    requests (a worker's fetches pass it by)."""
    context = browser.new_context(
        service_workers="block", viewport={"width": 390, "height": 844}, locale="sv-SE"
    )
    context.grant_permissions(["geolocation"], origin=server.url)
    context.set_geolocation(SERGELS_TORG)
    yield context
    context.close()
