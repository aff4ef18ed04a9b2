"""Sign-in for coordinators and admins: same cost for unknown names, sessions kept on the
server (logout, a new password, deactivation and "sign out everywhere" end them), the password
rule, change-password and the admin's reset."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD, hash_password, login, make_app, sign_in_directly
from walkapp import organisations, passwords
from walkapp import users as accounts
from walkapp.db import sessions as sessions_db
from walkapp.db import users as users_db

NEW_PASSWORD = "blå spårvagn klockan sju"
QUICK = hash_password("not-a-password")


@pytest.fixture
def hash_checks(monkeypatch):
    """Counts the scrypt checks the sign-in runs."""
    calls = []
    real = passwords.check_password_hash

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    return calls


def test_unknown_and_known_names_cost_one_scrypt_check_each(client, users, hash_checks):
    client.post("/login", data={"username": "coordinator", "password": "wrong password"})
    client.post("/login", data={"username": "nobody-here", "password": "wrong password"})
    assert len(hash_checks) == 2
    assert all(stored.startswith("scrypt:") for stored in hash_checks)


def test_the_first_unknown_name_makes_the_dummy_hash_at_the_cost_of_one_check(monkeypatch):
    """No hash is made at import (a third of a second of every start): the first unknown name
    makes the dummy, one scrypt run like every check after it."""
    runs = []
    monkeypatch.setattr(passwords, "_DUMMY", None)
    monkeypatch.setattr(
        passwords, "generate_password_hash", lambda *a, **k: runs.append("made") or QUICK
    )
    monkeypatch.setattr(passwords, "check_password_hash", lambda *a: runs.append("checked"))
    assert passwords.check_password(None, "guess") is False
    assert passwords.check_password(None, "guess") is False
    assert runs == ["made", "checked"] and passwords._DUMMY == QUICK


def test_deactivated_user_costs_the_same_and_gets_in_nowhere(client, users, db, hash_checks):
    users_db.set_active(db, users["coordinator"], False)
    response = login(client, "coordinator")
    assert response.status_code == 400 and len(hash_checks) == 1


def _saved_cookie(client) -> str:
    return client.get_cookie("session").value


def test_logout_ends_the_session_on_the_server(client, users, app):
    login(client, "coordinator")
    saved = _saved_cookie(client)
    assert client.get("/walks").status_code == 200
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", saved)
    response = replay.get("/walks")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_session_id_from_before_sign_in_is_not_kept(client, users):
    client.get("/login")
    with client.session_transaction() as session:
        session["sid"] = "planted-by-someone-else"
    login(client, "coordinator")
    with client.session_transaction() as session:
        assert session["sid"] != "planted-by-someone-else"


def test_an_expired_session_lets_nobody_in(client, users, db):
    sign_in_directly(client, db, users["coordinator"])
    db.execute("update sessions set expires_at = '2000-01-01T00:00:00+00:00'")
    assert client.get("/walks").status_code == 302


def test_change_password_ends_the_other_sessions_only(app, users, db):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "coordinator")
    login(phone, "coordinator")
    response = laptop.post(
        "/account/password",
        data={"current": PASSWORD, "new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert laptop.get("/walks").status_code == 200
    assert phone.get("/walks").status_code == 302
    assert login(app.test_client(), "coordinator", NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), "coordinator", PASSWORD).status_code == 400


@pytest.mark.parametrize("role", ["partner", "region"])
def test_a_partners_person_and_a_region_user_change_their_own_password(app, db, role):
    """Every role that signs in keeps its own password: a partner's person (who set theirs from
    an invitation) and a read-only region user, whose other writes are all refused."""
    if role == "partner":
        partner = db["partners"].insert({"name": "Fastighetsbolaget Ljus"}).last_pk
        user_id = accounts.create(db, "anna", hash_password(PASSWORD), role, partner_id=partner)
    else:
        areas = organisations.area_ids_named(db, ("kommun:0180",))
        user_id = accounts.create(db, "anna", hash_password(PASSWORD), role, None, areas)
    phone = app.test_client()
    login(phone, "anna")
    page = phone.get("/walks" if role == "region" else "/partner")
    assert 'href="/account/password"' in page.text
    assert phone.get("/account/password").status_code == 200
    response = phone.post(
        "/account/password",
        data={"current": PASSWORD, "new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert passwords.check_password(users_db.get_user(db, user_id)["password_hash"], NEW_PASSWORD)
    assert login(app.test_client(), "anna", PASSWORD).status_code == 400


@pytest.mark.parametrize(
    "current, new, repeat, message",
    [
        ("wrong password!", NEW_PASSWORD, NEW_PASSWORD, "nuvarande lösenordet stämmer inte"),
        (PASSWORD, "aaaaaaaaaa", "aaaaaaaaaa", "upprepar tecken"),
        (PASSWORD, "password12", "password12", "för vanligt"),
        (PASSWORD, "kort", "kort", "minst 10 tecken"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "inte lika"),
    ],
)
def test_change_password_refusals(staff, db, users, current, new, repeat, message):
    before = users_db.get_user(db, users["coordinator"])["password_hash"]
    response = staff.post(
        "/account/password", data={"current": current, "new_password": new, "repeat": repeat}
    )
    assert response.status_code == 400 and message in response.text
    assert users_db.get_user(db, users["coordinator"])["password_hash"] == before


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaa", "password12", "1234567890", "qwertyuiop", "abcdefghij", "Stockholm123"],
)
def test_common_and_repetitive_passwords_are_refused(app, password):
    with app.test_request_context():
        assert passwords.password_problem(password, "kim") is not None


@pytest.mark.parametrize(
    "password", ["Sommar2026!!", "LPONorrmalm1", "Plattan2026!", "Vinter2027#", "Höst2026!!"]
)
def test_our_own_words_with_a_year_or_a_sign_are_refused(app, password):
    with app.test_request_context():
        problem = passwords.password_problem(password, "kim")
    assert problem is not None and "ord som hör till tjänsten" in problem


def test_the_organisations_own_name_is_a_guessed_word(tmp_path):
    app = make_app(tmp_path, ORGANISATION="Bostadsbolaget Gröna Gårdar")
    with app.test_request_context():
        assert passwords.password_problem("GrönaGårdar2026!", "kim") is not None
        assert passwords.password_problem("kaffe-lampa-tåg-97", "kim") is None


@pytest.mark.parametrize("password", [PASSWORD, NEW_PASSWORD, "kaffe-lampa-tåg-97"])
def test_long_unusual_passwords_are_accepted(app, password):
    with app.test_request_context():
        assert passwords.password_problem(password, "kim") is None


def _admin(app, users, db):
    client = app.test_client()
    sign_in_directly(client, db, users["admin"])
    return client


def test_admin_resets_a_password_and_the_user_is_signed_out(app, users, db):
    coordinator = app.test_client()
    login(coordinator, "coordinator")
    admin = _admin(app, users, db)
    assert "coordinator" in admin.get("/admin/users").text
    refused = admin.post(
        f"/admin/users/{users['coordinator']}/password",
        data={"new_password": "password12", "repeat": "password12"},
    )
    assert refused.status_code == 400 and "för vanligt" in refused.text
    response = admin.post(
        f"/admin/users/{users['coordinator']}/password",
        data={"new_password": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert coordinator.get("/walks").status_code == 302
    assert login(app.test_client(), "coordinator", NEW_PASSWORD).status_code == 302


def test_deactivating_signs_out_and_keeps_out(app, users, db):
    coordinator = app.test_client()
    login(coordinator, "coordinator")
    admin = _admin(app, users, db)
    admin.post(f"/admin/users/{users['coordinator']}/active", data={"active": "0"})
    assert coordinator.get("/walks").status_code == 302
    assert sessions_db.count_live(db, users["coordinator"]) == 0
    assert login(app.test_client(), "coordinator").status_code == 400
    admin.post(f"/admin/users/{users['coordinator']}/active", data={"active": "1"})
    assert login(app.test_client(), "coordinator").status_code == 302


def test_admin_cannot_deactivate_themself(app, users, db):
    admin = _admin(app, users, db)
    admin.post(f"/admin/users/{users['admin']}/active", data={"active": "0"})
    assert users_db.get_user(db, users["admin"]) is not None
    assert admin.get("/admin/users").status_code == 200


def test_sign_out_everywhere(app, users, db):
    devices = [app.test_client() for _ in range(3)]
    for device in devices:
        login(device, "coordinator")
    admin = _admin(app, users, db)
    response = admin.post(f"/admin/users/{users['coordinator']}/sign-out")
    assert response.status_code == 303
    assert [device.get("/walks").status_code for device in devices] == [302] * 3
    assert db.execute("select action from audit_log order by id desc limit 1").fetchone()[0] == (
        "sign_out_everywhere"
    )


def test_account_forms_need_csrf(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    from tests.helpers import hash_password
    from walkapp.db import connect, database_path

    db = connect(database_path(app))
    admin_id = users_db.create_user(db, "boss", hash_password(PASSWORD), "admin")
    client = app.test_client()
    sign_in_directly(client, db, admin_id)
    for path in (f"/admin/users/{admin_id}/sign-out", "/account/password"):
        assert client.post(path, data={}).status_code == 400
    assert sessions_db.count_live(db, admin_id) == 1
    db.close()


@pytest.mark.parametrize(
    "password, ok", [("aaaaaaaaaa", False), ("password12", False), (NEW_PASSWORD, True)]
)
def test_create_user_refuses_weak_passwords(runner, db, password, ok):
    result = runner.invoke(
        args=["create-user", "kim", "--role", "coordinator"], input=password + "\n"
    )
    assert (result.exit_code == 0) is ok, result.output
    assert (users_db.get_user_by_name(db, "kim") is not None) is ok
