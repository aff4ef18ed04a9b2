"""The walk as a route on the phone in a real browser: a walker sees the planned route on the
capture map, records the walked track while the phone's position moves (with an offline stretch,
a gap, a poor fix and a GPS jump) and scores a safety audit; each test checks what the server
stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_capture import join
from tests.helpers import EAST, PASSWORD, SERGELS_TORG, at, hash_password, query, sign_in_directly
from walkapp import tracks
from walkapp.db import connect, database_path, transaction
from walkapp.db import routes as routes_db
from walkapp.db import users as users_db
from walkapp.routes import check_route

pytestmark = pytest.mark.browser


def test_walker_records_the_track_through_an_offline_stretch_and_a_gap(phone, server, walk):
    db = connect(database_path(server.app))
    with transaction(db):
        routes_db.save_route(
            db,
            walk["id"],
            check_route(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "geometry": {
                                "type": "LineString",
                                "coordinates": [[18.0649, 59.3326], [18.0716, 59.3310]],
                            },
                            "properties": {},
                        },
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [18.0649, 59.3326]},
                            "properties": {"name": "Plattan"},
                        },
                    ],
                }
            ),
            None,
        )
    db.close()
    page = phone.new_page()
    # The page's clock is Playwright's: minutes pass without waiting for them.
    page.clock.install(time=datetime.now(UTC) - timedelta(minutes=50))
    page.clock.resume()  # time flows as usual, and jumps ahead when the test says
    join(page, server, walk)
    expect(page.locator("#route-tools")).to_have_attribute("data-route", "2")
    status = page.locator("#track-status")
    toggle = page.get_by_label("Spela in rutten")
    expect(toggle).not_to_be_checked()  # off by default

    fixes = 0

    def step(position, seconds, expect_reason):
        nonlocal fixes
        page.clock.run_for(seconds * 1000)
        phone.set_geolocation(position)
        fixes += 1
        expect(status).to_have_attribute("data-fixes", str(fixes))
        expect(status).to_have_attribute("data-reason", expect_reason)

    toggle.check()
    expect(status).to_have_text("Spelar in: 0 punkter")
    step(at(0), 1, "kept")  # the first fix starts the track
    for i in range(1, 4):  # walking east, 13 m every 10 s
        step(at(13 * i), 10, "kept")
    step(at(13 * 4, accuracy=60), 10, "accuracy")  # between tall buildings: not kept
    step(at(13 * 4 + 400), 10, "jump")  # 400 m in 10 s: a GPS error

    phone.set_offline(True)  # no network for a stretch: points wait on the phone
    for i in range(5, 9):
        step(at(13 * i), 10, "kept")
    page.clock.run_for(61_000)  # the minute's chunk goes to the outbox, and cannot be sent
    expect(page.locator("#sync-status")).not_to_have_text("Allt är skickat")
    stored_while_offline = query(server, "select count(*) as n from track_points")[0]["n"]
    assert stored_while_offline < 8  # the offline stretch is still on the phone

    # The screen goes off for two minutes: a gap, never joined by a line.
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange'))"
    )
    page.clock.run_for(120_000)
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange'))"
    )
    step(at(13 * 8 + 150, 40), 1, "gap")
    for i in range(1, 4):
        step(at(13 * 8 + 150 + 12 * i, 40), 10, "kept")
    phone.set_offline(False)
    toggle.uncheck()  # the rest goes as a chunk at once
    expect(status).to_have_attribute("data-waiting", "0", timeout=15_000)

    points = query(
        server,
        "select t, lon, lat, accuracy_m, gap from track_points where walk_id = ? order by t",
        [walk["id"]],
    )
    # 1 + 3 before the offline stretch, 4 offline, 1 + 3 after the gap; the poor fix and the
    # jump were never stored, and each chunk once.
    assert len(points) == 12
    assert len({p["t"] for p in points}) == 12
    assert all(p["accuracy_m"] <= 30 for p in points)
    assert max(p["lon"] for p in points) < SERGELS_TORG["longitude"] + 300 * EAST
    assert [p["gap"] for p in points].count(1) == 1
    parts = tracks.parts(points)
    assert [len(part) for part in parts] == [8, 4]
    chunks = query(server, "select count(*) as n from track_chunks")[0]["n"]
    assert chunks >= 2
    # The coordinator's export shows the two stretches as two parts of one MultiLineString.
    db = connect(database_path(server.app))
    coordinator = users_db.create_user(db, "samordnare", hash_password(PASSWORD), "coordinator")
    client = server.app.test_client()
    sign_in_directly(client, db, coordinator)
    db.close()
    export = client.get(f"/export/routes.geojson?walk={walk['id']}").json
    [track] = [f for f in export["features"] if f["properties"]["kind"] == "track"]
    assert [len(part) for part in track["geometry"]["coordinates"]] == [8, 4]


def test_walker_scores_a_safety_audit_at_a_stop(phone, server, walk):
    page = phone.new_page()
    join(page, server, walk)
    page.get_by_role("button", name="Trygghetsbedömning").click()
    sheet = page.locator("#audit-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.get_by_role("group", name="Belysning")).to_contain_text("Ingen belysning")
    chosen = {
        "lighting": 1,
        "openness": 2,
        "visibility": 2,
        "people": 0,
        "security": 1,
        "walk_path": 3,
        "public_transport": 3,
        "gender_usage": 1,
        "feeling": 0,
    }
    for key, score in chosen.items():
        sheet.locator(f"button[data-parameter={key}][data-score='{score}']").click()
    expect(sheet.locator(".audit-message")).to_have_text("9 av 9 bedömda")
    page.get_by_label("Anteckning om platsen (frivilligt)").fill("Mörkt vid trappan")
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(sheet).to_be_hidden()
    expect(page.locator(".audit-saved")).to_have_text("Bedömningen är sparad.")
    expect(page.locator("#audit-open")).to_have_attribute("data-waiting", "0", timeout=15_000)
    [row] = query(server, "select * from audits where walk_id = ?", [walk["id"]])
    assert {key: row[key] for key in chosen} == chosen
    assert row["note"] == "Mörkt vid trappan" and row["relation"] == "inside"
    assert abs(row["lon"] - SERGELS_TORG["longitude"]) < 0.0001
