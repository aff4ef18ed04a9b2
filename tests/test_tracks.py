"""The walked track: chunks through the outbox, stored once per id, 400 per bad field, split into
parts at gaps and impossible jumps, coordinators only, covered by the retention command."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.route_helpers import chunk, join, walk_points
from walkapp import tracks
from walkapp.db import walks as walks_db

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def walk(db):
    return walks_db.create_walk(db, title="Spår", starts_at="2026-11-24T18:00", state="ongoing")


def post(client, walk, headers, body):
    return client.post(f"/api/walks/{walk['id']}/track", json=body, headers=headers)


def stored_points(db) -> int:
    return db.execute("select count(*) from track_points").fetchone()[0]


def test_a_chunk_is_stored_once_by_its_id(client, db, walk):
    headers = join(client, walk)
    body = chunk(walk_points(5, NOW - timedelta(minutes=5)))
    first = post(client, walk, headers, body)
    again = post(client, walk, headers, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json == {"id": body["id"], "walk_id": walk["id"], "points": 5}
    assert stored_points(db) == 5
    row = db.execute("select walker_id, lon, lat, accuracy_m, t from track_points").fetchone()
    assert row[0] is not None and row[3] == 8 and row[4].endswith("+00:00")


def test_bad_points_are_refused_with_a_message_per_field(client, db, walk):
    headers = join(client, walk)
    points = walk_points(3, NOW - timedelta(minutes=1))
    points[1]["lat"] = 95
    points[2]["t"] = "yesterday"
    points.append({"lon": 18.06, "lat": 59.33, "accuracy_m": -2, "t": NOW.isoformat()})
    response = post(client, walk, headers, chunk(points))
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"points[1].lat", "points[2].t", "points[3].accuracy_m"}
    assert stored_points(db) == 0
    for body, field in (
        ({"points": points[:1]}, "id"),
        ({"id": str(uuid.uuid4()), "points": []}, "points"),
        ({"id": str(uuid.uuid4()), "points": "many"}, "points"),
        ({"id": str(uuid.uuid4()), "points": [7]}, "points[0]"),
    ):
        response = post(client, walk, headers, body)
        assert response.status_code == 400 and field in response.json["errors"]
    future = walk_points(1, NOW + timedelta(hours=3))
    assert "points[0].t" in post(client, walk, headers, chunk(future)).json["errors"]


def test_a_chunk_id_of_another_walk_is_a_conflict(client, db, walk):
    other = walks_db.create_walk(db, title="Annan", starts_at="2026-11-24T18:00")
    body = chunk(walk_points(2, NOW - timedelta(minutes=1)))
    assert post(client, walk, join(client, walk), body).status_code == 201
    assert post(client, other, join(client, other), body).status_code == 409


def test_only_the_walks_own_walkers_post_track(client, db, walk):
    other = walks_db.create_walk(db, title="Annan", starts_at="2026-11-24T18:00")
    body = chunk(walk_points(2, NOW))
    assert post(client, walk, join(client, other), body).status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.post(f"/api/walks/{walk['id']}/track", json=body).status_code == 403


def _points(*moves):
    """(seconds, metres east) pairs as points."""
    start = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    return [
        {
            "lon": 18.0649 + metres / (111_320 * 0.5105),
            "lat": 59.3326,
            "accuracy_m": 5,
            "t": (start + timedelta(seconds=seconds)).isoformat(),
        }
        for seconds, metres in moves
    ]


def test_parts_split_at_a_gap_and_never_join_it():
    walked = _points((0, 0), (10, 13), (20, 26), (200, 60), (210, 73))
    assert [len(p) for p in tracks.parts(walked)] == [3, 2]


def test_parts_split_at_a_jump_faster_than_walking():
    # 150 m in 10 s is 15 m/s: a GPS error, not a walker.
    jumped = _points((0, 0), (10, 13), (20, 163), (30, 176))
    assert [len(p) for p in tracks.parts(jumped)] == [2, 2]


def test_parts_keep_a_slow_walk_whole():
    assert [len(p) for p in tracks.parts(_points(*[(i * 15, i * 12) for i in range(10)]))] == [10]
    assert tracks.parts([]) == []


def test_multi_line_draws_a_lone_point_as_a_dot():
    geometry = tracks.multi_line([_points((0, 0)), _points((0, 0), (10, 13))])
    assert geometry["type"] == "MultiLineString"
    assert geometry["coordinates"][0][0] == geometry["coordinates"][0][1]


def test_rules_reach_the_phone_from_one_module():
    assert tracks.RULES["max_accuracy_m"] == 30 and tracks.RULES["max_speed_m_s"] == 3
    assert tracks.RULES["min_distance_m"] == 10 and tracks.RULES["max_interval_s"] == 15


def test_tracks_are_for_coordinators_only(client, staff, db, walk):
    walker = staff.application.test_client()
    headers = join(walker, walk)
    post(walker, walk, headers, chunk(walk_points(4, NOW - timedelta(minutes=2))))
    data = staff.get(f"/walks/{walk['id']}/route.json").json
    assert [f["properties"]["kind"] for f in data["features"]] == ["track"]
    # The walker who recorded it cannot read tracks back, nor can anyone else.
    assert walker.get(f"/walks/{walk['id']}/route.json", headers=headers).status_code in (302, 401)
    assert walker.get("/export/routes.geojson", headers=headers).status_code == 401
    route = walker.get(f"/api/walks/{walk['id']}/route", headers=headers).json
    assert route["features"] == []


def test_retention_deletes_tracks_of_old_walks_only(app, db, client):
    old = walks_db.create_walk(db, title="Gammal", starts_at="2020-03-01T18:00", state="ongoing")
    recent = walks_db.create_walk(
        db, title="Ny", starts_at=(NOW - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    )
    for walk in (old, recent):
        headers = join(client, walk)
        post(client, walk, headers, chunk(walk_points(3, NOW - timedelta(minutes=3))))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention"])
    assert f"walked track of walk {old['id']}: 3 points" in dry.output
    assert recent["id"] not in dry.output
    assert stored_points(db) == 6
    applied = runner.invoke(args=["retention", "--apply"])
    summary = json.loads(applied.output.strip().splitlines()[-1])
    assert summary["track_points"] == 3 and summary["tracks_days"] == 90
    remaining = db.execute("select distinct walk_id from track_points").fetchall()
    assert remaining == [(recent["id"],)]
    assert db.execute("select count(*) from track_chunks").fetchone()[0] == 1


def test_parts_split_where_the_phone_marked_a_gap():
    points = _points((0, 0), (10, 13), (20, 26), (30, 39))
    points[2]["gap"] = True  # the screen was off for a moment
    assert [len(p) for p in tracks.parts(points)] == [2, 2]


def test_a_gap_mark_must_be_a_boolean(client, walk):
    points = walk_points(2, NOW - timedelta(minutes=1))
    points[1]["gap"] = "yes"
    response = post(client, walk, join(client, walk), chunk(points))
    assert response.status_code == 400 and "points[1].gap" in response.json["errors"]
