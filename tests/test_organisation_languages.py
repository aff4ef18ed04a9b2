"""An organisation's languages: what its public page's switch offers residents (Swedish always).
Its admin ticks them on the organisation's form; a new organisation and an upgraded one offer all
six; a reader whose phone speaks another language still reads the page in it; a language not
offered is a 400 in Swedish that changes nothing."""

from __future__ import annotations

import json
import re

import pytest

from tests.test_organisations_admin import _as, _db
from tests.test_organisations_admin import world  # noqa: F401  (a fixture)
from walkapp import languages, organisations
from walkapp.db import organisations as organisations_db
from walkapp.db.migrations import m0021_organisations_languages as m0021

SIX = list(languages.NAMES)


def _switch(page: str) -> list[str]:
    """The languages the page's switch links to, in its order."""
    return re.findall(r'<a href="/lang/(\w+)\?next=[^"]*"[^>]*hreflang', page)


def _stored(world, organisation_id: int) -> list[str]:
    return json.loads(organisations_db.get_organisation(_db(world), organisation_id)["languages"])


def test_a_new_organisation_offers_all_six_and_the_upgrade_gives_them_back(world):  # noqa: F811
    assert _stored(world, world["lidingo"]) == SIX
    db = _db(world)
    db.execute("update organisations set languages = '[\"sv\", \"en\"]'")  # 0008's default
    m0021.organisations_languages(db)
    assert _stored(world, 1) == SIX and _stored(world, world["lidingo"]) == SIX
    assert m0021.SIX == SIX  # the frozen list is the residents' languages


def test_the_admin_ticks_the_languages_and_the_public_page_offers_those(world):  # noqa: F811
    lidingo = world["lidingo"]
    own = _as(world, "lidingo_admin")
    form = own.get(f"/admin/organisations/{lidingo}/edit").get_data(as_text=True)
    for code in SIX[1:]:
        assert f'value="{code}"' in form  # a box per language, named in itself (Swedish: always)
    assert "suomi" in form and "Soomaali" in form
    changed = own.post(
        f"/admin/organisations/{lidingo}/edit",
        data={"name": "Lidingö stad", "jurisdiction_id": "lidingo", "languages": ["fi", "en"]},
    )
    assert changed.status_code == 303
    assert _stored(world, lidingo) == ["sv", "en", "fi"]  # Swedish always, in the usual order
    detail = _db(world).execute(
        "select detail from audit_log where entity = 'organisation' and action = 'update'"
    ).fetchone()[0]
    assert json.loads(detail)["languages"] == ["sv", "en", "fi"]

    reader = world["app"].test_client()
    page = reader.get("/o/lidingo/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert _switch(page) == ["sv", "en", "fi"]
    # A Somali phone still reads the page in Somali, and finds its language in the switch.
    somali = reader.get("/o/lidingo/", headers={"Accept-Language": "so"}).get_data(as_text=True)
    assert '<html lang="so"' in somali
    assert _switch(somali) == ["sv", "en", "fi", "so"]
    # Another organisation's page keeps its own six.
    assert _switch(reader.get("/", headers={"Accept-Language": "sv"}).get_data(True)) == SIX


@pytest.mark.parametrize("bad", [["xx"], ["ar", "<script>"], ["sv", "so", "de"]])
def test_a_language_not_offered_is_a_400_that_changes_nothing(world, bad):  # noqa: F811
    lidingo = world["lidingo"]
    answer = _as(world, "lidingo_admin").post(
        f"/admin/organisations/{lidingo}/edit",
        data={"name": "Ändrat namn", "jurisdiction_id": "lidingo", "languages": bad},
    )
    assert answer.status_code == 400
    assert "Välj språk i listan." in answer.get_data(as_text=True)
    stored = organisations_db.get_organisation(_db(world), lidingo)
    assert stored["name"] == "Lidingö stad" and json.loads(stored["languages"]) == SIX


def test_the_rule_drops_what_it_does_not_know_and_keeps_swedish_first():
    assert organisations.languages_of({"languages": '["so", "fi"]'}) == ("sv", "fi", "so")
    assert organisations.languages_of({"languages": "not json"}) == ("sv",)
    assert organisations.languages_of({"languages": '["de", "fa"]'}) == ("sv", "fa")
    assert organisations.offered_to({"languages": '["en"]'}, "ar") == ("sv", "en", "ar")
    with pytest.raises(organisations.Refused) as refused:
        organisations.checked_languages(["sv", "de"])
    assert refused.value.field == "languages"


def test_a_post_without_the_languages_field_keeps_them_and_unticking_all_leaves_swedish(
    world,  # noqa: F811
):
    """The form always sends Swedish (hidden): a post with no languages field at all (a page
    opened before the upgrade, a script) keeps the stored ones; a new organisation made so gets
    all six; every box unticked is Swedish only, and a Swedish reader then gets no switch."""
    lidingo = world["lidingo"]
    own = _as(world, "lidingo_admin")
    form = own.get(f"/admin/organisations/{lidingo}/edit").get_data(as_text=True)
    assert '<input type="hidden" name="languages" value="sv">' in form
    kept = own.post(
        f"/admin/organisations/{lidingo}/edit",
        data={"name": "Lidingö stad", "jurisdiction_id": "lidingo", "areas": []},
    )
    assert kept.status_code == 303 and _stored(world, lidingo) == SIX
    made = _as(world, "instance").post(
        "/admin/organisations", data={"name": "Solna", "slug": "solna"}
    )
    assert made.status_code == 303
    assert json.loads(organisations_db.get_by_slug(_db(world), "solna")["languages"]) == SIX
    only = own.post(
        f"/admin/organisations/{lidingo}/edit",
        data={"name": "Lidingö stad", "jurisdiction_id": "lidingo", "languages": ["sv"]},
    )
    assert only.status_code == 303 and _stored(world, lidingo) == ["sv"]
    reader = world["app"].test_client()
    swedish = reader.get("/o/lidingo/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert _switch(swedish) == [] and 'class="languages"' not in swedish
    finnish = reader.get("/o/lidingo/", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert '<html lang="fi"' in finnish and "/lang/sv?next=" in finnish  # back to Swedish
    entries = _db(world).execute(
        "select detail from audit_log where entity = 'organisation' and action = 'update'"
        " order by id"
    ).fetchall()
    assert "languages" not in json.loads(entries[0][0])  # kept: not logged as a change
    assert json.loads(entries[1][0])["languages"] == ["sv"]
