"""Hypothesis throws junk at every state-changing route: never a 500, a 4xx says why,
and a refused request stores nothing (issue 8).

Routes are read from the app's URL map, so a new route is fuzzed without editing this file.
"""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import PASSWORD, make_app
from walkapp.access import make_walker_token
from walkapp.db import connect, database_path, transaction
from walkapp.db import observations as obs_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.demo import create_demo
from walkapp.passwords import hash_password

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
) | st.sampled_from(
    [
        "",
        " ",
        "\u202e\u0000",
        "💥" * 500,
        "x" * 20_000,
        "'; drop table walks; --",
        "<script>alert(1)</script>",
        "NaN",
        "Infinity",
        "-1e999",
    ]
)
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | ODD_TEXT
    | st.floats(allow_nan=True, allow_infinity=True)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ODD_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = (
    st.sampled_from(
        [
            "id",
            "code",
            "name",
            "category",
            "rating",
            "note",
            "lon",
            "lat",
            "accuracy_m",
            "recorded_at",
            "title",
            "starts_at",
            "status",
            "partner",
            "partner_id",
            "deadline",
            "reason",
            "comment",
            "duplicate_of",
            "username",
            "password",
            "label",
            "priority",
            "description",
            "text",
            "target",
            "happened_on",
            "photo",
            "file",
        ]
    )
    | ODD_TEXT
)
OBJECTS = st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=8)


def _dumps(value) -> str:
    # allow_nan: NaN/Infinity literals are exactly the junk a server must refuse.
    return json.dumps(value, allow_nan=True)


BODIES = st.one_of(
    OBJECTS.map(lambda o: {"data": _dumps(o), "content_type": "application/json"}),
    JSON_VALUES.map(lambda o: {"data": _dumps(o), "content_type": "application/json"}),
    st.binary(max_size=2000).map(lambda b: {"data": b, "content_type": "application/json"}),
    st.dictionaries(FIELD_NAMES, ODD_TEXT, max_size=8).map(lambda d: {"data": d}),
    st.binary(max_size=2000).map(
        lambda b: {"data": b, "content_type": "multipart/form-data; boundary=xyz"}
    ),
    st.binary(max_size=3000).map(
        lambda b: {
            "data": b'--xyz\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n'
            b"Content-Type: image/jpeg\r\n\r\n" + b + b"\r\n--xyz--\r\n",
            "content_type": "multipart/form-data; boundary=xyz",
        }
    ),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    app = make_app(tmp)
    db = connect(database_path(app))
    walk = create_demo(db, 50.0)
    for role in ("coordinator", "admin"):
        users_db.create_user(db, role, hash_password(PASSWORD), role)
    with transaction(db):
        walker_id = walks_db.add_walker(db, walk["id"], "Fuzz")
    observation = obs_db.list_for_walk(db, walk["id"])[0]
    with transaction(db):  # the fuzzing walker's own, so edits get past the ownership check
        db.execute(
            "update observations set walker_id = ? where id = ?", [walker_id, observation["id"]]
        )
    with app.test_request_context():
        token = make_walker_token(walk["id"], walker_id)
    ids = {
        "walk_id": walk["id"],
        "code": walk["code"],
        "observation_id": observation["id"],
        "photo_id": str(uuid.uuid4()),
        "year": 2026,
        "place_id": 1,
        "partner_id": 1,
        "token_id": 1,
    }
    yield app, db, token, ids
    db.close()


def url_for_rule(rule, ids) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        if name in ids:
            values[name] = ids[name]
        elif converter == "IntegerConverter":
            values[name] = 1
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def write_rules(app):
    rules = [
        r for r in app.url_map.iter_rules() if r.methods & WRITE_METHODS and r.endpoint != "static"
    ]
    return sorted(rules, key=lambda r: r.rule)


def signed_in_client(app, who: str):
    client = app.test_client()
    if who == "admin":
        response = client.post("/login", data={"username": "admin", "password": PASSWORD})
        assert response.status_code == 302
    return client


def data_version(db) -> int:
    return db.execute("pragma data_version").fetchone()[0]


@pytest.mark.parametrize("who", ["admin", "walker", "anonymous"])
def test_junk_never_gives_500_and_refusals_store_nothing(world, who):
    app, db, token, ids = world
    client = signed_in_client(app, who)
    headers = {"Authorization": f"Bearer {token}"} if who == "walker" else {}
    rules = [rule for rule in write_rules(app) if rule.endpoint != "auth.logout"]
    assert rules, "no state-changing routes found"

    def fuzz_route(rule):
        # Every write route gets its own examples (logout only signs the fuzzing client out).
        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(
            body=BODIES,
            method_pick=st.integers(0, 3),
            query=st.dictionaries(FIELD_NAMES, ODD_TEXT, max_size=3),
        )
        def fuzz(body, method_pick, query):
            methods = sorted(rule.methods & WRITE_METHODS)
            method = methods[method_pick % len(methods)]
            before = data_version(db)
            response = client.open(
                url_for_rule(rule, ids), method=method, headers=headers, query_string=query, **body
            )
            assert response.status_code < 500, (rule.rule, method, response.status_code)
            if response.status_code >= 400:
                text = response.get_data(as_text=True)
                assert text.strip(), f"{rule.rule}: {response.status_code} without a message"
                if response.is_json:
                    payload = response.get_json()
                    # GeoReport v2 errors are a list of {code, description}; ours a dict.
                    if rule.rule.startswith("/open311/"):
                        assert payload and payload[0].get("description"), text
                    else:
                        assert isinstance(payload, dict) and (
                            payload.get("error") or payload.get("errors")
                        ), text
                assert data_version(db) == before, (
                    f"{rule.rule} stored something and answered {response.status_code}"
                )

        fuzz()

    for rule in rules:
        fuzz_route(rule)
