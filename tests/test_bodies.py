"""Request bodies (issue 23 point 2, walkapp/bodies.py): each JSON route reads no more than it
takes — a 10 MB JSON array to /api/join once took 15 s and 500 MB — refused with 413 and a message
before a byte is parsed, also when the body comes chunked; and refused bodies count toward the
address's rate limit, so a flood of them ends in 429."""

from __future__ import annotations

import http.client
import io
import json
import uuid

import pytest

from tests.helpers import LiveServer, make_app
from tests.test_observations_api import SERGEL, join, observation, post
from tests.test_rate_limits import _from
from walkapp import audits, observations, rate_limits, tracks, walkers
from walkapp.db import connect, database_path
from walkapp.db import walks as walks_db


class CountingStream(io.RawIOBase):
    """A body that says how much of it was read."""

    def __init__(self, size: int):
        self.size, self.read_bytes, self.reads = size, 0, False

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.read_bytes

    def seek(self, offset, whence=io.SEEK_SET):
        end = {io.SEEK_SET: 0, io.SEEK_CUR: self.read_bytes, io.SEEK_END: self.size}[whence]
        self.read_bytes = end + offset  # the test client measures the length this way
        return self.read_bytes

    def readinto(self, buffer):
        self.reads = True
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = (b"1," * (n // 2 + 1))[:n]
        self.read_bytes += n
        return n


def test_a_ten_megabyte_join_is_refused_from_its_length_unread(client):
    body = CountingStream(10 * 1024 * 1024)
    response = client.post(
        "/api/join",
        input_stream=body,
        content_length=body.size,
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json["error"] == "Det du skickade är för stort (högst 2 kB)."
    assert not body.reads


def _routes(walk, headers, observation_id):
    walk_id = walk["id"]
    return {
        "join": ("POST", "/api/join", walkers.JOIN_BODY_BYTES, {}),
        "observation": (
            "POST",
            f"/api/walks/{walk_id}/observations",
            observations.BODY_BYTES,
            headers,
        ),
        "edit": (
            "PATCH",
            f"/api/walks/{walk_id}/observations/{observation_id}",
            observations.BODY_BYTES,
            headers,
        ),
        "track": ("POST", f"/api/walks/{walk_id}/track", tracks.CHUNK_BODY_BYTES, headers),
        "audit": ("POST", f"/api/walks/{walk_id}/audits", audits.BODY_BYTES, headers),
    }


@pytest.mark.parametrize("route", ["join", "observation", "edit", "track", "audit"])
def test_one_byte_over_each_routes_limit_is_413(client, walk, route):
    headers = join(client, walk)
    stored = observation()
    assert post(client, walk, headers, stored).status_code == 201
    method, path, limit, route_headers = _routes(walk, headers, stored["id"])[route]
    padded = json.dumps({"note": "x" * limit})[: limit + 1]
    response = client.open(
        path, method=method, data=padded, content_type="application/json", headers=route_headers
    )
    assert response.status_code == 413
    assert response.json["error"].startswith("Det du skickade är för stort (högst ")


def test_what_a_phone_sends_at_most_fits(client, walk, db):
    headers = join(client, walk, name="\x01" * walkers.MAX_NAME)  # 480 bytes of \u0001 escapes
    # The longest note, in the characters that are longest as JSON.
    note = "\x01" * observations.MAX_NOTE
    body = observation(note=note, language="sv", position_source="gps")
    assert len(json.dumps(body)) > observations.MAX_NOTE * 6
    assert post(client, walk, headers, body).status_code == 201
    points = [
        {
            "lon": SERGEL["lon"] + i * 1.2345678912345e-7,
            "lat": SERGEL["lat"] + i * 1.2345678912345e-7,
            "accuracy_m": 12.345678901234567,
            "t": f"2026-11-24T18:{i // 60 % 60:02d}:{i % 60:02d}.123+01:00",
            "gap": i == 0,
        }
        for i in range(tracks.MAX_POINTS_PER_CHUNK)
    ]
    chunk = {"id": str(uuid.uuid4()), "points": points}
    response = client.post(f"/api/walks/{walk['id']}/track", json=chunk, headers=headers)
    assert response.status_code == 201, response.json


def test_a_chunked_body_is_read_no_further_than_the_limit(tmp_path):
    server = LiveServer(make_app(tmp_path))
    try:

        def endless():
            yield b"["
            for _ in range(10_000):  # 10 MB, one kilobyte at a time
                yield b"1," * 512

        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request(
            "POST",
            "/api/join",
            body=endless(),
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["error"].startswith("Det du skickade är för stort")
        connection.close()
    finally:
        server.stop()


def limited_client(tmp_path):
    """A client of an app with its rate limits on, and a walk."""
    app = make_app(tmp_path, RATELIMIT_ENABLED=True)
    db = connect(database_path(app))
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00")
    db.close()
    return app.test_client(), walk


def test_bad_bodies_count_toward_the_address_limit(tmp_path):
    client, walk = limited_client(tmp_path)
    allowed = int(rate_limits.BAD_BODIES_PER_ADDRESS.split()[0])
    junk = [
        ("[" + "1," * 2000 + "1]", "application/json"),  # too large
        ("[1, 2, 3]", "application/json"),  # not an object
        ("{]", "application/json"),  # not JSON
        ("code=ABC", "application/x-www-form-urlencoded"),  # not JSON at all
    ]
    statuses = set()
    for i in range(allowed):
        data, kind = junk[i % len(junk)]
        answer = client.post("/api/join", data=data, content_type=kind, **_from("10.0.0.9"))
        statuses.add(answer.status_code)
    assert statuses == {400, 413}
    # Past the limit the address is refused, a good join too, before its body is looked at.
    refused = client.post(
        "/api/join", json={"code": walk["code"], "name": "Anna"}, **_from("10.0.0.9")
    )
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "felaktiga förfrågningar" in refused.json["error"]
    # Another address joins as usual, and its good joins do not count toward the limit.
    for _ in range(allowed - 1):
        client.post("/api/join", data="{]", content_type="application/json", **_from("10.0.0.10"))
    for _ in range(3):
        ok = client.post("/api/join", json={"code": walk["code"]}, **_from("10.0.0.10"))
        assert ok.status_code == 201


def test_bad_observation_bodies_count_too(tmp_path):
    client, walk = limited_client(tmp_path)
    headers = join(client, walk)
    allowed = int(rate_limits.BAD_BODIES_PER_ADDRESS.split()[0])
    path = f"/api/walks/{walk['id']}/observations"
    for _ in range(allowed):
        answer = client.post(path, data="[" * 20, content_type="application/json", headers=headers)
        assert answer.status_code == 400
    assert client.post(path, json=observation(), headers=headers).status_code == 429


# Form fields that are not text (issue 23 point 7): Werkzeug kept `%ED%A0%80` (a lone surrogate,
# percent-encoded) as the literal text "%ED%A0%80", which was then stored.
NOT_TEXT = ["%ED%A0%80", "%FF", "%C3", "%F4%90%80%80"]


@pytest.mark.parametrize("bad", NOT_TEXT)
def test_a_form_field_that_is_not_text_is_a_400_in_swedish_and_nothing_stored(staff, db, bad):
    form = f"title=Kv%C3%A4ll{bad}&starts_at=2026-12-03T18%3A00&light=dark"
    refused = staff.post(
        "/walks/new", data=form, content_type="application/x-www-form-urlencoded"
    )
    assert refused.status_code == 400
    assert "Texten innehåller ogiltiga tecken." in refused.text
    assert db.execute("select count(*) from walks").fetchone()[0] == 0
    # The same form in good text is stored, with its text as typed.
    stored = staff.post(
        "/walks/new",
        data="title=Kv%C3%A4ll&starts_at=2026-12-03T18%3A00&light=dark",
        content_type="application/x-www-form-urlencoded",
    )
    assert stored.status_code in (302, 303)
    assert db.execute("select title from walks").fetchall() == [("Kväll",)]


def test_a_raw_byte_that_is_not_text_is_refused_too(staff, db):
    refused = staff.post(
        "/walks/new",
        data=b"title=Kv\xe4ll&starts_at=2026-12-03T18%3A00&light=dark",
        content_type="application/x-www-form-urlencoded",
    )
    assert refused.status_code == 400 and "ogiltiga tecken" in refused.text
    assert db.execute("select count(*) from walks").fetchone()[0] == 0


def _recorded_from(client, walk, address: str) -> tuple[dict, dict, dict]:
    """A walker joined from an address of its own (refusals count toward that address's bad
    bodies), and an observation they recorded: (the address, their headers, the observation)."""
    here = _from(address)
    joined = client.post("/api/join", json={"code": walk["code"], "name": "Anna"}, **here)
    headers = {"Authorization": "Bearer " + joined.json["token"]}
    record = observation()
    posted = client.post(
        f"/api/walks/{walk['id']}/observations", json=record, headers=headers, **here
    )
    assert posted.status_code == 201
    return here, headers, record


def test_an_api_form_field_that_is_not_text_is_named_in_json(client, walk):
    here, headers, record = _recorded_from(client, walk, "10.0.0.23")
    refused = client.post(
        f"/api/observations/{record['id']}/photos",
        data="id=%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
        headers=headers,
        **here,
    )
    assert refused.status_code == 400
    assert refused.json["errors"] == {"id": "Texten innehåller ogiltiga tecken."}
    assert refused.json["error"] == "Texten innehåller ogiltiga tecken."


def _multipart(fields: dict[str, bytes], files: dict[str, tuple[str, bytes]] | None = None):
    """A multipart body of raw bytes (the test client would encode str fields as UTF-8)."""
    parts = []
    for name, value in fields.items():
        parts.append(
            b'--B\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (name.encode(), value)
        )
    for name, (filename, content) in (files or {}).items():
        parts.append(
            b'--B\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n%s\r\n" % (name.encode(), filename.encode(), content)
        )
    return b"".join(parts) + b"--B--\r\n", "multipart/form-data; boundary=B"


@pytest.mark.parametrize("bad", [b"\xff", b"Kv\xe4ll", b"\xed\xa0\x80"])
def test_a_multipart_field_that_is_not_text_is_a_400_naming_it_and_nothing_stored(
    staff, db, bad
):
    # Werkzeug decoded a multipart field with replacement characters: "Kv\ufffdll" was stored.
    body, content_type = _multipart(
        {"title": bad, "starts_at": b"2026-12-03T18:00", "light": b"dark"}
    )
    refused = staff.post("/walks/new", data=body, content_type=content_type)
    assert refused.status_code == 400
    assert "Texten innehåller ogiltiga tecken." in refused.text
    assert "Fältet ”title”: Texten innehåller ogiltiga tecken." in refused.text
    assert db.execute("select count(*) from walks").fetchone()[0] == 0
    body, content_type = _multipart(
        {"title": "Kväll".encode(), "starts_at": b"2026-12-03T18:00", "light": b"dark"}
    )
    stored = staff.post("/walks/new", data=body, content_type=content_type)
    assert stored.status_code in (302, 303)
    assert db.execute("select title from walks").fetchall() == [("Kväll",)]


def test_an_api_multipart_field_that_is_not_text_is_named_in_json(client, walk):
    here, headers, record = _recorded_from(client, walk, "10.0.0.24")
    body, content_type = _multipart({"id": b"\xff\xfe"}, {"photo": ("a.jpg", b"\xff\xd8\xff")})
    refused = client.post(
        f"/api/observations/{record['id']}/photos",
        data=body,
        content_type=content_type,
        headers=headers,
        **here,
    )
    assert refused.status_code == 400
    assert refused.json["errors"] == {"id": "Texten innehåller ogiltiga tecken."}


@pytest.mark.parametrize("bad", NOT_TEXT)
def test_a_query_value_that_is_not_text_is_a_400_naming_it(staff, bad):
    # Werkzeug kept `%FF` percent-encoded, as literal text, in request.args.
    refused = staff.get(f"/measures?place={bad}")
    assert refused.status_code == 400
    assert "Fältet ”place”: Texten innehåller ogiltiga tecken." in refused.text
    refused = staff.get(f"/export/observations.geojson?category={bad}")
    assert refused.status_code == 400
    assert refused.json["errors"] == {"category": "Texten innehåller ogiltiga tecken."}
    assert staff.get("/measures?place=").status_code == 200


@pytest.mark.parametrize(
    ("body", "field", "offset"),
    [
        (b'{"code": "ABCDEF", "name": "Kv\xe4ll"}', "name", 30),
        (b'{"code": "\xff"}', "code", 10),
        (b'{"code": "ABCDEF", "name": "x"\xff}', "_", 30),
    ],
)
def test_a_raw_byte_in_a_json_body_is_named_not_utf8(client, body, field, offset):
    refused = client.post(
        "/api/join", data=body, content_type="application/json", **_from("10.0.0.25")
    )
    assert refused.status_code == 400
    assert refused.json["errors"] == {
        field: f"Innehållet är inte UTF-8-text (byte {offset})."
    }
