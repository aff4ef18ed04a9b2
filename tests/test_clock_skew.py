"""A server clock and a phone's that disagree (issue 23 point 7): the phone says what its clock
reads with every write (X-Phone-Time). Within two days the later clock counts as "now", so a
server running two hours behind takes what a phone recorded a moment ago, and answers how far
apart they are (X-Clock-Skew); days apart, the write is a 422 with `retry` that the phone keeps;
a time far ahead of the phone's own clock is still bad data (400)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.route_helpers import chunk
from tests.test_observations_api import count, join, observation, post


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def test_a_server_two_hours_behind_takes_the_phones_observation_and_says_so(client, walk, db):
    headers = join(client, walk)
    # The server's clock lags two hours.
    phone_now = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    body = observation(recorded_at=_iso(phone_now - timedelta(seconds=20)))
    response = post(client, walk, {**headers, "X-Phone-Time": _iso(phone_now)}, body)
    assert response.status_code == 201, response.json
    assert abs(int(response.headers["X-Clock-Skew"]) - 7200) < 60
    stored = db.execute("select recorded_at from observations where id = ?", [body["id"]])
    assert datetime.fromisoformat(stored.fetchone()[0]) == phone_now - timedelta(seconds=20)


def test_without_the_phones_clock_two_hours_ahead_is_still_refused(client, walk, db):
    headers = join(client, walk)
    ahead = datetime.now(UTC) + timedelta(hours=2)
    response = post(client, walk, headers, observation(recorded_at=_iso(ahead)))
    assert response.status_code == 400 and "recorded_at" in response.json["errors"]
    assert "retry" not in response.json and count(db) == 0


def test_clocks_days_apart_give_a_422_the_phone_keeps_and_retries(client, walk, db):
    headers = join(client, walk)
    phone_now = datetime.now(UTC) + timedelta(days=3)
    body = observation(recorded_at=_iso(phone_now - timedelta(minutes=1)))
    response = post(client, walk, {**headers, "X-Phone-Time": _iso(phone_now)}, body)
    assert response.status_code == 422 and response.json["retry"] is True
    assert "klocka" in response.json["error"] and count(db) == 0


def test_a_time_far_ahead_of_the_phones_own_clock_is_bad_data(client, walk, db):
    headers = join(client, walk)
    phone_now = datetime.now(UTC)
    body = observation(recorded_at=_iso(phone_now + timedelta(hours=5)))
    response = post(client, walk, {**headers, "X-Phone-Time": _iso(phone_now)}, body)
    assert response.status_code == 400 and "retry" not in response.json
    assert "X-Clock-Skew" not in response.headers and count(db) == 0


def test_a_track_chunk_follows_the_same_clock_rule(client, walk, db):
    headers = join(client, walk)
    phone_now = datetime.now(UTC) + timedelta(hours=2)
    stamp = (phone_now - timedelta(seconds=30)).isoformat(timespec="milliseconds")
    body = chunk([{"lon": 18.0649, "lat": 59.3326, "accuracy_m": 6, "t": stamp}], str(uuid.uuid4()))
    response = client.post(
        f"/api/walks/{walk['id']}/track",
        json=body,
        headers={**headers, "X-Phone-Time": _iso(phone_now)},
    )
    assert response.status_code == 201, response.json
    assert response.headers["X-Clock-Skew"]
