"""The public page in each resident language: counts, the promise's texts, sharing meta."""

from __future__ import annotations

import re

import pytest

from tests.helpers import login
from walkapp import measures

from .seeding import add_finding, seed_walk

COUNTS = (0, 1, 2, 5, 11, 100)
# Swedish words that a count's phrase on the public page would show if it fell back.
SWEDISH = ("åtgärdad", "iakttagelse", "saker", "sak ", "fungerar", "insats", "trygghetsvandring")


def _seed_counts(db) -> None:
    """One closed 2022 walk per count, with that many findings, all but none of them fixed."""
    for day, n in enumerate(COUNTS, start=1):
        walk = seed_walk(db, f"2022-04-{day:02d}T18:30")
        ids = [add_finding(db, walk["id"], None) for _ in range(n)]
        for observation_id in ids[: max(0, n - 1)]:
            measures.set_status(db, observation_id, "done", None)


@pytest.mark.parametrize("code", ["fi", "ar", "fa", "so"])
def test_counts_on_the_public_page_are_in_the_readers_language(db, client, code):
    _seed_counts(db)
    client.set_cookie("lang", code)
    html = client.get("/promise/2022").get_data(as_text=True)
    walks = re.search(r'<ul class="walks">(.*?)</ul>', html, re.S).group(1)
    numbers = re.findall(r'<span class="numbers">(.*?)</span>', walks, re.S)
    assert len(numbers) == len(COUNTS)
    for line in numbers:
        assert not [w for w in SWEDISH if w in line], (code, line)
    hero = re.search(r'<ul class="headline".*?</ul>', html, re.S).group(0)
    assert not [w for w in SWEDISH if w in hero], (code, hero)


@pytest.mark.parametrize(
    ("code", "locale"),
    [
        ("sv", "sv_SE"),
        ("en", "en_GB"),
        ("fi", "fi_FI"),
        ("ar", "ar"),
        ("fa", "fa_IR"),
        ("so", "so_SO"),
    ],
)
def test_the_shared_page_names_its_language_for_link_previews(client, code, locale):
    client.set_cookie("lang", code)
    page = client.get("/promise/2022").get_data(as_text=True)
    assert f'<meta property="og:locale" content="{locale}">' in page


# --- the promise in the reader's language, Swedish (marked) where a language has none ---------


def _texts(db, commitment_id: int) -> dict:
    rows = db.execute(
        "select language, heading, text from commitment_texts where commitment_id = ?",
        [commitment_id],
    ).fetchall()
    return {language: (heading, text) for language, heading, text in rows}


def _page(client, code: str, year: int = 2022) -> str:
    client.set_cookie("lang", code)
    return client.get(f"/promise/{year}").get_data(as_text=True)


def test_the_shipped_promise_reads_in_each_language(client):
    english = _page(client, "en")
    assert ">Young people</h3>" in english and "Ungdomar" not in english
    assert "At least eight safety walks" in english and "(in Swedish)" not in english
    persian = _page(client, "fa")
    assert ">جوانان</h3>" in persian and "Ungdomar" not in persian
    swedish = _page(client, "sv")
    promised = re.search(r'<ol class="commitments">.*?</ol>', swedish, re.S).group(0)
    assert ">Ungdomar</h3>" in promised and "lang=" not in promised


def _new_promise(client, db) -> int:
    client.post("/admin/promises", data={"year": 2023, "title": "Löfte 2023", "copy_from": 0})
    promise_id = db.execute("select id from promises where year = 2023").fetchone()[0]
    client.post(
        f"/admin/promises/{promise_id}/commitments",
        data={
            "heading": "Trygg skolväg",
            "text": "Minst två vandringar vid skolor.",
            "target": 2,
            "counting": "walks",
        },
    )
    return promise_id


def test_a_commitment_without_a_text_in_the_readers_language_shows_the_swedish_marked(
    client, db, users
):
    login(client, "admin")
    promise_id = _new_promise(client, db)
    commitment_id = db.execute(
        "select id from commitments where promise_id = ?", [promise_id]
    ).fetchone()[0]
    english = _page(client, "en", 2023)
    assert (
        '<span lang="sv" dir="ltr">Trygg skolväg</span> <small class="in-source">(in Swedish)'
        in (english)
    )
    assert '<p lang="sv" dir="ltr">Minst två vandringar vid skolor.</p>' in english
    arabic = _page(client, "ar", 2023)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert (
        '<span lang="sv" dir="ltr">Trygg skolväg</span> <small class="in-source">(بالسويدية)'
        in (arabic)
    )

    client.set_cookie("lang", "sv")
    form = client.get(f"/admin/promises/{promise_id}/texts/en").get_data(as_text=True)
    assert 'lang="sv" dir="ltr"><strong>Trygg skolväg</strong>' in form  # the Swedish to translate
    saved = client.post(
        f"/admin/promises/{promise_id}/texts/en",
        data={
            "commitments-0-commitment_id": commitment_id,
            "commitments-0-heading": "Safe way to school",
            "commitments-0-text": "At least two walks near schools.",
        },
    )
    assert saved.status_code == 302
    assert _texts(db, commitment_id) == {
        "en": ("Safe way to school", "At least two walks near schools.")
    }
    english = _page(client, "en", 2023)
    assert ">Safe way to school</h3>" in english
    assert "<p>At least two walks near schools.</p>" in english and "Trygg skolväg" not in english
    assert "Trygg skolväg" in _page(client, "fi", 2023)  # Finnish has none: still the Swedish

    client.set_cookie("lang", "sv")
    client.post(
        f"/admin/promises/{promise_id}/texts/en",
        data={
            "commitments-0-commitment_id": commitment_id,
            "commitments-0-heading": "",
            "commitments-0-text": "",
        },
    )
    assert _texts(db, commitment_id) == {}
    assert '<span lang="sv" dir="ltr">Trygg skolväg</span>' in _page(client, "en", 2023)


def test_promise_texts_refuse_unknown_languages_and_overlong_text(client, db, users):
    login(client, "admin")
    promise_id = _new_promise(client, db)
    commitment_id = db.execute(
        "select id from commitments where promise_id = ?", [promise_id]
    ).fetchone()[0]
    for language in ("sv", "xx", "de"):
        assert client.get(f"/admin/promises/{promise_id}/texts/{language}").status_code == 404
    assert client.get("/admin/promises/999/texts/en").status_code == 404
    refused = client.post(
        f"/admin/promises/{promise_id}/texts/fa",
        data={
            "commitments-0-commitment_id": commitment_id,
            "commitments-0-heading": "ا" * 81,
            "commitments-0-text": "متن",
        },
    )
    assert refused.status_code == 400 and "Högst 80 tecken." in refused.get_data(as_text=True)
    assert _texts(db, commitment_id) == {}


def test_next_years_promise_copies_the_texts_in_every_language(client, db, users):
    login(client, "admin")
    client.post("/admin/promises", data={"year": 2023, "title": "Löfte 2023", "copy_from": 1})
    promise_id = db.execute("select id from promises where year = 2023").fetchone()[0]
    first = db.execute(
        "select id from commitments where promise_id = ? order by position", [promise_id]
    ).fetchone()[0]
    assert set(_texts(db, first)) == {"en", "fi", "ar", "fa", "so"}
    assert _texts(db, first)["en"][0] == "Young people"
    assert ">Young people</h3>" in _page(client, "en", 2023)


def test_the_dashboard_shows_the_promise_in_the_staff_readers_language(client, db, users):
    """Coordinators reading English see the English headings where the promise gives them (the
    start page and the activity form's choices), the Swedish (marked) where it does not."""
    from walkapp import public

    year = public.today().year
    login(client, "admin")
    client.post("/admin/promises", data={"year": year, "title": "Löftet", "copy_from": 0})
    promise_id = db.execute("select id from promises where year = ?", [year]).fetchone()[0]
    for heading, counting in (("Trygg skolväg", "walks"), ("Möten med unga", "activities")):
        client.post(
            f"/admin/promises/{promise_id}/commitments",
            data={"heading": heading, "text": "Minst två.", "target": 2, "counting": counting},
        )
    first, second = (
        row[0]
        for row in db.execute(
            "select id from commitments where promise_id = ? order by id", [promise_id]
        )
    )
    def english_texts(second_heading: str) -> None:
        client.post(
            f"/admin/promises/{promise_id}/texts/en",
            data={
                "commitments-0-commitment_id": first,
                "commitments-0-heading": "Safe way to school",
                "commitments-0-text": "At least two.",
                "commitments-1-commitment_id": second,
                "commitments-1-heading": second_heading,
                "commitments-1-text": "At least two." if second_heading else "",
            },
        )

    english_texts("")
    client.set_cookie("lang", "en")
    english = client.get("/dashboard").get_data(as_text=True)
    assert f'<h3 id="commitment-{first}">Safe way to school</h3>' in english
    assert "Trygg skolväg" not in english
    assert f'<h3 id="commitment-{second}" lang="sv" dir="ltr">Möten med unga</h3>' in english
    english_texts("Meeting young people")
    activities = client.get("/dashboard/activities").get_data(as_text=True)
    assert f"{year} · Meeting young people" in activities and "Möten med unga" not in activities
    client.set_cookie("lang", "sv")
    swedish = client.get("/dashboard").get_data(as_text=True)
    assert f'<h3 id="commitment-{first}">Trygg skolväg</h3>' in swedish
    assert "Safe way to school" not in swedish
