"""Open311 GeoReport v2 as ordinary clients read it: the `georeport` package (no key on GET),
XML as well as JSON, `api_key` as the token, `jurisdiction_id`, the public-safe view, and a
finding a coordinator marked "inte publik" leaving every public output."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import requests
from georeport import GeoReport

from tests.helpers import LiveServer, hash_password, login, make_app
from tests.public_page.seeding import (
    HOTORGET,
    MARKER_LAT,
    MARKER_LON,
    MARKER_NOTE,
    MARKER_PHOTO,
    add_finding,
    seed_privacy_markers,
    seed_walk,
)
from tests.test_coordinators import partner_id
from walkapp.db import connect, database_path, transaction
from walkapp.db import measures as measures_db
from walkapp.db import users as users_db
from walkapp.db.api_tokens import create_token

SECRET_NOTE = "SKYDDAT-BOENDE-5150"


def _seed(db) -> dict:
    year = datetime.now(UTC).year
    marks = seed_privacy_markers(db, year)  # a note, a name, a photo, an incident, a position
    gathering = add_finding(db, marks["walk"]["id"], None, category="gathering", note="langning")
    hidden = add_finding(
        db, marks["walk"]["id"], None, category="litter", note=SECRET_NOTE, place=HOTORGET
    )
    ongoing = seed_walk(db, f"{year}-11-01T18:00", state="ongoing")
    unheld = add_finding(db, ongoing["id"], None, category="vandalism")
    measures_db.update_measure(
        db,
        marks["fixed"],
        None,
        {
            "status": "planned",
            "partner_id": partner_id(db, "Trafikkontoret"),
            "deadline": "2030-12-31",
        },
    )
    recent = (datetime.now(UTC) - timedelta(days=3)).isoformat(timespec="seconds")
    with transaction(db):
        db.execute("update observations set recorded_at = ?", [recent])
    user = users_db.create_user(
        db, "planner", hash_password("correct horse battery"), "coordinator"
    )
    return {
        **marks,
        "gathering": gathering,
        "hidden": hidden,
        "unheld": unheld,
        "token": create_token(db, user, "stadens system")[1],
    }


@pytest.fixture
def served(tmp_path):
    app = make_app(tmp_path, TILE_URL="none")
    db = connect(database_path(app))
    seeded = _seed(db)
    db.close()
    server = LiveServer(app)
    yield server, seeded
    server.stop()


def _public_ids(items) -> set[str]:
    return {item["service_request_id"] for item in items}


def test_georeport_client_reads_the_public_view_without_a_key(served):
    server, seeded = served
    client = GeoReport(server.url + "/open311/v2")
    services = client.get_service_list()
    assert {s["service_code"] for s in services} >= {"lighting", "litter"}
    items = client.get_service_requests()
    ids = _public_ids(items)
    # Held walks only, no incident, no gathering, nothing marked "inte publik" (not yet marked).
    assert seeded["fixed"] in ids and seeded["hidden"] in ids
    assert not ids & {seeded["incident"], seeded["gathering"], seeded["unheld"]}
    fixed = next(item for item in items if item["service_request_id"] == seeded["fixed"])
    assert fixed["status"] == "open" and fixed["status_notes"] == "Planerad"
    assert fixed["agency_responsible"] == "Trafikkontoret"
    assert fixed["expected_datetime"].startswith("2030-12-31")
    assert fixed["description"] == "" and fixed["media_url"] == ""
    assert fixed["lat"] == round(MARKER_LAT, 4) and fixed["long"] == round(MARKER_LON, 4)
    text = requests.get(server.url + "/open311/v2/requests.json", timeout=10).text
    for secret in (MARKER_NOTE, MARKER_PHOTO, "Zlatan", str(MARKER_LON)[:9], "walker"):
        assert secret not in text
    # The same through the client's XML mode (the spec's default format).
    as_xml = GeoReport(server.url + "/open311/v2", output_format="xml").get_service_requests()
    assert _public_ids(as_xml) == ids


def test_a_token_as_api_key_gives_the_full_view(served):
    server, seeded = served
    url = server.url + "/open311/v2/requests.json"
    full = requests.get(url, params={"api_key": seeded["token"]}, timeout=10).json()
    fixed = next(item for item in full if item["service_request_id"] == seeded["fixed"])
    assert fixed["description"] == MARKER_NOTE and fixed["media_url"].endswith(
        ".jpg?token=" + seeded["token"]
    )
    assert fixed["lat"] == pytest.approx(MARKER_LAT, abs=1e-6)
    assert {seeded["incident"], seeded["gathering"], seeded["unheld"]} <= _public_ids(full)
    bearer = requests.get(url, headers={"Authorization": f"Bearer {seeded['token']}"}, timeout=10)
    assert _public_ids(bearer.json()) == _public_ids(full)
    wrong = requests.get(url, params={"api_key": "wk_wrong"}, timeout=10)
    assert wrong.status_code == 401 and wrong.json()[0]["code"] == 401


def test_xml_for_discovery_services_requests_and_errors(served):
    server, seeded = served
    base = server.url + "/open311/v2/"
    discovery = requests.get(base + "discovery.xml", timeout=10)
    assert discovery.headers["Content-Type"].startswith("text/xml")
    root = ET.fromstring(discovery.content)
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    services = ET.fromstring(requests.get(base + "services.xml", timeout=10).content)
    assert services.tag == "services" and len(services.findall("service")) == 15
    lighting = next(s for s in services if s.findtext("service_code") == "lighting")
    assert (
        lighting.findtext("service_name") == "Belysning"
        and lighting.findtext("metadata") == "false"
    )
    listing = ET.fromstring(requests.get(base + "requests.xml", timeout=10).content)
    assert listing.tag == "service_requests"
    fixed = next(
        r for r in listing.findall("request") if r.findtext("service_request_id") == seeded["fixed"]
    )
    assert (
        fixed.findtext("status") == "open"
        and fixed.findtext("agency_responsible") == "Trafikkontoret"
    )
    assert float(fixed.findtext("lat")) == round(MARKER_LAT, 4)
    one = ET.fromstring(requests.get(base + f"requests/{seeded['fixed']}.xml", timeout=10).content)
    assert [r.findtext("service_request_id") for r in one] == [seeded["fixed"]]
    error = requests.get(base + "requests.xml?status=maybe", timeout=10)
    assert error.status_code == 400
    errors = ET.fromstring(error.content)
    assert errors.tag == "errors" and errors.findtext("error/code") == "400"
    assert errors.findtext("error/description")
    # Public and not public: the incident is not found without a key, found with one.
    assert requests.get(base + f"requests/{seeded['incident']}.xml", timeout=10).status_code == 404
    keyed = requests.get(
        base + f"requests/{seeded['incident']}.json",
        params={"api_key": seeded["token"]},
        timeout=10,
    )
    assert keyed.status_code == 200 and keyed.json()[0]["service_code"] == "incident"


def test_jurisdiction_id_naming_us_is_ignored_and_another_is_an_error(served):
    server, seeded = served
    base = server.url + "/open311/v2/"
    ours = GeoReport(base, jurisdiction="lpo-norrmalm")
    assert len(ours.get_service_list()) == 15
    for path in ("services.json", "requests.json", f"requests/{seeded['fixed']}.json"):
        response = requests.get(base + path, params={"jurisdiction_id": "lpo-norrmalm"}, timeout=10)
        assert response.status_code == 200
        other = requests.get(base + path, params={"jurisdiction_id": "chicago.gov"}, timeout=10)
        assert other.status_code == 400 and "jurisdiction_id" in other.json()[0]["description"]


def test_status_takes_a_comma_list(served):
    server, seeded = served
    url = server.url + "/open311/v2/requests.json"
    both = requests.get(url, params={"status": "open,closed"}, timeout=10).json()
    assert _public_ids(both) == _public_ids(requests.get(url, timeout=10).json())


def test_a_finding_marked_not_public_leaves_every_public_output(tmp_path):
    app = make_app(tmp_path, TILE_URL="none")
    db = connect(database_path(app))
    seeded = _seed(db)
    client = app.test_client()
    users_db.create_user(db, "coordinator", hash_password("correct horse battery"), "coordinator")
    year = datetime.now(UTC).year

    def public_outputs():
        page = client.get("/").text
        data = client.get(f"/promise/{year}/data.json").json
        places = client.get("/export/places.geojson").json
        hotorget = next(f for f in places["features"] if f["properties"]["name"] == HOTORGET)
        by_place = {p["place"]: p["total"] for p in data["places"]}
        open311 = _public_ids(client.get("/open311/v2/requests.json").json)
        return page, by_place.get(HOTORGET, 0), hotorget["properties"]["findings"], open311

    _page, before, before_geojson, open311 = public_outputs()
    assert before == before_geojson == 1 and seeded["hidden"] in open311
    staff = app.test_client()
    login(staff, "coordinator")
    triage = staff.get(f"/observations/{seeded['hidden']}/triage").text
    assert "Markera som inte publik" in triage
    marked = staff.post(f"/observations/{seeded['hidden']}/public", data={"not_public": "1"})
    assert marked.status_code == 303
    assert (
        db.execute(
            "select not_public from observations where id = ?", [seeded["hidden"]]
        ).fetchone()[0]
        == 1
    )
    page, after, after_geojson, open311 = public_outputs()
    assert after == after_geojson == 0 and seeded["hidden"] not in open311
    assert client.get(f"/open311/v2/requests/{seeded['hidden']}.json").status_code == 404
    # Still there for staff and tools, and the change is in the audit log.
    assert seeded["hidden"] in {
        f["id"] for f in staff.get("/export/observations.geojson").json["features"]
    }
    assert (
        db.execute(
            "select count(*) from audit_log where entity_id = ?", [seeded["hidden"]]
        ).fetchone()[0]
        == 1
    )
    assert "Visa offentligt igen" in staff.get(f"/observations/{seeded['hidden']}/triage").text
    staff.post(f"/observations/{seeded['hidden']}/public", data={"not_public": "0"})
    assert public_outputs()[1] == 1
    db.close()


def test_xml_stays_well_formed_with_control_characters_in_a_note(tmp_path):
    app = make_app(tmp_path, TILE_URL="none")
    db = connect(database_path(app))
    seeded = _seed(db)
    odd = add_finding(db, seeded["walk"]["id"], None, category="litter", note="Trasig\x0blampa\x01")
    db.close()
    client = app.test_client()
    response = client.get(
        "/open311/v2/requests.xml",
        query_string={"api_key": seeded["token"], "service_request_id": odd},
    )
    assert response.status_code == 200
    root = ET.fromstring(response.data)  # raised "not well-formed" before
    notes = {
        request.findtext("service_request_id"): request.findtext("description")
        for request in root.iter("request")
    }
    assert notes[odd] == "Trasig\ufffdlampa\ufffd"
