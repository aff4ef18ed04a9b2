"""The walk protocol on paper (issue 23, point 14): the route map printed whole — every stop on
the page, no zoom buttons —, headings kept with what follows, before and after side by side.
The PDF Chromium prints is kept in test-artifacts/ (and as PNG pages when pdftoppm is there)."""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid

import pytest
from PIL import Image

from tests.browser.artifacts import ARTIFACTS
from tests.browser.test_coordinators_screens import signed_in
from tests.helpers import PASSWORD, hash_password
from tests.test_coordinators import add_observation
from walkapp import observations, photos, settings
from walkapp.db import connect, database_path, transaction
from walkapp.db import measures as measures_db
from walkapp.db import routes as routes_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.routes import route_collection

pytestmark = pytest.mark.browser

# Four stops about 3.9 km apart west to east: at the zoom a laptop's map fits them in, they span
# some 800 px, more than the 640 px a map on A4 has inside its padding.
STOPS = [(18.0290, 59.3340), (18.0520, 59.3318), (18.0760, 59.3326), (18.0975, 59.3345)]
A4_WIDTH = 680  # 210 mm - 2 × 15 mm at 96 px per inch


def jpeg(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def attach(db, folder, observation_id: str, colour: str, kind: str) -> None:
    stored = photos.store_photo(jpeg(colour), folder, 5_000_000)
    observations.attach_photo(db, str(uuid.uuid4()), observation_id, stored, folder, kind)


@pytest.fixture
def printed(server, tmp_path):
    # the shared browser app on a live server (tests/browser/conftest.py), stopped there
    db = connect(database_path(server.app))
    users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator")
    walk = walks_db.create_walk(
        db, title="Kvällsvandring Norrmalm", starts_at="2026-11-24T18:00", place_ids=[1]
    )
    stops = [{"position": list(p), "name": f"Stopp vid {i}"} for i, p in enumerate(STOPS, 1)]
    with transaction(db):
        routes_db.save_route(db, walk["id"], route_collection(list(map(list, STOPS)), stops), None)
    with server.app.app_context():
        folder = settings.current().photo_folder
    findings = []
    for n in range(14):
        lon, lat = STOPS[n % 4]
        finding = add_observation(
            db, walk["id"], lon + 0.0004 * (n // 4), lat, note=f"Mörk passage nummer {n + 1}"
        )
        findings.append(finding)
    attach(db, folder, findings[0], "navy", "before")
    measures_db.update_measure(db, findings[0], None, {"status": "done"})
    attach(db, folder, findings[0], "orange", "after")
    yield {"server": server, "db": db, "walk": walk}
    db.close()


def test_the_printed_protocol_holds_the_whole_route_and_no_buttons(browser, printed):
    context, page = signed_in(browser, printed["server"], (1366, 768))
    page.goto(printed["server"].url + f"/walks/{printed['walk']['id']}/protocol")
    page.locator("#route-map[data-ready=true]").wait_for()
    assert page.locator(".stop-number").count() == len(STOPS)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    page.wait_for_timeout(300)  # Leaflet moves the markers after the fit
    seen = page.evaluate(
        """() => {
          const map = document.getElementById('route-map').getBoundingClientRect();
          const stops = [...document.querySelectorAll('.stop-number')].map(m => {
            const r = m.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
          });
          const zoom = [...document.querySelectorAll('.leaflet-control-zoom')]
            .filter(z => getComputedStyle(z).display !== 'none' && z.getClientRects().length);
          const ba = document.querySelector('.protocol-table .before-after');
          const [before, after] = ba.querySelectorAll('figure');
          return {map: {left: map.left, right: map.right, top: map.top, bottom: map.bottom},
                  stops, zoom: zoom.length,
                  side_by_side: Math.abs(before.getBoundingClientRect().top
                                         - after.getBoundingClientRect().top) < 2
                                && after.getBoundingClientRect().left
                                   >= before.getBoundingClientRect().right,
                  heading_break: getComputedStyle(document.querySelector('.protocol-place h3'))
                                 .breakAfter};
        }"""
    )
    box = seen["map"]
    assert box["left"] >= 0 and box["right"] <= A4_WIDTH, box
    outside = [
        s
        for s in seen["stops"]
        if s["left"] < box["left"]
        or s["right"] > box["right"]
        or s["top"] < box["top"]
        or s["bottom"] > box["bottom"]
    ]
    assert outside == [], (box, seen["stops"])
    assert seen["zoom"] == 0
    assert seen["side_by_side"]
    assert seen["heading_break"] == "avoid"
    # Back to the laptop's screen, then printed as Ctrl+P would: "beforeprint" fits the map.
    page.emulate_media(media="null")  # no emulation: page.pdf prints with print media
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "protocol-print.pdf"
    pdf_path.write_bytes(page.pdf(format="A4", print_background=True))
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf_path), str(ARTIFACTS / "protocol-print")],
            check=True,
        )
    context.close()
