"""Health tells the truth (issue 23): `/healthz` and `walkapp status` report the database (a
quick_check at start, a write probe), free space, the rate-limit store and the replica; a disk
under the floor, or full, is a 507 with a message and nothing stored; a Redis that stops makes
limits count in memory, never a 500."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import uuid
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from PIL import Image

import walkapp.db
from tests.gunicorn_server import GunicornServer
from tests.helpers import PASSWORD, admin_client, hash_password, join, login, make_app, observation
from walkapp import health, rate_limits
from walkapp.commands.health import status_command
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.photos import store_photo


def noisy_jpeg(width: int = 800, height: int = 600) -> bytes:
    """A photo that does not compress: its bytes need new database pages."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "JPEG")
    return out.getvalue()


def rows(app, sql: str) -> list:
    db = sqlite3.connect(database_path(app))
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def walk_with_walker(app) -> tuple[dict, dict]:
    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00", state="ongoing")
    db.close()
    return walk, join(app.test_client(), walk)


def walk_with_observation(app) -> tuple[dict, dict, dict]:
    """A walk, its walker's headers and one observation they recorded (with room on the disk)."""
    walk, headers = walk_with_walker(app)
    record = observation()
    posted = app.test_client().post(
        f"/api/walks/{walk['id']}/observations", json=record, headers=headers
    )
    assert posted.status_code == 201
    return walk, headers, record


def upload(client, observation_id: str, headers: dict, photo: bytes, photo_id: str | None = None):
    return client.post(
        f"/api/observations/{observation_id}/photos",
        data={"id": photo_id or str(uuid.uuid4()), "photo": (io.BytesIO(photo), "p.jpg")},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_healthz_answers_each_check_as_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "disk", "rate_limits", "replication"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["disk"]["free_bytes"] > body["checks"]["disk"]["min_free_bytes"]
    assert body["checks"]["replication"]["status"] == "off"


def test_the_write_probe_writes_its_row(app, client):
    assert rows(app, "select count(*) from health_probe") == [(0,)]
    client.get("/healthz")
    first = rows(app, "select token, written_at from health_probe")
    client.get("/healthz")
    second = rows(app, "select token, written_at from health_probe")
    assert len(first) == len(second) == 1 and first[0][0] != second[0][0]


# A full disk: the floor set above the free space.


@pytest.fixture
def full(tmp_path):
    """The same instance twice: served with room (to join and record), and with the floor above
    the disk's free space."""
    roomy = make_app(tmp_path)
    floor = health.free_bytes(tmp_path) + 10 * 1024**3
    return roomy, make_app(tmp_path, MIN_FREE_BYTES=floor)


def test_under_the_floor_an_observation_is_a_507_and_nothing_is_stored(full):
    roomy, cramped = full
    walk, headers = walk_with_walker(roomy)
    record = observation()
    refused = cramped.test_client().post(
        f"/api/walks/{walk['id']}/observations", json=record, headers=headers
    )
    assert refused.status_code == 507
    assert "lagringsutrymme" in refused.json["error"] and refused.json["retry"] is True
    assert rows(cramped, "select count(*) from observations") == [(0,)]
    # The phone's retry once there is room again is stored as usual.
    stored = roomy.test_client().post(
        f"/api/walks/{walk['id']}/observations", json=record, headers=headers
    )
    assert stored.status_code == 201


def test_under_the_floor_a_photo_is_a_507_and_nothing_is_stored(full):
    roomy, cramped = full
    _walk, headers, record = walk_with_observation(roomy)
    refused = upload(cramped.test_client(), record["id"], headers, noisy_jpeg(200, 150))
    assert refused.status_code == 507 and "lagringsutrymme" in refused.json["error"]
    assert rows(cramped, "select count(*) from photos") == [(0,)]
    assert rows(cramped, "select count(*) from photo_blobs") == [(0,)]
    assert not list((Path(cramped.config["WALKAPP_INSTANCE"]) / "photos").iterdir())


def test_under_the_floor_a_walker_still_removes_a_photo(full):
    roomy, cramped = full
    walk, headers, record = walk_with_observation(roomy)
    client = roomy.test_client()
    photo = upload(client, record["id"], headers, noisy_jpeg(200, 150)).json
    folder = Path(cramped.config["WALKAPP_INSTANCE"]) / "photos"
    assert rows(cramped, "select count(*) from photos") == [(1,)] and len(list(folder.iterdir()))
    removed = cramped.test_client().delete(
        f"/api/observations/{record['id']}/photos/{photo['id']}", headers=headers
    )
    assert removed.status_code == 204  # deleting frees space
    assert rows(cramped, "select count(*) from photos") == [(0,)]
    assert rows(cramped, "select count(*) from photo_blobs") == [(0,)]
    assert not list(folder.iterdir())
    # Other writes stay refused.
    refused = cramped.test_client().delete(
        f"/api/walks/{walk['id']}/observations/{record['id']}", headers=headers
    )
    assert refused.status_code == 507
    assert rows(cramped, "select count(*) from observations") == [(1,)]


def test_under_the_floor_a_coordinators_form_says_so_in_swedish(full, tmp_path):
    roomy, cramped = full
    db = connect(database_path(roomy))
    users_db.create_user(db, "anna", hash_password(PASSWORD), "coordinator")
    db.close()
    client = cramped.test_client()
    assert login(client, "anna").status_code == 302  # signing in stays possible
    response = client.post(
        "/walks/new", data={"title": "X", "starts_at": "2026-12-03T18:00", "light": "dark"}
    )
    assert response.status_code == 507
    assert "Servern har för lite lagringsutrymme" in response.text
    assert "Inget av det du skickade är sparat" in response.text
    assert rows(cramped, "select count(*) from walks") == [(0,)]
    client.get("/lang/en")
    english = client.post("/walks/new", data={"title": "X"})
    assert english.status_code == 507 and "storage" in english.text


def test_under_the_floor_health_fails(full):
    _roomy, cramped = full
    response = cramped.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "failing"
    assert response.json["checks"]["disk"]["status"] == "failing"
    assert "WALKAPP_MIN_FREE_BYTES" in response.json["checks"]["disk"]["message"]


def test_a_photo_that_would_take_the_disk_under_the_floor_is_refused(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    photo = noisy_jpeg()  # stored about three times its size, over a megabyte
    with pytest.raises(health.DiskFull):
        store_photo(photo, folder, 10 * 1024 * 1024, keep_free=health.free_bytes(folder) - 1000)
    assert not list(folder.iterdir())
    assert store_photo(photo, folder, 10 * 1024 * 1024, keep_free=0).bytes > 0


def test_sqlite_reporting_the_disk_full_is_a_507_and_leaves_no_photo_file(app, monkeypatch):
    walk, headers = walk_with_walker(app)
    record = observation()
    client = app.test_client()
    client.post(f"/api/walks/{walk['id']}/observations", json=record, headers=headers)
    plain = walkapp.db.connect

    def at_its_size(path):
        # The database may not grow by a page: SQLite answers "database or disk is full".
        db = plain(path)
        db.execute("pragma max_page_count = 1")
        return db

    monkeypatch.setattr(walkapp.db, "connect", at_its_size)
    refused = upload(client, record["id"], headers, noisy_jpeg())
    assert refused.status_code == 507 and "lagringsutrymme" in refused.json["error"]
    monkeypatch.undo()
    assert rows(app, "select count(*) from photos") == [(0,)]
    assert not list((Path(app.config["WALKAPP_INSTANCE"]) / "photos").iterdir())


# A damaged database.


def test_a_database_damaged_while_serving_fails_health(app, client):
    assert client.get("/healthz").status_code == 200
    path = database_path(app)
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(100)  # past the header: every page after it is noise
        handle.write(os.urandom(size - 100))
    response = client.get("/healthz")
    assert response.status_code == 503
    check = response.json["checks"]["database"]
    assert check["status"] == "failing" and "the write probe failed" in check["message"]


def _damage_a_table_nothing_reads_at_start(app) -> None:
    """A table of a thousand rows whose root page is then overwritten: the app still starts
    (nothing reads it), SQLite's quick_check finds it."""
    path = database_path(app)
    db = sqlite3.connect(path)
    db.execute("create table filler (id integer primary key, text text)")
    db.executemany("insert into filler (text) values (?)", [("x" * 200,)] * 1000)
    db.commit()
    root, page_size = (
        db.execute("select rootpage from sqlite_master where name = 'filler'").fetchone()[0],
        db.execute("pragma page_size").fetchone()[0],
    )
    db.execute("pragma wal_checkpoint(truncate)")
    db.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xee" * page_size)


def test_quick_check_at_start_failing_fails_health(tmp_path):
    app = make_app(tmp_path)
    _damage_a_table_nothing_reads_at_start(app)
    restarted = make_app(tmp_path)
    response = restarted.test_client().get("/healthz")
    assert response.status_code == 503
    check = response.json["checks"]["database"]
    assert check["status"] == "failing" and "quick_check at start" in check["message"]
    # Serving goes on: a walker can still join.
    db = connect(database_path(restarted))
    walk = walks_db.create_walk(db, title="Ändå", starts_at="2026-12-02T18:00", state="ongoing")
    db.close()
    assert restarted.test_client().post("/api/join", json={"code": walk["code"]}).status_code == 201


def _crash_with_a_wal(app, transactions: int = 30) -> tuple[bytes, bytes]:
    """The database file and its WAL as a crash (kill -9) leaves them: `transactions` rows,
    each committed (acknowledged) on its own, all still in the WAL."""
    path = database_path(app)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("pragma wal_autocheckpoint = 0")
    db.execute("create table acknowledged (n integer)")
    for n in range(transactions):
        db.execute("insert into acknowledged (n) values (?)", [n])
    image = path.read_bytes(), path.with_name(path.name + "-wal").read_bytes()
    db.close()
    return image


def _restart_from(tmp_path, image: tuple[bytes, bytes], flip_frame: int | None = None):
    instance = tmp_path / "instance"
    path = instance / "walkapp.db"
    database, wal = image
    if flip_frame is not None:
        page_size = int.from_bytes(wal[8:12], "big")
        at = 32 + flip_frame * (24 + page_size) + 24 + page_size // 2
        wal = wal[:at] + bytes([wal[at] ^ 0x01]) + wal[at + 1 :]
    path.with_name("walkapp.db-shm").unlink(missing_ok=True)
    path.write_bytes(database)
    path.with_name("walkapp.db-wal").write_bytes(wal)
    return make_app(tmp_path)


def test_a_crash_image_with_a_sound_wal_loses_nothing(tmp_path):
    image = _crash_with_a_wal(make_app(tmp_path))
    restarted = _restart_from(tmp_path, image)
    assert rows(restarted, "select count(*) from acknowledged") == [(30,)]
    assert restarted.test_client().get("/healthz").status_code == 200
    assert not list((tmp_path / "instance").glob("walkapp.db-wal.damaged-*"))


def test_a_flipped_byte_in_the_wal_fails_health_and_keeps_the_wal(tmp_path):
    image = _crash_with_a_wal(make_app(tmp_path))
    restarted = _restart_from(tmp_path, image, flip_frame=12)
    # What SQLite does with it: the transactions after the damaged frame are gone, silently.
    assert rows(restarted, "select count(*) from acknowledged")[0][0] < 30
    kept = list((tmp_path / "instance").glob("walkapp.db-wal.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() != image[1]
    response = restarted.test_client().get("/healthz")
    assert response.status_code == 503
    message = response.json["checks"]["database"]["message"]
    assert "frame 13 of" in message and "committed transaction" in message
    assert "restore from the replica" in message
    # Another start (a second worker, a restart) still says so, until the copy is moved away.
    assert make_app(tmp_path).test_client().get("/healthz").status_code == 503
    status = walkapp_status(tmp_path / "instance", "--json")
    assert status.exit_code == 1 and kept[0].name in status.stdout
    kept[0].unlink()
    assert make_app(tmp_path).test_client().get("/healthz").status_code == 200


# The rate-limit store.


def test_redis_stopping_mid_walk_degrades_to_limits_in_memory(tmp_path, redis_server):
    # A real server: Flask-Limiter's state (the store found dead) lives in the worker's process.
    app = make_app(tmp_path)
    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00", state="ongoing")
    db.close()
    limits = {
        "WALKAPP_RATELIMIT_ENABLED": "true",
        "WALKAPP_RATELIMIT_STORAGE_URI": redis_server.uri,
    }
    server = GunicornServer(tmp_path / "instance", serve=True, workers=1, threads=2, env=limits)
    server.start()
    try:
        check = requests.get(server.url + "/healthz", timeout=10).json()["checks"]["rate_limits"]
        assert check == {
            "status": "ok",
            "message": "the shared store answers",
            "store": "redis+unix",
        }
        token = requests.post(server.url + "/api/join", json={"code": walk["code"]}, timeout=10)
        headers = {"Authorization": "Bearer " + token.json()["token"]}

        redis_server.stop()
        record = observation()
        stored = requests.post(
            f"{server.url}/api/walks/{walk['id']}/observations",
            json=record,
            headers=headers,
            timeout=10,
        )
        assert stored.status_code == 201
        assert rows(app, "select id from observations") == [(record["id"],)]
        again = requests.post(server.url + "/api/join", json={"code": walk["code"]}, timeout=10)
        assert again.status_code == 201
        # The limits still hold, counted in the worker's memory: 20 wrong codes, then 429.
        wrong = [
            requests.post(server.url + "/api/join", json={"code": "ZZZZZZ"}, timeout=10).status_code
            for _ in range(21)
        ]
        assert wrong == [404] * 20 + [429]

        response = requests.get(server.url + "/healthz", timeout=10)
        assert response.status_code == 200 and response.json()["status"] == "degraded"
        check = response.json()["checks"]["rate_limits"]
        assert check["status"] == "degraded" and "own memory" in check["message"]
    finally:
        server.stop()
    # Said once (not per request), with the direction it fails in: each worker counts alone.
    log = server.errors()
    assert log.count("falling back to in-memory storage") == 1, log
    assert log.count(rate_limits.STORE_DOWN_LOG) == 1, log


def test_the_admin_status_page_shows_each_health_check_and_redis_down(tmp_path, redis_server):
    client = admin_client(
        make_app(
            tmp_path,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=redis_server.uri,
            REPLICA_URL="",
        )
    )
    page = client.get("/admin/replication").get_data(as_text=True)
    for label in ("Databasen", "Diskutrymme", "Spärrar (rate limits)", "Replikering"):
        assert f'<th scope="row">{label}</th>' in page, label
    assert "Allt fungerar" in page and "i sitt eget minne" not in page
    redis_server.stop()
    page = client.get("/admin/replication").get_data(as_text=True)
    assert (
        "Spärrarnas gemensamma lager (redis+unix) svarar inte: varje arbetsprocess räknar nu "
        "spärrarna i sitt eget minne"
    ) in page
    assert "Allt fungerar" not in page
    client.get("/lang/en")
    page = client.get("/admin/replication").get_data(as_text=True)
    assert "each worker now counts the limits in its own memory" in page


def test_the_admin_status_page_shows_a_disk_under_the_floor(tmp_path):
    floor = health.free_bytes(tmp_path) + 10 * 1024**3
    client = admin_client(make_app(tmp_path, MIN_FREE_BYTES=floor))
    page = client.get("/admin/replication").get_data(as_text=True)
    assert "Diskutrymmet är under golvet" in page
    assert "WALKAPP_MIN_FREE_BYTES" in page


# `walkapp status` (in this process: it reads the environment and builds no app).


def walkapp_status(instance: Path, *args: str, env: dict | None = None):
    environment = {"WALKAPP_INSTANCE": str(instance), "WALKAPP_REPLICA_URL": "", **(env or {})}
    return CliRunner().invoke(status_command, list(args), env=environment)


def test_status_reports_the_same_checks(tmp_path):
    make_app(tmp_path)
    result = walkapp_status(tmp_path / "instance", "--json")
    body = json.loads(result.stdout)
    assert result.exit_code == 0 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "disk", "rate_limits", "replication"}
    text = walkapp_status(tmp_path / "instance")
    assert text.exit_code == 0
    assert text.stdout.splitlines()[:2] == [
        "status: ok",
        "database: ok: quick_check at start found nothing; the write probe was written and read",
    ]


def test_status_fails_on_a_damaged_database(tmp_path):
    app = make_app(tmp_path)
    _damage_a_table_nothing_reads_at_start(app)
    result = walkapp_status(tmp_path / "instance", "--json")
    body = json.loads(result.stdout)
    assert result.exit_code == 1 and body["checks"]["database"]["status"] == "failing"
    assert "quick_check at start" in body["checks"]["database"]["message"]


def test_status_says_degraded_when_redis_does_not_answer(tmp_path):
    make_app(tmp_path)
    result = walkapp_status(
        tmp_path / "instance",
        "--json",
        env={"WALKAPP_RATELIMIT_STORAGE_URI": f"redis+unix://{tmp_path}/no-redis.sock"},
    )
    body = json.loads(result.stdout)
    assert result.exit_code == 2 and body["checks"]["rate_limits"]["status"] == "degraded"


def test_status_fails_under_the_floor(tmp_path):
    make_app(tmp_path)
    floor = health.free_bytes(tmp_path) + 10 * 1024**3
    result = walkapp_status(
        tmp_path / "instance", "--json", env={"WALKAPP_MIN_FREE_BYTES": str(floor)}
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["checks"]["disk"]["status"] == "failing"
