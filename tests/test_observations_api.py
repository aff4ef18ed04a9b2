"""The walker's API over real HTTP (Flask's test client on a real SQLite file): join, record,
edit, delete, photos; every refusal with a field-level message and nothing half-stored."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import join, login, make_app, observation, post_observation
from walkapp.db import transaction
from walkapp.db import walks as walks_db

SERGEL = {"lon": 18.0649, "lat": 59.3326}


post = post_observation


def count(db, table="observations") -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def jpeg_with_gps(size=(1200, 900)) -> bytes:
    image = Image.new("RGB", size, (30, 60, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (59.0, 19.0, 57.36)
    gps[3] = "E"
    gps[4] = (18.0, 3.0, 53.64)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_join_gives_a_token_scoped_to_the_walk(client, walk, db):
    response = client.post("/api/join", json={"code": walk["code"].lower(), "name": "Anna"})
    assert response.status_code == 201
    assert response.json["walk_id"] == walk["id"] and response.json["token"]
    assert walks_db.count_walkers(db, walk["id"]) == 1


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({}, 400, "code"),
        ({"code": 123456}, 400, "code"),
        ({"code": "ZZZZZZ"}, 404, "code"),
        ({"code": "ABCDEF", "name": "x" * 81}, 400, "name"),
    ],
)
def test_join_refusals_name_the_field(client, walk, body, status, field):
    response = client.post("/api/join", json=body)
    assert response.status_code == status
    assert field in response.json["errors"]


def test_closed_walk_code_has_expired(client, walk, db):
    walks_db.set_state(db, walk["id"], "closed")
    response = client.post("/api/join", json={"code": walk["code"]})
    assert response.status_code == 410
    assert "avslutad" in response.json["errors"]["code"]


def test_record_is_assigned_and_idempotent(client, walk, db):
    headers = join(client, walk)
    body = observation()
    first = post(client, walk, headers, body)
    assert first.status_code == 201
    assert first.json["place"] == "Sergels torg / Plattan"
    assert first.json["relation"] == "inside" and first.json["id"] == body["id"]
    again = post(client, walk, headers, body)
    assert again.status_code == 200 and again.json == first.json
    assert count(db) == 1 and count(db, "measures") == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"category": "ufo"}, "category"),
        ({"category": None}, "category"),
        ({"rating": "blue"}, "rating"),
        ({"note": 12}, "note"),
        ({"note": "x" * 2001}, "note"),
        ({"lon": 200}, "lon"),
        ({"lon": "18.06"}, "lon"),
        ({"lat": True}, "lat"),
        ({"lat": -91}, "lat"),
        ({"accuracy_m": -5}, "accuracy_m"),
        ({"recorded_at": "yesterday"}, "recorded_at"),
        ({"recorded_at": "2026-11-24T18:30:00"}, "recorded_at"),
        ({"recorded_at": "2999-01-01T00:00:00+00:00"}, "recorded_at"),
    ],
)
def test_each_validation_error_is_named_and_nothing_stored(client, walk, db, overrides, field):
    headers = join(client, walk)
    response = post(client, walk, headers, observation(**overrides))
    assert response.status_code == 400
    assert field in response.json["errors"] and response.json["errors"][field]
    assert count(db) == 0


def test_not_json_is_refused(client, walk, db):
    headers = join(client, walk)
    response = client.post(
        f"/api/walks/{walk['id']}/observations",
        data="{broken",
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400 and "_" in response.json["errors"]
    assert count(db) == 0


def test_wrong_or_missing_token_is_403(client, walk, db):
    response = post(client, walk, {"Authorization": "Bearer forged.token"}, observation())
    assert response.status_code == 403 and response.json["error"]
    assert post(client, walk, {}, observation()).status_code == 403
    assert count(db) == 0


def test_token_for_another_walk_is_403(client, walk, other_walk, db):
    headers = join(client, other_walk)
    assert post(client, walk, headers, observation()).status_code == 403
    assert client.get(f"/api/walks/{walk['id']}/observations", headers=headers).status_code == 403
    assert count(db) == 0


def test_same_id_in_another_walk_conflicts(client, walk, other_walk, db):
    body = observation()
    assert post(client, walk, join(client, walk), body).status_code == 201
    response = post(client, other_walk, join(client, other_walk), body)
    assert response.status_code == 409 and "id" in response.json["errors"]
    assert count(db) == 1


def test_closed_walk_still_takes_what_was_recorded_offline_flagged_late(client, walk, db):
    headers = join(client, walk)
    walks_db.set_state(db, walk["id"], "closed")
    response = post(client, walk, headers, observation())
    assert response.status_code == 201 and response.json["late"] is True
    assert db.execute("select late from observations").fetchone()[0] == 1


def test_edit_and_delete_own_until_closed(client, walk, db):
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    url = f"/api/walks/{walk['id']}/observations/{body['id']}"
    # Moved 300 m north-east: re-assigned.
    edited = client.patch(
        url, json={"rating": "green", "lon": 18.075, "lat": 59.334}, headers=headers
    )
    assert edited.status_code == 200 and edited.json["relation"] != "inside"
    assert db.execute("select rating from observations").fetchone()[0] == "green"
    assert client.patch(url, json={"rating": "pink"}, headers=headers).status_code == 400

    other = join(client, walk, name="Bo")
    assert client.patch(url, json={"rating": "red"}, headers=other).status_code == 403
    assert client.delete(url, headers=other).status_code == 403

    assert client.delete(url, headers=headers).status_code == 204
    assert client.delete(url, headers=headers).status_code == 204  # a retried delete
    assert count(db) == 0 and count(db, "measures") == 0


def test_no_edits_after_the_walk_is_closed(client, walk, db):
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    walks_db.set_state(db, walk["id"], "closed")
    url = f"/api/walks/{walk['id']}/observations/{body['id']}"
    assert client.patch(url, json={"rating": "green"}, headers=headers).status_code == 409
    assert client.delete(url, headers=headers).status_code == 409
    assert count(db) == 1


def test_walker_sees_only_own_observations(client, walk):
    anna, bo = join(client, walk), join(client, walk, "Bo")
    post(client, walk, anna, observation())
    post(client, walk, bo, observation(category="litter"))
    listed = client.get(f"/api/walks/{walk['id']}/observations", headers=anna).json
    assert [row["category"] for row in listed["observations"]] == ["lighting"]


def upload(client, observation_id, headers, data: bytes, photo_id=None):
    return client.post(
        f"/api/observations/{observation_id}/photos",
        data={"id": photo_id or str(uuid.uuid4()), "photo": (io.BytesIO(data), "photo.jpg")},
        headers=headers,
        content_type="multipart/form-data",
    )


def photo_files(app) -> list[Path]:
    return sorted((Path(app.config["WALKAPP_INSTANCE"]) / "photos").iterdir())


def test_photo_is_idempotent_and_stripped_of_exif(client, app, walk, db):
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(0x8825)  # the input has GPS
    photo_id = str(uuid.uuid4())
    first = upload(client, body["id"], headers, jpeg_with_gps(), photo_id)
    assert first.status_code == 201
    again = upload(client, body["id"], headers, jpeg_with_gps(), photo_id)
    assert again.status_code == 200 and again.json == first.json
    assert count(db, "photos") == 1 and len(photo_files(app)) == 2  # photo + thumbnail
    for path in photo_files(app):
        stored = Image.open(path)
        assert stored.format == "JPEG"
        assert not stored.getexif() and "exif" not in stored.info
        assert b"PhoneMaker" not in path.read_bytes()
    full = client.get(first.json["url"], headers=headers)
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    assert client.get(first.json["thumb_url"], headers=headers).status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "tom"),
        (b"%PDF-1.4 not an image at all", "ingen bild"),
        (jpeg_with_gps()[:600], "trasig"),
    ],
)
def test_photo_refusals_leave_nothing(client, app, walk, db, data, message):
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    response = upload(client, body["id"], headers, data)
    assert response.status_code == 400 and message in response.json["errors"]["photo"]
    assert count(db, "photos") == 0 and photo_files(app) == []


def test_photo_bomb_is_refused(client, app, walk, db):
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")  # 144 MP in a few kB
    response = upload(client, body["id"], headers, buffer.getvalue())
    assert response.status_code == 413 and "bildpunkter" in response.json["errors"]["photo"]
    assert photo_files(app) == []


def test_photo_too_large_is_refused(tmp_path):
    app = make_app(tmp_path, MAX_PHOTO_BYTES=20_000)
    client = app.test_client()
    from walkapp.db import connect, database_path

    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="Liten", starts_at="2026-11-24T18:00")
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    noise = Image.effect_noise((800, 800), 80).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    response = upload(client, body["id"], headers, buffer.getvalue())
    assert response.status_code in (400, 413) and response.json["error"]
    assert count(db, "photos") == 0
    db.close()


def test_photo_of_another_walkers_observation_is_refused(client, walk, db):
    anna, bo = join(client, walk), join(client, walk, "Bo")
    body = observation()
    post(client, walk, anna, body)
    assert upload(client, body["id"], bo, jpeg_with_gps()).status_code == 403


def test_photos_are_not_for_other_walks_or_the_public(client, app, walk, other_walk, users):
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    url = upload(client, body["id"], headers, jpeg_with_gps()).json["url"]
    assert client.get(url).status_code == 403
    assert client.get(url, headers=join(client, other_walk)).status_code == 403
    login(client, "coordinator")
    assert client.get(url).status_code == 200


def test_join_page_and_wrong_code_message(client, walk):
    page = client.get(f"/j/{walk['code']}")
    assert page.status_code == 200 and walk["title"] in page.text
    wrong = client.get("/j/ZZZZZZ")
    assert wrong.status_code == 404 and "Det finns ingen vandring med koden" in wrong.text
    joined = client.post(f"/j/{walk['code']}", data={"name": "Anna"})
    assert joined.status_code == 302 and joined.location.endswith(f"/walks/{walk['id']}/capture")
    capture = client.get(joined.location)
    assert capture.status_code == 200 and 'capture="environment"' in capture.text
    # The installed app's start URL goes straight back to the walk.
    assert client.get("/j").location.endswith(f"/walks/{walk['id']}/capture")


def test_repeated_wrong_codes_are_slowed_down(tmp_path):
    client = make_app(tmp_path, RATELIMIT_ENABLED=True).test_client()
    statuses = [client.post("/api/join", json={"code": "ZZZZZZ"}).status_code for _ in range(21)]
    assert statuses[:20] == [404] * 20 and statuses[20] == 429
    limited = client.get("/j/ZZZZZZ")
    assert limited.status_code == 429 and limited.headers["Retry-After"]


def test_cookie_authorised_api_write_needs_csrf(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    from walkapp.db import connect, database_path

    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="CSRF", starts_at="2026-11-24T18:00")
    page = client.get(f"/j/{walk['code']}").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(f"/j/{walk['code']}", data={"name": "", "csrf_token": token})
    # The walker cookie alone does not authorise a write from another site ...
    response = client.post(f"/api/walks/{walk['id']}/observations", json=observation())
    assert response.status_code == 400
    with transaction(db):
        assert count(db) == 0
    # ... with the page's CSRF token it does.
    response = client.post(
        f"/api/walks/{walk['id']}/observations", json=observation(), headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    db.close()


def test_manifest_and_service_worker(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.json["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest.json["icons"]} >= {"192x192", "512x512"}
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/"
    assert "__VERSION__" not in worker.text and "/static/js/capture/main.js" in worker.text


def test_observation_posts_per_token_are_limited(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, WALKER_WRITES_PER_MINUTE=5)
    client = app.test_client()
    from walkapp.db import connect, database_path

    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="Gräns", starts_at="2026-11-24T18:00")
    anna, bo = join(client, walk), join(client, walk, "Bo")
    statuses = [post(client, walk, anna, observation()).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]
    limited = post(client, walk, anna, observation())
    assert limited.headers["Retry-After"] and "För många" in limited.json["error"]
    # Per token, not per address: another walker on the same network goes on.
    assert post(client, walk, bo, observation()).status_code == 201
    assert count(db) == 6
    db.close()
