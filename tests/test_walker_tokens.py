"""A walker's token lasts the walk and its follow-up, not forever; a coordinator can revoke one
(a lost phone); photos for what was recorded before the close still arrive after it."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

from PIL import Image

from tests.test_observations_api import join, observation, post
from walkapp import walkers
from walkapp.access import WALKER_COOKIE, make_walker_token
from walkapp.db import walks as walks_db


def _ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def _closed_walk(db, closed_days_ago: float, **fields):
    created = walks_db.create_walk(
        db, title="Förr", starts_at=_ago(closed_days_ago + 0.1)[:16], state="ongoing", **fields
    )
    walks_db.set_state(db, created["id"], "closed")
    db.execute(
        "update walks set closed_at = ? where id = ?", [_ago(closed_days_ago), created["id"]]
    )
    return walks_db.get_walk(db, created["id"])


def _token(app, walk_id, walker_id) -> str:
    with app.app_context():
        return make_walker_token(walk_id, walker_id)


def _bearer(app, db, joined) -> dict:
    walker_id = walks_db.add_walker(db, joined["id"], "Anna")
    return {"Authorization": "Bearer " + _token(app, joined["id"], walker_id)}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def _photo(client, observation_id, headers):
    return client.post(
        f"/api/observations/{observation_id}/photos",
        data={"id": str(uuid.uuid4()), "photo": (io.BytesIO(_jpeg()), "p.jpg")},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_a_token_expires_weeks_after_the_walk(app, client, db):
    old = _closed_walk(db, closed_days_ago=43)
    response = client.get(f"/api/walks/{old['id']}/observations", headers=_bearer(app, db, old))
    assert response.status_code == 403 and "gått ut" in response.json["error"]
    recent = _closed_walk(db, closed_days_ago=41)
    assert (
        client.get(
            f"/api/walks/{recent['id']}/observations", headers=_bearer(app, db, recent)
        ).status_code
        == 200
    )


def test_a_later_follow_up_meeting_keeps_the_token_good(app, client, db):
    later = _closed_walk(db, closed_days_ago=50, follow_up_at=_ago(20)[:16])
    response = client.get(f"/api/walks/{later['id']}/observations", headers=_bearer(app, db, later))
    assert response.status_code == 200


def test_an_open_walk_keeps_its_tokens_however_old(app, client, db):
    old = walks_db.create_walk(db, title="Glömd", starts_at="2020-01-01T18:00", state="ongoing")
    response = client.get(f"/api/walks/{old['id']}/observations", headers=_bearer(app, db, old))
    assert response.status_code == 200


def test_lifetime_rule():
    walk = {
        "id": "w",
        "state": "closed",
        "starts_at": "2026-03-01T18:00",
        "closed_at": "2026-03-01T20:00:00+00:00",
        "follow_up_at": None,
    }
    expires = walkers.token_expires_at(walk, 42)
    assert expires == datetime(2026, 3, 1, 20, 0, tzinfo=UTC) + timedelta(days=42)
    assert walkers.token_expires_at({**walk, "follow_up_at": "2026-05-01T18:00"}, 42) == datetime(
        2026, 5, 1, 18, 0, tzinfo=walkers.STOCKHOLM
    ) + timedelta(days=42)
    assert walkers.token_expires_at({**walk, "state": "ongoing"}, 42) is None
    walker = {"walk_id": "w", "revoked_at": None}
    assert walkers.standing(walker, walk, 42, now=expires - timedelta(seconds=1)) == walkers.OK
    assert walkers.standing(walker, walk, 42, now=expires) == walkers.EXPIRED
    assert walkers.standing({**walker, "revoked_at": "x"}, walk, 42) == walkers.REVOKED
    assert walkers.standing({**walker, "walk_id": "other"}, walk, 42) == walkers.UNKNOWN
    assert walkers.standing(None, walk, 42) == walkers.UNKNOWN


def test_a_photo_for_an_observation_recorded_before_the_close_arrives_after_it(client, db, walk):
    anna = join(client, walk)
    body = observation()
    assert post(client, walk, anna, body).status_code == 201
    walks_db.set_state(db, walk["id"], "closed")
    response = _photo(client, body["id"], anna)
    assert response.status_code == 201
    assert (
        db.execute("select count(*) from photos where observation_id = ?", [body["id"]]).fetchone()[
            0
        ]
        == 1
    )


def test_a_coordinator_revokes_one_walker(app, staff, db, walk):
    client = app.test_client()  # the phones, not signed in
    anna, bo = join(client, walk, "Anna"), join(client, walk, "Bo")
    kept = observation()
    assert post(client, walk, anna, kept).status_code == 201
    anna_id = db.execute("select id from walkers where display_name = 'Anna'").fetchone()[0]
    page = staff.get(f"/walks/{walk['id']}")
    assert "Anna" in page.text and "Stäng av" in page.text
    response = staff.post(f"/walks/{walk['id']}/walkers/{anna_id}/revoke")
    assert response.status_code == 303
    refused = post(client, walk, anna, observation())
    assert refused.status_code == 403 and "stängt av" in refused.json["error"]
    assert _photo(client, kept["id"], anna).status_code == 403
    assert post(client, walk, bo, observation()).status_code == 201
    # What Anna sent stays, and the walk page says her access is off.
    assert db.execute("select count(*) from observations where id = ?", [kept["id"]]).fetchone()[0]
    assert "Avstängd" in staff.get(f"/walks/{walk['id']}").text
    entry = db.execute("select action, entity from audit_log order by id desc limit 1").fetchone()
    assert tuple(entry) == ("revoke", "walker")


def test_revoking_needs_the_walkers_own_walk(staff, db, walk, other_walk):
    walker_id = walks_db.add_walker(db, walk["id"], "Anna")
    response = staff.post(f"/walks/{other_walk['id']}/walkers/{walker_id}/revoke")
    assert response.status_code == 404
    assert walks_db.get_walker(db, walker_id)["revoked_at"] is None


def test_a_revoked_phone_opening_the_link_may_join_anew(app, client, db, walk):
    walker_id = walks_db.add_walker(db, walk["id"], "Anna")
    client.set_cookie(WALKER_COOKIE, _token(app, walk["id"], walker_id))
    assert client.get(f"/j/{walk['code']}").status_code == 302
    walks_db.revoke_walker(db, walker_id, None)
    page = client.get(f"/j/{walk['code']}")
    assert page.status_code == 200 and 'name="name"' in page.text
