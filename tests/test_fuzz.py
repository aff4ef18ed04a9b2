"""Hypothesis throws junk at every route: never a 500, a 4xx says why, and a refused request
stores nothing (issue 8). The junk includes what an outside test got through before (issue 13):
JSON nested 100 000 deep, lone surrogates, the calendar's first and last days, and integers
beyond SQLite's 64 bits in URL ids, query parameters and JSON bodies.

Routes are read from the app's URL map, so a new route is fuzzed without editing this file.
"""

from __future__ import annotations

import json
import uuid
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from tests.helpers import PASSWORD, hash_password, make_app, observation
from walkapp.access import make_walker_token
from walkapp.db import connect, database_path, transaction
from walkapp.db import observations as obs_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.demo import create_demo

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The first and last days of the calendar (arithmetic on them overflows) and integers SQLite
# cannot hold, as text: query parameters, form fields and JSON strings all get them.
EDGE_TEXT = st.sampled_from(
    [
        "0001-01-01",
        "9999-12-31",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:59",
        str(2**63),
        "99999999999999999999",
        str(-(2**63) - 1),
        "²",
        "١٢",
        "9" * 5000,  # past Python's 4300-digit limit for int(str)
    ]
)
ODD_TEXT = (
    EDGE_TEXT
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
    | st.sampled_from(
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
)
# Lone surrogates: JSON's "\ud83d" escape makes a str that SQLite cannot store (JSON only: a
# form or URL cannot carry one).
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
JSON_TEXT = ODD_TEXT | st.lists(SURROGATE | st.sampled_from("aö💥"), min_size=1, max_size=4).map(
    "".join
)
BIG_INTEGERS = st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 10**20, 10**400])
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | BIG_INTEGERS
    | JSON_TEXT
    | st.floats(allow_nan=True, allow_infinity=True)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = (
    st.sampled_from(
        (
            "id code name category rating note lon lat accuracy_m position_source recorded_at "
            "title starts_at status partner partner_id deadline reason comment duplicate_of "
            "username password label priority description text target happened_on photo file "
            "from to place walk since year all start_date end_date service_request_id "
            "service_code "
        ).split()
    )
    | ODD_TEXT
)
OBJECTS = st.dictionaries(FIELD_NAMES | JSON_TEXT, JSON_VALUES, max_size=8)
# Nesting beyond what any body of ours has: "[" * 100000 once made Python's parser overflow.
NESTED = st.one_of(
    st.integers(13, 200_000).map(lambda depth: "[" * depth),
    st.integers(13, 300).map(lambda depth: '{"note": ' * depth + "1" + "}" * depth),
    st.integers(13, 300).map(lambda depth: "[" * depth + "]" * depth),
)


def _dumps(value) -> str:
    # allow_nan: NaN/Infinity literals are exactly the junk a server must refuse.
    return json.dumps(value, allow_nan=True)


def _near_valid(observation_id, field: str, value) -> dict:
    """A body the observation and join routes would take, but for one field."""
    body = observation(id=str(observation_id), code="ABCDEF", name="Fuzz")
    return {"data": _dumps({**body, field: value}), "content_type": "application/json"}


# Junk in one field of an otherwise good body reaches the code behind the validation.
NEAR_VALID = st.builds(
    _near_valid,
    st.uuids(),
    st.sampled_from(["note", "name", "code", "recorded_at", "lon", "accuracy_m", "category"]),
    JSON_SCALARS,
)
# Tried on every write route in every run: what an outside test once got through.
KNOWN_BAD = [
    {"data": "[" * 100_000, "content_type": "application/json"},
    _near_valid(uuid.UUID(int=1), "note", "\ud83d"),
    _near_valid(uuid.UUID(int=2), "name", "\udc00"),
    _near_valid(uuid.UUID(int=3), "recorded_at", "0001-01-01T00:00:00+01:00"),
    _near_valid(uuid.UUID(int=4), "recorded_at", "9999-12-31T23:59:59-01:00"),
    _near_valid(uuid.UUID(int=5), "accuracy_m", 10**20),
]
BODIES = st.one_of(
    NEAR_VALID,
    NESTED.map(lambda text: {"data": text, "content_type": "application/json"}),
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


# URL ids: mostly the real sample (so requests get deep into the view), else an id SQLite
# cannot hold, the largest it can, or junk.
ID_PICKS = st.sampled_from(["real", "real", "real", "max", "overflow", "huge", "junk"])


def url_for_rule(rule, ids, pick: str = "real") -> str:
    values = {}
    for name in rule.arguments - set(rule.defaults or {}):
        numeric = isinstance(rule._converters[name], IntegerConverter)
        real = ids.get(name, 1 if numeric else "x")
        values[name] = {
            "real": real,
            "max": 2**63 - 1,
            "overflow": 2**63,
            "huge": 10**20,
            "junk": 0 if numeric else "99999999999999999999",
        }[pick]
    return rule.build({**values, **(rule.defaults or {})}, append_unknown=False)[1]


def write_rules(app):
    rules = [
        r for r in app.url_map.iter_rules() if r.methods & WRITE_METHODS and r.endpoint != "static"
    ]
    return sorted(rules, key=lambda r: r.rule)


def example_each(bodies, methods, **fixed):
    """@example for each body with each of the route's write methods, so known bad input is
    tried on every run, not by luck (once per method: a route with only POST gets each once)."""

    def decorate(test):
        for body in bodies:
            for pick in range(len(methods)):
                test = example(body=body, method_pick=pick, **fixed)(test)
        return test

    return decorate


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
        methods = sorted(rule.methods & WRITE_METHODS)

        @settings(
            max_examples=4,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(
            body=BODIES,
            method_pick=st.integers(0, 3),
            query=st.dictionaries(FIELD_NAMES, ODD_TEXT, max_size=3),
            id_pick=ID_PICKS,
        )
        @example_each(KNOWN_BAD, methods, query={}, id_pick="real")
        def fuzz(body, method_pick, query, id_pick):
            method = methods[method_pick % len(methods)]
            before = data_version(db)
            response = client.open(
                url_for_rule(rule, ids, id_pick),
                method=method,
                headers=headers,
                query_string=query,
                **body,
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


KNOWN_BAD_QUERY = {
    "since": "0001-01-01",
    "from": "0001-01-01",
    "to": "9999-12-31",
    "place": "99999999999999999999",
    "partner": "99999999999999999999",
    "end_date": "9999-12-31T23:59:59-01:00",
}


# Text Python calls digits but int() refuses, or too long for int() at all.
KNOWN_BAD_DIGITS = {"year": "²", "place": "9" * 5000, "partner": "١٢"}


def read_rules(app):
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    return sorted(rules, key=lambda r: r.rule)


class _Forms(HTMLParser):
    """The post forms of a page: (action, {field name: the value the page filled in})."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.current: dict[str, str] | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {}
            self.forms.append((attrs.get("action") or "", self.current))
        elif tag in ("input", "select", "textarea") and self.current is not None:
            self.select = attrs.get("name") if tag == "select" else None
            if attrs.get("name") and attrs.get("type") not in ("file", "submit"):
                self.current.setdefault(attrs["name"], attrs.get("value") or "")
        elif tag == "option" and self.current is not None and self.select:
            # A select posts its chosen option, else its first.
            if "selected" in attrs or not self.current.get(self.select):
                self.current[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def posted_forms(client, app, ids) -> dict[str, dict[str, str]]:
    """Every form every screen shows an admin, one per route it posts to, by its URL."""
    urls = app.url_map.bind("localhost")
    found = {}
    for rule in read_rules(app):
        page = url_for_rule(rule, ids)
        response = client.get(page)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for action, fields in parser.forms:
            action = (action or page).split("?")[0]  # no action: it posts to its own page
            if action.startswith("/") and not action.startswith(("/logout", "/login")):
                endpoint, _args = urls.match(action, method="POST")
                found.setdefault(endpoint, (action, fields))  # one form per route
    return dict(found.values())


# Each field, as the page filled it in, but one at a time at an edge a person (or a script) can
# reach: 3 000 open brackets (the route field), the calendar's ends, numbers beyond 64 bits.
FIELD_EDGES = ["[" * 3000, "0001-01-01", "9999-12-31T23:59", "99999999999999999999"]


def test_every_form_a_screen_shows_takes_one_field_at_an_edge_without_500(world):
    """The forms are read off the real pages (what a person posts, with the values the page
    filled in); each field in turn is set to each edge: a 4xx or a success, never a 500, and a
    refusal stores nothing."""
    app, db, _token, ids = world
    forms = posted_forms(signed_in_client(app, "admin"), app, ids)
    assert any("route" in fields for fields in forms.values()), sorted(forms)
    failures = []
    for action, fields in sorted(forms.items()):
        client = signed_in_client(app, "admin")
        for field in sorted(set(fields) - {"csrf_token"}):
            for edge in FIELD_EDGES:
                before = data_version(db)
                try:
                    response = client.post(action, data={**fields, field: edge})
                except Exception as error:  # the test app lets a view's exception through
                    failures.append((action, field, edge[:12], repr(error)[:100]))
                    continue
                if response.status_code >= 500:
                    failures.append((action, field, edge[:12], response.status_code))
                elif response.status_code >= 400 and data_version(db) != before:
                    failures.append((action, field, edge[:12], "refused but stored"))
    assert failures == []


@pytest.mark.parametrize("who", ["admin", "walker"])
def test_every_read_route_takes_junk_ids_and_queries_without_500(world, who):
    """Filters at the calendar's ends, ids beyond 64 bits (in the URL and in ?place=/?partner=):
    a 4xx with a message, and a 200 is a whole body (a stream that breaks after its 200 is
    the worst kind of 500: the client cannot tell)."""
    app, db, token, ids = world
    client = signed_in_client(app, who)
    headers = {"Authorization": f"Bearer {token}"} if who == "walker" else {}
    rules = read_rules(app)
    assert len(rules) > 30

    def fuzz_route(rule):
        @settings(
            max_examples=4,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(query=st.dictionaries(FIELD_NAMES, ODD_TEXT, max_size=3), id_pick=ID_PICKS)
        @example(query={}, id_pick="huge")
        @example(query=KNOWN_BAD_QUERY, id_pick="real")
        @example(query=KNOWN_BAD_DIGITS, id_pick="real")
        def fuzz(query, id_pick):
            path = url_for_rule(rule, ids, id_pick)
            response = client.get(path, headers=headers, query_string=query)
            body = response.get_data()  # runs a streamed body to its end
            assert response.status_code < 500, (rule.rule, query, response.status_code)
            if response.status_code >= 400:
                assert body.strip(), f"{rule.rule}: {response.status_code} without a message"

        fuzz()

    for rule in rules:
        fuzz_route(rule)
