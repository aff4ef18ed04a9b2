"""Concurrency and crash safety against a real gunicorn server (issue 8).

20 clients post observations with their own ids; the server is SIGKILLed mid-burst and
restarted; clients retry what got no answer. Every observation is stored exactly once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests

from tests.gunicorn_server import GunicornServer
from walkapp import create_app
from walkapp.db import connect, database_path
from walkapp.db import walks as walks_db

CLIENTS = 20


def observation(i: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "category": "lighting",
        "rating": "red",
        "note": f"lampa {i}",
        "lon": 18.0649 + (i % 50) * 1e-5,
        "lat": 59.3326,
        "accuracy_m": 8,
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


@pytest.fixture
def walk_on_server(tmp_path):
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE": str(instance)})
    db = connect(database_path(app))
    walk = walks_db.create_walk(
        db, title="Belastning", starts_at="2026-11-25T18:00", state="ongoing"
    )
    db.close()
    server = GunicornServer(instance, workers=2, threads=4).start()
    yield server, walk
    server.stop()


def join(server, walk) -> str:
    response = requests.post(server.url + "/api/join", json={"code": walk["code"]}, timeout=10)
    assert response.status_code in (200, 201), response.text
    return response.json()["token"]


def send(server, walk_id: str, token: str, record: dict) -> requests.Response:
    """One observation posted as the phone does, with the walker's token."""
    return requests.post(
        f"{server.url}/api/walks/{walk_id}/observations",
        json=record,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def post_until_stored(server, walk_id, token, record, deadline) -> int:
    """Send one observation, retrying after errors or no answer, as the phone's outbox does."""
    while time.monotonic() < deadline:
        try:
            response = send(server, walk_id, token, record)
            if response.status_code in (200, 201):
                return response.status_code
            if response.status_code < 500:
                raise AssertionError(f"{response.status_code}: {response.text}")
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError("gave up retrying")


def run_clients(server, walk, per_client: int, deadline: float, statuses: list, ids: list):
    tokens = [join(server, walk) for _ in range(CLIENTS)]

    def client(n: int):
        for i in range(per_client):
            record = observation(i)
            ids.append(record["id"])
            statuses.append(post_until_stored(server, walk["id"], tokens[n], record, deadline))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def stored(server):
    conn = sqlite3.connect(server.instance / "walkapp.db")
    try:
        ids = [row[0] for row in conn.execute("select id from observations")]
        integrity = conn.execute("pragma integrity_check").fetchone()[0]
    finally:
        conn.close()
    return ids, integrity


def test_twenty_concurrent_clients_store_exactly_1000(walk_on_server):
    # How many a second is benchmarks/ingest.py's question; this one is "each exactly once".
    server, walk = walk_on_server
    statuses, ids = [], []
    threads = run_clients(server, walk, 50, time.monotonic() + 240, statuses, ids)
    for thread in threads:
        thread.join()
    assert statuses.count(201) == 1000
    stored_ids, integrity = stored(server)
    assert len(stored_ids) == 1000 and set(stored_ids) == set(ids)
    assert integrity == "ok"


def test_sigkill_mid_burst_then_retry_stores_each_once(walk_on_server):
    server, walk = walk_on_server
    statuses, ids = [], []
    threads = run_clients(server, walk, 60, time.monotonic() + 240, statuses, ids)
    while len(statuses) < 300:  # well into the burst
        time.sleep(0.01)
    server.kill()
    time.sleep(0.5)
    server.start()
    for thread in threads:
        thread.join()
    stored_ids, integrity = stored(server)
    assert integrity == "ok"
    assert len(ids) == 1200 and len(stored_ids) == 1200
    assert set(stored_ids) == set(ids)
