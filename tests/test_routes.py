"""The planned route: drawn on the walk form, checked, stored with the walk, shown to walkers and
coordinators, public only for a public walk; /export/routes.geojson."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.helpers import make_app
from tests.route_helpers import ROUTE, chunk, join, walk_points
from walkapp.db import routes as routes_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.routes import InvalidRoute, check_route, nearest_stop, stops_of


def form(**overrides) -> dict:
    return {
        "title": "Kvällsvandring",
        "starts_at": "2026-11-24T18:00",
        "light": "dark",
        "route": json.dumps(ROUTE),
        **overrides,
    }


def test_check_route_numbers_stops_in_order_and_names_them():
    route = check_route(json.dumps(ROUTE))
    kinds = [f["properties"]["kind"] for f in route["features"]]
    assert kinds == ["route", "stop", "stop"]
    assert [(s["number"], s["name"]) for s in stops_of(route)] == [(1, "Plattan"), (2, "")]


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        json.dumps({"type": "Feature"}),
        json.dumps({"type": "FeatureCollection", "features": [{"geometry": {"type": "Polygon"}}]}),
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"geometry": {"type": "LineString", "coordinates": [[18, 59]]}}],
            }
        ),
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"geometry": {"type": "Point", "coordinates": [200, 59]}}],
            }
        ),
    ],
)
def test_check_route_refuses_what_is_not_a_route(raw):
    with pytest.raises(InvalidRoute):
        check_route(raw)


def test_empty_drawing_is_no_route():
    assert check_route("") is None
    assert check_route(json.dumps({"type": "FeatureCollection", "features": []})) is None


def test_nearest_stop_is_measured_in_metres():
    route = check_route(ROUTE)
    assert nearest_stop(route, 18.0650, 59.3326) == 1  # ~6 m from Plattan
    assert nearest_stop(route, 18.0716, 59.3313) == 2  # ~33 m from stop 2
    assert nearest_stop(route, 18.0600, 59.3400) is None


def test_walk_form_stores_the_route_with_the_walk(staff, db):
    response = staff.post("/walks/new", data=form())
    assert response.status_code == 302
    walk_id = response.headers["Location"].rsplit("/", 1)[1]
    stored = routes_db.get_route(db, walk_id)
    assert len(stops_of(stored)) == 2
    # The edit form shows it again, and an edit replaces it.
    page = staff.get(f"/walks/{walk_id}/edit").get_data(as_text=True)
    assert "Plattan" in page and 'name="route"' in page
    one_stop = {**ROUTE, "features": ROUTE["features"][:2]}
    staff.post(f"/walks/{walk_id}/edit", data=form(route=json.dumps(one_stop)))
    assert len(stops_of(routes_db.get_route(db, walk_id))) == 1
    # Cleared on the map: no route any more.
    staff.post(f"/walks/{walk_id}/edit", data=form(route=""))
    assert routes_db.get_route(db, walk_id) is None


def test_walk_form_refuses_a_broken_route_beside_the_map(staff, db):
    response = staff.post("/walks/new", data=form(route="{broken"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="route-error"' in page and "Rita den igen" in page
    assert db.execute("select count(*) from walks").fetchone()[0] == 0


def _walk_with_route(db, **fields):
    walk = walks_db.create_walk(db, title="Rutt", starts_at="2026-11-24T18:00", **fields)
    with transaction(db):
        routes_db.save_route(db, walk["id"], check_route(ROUTE), None)
    return walk


def test_walkers_get_the_planned_route_for_their_map(client, db):
    walk = _walk_with_route(db, state="ongoing")
    headers = join(client, walk)
    response = client.get(f"/api/walks/{walk['id']}/route", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert len(response.json["features"]) == 3
    other = walks_db.create_walk(db, title="Annan", starts_at="2026-11-24T18:00")
    assert client.get(f"/api/walks/{other['id']}/route", headers=headers).status_code == 403


def test_public_route_only_for_a_public_walk_and_never_a_track(client, db):
    hidden = _walk_with_route(db)
    assert client.get(f"/public/walks/{hidden['id']}/route.geojson").status_code == 404
    shown = _walk_with_route(db, public=1, state="ongoing")
    headers = join(client, shown)
    now = datetime.now(UTC).replace(microsecond=0)
    client.post(f"/api/walks/{shown['id']}/track", json=chunk(walk_points(3, now)), headers=headers)
    public = client.get(f"/public/walks/{shown['id']}/route.geojson")
    assert public.status_code == 200
    kinds = {f["properties"]["kind"] for f in public.json["features"]}
    assert kinds == {"route", "stop"}
    # Tracks go to coordinators only.
    fresh = client.application.test_client()
    assert fresh.get(f"/walks/{shown['id']}/route.json").status_code in (302, 401)


def test_walk_page_and_protocol_show_the_route_map(staff, db):
    walk = _walk_with_route(db)
    for path in (f"/walks/{walk['id']}", f"/walks/{walk['id']}/protocol"):
        page = staff.get(path).get_data(as_text=True)
        assert 'id="route-map"' in page and f"/walks/{walk['id']}/route.json" in page
    data = staff.get(f"/walks/{walk['id']}/route.json").json
    assert [f["properties"]["kind"] for f in data["features"]] == ["route", "stop", "stop"]


def test_routes_export_has_planned_route_and_track_parts_split_at_gaps(tmp_path, staff, db):
    walk = _walk_with_route(db, state="ongoing")
    walker = staff.application.test_client()
    headers = join(walker, walk)
    start = datetime.now(UTC).replace(microsecond=0) - _minutes(30)
    before_gap = walk_points(5, start)
    after_gap = walk_points(4, start + _minutes(5), start_lon=18.0670)  # 5 minutes later
    for points in (before_gap, after_gap):
        assert (
            walker.post(
                f"/api/walks/{walk['id']}/track", json=chunk(points), headers=headers
            ).status_code
            == 201
        )
    response = staff.get("/export/routes.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    features = {f["properties"]["kind"]: f for f in response.json["features"]}
    assert features["route"]["geometry"]["type"] == "MultiLineString"
    track = features["track"]
    assert track["geometry"]["type"] == "MultiLineString"
    assert [len(part) for part in track["geometry"]["coordinates"]] == [5, 4]
    assert track["properties"]["walk_id"] == walk["id"] and track["properties"]["points"] == 9
    # The findings' filters apply: a day before gives nothing, an unknown walk is named.
    assert staff.get("/export/routes.geojson?walk=nope").status_code == 400
    assert staff.get("/export/routes.geojson?to=2026-01-01").json["features"] == []
    assert staff.get("/export/routes.geojson?from=bad").status_code == 400


def test_routes_export_needs_a_coordinator_or_a_token(client):
    assert client.get("/export/routes.geojson").status_code == 401


def _minutes(n):
    from datetime import timedelta

    return timedelta(minutes=n)


def test_no_route_on_an_app_without_one(tmp_path):
    app = make_app(tmp_path)
    with app.test_request_context():
        from walkapp.views.routes import walk_route_json

        assert json.loads(walk_route_json(None)) == {"type": "FeatureCollection", "features": []}


def test_public_page_shows_the_stops_of_the_next_public_walk(client, db):
    from datetime import date, timedelta

    day = (date.today() + timedelta(days=7)).isoformat() + "T18:00"
    walk = walks_db.create_walk(db, title="Öppen", starts_at=day, public=1)
    with transaction(db):
        routes_db.save_route(db, walk["id"], check_route(ROUTE), None)
    page = client.get("/").get_data(as_text=True)
    assert "Vi stannar vid" in page and "<li>Plattan</li>" in page
    assert f"/public/walks/{walk['id']}/route.geojson" in page
    # Made private again: neither the page nor the file shows it.
    db.execute("update walks set public = 0 where id = ?", [walk["id"]])
    db.conn.commit()
    assert "Vi stannar vid" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/public/walks/{walk['id']}/route.geojson").status_code == 404


def test_the_poster_of_a_public_walk_shows_its_stops(staff, db):
    walk = _walk_with_route(db, public=1)
    poster = staff.get(f"/walks/{walk['id']}/poster").get_data(as_text=True)
    assert "Vi stannar vid" in poster and "<li>Plattan</li>" in poster
    # The unnamed stop is named in the poster's language, never stored in Swedish.
    assert "<li>Stopp 2</li>" in poster
    for code, name in (("en", "Stop 2"), ("ar", "توقف 2"), ("so", "Joogsi 2")):
        staff.set_cookie("lang", code)
        poster = staff.get(f"/walks/{walk['id']}/poster").get_data(as_text=True)
        assert f"<li>{name}</li>" in poster and "Stopp 2" not in poster, code


def test_stops_stored_unnamed_as_swedish_become_unnamed(db):
    from walkapp.db.migrations.m0005_routes_stop_names import routes_stop_names

    walk = walks_db.create_walk(db, title="Förr", starts_at="2026-11-24T18:00")
    old = check_route(ROUTE)
    old["features"][2]["properties"]["name"] = "Stopp 2"  # as earlier versions stored it
    with transaction(db):
        routes_db.save_route(db, walk["id"], old, None)
        routes_stop_names(db)
    assert [(s["number"], s["name"]) for s in stops_of(routes_db.get_route(db, walk["id"]))] == [
        (1, "Plattan"),
        (2, ""),
    ]
