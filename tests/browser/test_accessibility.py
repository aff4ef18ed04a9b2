"""axe-core on the coordinators' and the walker's screens (with the demo data): no serious or
critical violations, light and dark. Screenshots go to test-artifacts/ for a look."""

from __future__ import annotations

import pytest

from tests.browser.artifacts import screenshot
from tests.browser.axe import serious
from tests.helpers import PASSWORD, LiveServer, hash_password, make_app, sign_in_page
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.demo import create_demo

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    server = LiveServer(make_app(tmp_path_factory.mktemp("a11y"), TILE_URL="none"))
    db = connect(database_path(server.app))
    users_db.create_user(db, "kim", hash_password(PASSWORD), "admin")
    walk = create_demo(db, 50.0)
    observation = db.execute(
        "select id from observations where walk_id = ? limit 1", [walk["id"]]
    ).fetchone()[0]
    db.close()
    yield server, walk, observation
    server.stop()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_staff_screens_pass_axe(browser, demo_site, scheme):
    server, walk, observation = demo_site
    # axe is injected as a script: the pages' CSP (rightly) forbids that, so bypass it here.
    context = browser.new_context(
        bypass_csp=True,
        color_scheme=scheme,
        viewport={"width": 1280, "height": 900},
        locale="sv-SE",
    )
    page = context.new_page()
    sign_in_page(page, server.url, "kim")
    pages = {
        "walks": "/walks",
        "walk": f"/walks/{walk['id']}",
        "plan": "/walks/new",
        "triage": f"/observations/{observation}/triage",
        "protocol": f"/walks/{walk['id']}/protocol",
        "places": "/places",
        "place": "/places/1",
        "measures": "/measures?status=open",
        "partners": "/partners",
        "tokens": "/tokens",
        "admin-places": "/admin/places",
        "organisations": "/admin/organisations",
        "organisation": "/admin/organisations/1/edit",
        "capture": f"/walks/{walk['id']}/capture",
    }
    problems = {}
    for name, path in pages.items():
        page.goto(server.url + path)
        if name == "capture":
            page.wait_for_selector("body[data-ready=true]")
        found = serious(page, colours_only=scheme == "dark")
        if found:
            problems[name] = found
        screenshot(page, f"staff-{name}-{scheme}.png", full_page=True)
    context.close()
    assert problems == {}
