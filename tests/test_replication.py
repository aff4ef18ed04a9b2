"""Restore drills (issue 18) with real Litestream, a file:// replica and a real gunicorn under
`walkapp serve`: the server's disk is lost, a fresh instance is restored from the replica, and
every acknowledged observation and photo is back; walkers' tokens from before still post.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.conftest import login, make_app
from tests.gunicorn_server import GunicornServer
from tests.helpers import admin_client, walkapp_in_process
from tests.test_crash_safety import join, observation, post_until_stored, send
from walkapp import create_app, replication
from walkapp.db import connect, database_path
from walkapp.db import walks as walks_db

PHONES = 6
# The restore drill: so many observations, every tenth with a photo (what was written counts,
# not how many: throughput is benchmarks/ingest_replication.py's).
DRILL_OBSERVATIONS = 200
SETTLED = 30  # observations seen in the replica before the kill drill's burst
BURST = 3 * PHONES  # acknowledged posts of the burst before the disk is lost


def walkapp_cli(
    *args: str, instance: Path, replica_url: str = "", env: dict | None = None
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "WALKAPP_INSTANCE": str(instance),
        "WALKAPP_REPLICA_URL": replica_url,
        **(env or {}),
    }
    env.pop("WALKAPP_SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "walkapp", *args], env=env, capture_output=True, text=True
    )


def walkapp_here(
    *args: str, instance: Path, replica_url: str = "", env: dict | None = None
) -> subprocess.CompletedProcess:
    """walkapp_cli's command in this process: for restore, init-db and status, whose process is
    not what is tested. `walkapp serve` stays a process (it execs gunicorn)."""
    return walkapp_in_process(
        *args,
        env={
            "WALKAPP_INSTANCE": str(instance),
            "WALKAPP_REPLICA_URL": replica_url,
            "WALKAPP_SECRET_KEY": None,
            **(env or {}),
        },
    )


@pytest.fixture
def drill(tmp_path):
    """An instance with an ongoing walk, served by `walkapp serve` under Litestream."""
    instance = tmp_path / "instance"
    replica_url = f"file://{tmp_path / 'replica'}"
    app = create_app({"INSTANCE": str(instance)})
    db = connect(database_path(app))
    walk = walks_db.create_walk(
        db, title="Kvällsvandring", starts_at="2026-11-25T18:00", state="ongoing"
    )
    db.close()
    servers = []

    def serve() -> GunicornServer:
        server = GunicornServer(
            instance, workers=2, threads=4, serve=True, env={"WALKAPP_REPLICA_URL": replica_url}
        ).start()
        servers.append(server)
        return server

    yield instance, replica_url, walk, serve
    for server in servers:
        server.kill()


def jpeg(i: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), ((i * 37) % 256, (i * 91) % 256, 120)).save(out, "JPEG")
    return out.getvalue()


def replica_until(url: str, scratch: Path, holds) -> None:
    """Restore the replica aside until `holds(db)` is true of it (60 s at most: a limit for a
    stuck replica, not a measure; the lag is measured in benchmarks/ingest_replication.py)."""
    start = time.monotonic()
    while time.monotonic() < start + 60:
        copy = scratch / f"probe-{uuid.uuid4().hex}.db"
        subprocess.run(
            [replication.litestream_binary(), "restore", "-o", str(copy), url],
            capture_output=True,
        )
        if copy.exists():
            db = sqlite3.connect(copy)
            done = holds(db)
            db.close()
            if done:
                return
        time.sleep(0.2)
    raise AssertionError("the replica did not get there within 60 s")


def replica_holds(url: str, scratch: Path, observation_ids: set, photo_ids: set) -> None:
    """Until the replica holds every given observation and photo."""

    def holds(db) -> bool:
        have = {row[0] for row in db.execute("select id from observations")}
        have_photos = {row[0] for row in db.execute("select photo_id from photo_blobs")}
        return observation_ids <= have and photo_ids <= have_photos

    return replica_until(url, scratch, holds)


def lose_the_disk_and_restore(server: GunicornServer, instance: Path, url: str) -> None:
    server.kill()  # kill -9 of Litestream and gunicorn together
    shutil.rmtree(instance)
    # A fresh database would bury the replica's findings: serving refuses until restored.
    refused = walkapp_cli("serve", "--port", "1", instance=instance, replica_url=url)
    assert refused.returncode == 1 and "restore --from-replica" in refused.stderr
    refused = walkapp_here("init-db", instance=instance, replica_url=url)
    assert refused.returncode != 0 and "restore --from-replica" in refused.stderr
    assert not (instance / "walkapp.db").exists()
    restored = walkapp_here("restore", "--from-replica", url, instance=instance)
    assert restored.returncode == 0, restored.stderr
    assert stat_mode(instance / "walkapp.db") == 0o600


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_drill_observations_with_photos_then_the_disk_is_lost(drill):
    instance, url, walk, serve = drill
    server = serve()
    tokens = [join(server, walk) for _ in range(PHONES)]
    records = [(tokens[i % PHONES], observation(i)) for i in range(DRILL_OBSERVATIONS)]
    deadline = time.monotonic() + 120

    def post(item):
        token, record = item
        post_until_stored(server, walk["id"], token, record, deadline)
        return record["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        acknowledged = list(pool.map(post, records))

    def upload(i):
        token, record = records[i]
        response = requests.post(
            f"{server.url}/api/observations/{record['id']}/photos",
            data={"id": str(uuid.uuid4())},
            files={"photo": (f"{i}.jpg", jpeg(i), "image/jpeg")},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        served = requests.get(
            server.url + response.json()["url"],
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        return response.json()["id"], (i, hashlib.sha256(served.content).hexdigest())

    with ThreadPoolExecutor(max_workers=4) as pool:
        photos = dict(pool.map(upload, range(0, DRILL_OBSERVATIONS, 10)))  # every tenth's photo

    # Every acknowledged write reaches the replica (how fast: benchmarks/ingest_replication.py).
    replica_holds(url, instance.parent, set(acknowledged), set(photos))
    status = walkapp_here("status", "--json", instance=instance, replica_url=url)
    state = json.loads(status.stdout)["checks"]["replication"]
    assert status.returncode == 0 and state["running"] and state["status"] == "ok"
    assert state["replica_txid"] == state["local_txid"] and state["age_s"] < 60
    lose_the_disk_and_restore(server, instance, url)

    check = sqlite3.connect(instance / "walkapp.db")
    assert check.execute("pragma integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in check.execute("select id from observations")}
    assert stored == set(acknowledged)
    blobs = dict(check.execute("select photo_id, photo from photo_blobs"))
    check.close()
    assert {pid: hashlib.sha256(data).hexdigest() for pid, data in blobs.items()} == {
        pid: digest for pid, (_, digest) in photos.items()
    }

    (instance / "photos").mkdir(exist_ok=True)
    leftover = instance / "photos" / ".cut-short.jpg.tmp"  # as a kill -9 mid-upload leaves it
    leftover.write_bytes(b"\xff\xd8half")
    server = serve()  # on the restored instance, replicating on
    assert not leftover.exists()
    for photo_id, (i, digest) in photos.items():  # every photo served as before the loss
        token, record = records[i]
        served = requests.get(
            f"{server.url}/observations/{record['id']}/photos/{photo_id}.jpg",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert served.status_code == 200 and hashlib.sha256(served.content).hexdigest() == digest
    # A walker's token from before the loss still posts: the key came back with the database.
    later = observation(501)
    response = send(server, walk["id"], tokens[0], later)
    assert response.status_code == 201, response.text


def test_drill_kill_mid_burst_then_retries_fill_in_exactly_once(drill):
    """What was written, not how much in how long: observations the replica is seen to hold
    before the kill all come back; the burst cut by kill -9 is filled in by the phones' retries,
    each observation stored exactly once."""
    instance, url, walk, serve = drill
    server = serve()
    tokens = [join(server, walk) for _ in range(PHONES)]
    replica_until(
        url,
        instance.parent,
        lambda db: db.execute("select count(*) from walkers").fetchone()[0] == PHONES,
    )
    # Litestream lists whole seconds but compares milliseconds: the next second holds the joins.
    joined = replication.replica_position(url)[1] + timedelta(seconds=1)
    before_burst = joined.isoformat().replace("+00:00", "Z")
    while datetime.now(UTC) <= joined:  # every observation is written after that instant
        time.sleep(0.05)

    # Settled: acknowledged, then seen in the replica.
    acked: dict[str, tuple[str, dict]] = {}  # id -> (token, body)
    deadline = time.monotonic() + 120
    for i in range(SETTLED):
        token, record = tokens[i % PHONES], observation(i)
        assert post_until_stored(server, walk["id"], token, record, deadline) == 201
        acked[record["id"]] = (token, record)
    settled = set(acked)
    replica_holds(url, instance.parent, settled, set())

    # The burst: each phone posts until it gets no answer; the disk is lost well into it.
    unanswered: list[tuple[str, dict]] = []
    lock = threading.Lock()
    in_burst = threading.Semaphore(0)
    deadline = time.monotonic() + 120

    def phone(n: int):
        i = 0
        while time.monotonic() < deadline:
            record = observation((n + 1) * 100_000 + i)
            i += 1
            try:
                response = send(server, walk["id"], tokens[n], record)
                if response.status_code == 201:
                    with lock:
                        acked[record["id"]] = (tokens[n], record)
                    in_burst.release()
                    continue
            except requests.RequestException:
                pass
            with lock:  # no answer: the phone keeps it in its outbox
                unanswered.append((tokens[n], record))
                return

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(PHONES)]
    for thread in threads:
        thread.start()
    for _ in range(BURST):
        assert in_burst.acquire(timeout=60), "the burst did not get going"
    lose_the_disk_and_restore(server, instance, url)
    for thread in threads:
        thread.join()

    check = sqlite3.connect(instance / "walkapp.db")
    assert check.execute("pragma integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in check.execute("select id from observations")}
    check.close()
    assert settled <= stored
    assert unanswered  # the kill cut phones off mid-post

    # A point in time: the replica as it was before the burst (the walk and its walkers).
    earlier = instance.parent / "earlier"
    at = walkapp_here(
        "restore", "--from-replica", url, "--timestamp", before_burst, instance=earlier
    )
    assert at.returncode == 0, at.stderr
    then = sqlite3.connect(earlier / "walkapp.db")
    assert then.execute("select count(*) from walkers").fetchone()[0] == PHONES
    assert then.execute("select count(*) from observations").fetchone()[0] < len(settled)
    then.close()

    # The phones retry everything without a stored copy: acknowledged but lost, and unanswered.
    server = serve()
    retries = [(token, body) for oid, (token, body) in acked.items() if oid not in stored]
    retries += unanswered
    deadline = time.monotonic() + 60
    for token, record in retries:
        post_until_stored(server, walk["id"], token, record, deadline)
    # Retrying what was stored answers 200 and stores nothing twice.
    for oid in list(settled)[:5]:
        token, body = acked[oid]
        assert post_until_stored(server, walk["id"], token, body, deadline) == 200
    check = sqlite3.connect(instance / "walkapp.db")
    ids = [row[0] for row in check.execute("select id from observations")]
    check.close()
    expected = set(acked) | {record["id"] for _, record in unanswered}
    assert len(ids) == len(set(ids)) and set(ids) == expected


# Fast checks around the drills: the admin page, `walkapp status`, what a crash leaves behind.


def test_admin_page_says_when_replication_is_off(client, users):
    login(client, "admin")
    page = client.get("/admin/replication")
    assert page.status_code == 200 and "Replikeringen är avstängd" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    client.get("/lang/en")
    assert "Replication is off" in client.get("/admin/replication").get_data(as_text=True)
    login(client, "coordinator")
    assert client.get("/admin/replication").status_code == 403


def test_admin_page_warns_when_litestream_is_not_running(tmp_path):
    client = admin_client(make_app(tmp_path, REPLICA_URL=f"file://{tmp_path / 'replica'}"))
    text = client.get("/admin/replication").get_data(as_text=True)
    assert "Litestream körs inte" in text


def test_status_without_a_replica_says_off_and_creates_no_database(tmp_path):
    result = walkapp_here("status", "--json", instance=tmp_path / "nothing")
    checks = json.loads(result.stdout)["checks"]
    assert checks["replication"]["status"] == "off"
    # No database is a failing check (exit 1), and looking made none.
    assert result.returncode == 1 and checks["database"]["status"] == "failing"
    assert not (tmp_path / "nothing").exists()


def test_status_warns_and_fails_when_nothing_replicates(tmp_path):
    make_app(tmp_path)
    result = walkapp_here(
        "status", "--json", instance=tmp_path / "instance", replica_url=f"file://{tmp_path}/r"
    )
    state = json.loads(result.stdout)["checks"]["replication"]
    assert result.returncode == 2 and state["running"] is False and state["status"] == "degraded"
    assert "Litestream is not running" in state["message"]


def test_photo_bytes_are_committed_with_their_row(client, app, db):
    walk = walks_db.create_walk(db, title="Foto", starts_at="2026-11-25T18:00", state="ongoing")
    token = client.post("/api/join", json={"code": walk["code"]}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    record = observation(1)
    assert (
        client.post(
            f"/api/walks/{walk['id']}/observations", json=record, headers=headers
        ).status_code
        == 201
    )
    answer = client.post(
        f"/api/observations/{record['id']}/photos",
        data={"id": str(uuid.uuid4()), "photo": (io.BytesIO(jpeg(1)), "p.jpg")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201
    row = db.execute("select filename, thumb_filename from photos").fetchone()
    blob = db.execute("select photo, thumb from photo_blobs").fetchone()
    folder = Path(app.config["WALKAPP_INSTANCE"]) / "photos"
    assert blob == ((folder / row[0]).read_bytes(), (folder / row[1]).read_bytes())


def test_a_crash_mid_upload_leaves_nothing_partial_after_the_next_start(tmp_path):
    app = make_app(tmp_path)
    folder = Path(app.config["WALKAPP_INSTANCE"]) / "photos"
    left = folder / ".abc.jpg.tmp"  # what kill -9 during a photo write leaves
    left.write_bytes(b"\xff\xd8half a photo")
    os.utime(left, (time.time() - 3600, time.time() - 3600))
    writing = folder / ".def.jpg.tmp"  # another worker writing right now
    writing.write_bytes(b"\xff\xd8")
    make_app(tmp_path)
    assert not left.exists() and writing.exists()


def test_a_password_in_the_replica_url_is_never_shown():
    shown = replication.shown_url("sftp://walkapp:hemligt@backup.example.se:22/srv/walkapp")
    assert shown == "sftp://walkapp:***@backup.example.se:22/srv/walkapp"
    assert replication.shown_url("s3://bucket/path?endpoint=x") == "s3://bucket/path?endpoint=x"


def test_a_replica_more_than_a_minute_behind_is_a_warning(tmp_path, monkeypatch):
    now = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
    waiting = tmp_path / ".walkapp.db-litestream" / "ltx" / "0"
    waiting.mkdir(parents=True)
    oldest = waiting / "0000000000000008-0000000000000008.ltx"  # taken, never uploaded
    oldest.write_bytes(b"")
    os.utime(oldest, (now.timestamp() - 90, now.timestamp() - 90))
    (waiting / "0000000000000007-0000000000000007.ltx").write_bytes(b"")  # already uploaded
    monkeypatch.setattr(replication, "_daemon_running", lambda socket: True)
    monkeypatch.setattr(replication, "_local_txid", lambda config: "0000000000000009")
    monkeypatch.setattr(
        replication,
        "replica_position",
        lambda url: ("0000000000000007", now - timedelta(seconds=600)),
    )
    state = replication.state(tmp_path, "file:///elsewhere", now=now)
    assert state.lag_s == 90.0 and state.age_s == 600.0
    assert state.warning == "the replica is 90 s behind the database"
    monkeypatch.setattr(replication, "_local_txid", lambda config: "0000000000000007")
    in_step = replication.state(tmp_path, "file:///elsewhere", now=now)
    assert in_step.lag_s == 0.0 and in_step.warning is None  # quiet for 10 minutes is no lag


def test_serve_refuses_an_empty_or_foreign_database_over_a_replica_with_data(drill):
    """What a failed restore left before (a 0-byte walkapp.db) must never be migrated afresh
    and streamed over the replica: `walkapp serve` refuses, the replica keeps every row."""
    instance, url, walk, serve = drill
    server = serve()
    tokens = [join(server, walk) for _ in range(2)]
    records = [observation(i) for i in range(20)]
    deadline = time.monotonic() + 60
    for i, record in enumerate(records):
        post_until_stored(server, walk["id"], tokens[i % 2], record, deadline)
    ids = {record["id"] for record in records}
    replica_holds(url, instance.parent, ids, set())
    server.kill()
    for leftover in ("walkapp.db-wal", "walkapp.db-shm"):
        (instance / leftover).unlink(missing_ok=True)
    position = replication.replica_position(url)

    # Should a server start after all, it finds this port taken and stops instead of serving.
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = str(taken.getsockname()[1])
    (instance / "walkapp.db").write_bytes(b"")
    refused = walkapp_cli("serve", "--port", port, instance=instance, replica_url=url)
    assert refused.returncode == 1, refused.stderr
    assert "is empty" in refused.stderr and "restore --from-replica URL --force" in refused.stderr
    assert (instance / "walkapp.db").stat().st_size == 0  # not migrated into a fresh database

    foreign = sqlite3.connect(instance / "walkapp.db")
    foreign.execute("create table notes (text)")
    foreign.commit()
    foreign.close()
    refused = walkapp_cli("serve", "--port", port, instance=instance, replica_url=url)
    assert refused.returncode == 1 and "not a walkapp database" in refused.stderr

    (instance / "walkapp.db").write_bytes(b"not a database at all, just bytes" * 200)
    refused = walkapp_cli("serve", "--port", port, instance=instance, replica_url=url)
    assert refused.returncode == 1 and "cannot be read as a database" in refused.stderr

    taken.close()
    assert replication.replica_position(url) == position  # nothing was streamed over it
    restored = walkapp_here("restore", "--from-replica", url, "--force", instance=instance)
    assert restored.returncode == 0, restored.stderr
    check = sqlite3.connect(instance / "walkapp.db")
    assert {row[0] for row in check.execute("select id from observations")} == ids
    check.close()
