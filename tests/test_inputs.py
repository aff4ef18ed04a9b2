"""Input at the edges (issue 13, points 8 and 15): what used to be a 500 is a 4xx with a message,
and nothing is stored; an observation id posted again with another body is a 409."""

from __future__ import annotations

import json

import pytest

from tests.test_observations_api import count, join, observation, post
from walkapp.inputs import MAX_ID, parse_id

HUGE = "99999999999999999999"


def raw_post(client, url, text, headers, method="POST"):
    return client.open(
        url, method=method, data=text, content_type="application/json", headers=headers
    )


def test_deeply_nested_json_is_400_on_join_and_observations(client, walk, db):
    # Within each route's body limit (walkapp/bodies.py); "[" * 100_000 is a 413 there.
    answer = raw_post(client, "/api/join", "[" * 1000, {})
    assert answer.status_code == 400 and answer.json["errors"]
    nested = "[" * 10_000
    headers = join(client, walk)
    url = f"/api/walks/{walk['id']}/observations"
    assert raw_post(client, url, nested, headers).status_code == 400
    # Shallow enough to parse, still deeper than any body of ours.
    assert (
        raw_post(
            client, url, json.dumps({"note": [[[[[[[[[[[[[["x"]]]]]]]]]]]]]]}), headers
        ).status_code
        == 400
    )
    stored = observation()
    assert post(client, walk, headers, stored).status_code == 201
    edit = raw_post(client, f"{url}/{stored['id']}", nested, headers, method="PATCH")
    assert edit.status_code == 400
    assert count(db) == 1


def test_lone_surrogate_is_refused_naming_the_field(client, walk, db):
    headers = join(client, walk)
    url = f"/api/walks/{walk['id']}/observations"
    body = json.dumps(observation(note="x")).replace('"x"', '"\\ud83d"')
    answer = raw_post(client, url, body, headers)
    assert answer.status_code == 400 and "note" in answer.json["errors"]
    name = raw_post(
        client,
        "/api/join",
        json.dumps({"code": walk["code"], "name": "x"}).replace('"x"', '"\\udc00"'),
        {},
    )
    assert name.status_code == 400 and "name" in name.json["errors"]
    stored = observation()
    post(client, walk, headers, stored)
    edit = raw_post(client, f"{url}/{stored['id']}", '{"note": "\\ud83d"}', headers, "PATCH")
    assert edit.status_code == 400 and "note" in edit.json["errors"]
    assert count(db) == 1 and count(db, "walkers") == 1


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_recorded_at_at_the_ends_of_the_calendar_is_400(client, walk, db, moment):
    answer = post(client, walk, join(client, walk), observation(recorded_at=moment))
    assert answer.status_code == 400 and "recorded_at" in answer.json["errors"]
    assert count(db) == 0


@pytest.mark.parametrize(
    "query, field",
    [
        ("to=9999-12-31", "to"),
        ("from=0001-01-01", "from"),
        (f"place={HUGE}", "place"),
        ("place=²", "place"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/export/observations.csv", "/export/observations.geojson", "/maps/overview"]
)
def test_export_filters_at_the_edges_are_400_before_any_byte(staff, path, query, field):
    answer = staff.get(f"{path}?{query}")
    assert answer.status_code == 400
    assert field in answer.json["errors"]


@pytest.mark.parametrize(
    "query",
    [
        "end_date=9999-12-31T23:59:59-01:00",
        "start_date=9999-12-31T23:59:59-01:00",
        "start_date=0001-01-01T00:00:00%2B01:00",
    ],
)
def test_open311_dates_at_the_ends_of_the_calendar_are_400(staff, query):
    answer = staff.get(f"/open311/v2/requests.json?{query}")
    assert answer.status_code == 400 and answer.json[0]["description"]


def test_open311_end_date_in_year_one_is_an_empty_answer(staff):
    answer = staff.get("/open311/v2/requests.json?end_date=0001-01-01")
    assert answer.status_code == 200 and answer.json == []


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", f"/promise/{HUGE}"),
        ("GET", f"/places/{HUGE}"),
        ("GET", f"/maps/place/{HUGE}"),
        ("GET", f"/admin/places/{HUGE}/edit"),
        ("POST", f"/admin/places/{HUGE}/active"),
        ("POST", f"/admin/partners/{HUGE}/active"),
        ("POST", f"/tokens/{HUGE}/revoke"),
        ("POST", f"/dashboard/insatser/{HUGE}/ta-bort"),
        ("GET", f"/places/{MAX_ID + 1}"),
    ],
)
def test_ids_too_large_for_sqlite_are_404(client, users, method, path):
    client.post("/login", data={"username": "admin", "password": "correct horse battery"})
    assert client.open(path, method=method).status_code == 404


@pytest.mark.parametrize("query", [f"partner={HUGE}", f"place={HUGE}", "place=²"])
def test_measure_filters_too_large_are_400(staff, query):
    assert staff.get(f"/measures?{query}").status_code == 400


def test_parse_id_takes_only_what_sqlite_holds():
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert [parse_id(raw) for raw in (str(MAX_ID + 1), "0", "-1", "١٢", "²", "1e3", " 1")] == [
        None
    ] * 7


def test_same_id_same_body_is_a_retry_another_body_is_409(client, walk, db):
    headers = join(client, walk)
    first = observation()
    assert post(client, walk, headers, first).status_code == 201
    assert post(client, walk, headers, dict(first)).status_code == 200
    # The same values as the phone may spell them again: still a retry.
    assert post(client, walk, headers, {**first, "note": first["note"] + "  "}).status_code == 200
    changed = post(client, walk, headers, {**first, "note": "Något annat"})
    assert changed.status_code == 409
    assert "annat innehåll" in changed.json["errors"]["id"]
    other_walker = join(client, walk, "Bo")
    assert post(client, walk, other_walker, first).status_code == 409
    stored = db.execute("select note from observations where id = ?", [first["id"]]).fetchone()
    assert stored == (first["note"],) and count(db) == 1


@pytest.mark.parametrize("raw", ["²", "9" * 5000])
def test_digits_python_cannot_read_are_not_a_500(client, users, db, raw):
    """ "²".isdigit() is True and int("²") fails; int() refuses 5000 digits."""
    from walkapp.demo import create_demo

    create_demo(db, 50.0)
    promise_id = db.execute("select id from promises order by id limit 1").fetchone()[0]
    assert client.get(f"/maps/public?year={raw}").status_code == 200
    client.post("/login", data={"username": "admin", "password": "correct horse battery"})
    edited = client.post(
        f"/admin/medborgarloften/{promise_id}",
        data={"title": "Löftet", "commitments-0-commitment_id": raw, "commitments-0-heading": "x"},
    )
    assert edited.status_code < 500


# --- the walker's three JSON writes (issue 22 point 3, issue 23 point 7) ---------------------

FOUR_HUNDRED_DIGITS = "9" * 400


def _write(client, walk, kind: str, text: str, headers):
    return raw_post(client, f"/api/walks/{walk['id']}/{kind}", text, headers)


def _with_number(body: dict, where: list, digits: str) -> str:
    """The body as JSON text with the number at `where` spelled as `digits` (json.dumps cannot
    write an integer Python refuses to turn into a float, but a phone or an attacker can)."""
    marker = 123456.789
    target = body
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = marker
    return json.dumps(body).replace(str(marker), digits)


def _audit():
    from tests.route_helpers import audit

    return audit()


def _chunk():
    from datetime import UTC, datetime, timedelta

    from tests.route_helpers import chunk, walk_points

    return chunk(walk_points(2, datetime.now(UTC) - timedelta(minutes=2)))


@pytest.mark.parametrize("field", ["lon", "lat", "accuracy_m"])
def test_a_400_digit_number_is_400_naming_the_field_in_every_walker_write(client, walk, db, field):
    headers = join(client, walk)
    answer = _write(
        client,
        walk,
        "observations",
        _with_number(observation(), [field], FOUR_HUNDRED_DIGITS),
        headers,
    )
    assert answer.status_code == 400 and field in answer.json["errors"]
    if field != "accuracy_m":  # an audit has no accuracy
        answer = _write(
            client, walk, "audits", _with_number(_audit(), [field], FOUR_HUNDRED_DIGITS), headers
        )
        assert answer.status_code == 400 and field in answer.json["errors"]
    answer = _write(
        client,
        walk,
        "track",
        _with_number(_chunk(), ["points", 0, field], FOUR_HUNDRED_DIGITS),
        headers,
    )
    assert answer.status_code == 400 and f"points[0].{field}" in answer.json["errors"]
    assert count(db) == count(db, "audits") == count(db, "track_chunks") == 0


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:00-01:00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"],
)
def test_a_track_point_at_the_ends_of_the_calendar_is_400(client, walk, db, moment):
    body = _chunk()
    body["points"][1]["t"] = moment
    answer = client.post(f"/api/walks/{walk['id']}/track", json=body, headers=join(client, walk))
    assert answer.status_code == 400 and "points[1].t" in answer.json["errors"]
    assert count(db, "track_chunks") == 0


def test_an_audit_id_again_with_another_body_is_409_and_shows_nothing_stored(client, walk, db):
    anna = join(client, walk)
    first = _audit()
    first["scores"] = {"lighting": 0, "feeling": 1}
    url = f"/api/walks/{walk['id']}/audits"
    assert client.post(url, json=first, headers=anna).status_code == 201
    assert client.post(url, json=dict(first), headers=anna).status_code == 200
    changed = client.post(url, json={**first, "scores": {"lighting": 3}}, headers=anna)
    assert changed.status_code == 409 and "annat innehåll" in changed.json["errors"]["id"]
    # Another walker who knows the id learns nothing of Anna's scores.
    bo = join(client, walk, "Bo")
    for body in (first, {**first, "scores": {"lighting": 2}}):
        stolen = client.post(url, json=body, headers=bo)
        assert stolen.status_code == 409
        assert "scores" not in stolen.json and "feeling" not in stolen.get_data(as_text=True)
    stored = db.execute("select lighting, feeling from audits where id = ?", [first["id"]])
    assert stored.fetchall() == [(0, 1)] and count(db, "audits") == 1


def test_a_track_chunk_id_again_with_other_points_is_409_and_keeps_the_first(client, walk, db):
    anna = join(client, walk)
    first = _chunk()
    url = f"/api/walks/{walk['id']}/track"
    assert client.post(url, json=first, headers=anna).status_code == 201
    assert client.post(url, json=json.loads(json.dumps(first)), headers=anna).status_code == 200
    moved = json.loads(json.dumps(first))
    moved["points"][0]["lat"] += 0.001
    longer = {**first, "points": [*first["points"], {**first["points"][1], "gap": True}]}
    for body in (moved, longer):
        answer = client.post(url, json=body, headers=anna)
        assert answer.status_code == 409 and "annat innehåll" in answer.json["errors"]["id"]
    assert client.post(url, json=first, headers=join(client, walk, "Bo")).status_code == 409
    lats = [row[0] for row in db.execute("select lat from track_points order by seq")]
    assert lats == [round(p["lat"], 7) for p in first["points"]]
