"""A count on a staff screen reads right for one and for more, in Swedish and in English
("1 observationer slogs ihop", "för 1 sekunder sedan", "Granska 1 platser" were wrong)."""

from __future__ import annotations

import html
import io
import json

import pytest

from tests.helpers import PASSWORD, hash_password, login, make_app, sign_in_directly
from tests.test_coordinators import SERGEL, add_observation
from walkapp import replication
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db


def _flashes(client) -> str:
    return html.unescape(client.get("/admin/users").get_data(as_text=True))


def _square(name: str, lon: float) -> dict:
    ring = [[lon, 59.33], [lon + 0.002, 59.33], [lon + 0.002, 59.332], [lon, 59.332], [lon, 59.33]]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.mark.parametrize(
    ("count", "sv", "en"),
    [(1, "Granska 1 plats<", "Review 1 place<"), (2, "Granska 2 platser<", "Review 2 places<")],
)
def test_the_place_upload_preview_counts_its_places(client, users, count, sv, en):
    login(client, "admin")
    body = {
        "type": "FeatureCollection",
        "features": [_square(f"Ny plats {i}", 18.2 + i * 0.01) for i in range(count)],
    }
    response = client.post(
        "/admin/places/upload",
        data={"file": (io.BytesIO(json.dumps(body).encode()), "p.geojson"), "mode": "upsert"},
        content_type="multipart/form-data",
    )
    preview = response.headers["Location"]
    assert sv in client.get(preview).get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert en in client.get(preview).get_data(as_text=True)


@pytest.mark.parametrize(
    ("count", "sv", "en"),
    [(1, "– 1 observation<", "– 1 observation<"), (2, "– 2 observationer<", "– 2 observations<")],
)
def test_the_place_page_counts_each_walks_observations(staff, db, count, sv, en):
    walk = walks_db.create_walk(db, title="Vandring", starts_at="2026-11-24T18:00", place_ids=[1])
    for _ in range(count):
        add_observation(db, walk["id"], *SERGEL)
    place = db.execute("select place_id from observations limit 1").fetchone()[0]
    assert sv in staff.get(f"/places/{place}").get_data(as_text=True)
    staff.set_cookie("lang", "en")
    assert en in staff.get(f"/places/{place}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("others", "sv"),
    [(1, "1 observation slogs ihop"), (2, "2 observationer slogs ihop")],
)
def test_the_merge_says_how_many_were_merged(staff, db, others, sv):
    walk = walks_db.create_walk(db, title="Vandring", starts_at="2026-11-24T18:00", place_ids=[1])
    lead, *rest = [add_observation(db, walk["id"], *SERGEL) for _ in range(others + 1)]
    staff.post(f"/observations/{lead}/merge", data={"others": rest})
    assert sv in html.unescape(staff.get(f"/walks/{walk['id']}").get_data(as_text=True))


@pytest.mark.parametrize(
    ("sessions", "sv", "en"),
    [
        (1, "(1 inloggning).", "(1 sign-in)."),
        (2, "(2 inloggningar).", "(2 sign-ins)."),
    ],
)
def test_sign_out_everywhere_counts_the_sign_ins(client, db, users, sessions, sv, en):
    for lang, expected in (("sv", sv), ("en", en)):
        person = users_db.create_user(db, f"eva-{lang}", hash_password(PASSWORD), "coordinator")
        for _ in range(sessions):
            sign_in_directly(client.application.test_client(), db, person)
        login(client, "admin")
        client.set_cookie("lang", lang)
        client.post(f"/admin/users/{person}/sign-out")
        assert expected in _flashes(client), lang


@pytest.mark.parametrize(
    ("age", "sv", "en"),
    [
        (1, "(för 1 sekund sedan)", "(1 second ago)"),
        (2, "(för 2 sekunder sedan)", "(2 seconds ago)"),
    ],
)
def test_the_replication_page_says_how_long_ago(tmp_path, monkeypatch, age, sv, en):
    app = make_app(tmp_path, REPLICA_URL="file:///elsewhere")
    db = connect(database_path(app))
    users_db.create_user(db, "admin", hash_password(PASSWORD), "admin")
    db.close()
    state = replication.ReplicationState(
        "file:///elsewhere", True, "07", "2026-11-25T19:00:00+00:00", float(age), "07", 0.0, None
    )
    monkeypatch.setattr(replication, "state", lambda *args, **kwargs: state)
    client = app.test_client()
    login(client, "admin")
    assert sv in client.get("/admin/replication").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert en in client.get("/admin/replication").get_data(as_text=True)
