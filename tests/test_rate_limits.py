"""Rate limits (walkapp/rate_limits.py): sign-in counts only failures, per user name and per
address; joining is capped per walk; every 429 has Retry-After and a Swedish message; and with
several gunicorn workers the counts are exact through a shared Redis."""

from __future__ import annotations

import re

import pytest
import requests

from tests.gunicorn_server import GunicornServer
from tests.helpers import PASSWORD, hash_password, login, make_app
from walkapp.db import connect, database_path
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db


@pytest.fixture
def limited(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, JOINS_PER_WALK_PER_MINUTE=5)
    db = connect(database_path(app))
    for name in ("anna", "bo"):
        users_db.create_user(db, name, hash_password(PASSWORD), "coordinator")
    yield app, db
    db.close()


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_ten_wrong_passwords_lock_that_name_only(limited):
    app, _db = limited
    client = app.test_client()
    statuses = [login(client, "anna", "wrong password").status_code for _ in range(10)]
    assert statuses == [400] * 10
    locked = login(client, "anna")  # the right password, too late
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "misslyckade inloggningar" in locked.text
    # The same address, another name: not locked out by a colleague's typing.
    assert login(client, "bo").status_code == 302


def test_user_names_are_counted_case_blind(limited):
    app, _db = limited
    client = app.test_client()
    for name in ["anna", "ANNA", " Anna"] * 4:
        login(client, name, "wrong password")
    assert login(client, "anna").status_code == 429


def test_successful_sign_ins_do_not_count(limited):
    app, _db = limited
    client = app.test_client()
    assert [login(app.test_client(), "anna").status_code for _ in range(15)] == [302] * 15
    assert login(client, "anna", "wrong password").status_code == 400


def test_fifty_failures_from_one_address_lock_that_address_only(limited):
    app, _db = limited
    client = app.test_client()
    for n in range(50):
        response = client.post(
            "/login", data={"username": f"guess{n}", "password": "x"}, **_from("10.0.0.1")
        )
        assert response.status_code == 400
    response = client.post(
        "/login", data={"username": "bo", "password": PASSWORD}, **_from("10.0.0.1")
    )
    assert response.status_code == 429 and response.headers["Retry-After"]
    other = client.post(
        "/login", data={"username": "bo", "password": PASSWORD}, **_from("10.0.0.2")
    )
    assert other.status_code == 302


def test_new_walkers_per_walk_are_capped(limited):
    app, db = limited
    walk = walks_db.create_walk(db, title="Klass 7B", starts_at="2026-11-24T18:00")
    other = walks_db.create_walk(db, title="Annan", starts_at="2026-11-24T18:00")
    client = app.test_client()
    statuses = [
        client.post("/api/join", json={"code": walk["code"]}, **_from(f"10.1.0.{n}")).status_code
        for n in range(4)
    ]
    # The join page shares the count with the API.
    statuses.append(client.post(f"/j/{walk['code'].lower()}", data={"name": "Eva"}).status_code)
    assert statuses == [201] * 4 + [302]
    capped = client.post("/api/join", json={"code": walk["code"]})
    assert capped.status_code == 429 and capped.headers["Retry-After"]
    assert "Många går med" in capped.json["error"]
    page = client.post(f"/j/{walk['code']}", data={"name": "Fia"})
    assert page.status_code == 429 and "Många går med" in page.text
    assert walks_db.count_walkers(db, walk["id"]) == 5
    assert client.post("/api/join", json={"code": other["code"]}).status_code == 201
    # Refused joins are no wrong guesses: the address may still type a code.
    assert client.get(f"/j/{other['code']}").status_code == 200


def test_a_right_code_always_passes_after_twenty_wrong_ones_from_its_address(limited):
    app, db = limited
    walk = walks_db.create_walk(db, title="Skolans vandring", starts_at="2026-11-24T18:00")
    client = app.test_client()
    for _ in range(20):
        assert client.post("/api/join", json={"code": "ZZZZZZ"}).status_code == 404
    assert client.post("/api/join", json={"code": "ZZZZZY"}).status_code == 429
    # The typed code, the QR link and the API all still let the rest of the class in.
    assert client.get(f"/j/{walk['code']}").status_code == 200
    assert client.post(f"/j/{walk['code']}", data={"name": "Eva"}).status_code == 302
    assert client.post("/api/join", json={"code": walk["code"]}).status_code == 201
    assert walks_db.count_walkers(db, walk["id"]) == 2


def test_wrong_codes_count_per_ipv6_network_not_per_address(limited):
    app, _db = limited
    client = app.test_client()
    for n in range(20):
        client.post("/api/join", json={"code": "ZZZZZZ"}, **_from(f"2001:db8:1:2::{n + 1:x}"))
    assert (
        client.post("/api/join", json={"code": "ZZZZZZ"}, **_from("2001:db8:1:2::ff")).status_code
        == 429
    )
    # Another /64 keeps its own count.
    assert (
        client.post("/api/join", json={"code": "ZZZZZZ"}, **_from("2001:db8:1:3::1")).status_code
        == 404
    )


def test_wrong_codes_from_many_addresses_are_bounded_in_all_but_right_codes_pass(limited):
    app, db = limited
    walk = walks_db.create_walk(db, title="Kvällsvandring", starts_at="2026-11-24T18:00")
    client = app.test_client()
    for n in range(300):
        client.post("/api/join", json={"code": "ZZZZZZ"}, **_from(f"10.9.{n // 250}.{n % 250}"))
    refused = client.post("/api/join", json={"code": "ZZZZZZ"}, **_from("10.99.0.1"))
    assert refused.status_code == 429
    joined = client.post("/api/join", json={"code": walk["code"]}, **_from("10.99.0.1"))
    assert joined.status_code == 201


def test_limits_are_shown_on_every_429_in_swedish(limited):
    app, _db = limited
    client = app.test_client()
    for _ in range(20):
        client.post("/api/join", json={"code": "ZZZZZZ"})
    for response in (client.post("/api/join", json={"code": "ZZZZZZ"}), client.get("/j/ZZZZZZ")):
        assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
        text = response.json["error"] if response.is_json else response.text
        assert "För många felaktiga koder" in text


def _csrf(text: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)


def test_two_workers_share_exact_counts_through_redis(tmp_path, redis_server):
    instance = tmp_path / "instance"
    app = make_app(tmp_path)
    db = connect(database_path(app))
    users_db.create_user(db, "anna", hash_password(PASSWORD), "coordinator")
    walk = walks_db.create_walk(db, title="Delad", starts_at="2026-11-24T18:00")
    db.close()
    server = GunicornServer(
        instance,
        workers=2,
        threads=2,
        env={
            "WALKAPP_RATELIMIT_ENABLED": "true",
            "WALKAPP_RATELIMIT_STORAGE_URI": redis_server.uri,
            "WALKAPP_JOINS_PER_WALK_PER_MINUTE": "7",
        },
    ).start()
    try:
        page = requests.get(server.url + "/login", timeout=10)
        cookies, token = page.cookies, _csrf(page.text)
        statuses = []
        for _ in range(12):
            # A new connection each time, so the two workers both take requests.
            response = requests.post(
                server.url + "/login",
                data={"username": "anna", "password": "wrong password", "csrf_token": token},
                cookies=cookies,
                allow_redirects=False,
                timeout=10,
                headers={"Connection": "close"},
            )
            statuses.append(response.status_code)
        assert statuses == [400] * 10 + [429] * 2
        joins = [
            requests.post(
                server.url + "/api/join",
                json={"code": walk["code"]},
                timeout=10,
                headers={"Connection": "close"},
            ).status_code
            for _ in range(9)
        ]
        assert joins == [201] * 7 + [429] * 2
    finally:
        server.stop()


def test_the_cap_reads_no_more_of_a_join_body_than_a_code(limited):
    # It runs before the view, so a body the view would refuse must not break it either.
    from walkapp.rate_limits import joined_walk

    app, _db = limited
    for body in ('{"code": "\\ud83d"}', "[" * 5000, '{"code": "' + "A" * 5000 + '"}', "{]"):
        with app.test_request_context(
            "/api/join", method="POST", data=body, content_type="application/json"
        ):
            assert joined_walk() == "walk:-"
