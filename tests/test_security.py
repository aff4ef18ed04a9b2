"""Private answers say Cache-Control: no-store (issue 13, point 9): every route whose declared role
is above public, for every role that may use it, and a public page rendered for a signed-in user.
Routes come from the URL map (samples from the role matrix), so a new private route is covered."""

from __future__ import annotations

import pytest

from tests.test_role_matrix import _client, _expected, _requests, world  # noqa: F401
from walkapp.access import PUBLIC

# Views that choose their own caching, and why: a photo may stay on the walker's phone for the
# walk; the capture screen revalidates every time (private, no-cache) for its offline start.
OWN_CHOICE = {"photos.photo", "observations.capture"}


@pytest.mark.parametrize("who", ["walker", "coordinator", "admin"])
def test_every_private_answer_says_no_store(world, who):  # noqa: F811
    app = world["app"]
    kept = []
    for rule, method, path in _requests(app, world["samples"]):
        required = app.view_functions[rule.endpoint].required_role
        if method != "GET" or required == PUBLIC or rule.endpoint in OWN_CHOICE:
            continue
        if _expected(required, who) != "allowed":
            continue
        response = _client(world, who).get(path)
        if response.status_code == 200 and response.headers.get("Cache-Control") != "no-store":
            kept.append(f"{path}: {response.headers.get('Cache-Control')}")
    assert kept == []


def test_the_listed_private_answers_say_no_store(world):  # noqa: F811
    walk_id = world["samples"]["walk_id"]
    admin = _client(world, "admin")
    paths = [
        f"/walks/{walk_id}",
        f"/walks/{walk_id}/protocol",
        f"/walks/{walk_id}/protocol.csv",
        f"/observations/{world['samples']['observation_id']}/triage",
        "/dashboard",
        "/export/observations.csv",
        "/export/observations.geojson",
        "/open311/v2/requests.json",
        "/tokens",
    ]
    for path in paths:
        response = admin.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    walker = _client(world, "walker")
    own = walker.get(f"/api/walks/{walk_id}/observations")
    assert own.status_code == 200 and own.headers["Cache-Control"] == "no-store"
    follow_up = walker.get(f"/j/{world['samples']['code']}/follow-up")
    assert follow_up.status_code == 200 and follow_up.headers["Cache-Control"] == "no-store"


def test_a_public_page_for_a_signed_in_user_is_not_kept_but_for_the_public_it_may_be(world):  # noqa: F811
    assert "Cache-Control" not in _client(world, "anonymous").get("/").headers
    assert _client(world, "admin").get("/").headers["Cache-Control"] == "no-store"


def test_a_join_that_hands_out_a_token_is_never_kept(world):  # noqa: F811
    client = world["app"].test_client()
    code = world["samples"]["code"]
    by_api = client.post("/api/join", json={"code": code, "name": "Eva"})
    assert by_api.status_code == 201 and by_api.json["token"]
    assert by_api.headers["Cache-Control"] == "no-store"
    by_page = client.post(f"/j/{code}", data={"name": "Bo"})
    assert by_page.status_code == 302 and "Set-Cookie" in by_page.headers
    assert by_page.headers["Cache-Control"] == "no-store"


def test_with_a_public_url_only_its_host_is_answered(tmp_path):
    from tests.helpers import make_app

    app = make_app(
        tmp_path, PUBLIC_URL="https://walkapp.example.se", TRUSTED_HOSTS="walkapp.internal"
    )
    client = app.test_client()
    assert client.get("/healthz", base_url="https://walkapp.example.se").status_code == 200
    assert client.get("/healthz", base_url="http://walkapp.internal:8000").status_code == 200
    # Another Host header would write its own name into join links and Open311 discovery.
    forged = client.get("/open311/v2/discovery.json", base_url="https://evil.example")
    assert forged.status_code == 400 and "https://evil.example/" not in forged.get_data(
        as_text=True
    )


def test_serve_without_a_public_url_answers_only_this_machines_names(tmp_path):
    import requests

    from tests.gunicorn_server import GunicornServer

    server = GunicornServer(tmp_path / "instance", serve=True, workers=1, threads=2).start()
    try:
        own = requests.get(server.url + "/open311/v2/discovery.json", timeout=10)
        assert own.status_code == 200 and "127.0.0.1" in own.text
        forged = requests.get(
            server.url + "/open311/v2/discovery.json", headers={"Host": "evil.example"}, timeout=10
        )
        assert forged.status_code == 400 and "http://evil.example/" not in forged.text
    finally:
        server.stop()
