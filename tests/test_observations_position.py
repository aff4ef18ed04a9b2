"""Where an observation's position came from (PRODUCT.md): the GPS with its accuracy, or a pin
the walker placed; stored, returned to the phone, and an edit changes only what it sends."""

from __future__ import annotations

import csv
import io

from tests.test_observations_api import join, observation, post
from walkapp.db import walks as walks_db


def stored(db, observation_id):
    sql = "select lon, lat, accuracy_m, position_source, note from observations where id = ?"
    return next(db.query(sql, [observation_id]))


def test_gps_and_pin_positions_are_stored_with_their_source(client, walk, db):
    headers = join(client, walk)
    gps = observation(accuracy_m=12, position_source="gps")
    pin = observation(accuracy_m=None, position_source="pin", lon=18.0712, lat=59.3311)
    assert post(client, walk, headers, gps).json["position_source"] == "gps"
    answer = post(client, walk, headers, pin).json
    assert answer["position_source"] == "pin" and answer["accuracy_m"] is None
    assert stored(db, gps["id"])["position_source"] == "gps"
    assert stored(db, gps["id"])["accuracy_m"] == 12
    assert stored(db, pin["id"])["position_source"] == "pin"
    listed = client.get(f"/api/walks/{walk['id']}/observations", headers=headers).json
    assert {o["id"]: o["position_source"] for o in listed["observations"]} == {
        gps["id"]: "gps",
        pin["id"]: "pin",
    }


def test_a_pin_has_no_accuracy_and_an_unknown_source_is_refused(client, walk, db):
    headers = join(client, walk)
    pin = observation(accuracy_m=30, position_source="pin")
    post(client, walk, headers, pin)
    assert stored(db, pin["id"])["accuracy_m"] is None
    bad = post(client, walk, headers, observation(position_source="guess"))
    assert bad.status_code == 400 and "position_source" in bad.json["errors"]


def test_older_phones_without_a_source_get_one_from_the_accuracy(client, walk, db):
    headers = join(client, walk)
    with_accuracy, without = observation(accuracy_m=9), observation(accuracy_m=None)
    post(client, walk, headers, with_accuracy)
    post(client, walk, headers, without)
    assert stored(db, with_accuracy["id"])["position_source"] == "gps"
    assert stored(db, without["id"])["position_source"] == "pin"


def test_editing_the_note_keeps_position_accuracy_and_source(client, walk, db):
    headers = join(client, walk)
    body = observation(accuracy_m=7, position_source="gps")
    post(client, walk, headers, body)
    url = f"/api/walks/{walk['id']}/observations/{body['id']}"
    assert client.patch(url, json={"note": "Ny text"}, headers=headers).status_code == 200
    row = stored(db, body["id"])
    assert row["note"] == "Ny text" and row["accuracy_m"] == 7 and row["position_source"] == "gps"
    assert (row["lon"], row["lat"]) == (body["lon"], body["lat"])
    # A source or an accuracy alone is not a position.
    alone = client.patch(url, json={"position_source": "pin"}, headers=headers)
    assert alone.status_code == 400 and "position_source" in alone.json["errors"]


def test_moving_the_pin_in_an_edit_stores_a_pin_without_accuracy(client, walk, db):
    headers = join(client, walk)
    body = observation(accuracy_m=7, position_source="gps")
    post(client, walk, headers, body)
    url = f"/api/walks/{walk['id']}/observations/{body['id']}"
    moved = {"lon": 18.0712, "lat": 59.3311, "accuracy_m": None, "position_source": "pin"}
    assert client.patch(url, json=moved, headers=headers).json["position_source"] == "pin"
    row = stored(db, body["id"])
    assert (row["lon"], row["lat"], row["accuracy_m"]) == (18.0712, 59.3311, None)


def test_the_first_observation_makes_a_planned_walk_ongoing(client, walk, db):
    assert walk["state"] == "planned"
    headers = join(client, walk)
    post(client, walk, headers, observation())
    assert walks_db.get_walk(db, walk["id"])["state"] == "ongoing"


def test_coordinators_see_the_source_with_pin_placed_ones_marked(client, walk, db, users):
    from tests.helpers import login

    headers = join(client, walk)
    gps = observation(accuracy_m=12, position_source="gps", category="litter")
    pin = observation(accuracy_m=None, position_source="pin")
    post(client, walk, headers, gps)
    post(client, walk, headers, pin)
    login(client, "coordinator")
    triage = client.get(f"/observations/{pin['id']}/triage").get_data(as_text=True)
    assert '<span class="pin-placed">nål satt för hand</span>' in triage
    shown = client.get(f"/observations/{gps['id']}/triage").get_data(as_text=True)
    assert "GPS ±12 m" in shown and shown.count("±12 m") == 1  # not "GPS ±12 m · noggrannhet ±12 m"
    client.set_cookie("lang", "en")
    shown = client.get(f"/observations/{gps['id']}/triage").get_data(as_text=True)
    assert "GPS ±12 m" in shown and "noggrannhet" not in shown
    client.set_cookie("lang", "sv")
    protocol = client.get(f"/walks/{walk['id']}/protocol").get_data(as_text=True)
    assert protocol.count('class="pin-placed"') == 1
    protocol_csv = client.get(f"/walks/{walk['id']}/protocol.csv").get_data(as_text=True)
    assert "nål satt för hand" in protocol_csv
    features = client.get("/export/observations.geojson").json["features"]
    sources = {
        f["id"]: (f["properties"]["position_source"], f["properties"]["accuracy_m"])
        for f in features
    }
    assert sources == {gps["id"]: ("gps", 12), pin["id"]: ("pin", None)}
    export = client.get("/export/observations.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(export), delimiter=";"))
    assert sorted((r["position_source"], r["accuracy_m"]) for r in rows) == [
        ("gps", "12"),
        ("pin", ""),
    ]
