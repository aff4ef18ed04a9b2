"""User text on maps travels as data (issue 23, point 1), checked on the rendered HTML: stop
names, walk titles, place and partner names and notes are in the page's JSON element exactly as
typed, and in no executable script; a lone surrogate is refused at the door, and would the map
meet one all the same, it shows U+FFFD instead of answering 500. The browser half is
tests/browser/test_map_text.py."""

from __future__ import annotations

import json
import re
from io import BytesIO
from urllib.parse import quote_from_bytes

import pytest

from tests.helpers import login
from tests.route_helpers import ROUTE, join
from tests.test_coordinators import SERGEL, add_observation
from tests.test_maps import map_data
from walkapp import maps
from walkapp.db import partners as partners_db
from walkapp.db import places as places_db
from walkapp.db import routes as routes_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.routes import check_route

PAYLOADS = [
    "${alert(1)}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!--<script>",
    "`;alert(1);`",
    "\u2028\u2029",
]
EXECUTABLE = re.compile(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", re.S)


@pytest.fixture(params=PAYLOADS)
def planted(request, db, users):
    """The payload in every field a map shows, stored through the db functions."""
    payload = request.param
    texts = {k: f"{payload} {k}" for k in ("stop", "title", "place", "partner", "note")}
    walk = walks_db.create_walk(db, title=texts["title"], starts_at="2026-11-24T18:00")
    route = json.loads(json.dumps(ROUTE))
    route["features"][1]["properties"]["name"] = texts["stop"]
    with transaction(db):
        db.execute("update places set name = ? where id = 1", [texts["place"]])
        db.execute("insert into walk_places (walk_id, place_id) values (?, 1)", [walk["id"]])
        routes_db.save_route(db, walk["id"], check_route(route), None)
    observation = add_observation(db, walk["id"], *SERGEL, note=texts["note"])
    partners_db.ensure_partners(db, [texts["partner"]])
    partner = next(p for p in partners_db.list_partners(db) if p["name"] == texts["partner"])
    with transaction(db):
        db.execute(
            "update measures set partner_id = ?, status = 'assigned' where observation_id = ?",
            [partner["id"], observation],
        )
    return {"walk": walk, "texts": texts}


def _pages(walk_id: str) -> list[str]:
    return ["/maps/overview", f"/maps/walk/{walk_id}", "/maps/place/1", "/maps/public"]


def test_every_user_text_is_data_never_script(client, planted):
    login(client, "coordinator")
    texts = planted["texts"]
    for path in _pages(planted["walk"]["id"]):
        for url in (path, path + "?download=1"):
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.get_data(as_text=True)
            for body in EXECUTABLE.findall(page):
                for text in texts.values():
                    assert text not in body, (url, text)
                assert "alert(1)" not in body, url
            data = map_data(page)
            shown = json.dumps(data, ensure_ascii=False)
            assert json.dumps(texts["place"], ensure_ascii=False) in shown, url
            if path != "/maps/public":
                note_and_names = {data["points"][0][8], *data["places"], *data["partners"]}
                assert {texts["note"], texts["place"], texts["partner"]} <= note_and_names, url
            if path in ("/maps/overview", f"/maps/walk/{planted['walk']['id']}"):
                names = [f["properties"].get("name") for f in data["routes"]["features"]]
                assert texts["stop"].strip() in names, url  # stored stripped
            # Outside the JSON element, HTML holds the text only escaped (<title>).
            element = re.search(r'id="walkapp-map-data">.*?</script>', page, re.S)[0]
            outside = page.replace(element, "")
            assert "<img src=x" not in outside and "</script><script>alert" not in outside


def test_the_walk_title_is_the_page_title_escaped(client, planted):
    login(client, "coordinator")
    page = client.get(f"/maps/walk/{planted['walk']['id']}").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S)[1]
    assert "<" not in title and map_data(page)["title"] == planted["texts"]["title"]


def test_script_json_cannot_end_its_element_or_break_a_line():
    value = {"a": "</script><!--<script>", "b": "\u2028\u2029", "c": "&amp;", "d": "\ud800"}
    text = maps.script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    text.encode("utf-8")  # no lone surrogate left to fail the response
    assert json.loads(text) == {**value, "d": "\ufffd"}


def test_a_stored_lone_surrogate_renders_as_a_replacement_character():
    point = {"type": "Point", "coordinates": list(SERGEL)}
    place = {"id": 1, "name": "Plattan \ud83d", "geometry": point}
    for fmap in (
        maps.public_map([], [place], asset_url=lambda p: "/static/" + p),
        maps.follow_up_map([], [place], asset_url=lambda p: "/static/" + p, title="T \udc00"),
    ):
        html = maps.render(fmap, nonce="n")
        html.encode("utf-8")
        feature = map_data(html)["place_layer"]["collection"]["features"][0]
        assert feature["properties"]["name"] == "Plattan \ufffd"


def test_a_lone_surrogate_in_a_stop_name_is_refused(staff, db):
    route = json.dumps(ROUTE).replace('"Plattan"', '"\\ud800"')
    response = staff.post(
        "/walks/new",
        data={"title": "Ny", "starts_at": "2026-12-03T18:00", "light": "dark", "route": route},
    )
    assert response.status_code == 400 and "Rutten kunde inte läsas" in response.text
    assert walks_db.list_walks(db) == []


def test_a_lone_surrogate_in_an_uploaded_place_name_is_refused(client, users, db):
    login(client, "admin")
    upload = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": list(SERGEL)},
                    "properties": {"name": "x"},
                }
            ],
        }
    ).replace('"x"', '"\\udc00"')
    response = client.post(
        "/admin/places/upload",
        data={"file": (BytesIO(upload.encode()), "places.geojson"), "mode": "upsert"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert all("\udc00" not in p["name"] for p in places_db.list_places(db))


# A lone surrogate cannot come as UTF-8 in a form: its bytes are invalid UTF-8, which the form
# parser keeps as the %XX it read. What is stored is text that can be shown; every map renders.
SURROGATE_BYTES = quote_from_bytes("\ud800".encode("utf-8", "surrogatepass"))


def _form(fields: dict[str, str], raw: dict[str, str]) -> str:
    plain = "&".join(f"{k}={quote_from_bytes(v.encode())}" for k, v in fields.items())
    return plain + "".join(f"&{k}={v}" for k, v in raw.items())


def test_invalid_utf8_in_forms_is_refused_and_the_maps_still_render(client, users, db):
    """A form field that is not text is refused (bodies' form parser), nothing stored; a lone
    surrogate in JSON is a 400 too, and every map page renders what is stored."""
    form = {"content_type": "application/x-www-form-urlencoded"}
    login(client, "admin")
    place_name = places_db.get_place(db, 1)["name"]
    refused = [
        client.post(
            "/admin/places/1/edit",
            data=_form({"priority": "1"}, {"name": "Plattan" + SURROGATE_BYTES}),
            **form,
        ),
        client.post(
            "/admin/partners",
            data=_form({"kind": "other"}, {"name": "TK" + SURROGATE_BYTES}),
            **form,
        ),
        client.post(
            "/walks/new",
            data=_form(
                {"starts_at": "2026-12-03T18:00", "light": "dark", "place_ids": "1"},
                {"title": "Kväll" + SURROGATE_BYTES},
            ),
            **form,
        ),
    ]
    assert [r.status_code for r in refused] == [400, 400, 400]
    assert places_db.get_place(db, 1)["name"] == place_name
    assert not [p for p in partners_db.list_partners(db) if p["name"].startswith("TK")]
    assert walks_db.list_walks(db) == []
    created = client.post(
        "/walks/new",
        data=_form({"starts_at": "2026-12-03T18:00", "light": "dark", "place_ids": "1"}, {}),
        **form,
    )
    assert created.status_code == 400  # no title: the form's own message, still nothing stored
    walk = walks_db.create_walk(
        db, title="Kväll", starts_at="2026-12-03T18:00", state="ongoing", place_ids=[1]
    )
    walker = client.application.test_client()
    headers = join(walker, walk)
    note = json.dumps({"note": "x"}).replace('"x"', '"\\ud800"')
    assert (
        walker.post(
            f"/api/walks/{walk['id']}/observations",
            data=note,
            headers={**headers, "Content-Type": "application/json"},
        ).status_code
        == 400
    )
    for path in _pages(walk["id"]):
        assert client.get(path).status_code == 200
        assert client.get(path + "?download=1").status_code == 200
