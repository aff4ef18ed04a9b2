"""The app starts from nothing, migrates, keeps its secret, speaks Swedish and English."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.helpers import database_at, make_app
from walkapp import create_app
from walkapp.db import connect, init
from walkapp.db.migrations import MIGRATIONS, migrate


def test_fresh_instance_creates_secret_key_database_and_serves_start_page(tmp_path):
    instance = tmp_path / "fresh"
    app = create_app({"INSTANCE": str(instance)})
    # The key lives in the database, so backups and replicas carry it (issue 13, point 10).
    stored = sqlite3.connect(instance / "walkapp.db").execute(
        "select value from instance_secrets where name = 'secret_key'"
    )
    assert app.secret_key == stored.fetchone()[0] and len(app.secret_key) >= 40
    assert (instance / "walkapp.db").stat().st_mode & 0o777 == 0o600  # like the key it holds
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert "Sergels torg / Plattan" in response.get_data(as_text=True)
    # A second start keeps the same key (sessions survive restarts).
    assert create_app({"INSTANCE": str(instance)}).secret_key == app.secret_key


def test_key_file_of_an_older_version_is_taken_over(tmp_path):
    instance = tmp_path / "old"
    instance.mkdir()
    (instance / "secret_key").write_text("the-key-walkers-tokens-were-signed-with\n")
    assert create_app({"INSTANCE": str(instance)}).secret_key == (
        "the-key-walkers-tokens-were-signed-with"
    )


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("WALKAPP_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("WALKAPP_INSTANCE", str(tmp_path / "env"))
    app = create_app()
    assert app.secret_key == "from-the-environment"
    assert app.config["WALKAPP_INSTANCE"] == str((tmp_path / "env").resolve())


def test_database_uses_wal_foreign_keys_and_busy_timeout(db):
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert db.execute("pragma busy_timeout").fetchone()[0] >= 5000


def test_init_db_twice_changes_nothing(app, runner, db):
    first = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    schema = db.execute("select sql from sqlite_master order by name").fetchall()
    places = db.execute("select count(*) from places").fetchone()[0]
    second = runner.invoke(args=["init-db"])
    assert second.exit_code == 0
    assert db.execute("select sql from sqlite_master order by name").fetchall() == schema
    assert db.execute("select count(*) from places").fetchone()[0] == places == 15
    assert init(tmp_db := app.config["WALKAPP_INSTANCE"] + "/walkapp.db") == []
    assert tmp_db


def test_database_at_an_older_migration_is_upgraded(tmp_path):
    path = tmp_path / "old.db"
    db = connect(path)
    names = [name for name, _ in sorted(MIGRATIONS)]
    migrate(db, upto=names[0])
    db.execute("delete from _migrations where name != ?", [names[0]])
    applied = {r[0] for r in db.execute("select name from _migrations")}
    assert applied == {names[0]}
    db.close()
    # Pretend a newer migration exists and check it runs once on the next start.
    from walkapp.db import migrations

    calls = []

    @migrations.migration("9999_test_upgrade")
    def add_column(database):
        calls.append(1)
        database.execute("alter table walks add column test_upgrade text")

    try:
        ran = init(path)
        assert "9999_test_upgrade" in ran
        assert init(path) == []
        assert calls == [1]
        columns = [r[1] for r in sqlite3.connect(path).execute("pragma table_info(walks)")]
        assert "test_upgrade" in columns
    finally:
        migrations.MIGRATIONS.remove(("9999_test_upgrade", add_column))


def test_swedish_by_default_and_english_on_request(client):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="sv"' in page and "Prioriterade platser" in page
    switched = client.get("/lang/en?next=/")
    assert switched.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page and "Priority places" in page


def test_language_switch_refuses_foreign_redirects(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_assign_command_prints_json(runner):
    result = runner.invoke(args=["assign", "18.0649", "59.3326"])
    assert json.loads(result.output) == {
        "place": {"id": 1, "name": "Sergels torg / Plattan"},
        "relation": "inside",
        "distance_m": 0.0,
    }
    outside = json.loads(runner.invoke(args=["assign", "17.6389", "59.8586"]).output)
    assert outside == {"place": None, "relation": "outside_area", "distance_m": None}
    bad = runner.invoke(args=["assign", "200", "59"])
    assert bad.exit_code == 2 and "longitude must be a number between -180 and 180" in bad.output


def test_create_user_reads_password_from_stdin_and_login_works(app, runner):
    result = runner.invoke(
        args=["create-user", "anna", "--role", "admin"], input="a long password\n"
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert (
        client.post("/login", data={"username": "anna", "password": "wrong password"}).status_code
        == 400
    )
    ok = client.post("/login", data={"username": "anna", "password": "a long password"})
    assert ok.status_code == 302
    assert "anna" in client.get("/").get_data(as_text=True)


def test_create_walk_prints_id_code_and_join_url(runner):
    result = runner.invoke(
        args=[
            "create-walk",
            "--title",
            "Kvällsvandring",
            "--starts-at",
            "2026-12-03T18:00",
            "--place",
            "Hötorget",
        ]
    )
    walk = json.loads(result.output)
    assert len(walk["code"]) == 6 and not set(walk["code"]) & set("01OIL")
    assert walk["join_url"].endswith("/j/" + walk["code"])
    bad = runner.invoke(args=["create-walk", "--title", "x", "--starts-at", "igår"])
    assert bad.exit_code == 1 and "not an ISO date" in bad.output


def test_printed_links_name_the_port_or_address_the_server_answers_on(runner, tmp_path):
    demo = runner.invoke(args=["demo", "--port", "8123"])
    assert demo.exit_code == 0, demo.output
    walk = json.loads(demo.stdout)
    assert walk["join_url"] == f"http://127.0.0.1:8123/j/{walk['code']}"
    planned = runner.invoke(
        args=["create-walk", "--title", "Lan", "--starts-at", "2026-12-03T18:00"]
        + ["--url", "http://192.168.1.20:8080/"]
    )
    assert planned.exit_code == 0, planned.output
    walk = json.loads(planned.stdout)
    assert walk["join_url"] == f"http://192.168.1.20:8080/j/{walk['code']}"
    default = json.loads(runner.invoke(args=["demo"]).stdout)
    assert default["join_url"].startswith("http://127.0.0.1:8000/j/")
    bad = runner.invoke(args=["demo", "--url", "192.168.1.20:8080"])
    assert bad.exit_code == 2 and "--url" in bad.output
    for command in ("demo", "create-walk"):
        help_text = runner.invoke(args=[command, "--help"]).output
        assert "--port" in help_text and "--url" in help_text and "WALKAPP_PUBLIC_URL" in help_text
    # PUBLIC_URL is where the server answers (it refuses other hosts): it wins.
    public = make_app(tmp_path / "public", PUBLIC_URL="https://walkapp.example.se")
    walk = json.loads(public.test_cli_runner().invoke(args=["demo", "--port", "8123"]).stdout)
    assert walk["join_url"] == f"https://walkapp.example.se/j/{walk['code']}"


def test_demo_is_realistic_and_runs_once(runner, db):
    first = json.loads(runner.invoke(args=["demo"]).output)
    again = json.loads(runner.invoke(args=["demo"]).output)
    assert first["id"] == again["id"]
    rows = db.execute(
        "select relation, count(*) from observations where walk_id = ? group by relation",
        [first["id"]],
    ).fetchall()
    counts = dict(rows)
    assert sum(counts.values()) == 12 and counts["inside"] >= 8
    # An earlier closed walk whose findings were followed up, and this year's promise.
    states = dict(db.execute("select title, state from walks").fetchall())
    assert list(states.values()).count("closed") == 1
    statuses = {r[0] for r in db.execute("select status from measures")}
    assert {"new", "assigned", "planned", "done", "verified"} <= statuses
    assert (
        db.execute(
            "select count(*) from promises where year = cast(strftime('%Y') as int)"
        ).fetchone()[0]
        == 1
    )


def test_sign_in_without_csrf_token_is_refused(tmp_path):
    app = create_app({"INSTANCE": str(tmp_path / "csrf")})
    response = app.test_client().post("/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "säkerhetstoken" in response.get_data(as_text=True)


def test_translations_are_compiled_from_the_po_file():
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    from walkapp.settings import ROOT

    for po_path in (ROOT / "walkapp" / "translations").glob("*/LC_MESSAGES/*.po"):
        with open(po_path, "rb") as po, open(po_path.with_suffix(".mo"), "rb") as mo:
            source = {m.id: m.string for m in read_po(po) if m.id and m.string and not m.fuzzy}
            # read_mo gives plural forms as lists, read_po as tuples.
            compiled = {
                tuple(m.id) if isinstance(m.id, list) else m.id: tuple(m.string)
                if isinstance(m.string, list)
                else m.string
                for m in read_mo(mo)
                if m.id
            }
        assert source == compiled, f"run: pybabel compile -D {po_path.stem} -d walkapp/translations"


def test_a_nested_transaction_is_refused_not_deadlocked(tmp_path):
    from walkapp.db import connect, transaction

    db = connect(tmp_path / "nested.db")
    db.execute("create table t (x)")
    with transaction(db):
        db.execute("insert into t values (1)")
        try:
            with transaction(db):
                pass
        except RuntimeError as refused:
            assert "inside another transaction" in str(refused)
        else:
            raise AssertionError("a nested transaction must be refused")
    assert db.execute("select count(*) from t").fetchone()[0] == 1


def test_old_swedish_paths_redirect_to_the_english_ones(client):
    response = client.get("/medborgarloftet/2022")
    assert response.status_code == 301 and response.headers["Location"].endswith("/promise/2022")
    response = client.get("/j/ABC123/uppfoljning")
    assert response.status_code == 301 and response.headers["Location"].endswith(
        "/j/ABC123/follow-up"
    )


def test_migration_numbers_from_0007_on_are_used_once():
    numbers = [name.split("_", 1)[0] for name, _ in MIGRATIONS if name >= "0007"]
    assert numbers, "0007_users_roles is registered"
    assert len(numbers) == len(set(numbers)), sorted(numbers)


def test_users_rebuild_keeps_accounts_sign_ins_and_what_points_at_them(tmp_path):
    db = database_at(tmp_path, "0006_walks_place_index")
    db.execute(
        "insert into users (id, username, password_hash, role, active, created_at)"
        " values (7, 'kim', 'x', 'coordinator', 1, '2026-01-01T00:00:00+00:00')"
    )
    db.execute(
        "insert into sessions (id_hash, user_id, created_at, expires_at)"
        " values ('h', 7, '2026-01-01T00:00:00+00:00', '2099-01-01T00:00:00+00:00')"
    )
    db.conn.commit()
    assert migrate(db, upto="0007_users_roles") == ["0007_users_roles"]
    assert db.execute("select id, username, role from users").fetchall() == [
        (7, "kim", "coordinator")
    ]
    assert db.execute("select user_id from sessions").fetchall() == [(7,)]
    assert db.execute("pragma foreign_keys").fetchone() == (1,)
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert (
        "references users"
        in db.execute("select sql from sqlite_master where name = 'sessions'").fetchone()[0]
    )
    # A partner's person names their partner; nobody else does.
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "insert into users (username, password_hash, role, created_at)"
            " values ('p', 'x', 'partner', '2026-01-01')"
        )
