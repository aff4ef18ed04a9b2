"""Organisations kept on the web (/admin/organisations): the instance's admin makes them and edits
any, an organisation's admin edits their own only (another's is a 404), a coordinator none; bad
input is a 400 in Swedish that changes nothing; every change is in the audit log."""

from __future__ import annotations

import json

import pytest

from tests.helpers import hash_password, signed_in
from walkapp import organisations, users
from walkapp.db import connect, database_path
from walkapp.db import organisations as organisations_db


@pytest.fixture
def world(app):
    db = connect(database_path(app))
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    hashed = hash_password("x" * 12)
    ids = {
        "instance": users.create(db, "instance", hashed, "admin", None),
        "lidingo_admin": users.create(db, "lidingo_admin", hashed, "admin", lidingo),
        "coordinator": users.create(db, "samordnare", hashed, "coordinator", lidingo),
    }
    db.close()
    return {"app": app, "users": ids, "lidingo": lidingo}


def _as(world, who):
    return signed_in(world["app"], world["users"][who])


def _db(world):
    return connect(database_path(world["app"]))


def _area(db, kind: str, code_or_name: str) -> int:
    return organisations.area_ids_named(db, (f"{kind}:{code_or_name}",))[0]


def test_the_instances_admin_makes_an_organisation_with_its_areas(world):
    db = _db(world)
    solna, sundbyberg = _area(db, "kommun", "0184"), _area(db, "kommun", "0183")
    admin = _as(world, "instance")
    page = admin.get("/admin/organisations").get_data(as_text=True)
    assert "Lidingö stad" in page and "Ny arrangör" in page and "Solna" in page
    made = admin.post(
        "/admin/organisations",
        data={"name": "Solna stad", "slug": "solna", "areas": [solna, sundbyberg]},
    )
    assert made.status_code == 303
    solna_org = organisations_db.get_by_slug(db, "solna")
    assert solna_org["name"] == "Solna stad" and solna_org["jurisdiction_id"] == "solna"
    assert organisations_db.area_ids_of(db, solna_org["id"]) == sorted([solna, sundbyberg])
    assert admin.get("/o/solna/").status_code == 200
    entry = db.execute(
        "select user_id, action from audit_log where entity = 'organisation' and entity_id = ?",
        [str(solna_org["id"])],
    ).fetchone()
    assert entry == (world["users"]["instance"], "create")


@pytest.mark.parametrize(
    "form, field_message",
    [
        ({"name": "", "slug": "ny"}, "Skriv arrangörens namn"),
        ({"name": "x" * 121, "slug": "ny"}, "Högst 120 tecken"),
        ({"name": "Ny", "slug": "Stora Bokstäver"}, "Kortnamnet ska vara"),
        ({"name": "Ny", "slug": "lidingo"}, "Kortnamnet ska vara"),
        ({"name": "Ny", "slug": "ny", "logo": "https://annan.example/logo.png"}, "Logotypen ska"),
        ({"name": "Ny", "slug": "ny", "logo": "javascript:alert(1)"}, "Logotypen ska"),
        ({"name": "Ny", "slug": "ny", "jurisdiction_id": "lpo-norrmalm"}, "Open311-id:t"),
        ({"name": "Ny", "slug": "ny", "areas": "999999"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_a_400_in_swedish_and_makes_nothing(world, form, field_message):
    admin = _as(world, "instance")
    before = organisations_db.count(_db(world))
    answer = admin.post("/admin/organisations", data=form)
    assert answer.status_code == 400
    assert field_message in answer.get_data(as_text=True) or (
        field_message == "Not a valid choice" and 'aria-invalid="true"' in answer.text
    )
    assert organisations_db.count(_db(world)) == before


def test_an_organisations_admin_edits_their_own_and_no_other(world):
    db = _db(world)
    lidingo = world["lidingo"]
    larsberg_area = _area(db, "kommun", "0186")
    stockholm = _area(db, "kommun", "0180")
    own = _as(world, "lidingo_admin")
    listed = own.get("/admin/organisations").get_data(as_text=True)
    assert "Lidingö stad" in listed and "Lokalpolisområde Norrmalm" not in listed
    assert "Ny arrangör" not in listed
    assert own.post("/admin/organisations", data={"name": "X", "slug": "x"}).status_code == 403
    assert own.get("/admin/organisations/1/edit").status_code == 404
    assert own.post("/admin/organisations/1/edit", data={"name": "Kapad"}).status_code == 404
    page = own.get(f"/admin/organisations/{lidingo}/edit").get_data(as_text=True)
    assert f'<option selected value="{larsberg_area}">' in page
    changed = own.post(
        f"/admin/organisations/{lidingo}/edit",
        data={
            "name": "Lidingö stad – trygghet",
            "logo": "/static/logos/lidingo.png",
            "jurisdiction_id": "lidingo-stad",
            "areas": [larsberg_area, stockholm],
        },
    )
    assert changed.status_code == 303
    stored = organisations_db.get_organisation(db, lidingo)
    assert (stored["name"], stored["logo"], stored["jurisdiction_id"], stored["slug"]) == (
        "Lidingö stad – trygghet",
        "/static/logos/lidingo.png",
        "lidingo-stad",
        "lidingo",
    )
    assert organisations_db.area_ids_of(db, lidingo) == sorted([larsberg_area, stockholm])
    assert organisations_db.get_organisation(db, 1)["name"] != "Kapad"
    detail = db.execute(
        "select detail from audit_log where entity = 'organisation' and action = 'update'"
    ).fetchone()[0]
    assert json.loads(detail)["name"] == "Lidingö stad – trygghet"
    # The public page shows the new name and the logo.
    public = world["app"].test_client().get("/o/lidingo/").get_data(as_text=True)
    assert "Lidingö stad – trygghet" in public and 'src="/static/logos/lidingo.png"' in public


def test_a_kept_logo_of_another_site_may_stay_but_no_new_one(world):
    db = _db(world)
    db.execute("update organisations set logo = 'https://polisen.se/logo.svg' where id = 1")
    db.conn.commit()
    admin = _as(world, "instance")
    keep = {"name": "Lokalpolisområde Norrmalm", "jurisdiction_id": "lpo-norrmalm",
            "logo": "https://polisen.se/logo.svg"}  # fmt: skip
    assert admin.post("/admin/organisations/1/edit", data=keep).status_code == 303
    other = {**keep, "logo": "https://annan.example/logo.svg"}
    refused = admin.post("/admin/organisations/1/edit", data=other)
    assert refused.status_code == 400 and "Logotypen ska" in refused.text
    assert organisations_db.get_organisation(db, 1)["logo"] == "https://polisen.se/logo.svg"


def test_a_coordinator_keeps_no_organisation(world):
    coordinator = _as(world, "coordinator")
    assert coordinator.get("/admin/organisations").status_code == 403
    edit = f"/admin/organisations/{world['lidingo']}/edit"
    assert coordinator.post(edit, data={"name": "X"}).status_code == 403
