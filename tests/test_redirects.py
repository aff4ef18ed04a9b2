"""One rule for where a redirect may go (walkapp/redirects.py), used by the language switch,
the sign-in's `next` and the meeting's back link."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD, join, observation, post_observation
from walkapp.redirects import safe_path

# What browsers read as another host once they drop tabs/newlines and read \ as /.
HOSTILE = [
    "//evil.example/phish",
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "/%2F/evil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\u200b/evil.example",
    "evil.example",
    "",
    None,
]
LOCAL = ["/", "/walks", "/measures?partner=Norra%20innerstaden&status=open", "/places/1?x=1#m-2"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert safe_path(target) is None


@pytest.mark.parametrize("target", LOCAL)
def test_local_paths_pass_unchanged(target):
    assert safe_path(target) == target


@pytest.mark.parametrize(
    "query", ["/%09/evil.example/phish", "/%0a/x", "/%0d%0a/x", "/%5C/evil.example", "%2F%2Fevil"]
)
def test_language_switch_stays_on_the_site(client, query):
    response = client.get(f"/lang/en?next={query}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_keeps_a_local_next(client):
    response = client.get("/lang/en?next=/walks%3Fx%3D1")
    assert response.headers["Location"] == "/walks?x=1"


def test_sign_in_next_stays_on_the_site(client, users):
    response = client.post(
        "/login?next=/%09/evil.example", data={"username": "coordinator", "password": PASSWORD}
    )
    assert (
        response.status_code == 302 and response.headers["Location"] == "/dashboard"
    )  # issue 15: sign-in lands on the dashboard


def test_triage_back_link_stays_on_the_site(staff, db):
    from walkapp.db import walks as walks_db

    walk = walks_db.create_walk(db, title="T", starts_at="2026-11-24T18:00", state="ongoing")
    body = observation()
    post_observation(staff, walk, join(staff, walk), body)
    observation_id = body["id"]
    response = staff.post(
        f"/observations/{observation_id}/status",
        data={"status": "new", "next": "/\t/evil.example"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/observations/{observation_id}/triage"
