"""Six languages for walkers and the public, two for staff: choice, switch, direction, catalogues.

The catalogue tests read babel-residents.cfg, the list of files behind walkers' and the public's
screens: every string extracted from them must be translated in all six languages.
"""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from tests.helpers import login, observation
from walkapp import languages
from walkapp.db import walks as walks_db

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "walkapp" / "translations"
CONFIG = ROOT / "babel-residents.cfg"
SIX = tuple(languages.NAMES)
ADDED = ("fi", "ar", "fa", "so")


# --- choosing the language ---------------------------------------------------------------


def test_a_kept_choice_wins_when_the_screen_speaks_it():
    assert languages.choose(SIX, "so", lambda allowed: "fi") == "so"
    assert languages.choose(("sv", "en"), "so", None) == "sv"


def test_the_phone_language_is_matched_and_swedish_is_the_fallback(client):
    def lang_of(headers):
        html = client.get("/j", headers=headers).get_data(as_text=True)
        return re.search(r'<html lang="([^"]+)" dir="([^"]+)"', html).groups()

    assert lang_of({"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"}) == ("fi", "ltr")
    assert lang_of({"Accept-Language": "ar-SE"}) == ("ar", "rtl")
    assert lang_of({"Accept-Language": "fa-IR,fa;q=0.9"}) == ("fa", "rtl")
    assert lang_of({"Accept-Language": "so"}) == ("so", "ltr")
    assert lang_of({"Accept-Language": "de-DE,pl;q=0.8"}) == ("sv", "ltr")
    assert lang_of({}) == ("sv", "ltr")


def test_staff_screens_speak_swedish_or_english_only(client):
    client.set_cookie("lang", "ar")
    html = client.get("/login", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert '<html lang="sv" dir="ltr">' in html
    assert "العربية" not in html  # the staff switch offers Swedish and English only
    assert 'hreflang="en"' in html
    client.set_cookie("lang", "en")
    assert '<html lang="en"' in client.get("/login").get_data(as_text=True)


def test_the_switch_keeps_the_choice_in_a_cookie(client):
    response = client.get("/lang/fa?next=/j")
    assert response.status_code == 302 and response.headers["Location"] == "/j"
    assert "lang=fa" in response.headers["Set-Cookie"]
    html = client.get("/j", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html
    assert "پیوستن به پیاده‌روی ایمنی" in html
    # An unknown code changes nothing; a foreign target is refused.
    assert "Set-Cookie" not in client.get("/lang/xx?next=/j").headers
    assert client.get("/lang/fi?next=//evil.example").headers["Location"] == "/"


def _check_switch(client, name, url):
    for code in SIX:
        client.set_cookie("lang", code)
        response = client.get(url)
        assert response.status_code == 200, (name, code)
        html = response.get_data(as_text=True)
        expected = f'<html lang="{code}" dir="{languages.direction(code)}">'
        assert expected in html, (name, code)
        for other, own_name in languages.NAMES.items():
            link = re.search(rf'<a href="/lang/{other}\?next=[^"]*"[^>]*>{own_name}</a>', html)
            assert link and f'lang="{other}"' in link.group(0), (name, code, other)


def test_every_walker_and_public_screen_has_the_six_language_switch(client, walk):
    _check_switch(client, "code", "/j")
    _check_switch(client, "join", f"/j/{walk['code']}")
    _check_switch(client, "public", "/")
    client.post(f"/j/{walk['code']}", data={"name": "Aino"})
    _check_switch(client, "capture", f"/walks/{walk['id']}/capture")
    _check_switch(client, "follow-up", f"/j/{walk['code']}/follow-up")


def test_the_capture_screen_and_its_messages_follow_the_language(client, walk):
    client.post(f"/j/{walk['code']}", data={"name": "Aino"})
    client.set_cookie("lang", "so")
    html = client.get(f"/walks/{walk['id']}/capture").get_data(as_text=True)
    assert "Iftiinka" in html and "Wax ka qabo" in html and "Wac 112" in html
    client.set_cookie("lang", "ar")
    refused = client.post(f"/api/walks/{walk['id']}/observations", json={"id": "x"})
    assert refused.json["errors"]["category"] == "اختر فئة."


# --- the catalogues -------------------------------------------------------------------------


def _resident_messages() -> dict[str | tuple, list[str]]:
    """Every msgid of the files in babel-residents.cfg, with where it is used."""
    with open(CONFIG) as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(CONFIG))
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found: dict[str | tuple, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def resident_messages():
    found = _resident_messages()
    assert len(found) > 200
    return found


def _catalogues(code: str) -> dict:
    merged = {}
    for po_path in sorted((TRANSLATIONS / code / "LC_MESSAGES").glob("*.po")):
        with open(po_path, "rb") as po:
            for message in read_po(po, locale=code):
                if message.id and not message.fuzzy:
                    merged.setdefault(message.id, message)
    return merged


def _translated(message) -> bool:
    if message is None:
        return False
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(form.strip() for form in forms)


@pytest.mark.parametrize("code", ["en", *ADDED])
def test_every_walker_and_public_string_is_translated(code, resident_messages):
    catalogue = _catalogues(code)
    missing = [
        f"{message!r} ({', '.join(where[:2])})"
        for message, where in resident_messages.items()
        if not _translated(catalogue.get(message))
    ]
    assert not missing, (
        f"{len(missing)} strings of walkers' or the public's screens lack a translation in "
        f"'{code}' (docs/developers/languages.md says how to add them):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("code", ADDED)
def test_plural_forms_follow_babels_rules(code):
    rule = get_plural(code)
    path = TRANSLATIONS / code / "LC_MESSAGES" / "residents.po"
    with open(path, "rb") as po:
        catalogue = read_po(po, locale=code)
    header = dict(catalogue.mime_headers)["Plural-Forms"]
    assert header == rule.plural_forms
    plurals = [m for m in catalogue if m.id and m.pluralizable]
    assert len(plurals) >= 10
    for message in plurals:
        assert len(message.string) == rule.num_plurals, message.id
        assert all(message.string), message.id


@pytest.mark.parametrize("code", ADDED)
def test_every_count_shows_its_own_plural_form_on_the_screens(app, code):
    """What a resident reads for 0–230 things: the catalogue's form that Babel's rule picks for
    that count, never the Swedish text (Persian showed "saker åtgärdade" for every count but 1)."""
    pick = gettext.c2py(get_plural(code).plural_expr)
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "residents.po", "rb") as po:
        plurals = [m for m in read_po(po, locale=code) if m.id and m.pluralizable]
    with app.test_request_context(), force_locale(code):
        for message in plurals:
            for n in range(231):
                shown = ngettext(*message.id, n)
                assert shown == message.string[pick(n)] % {"num": n}, (message.id, n)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(_as_format(text)) if name}


def _as_format(text: str) -> str:
    # gettext's %(name)s as str.format's {name}, so one parser reads both.
    return re.sub(r"%\((\w+)\)[sd]", r"{\1}", text.replace("{", "{{").replace("}", "}}"))


@pytest.mark.parametrize("code", ADDED)
def test_translations_keep_their_placeholders(code):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "residents.po", "rb") as po:
        catalogue = read_po(po, locale=code)
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(_placeholders(i) for i in ids))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in filter(None, forms):  # an empty one is the completeness test's
            got = _placeholders(form)
            assert got <= wanted, (code, message.id, form)  # an unknown name breaks the page
            # A plural form for one exact number (Arabic "one", "two") may spell the number out.
            assert wanted - {"num"} <= got, (code, message.id, form)


def test_every_resident_screen_module_is_in_the_extraction_list():
    listed = CONFIG.read_text()
    views = ROOT / "walkapp" / "views"
    for module in views.glob("*.py"):
        names = set(re.findall(r'Blueprint\(\s*"(\w+)"', module.read_text()))
        if names & languages.RESIDENT_BLUEPRINTS - {"main"}:
            assert f"walkapp/views/{module.name}" in listed, module.name


# --- observations are stored by keys; the note's language is kept for coordinators ------------


def _observation(**fields) -> dict:
    return observation(**{"note": "المصباح مكسور", **fields})


def _token(client, walk) -> dict:
    response = client.post("/api/join", json={"code": walk["code"]})
    return {"Authorization": "Bearer " + response.json["token"]}


def test_an_observation_is_stored_by_keys_with_the_language_it_was_written_in(
    client, walk, db, users
):
    headers = _token(client, walk)
    client.set_cookie("lang", "ar")
    body = _observation(language="ar")
    assert (
        client.post(f"/api/walks/{walk['id']}/observations", json=body, headers=headers).status_code
        == 201
    )
    row = db.execute(
        "select category, rating, language from observations where id = ?", [body["id"]]
    ).fetchone()
    assert tuple(row) == ("lighting", "red", "ar")

    refused = client.post(
        f"/api/walks/{walk['id']}/observations",
        json=_observation(language="klingon"),
        headers=headers,
    )
    assert refused.status_code == 400 and "language" in refused.json["errors"]

    edited = client.patch(
        f"/api/walks/{walk['id']}/observations/{body['id']}",
        json={"note": "Lampa trasig", "language": "sv"},
        headers=headers,
    )
    assert edited.status_code == 200
    assert (
        db.execute("select language from observations where id = ?", [body["id"]]).fetchone()[0]
        == "sv"
    )


def test_triage_shows_the_language_a_note_was_written_in(client, walk, db, users):
    headers = _token(client, walk)
    body = _observation(language="fa", note="چراغ خراب است")
    client.post(f"/api/walks/{walk['id']}/observations", json=body, headers=headers)
    login(client, "coordinator")
    client.set_cookie("lang", "fa")  # staff screens stay Swedish
    html = client.get(f"/observations/{body['id']}/triage").get_data(as_text=True)
    assert '<html lang="sv"' in html
    assert re.search(r"Skriven på</dt><dd[^>]*>persiska · kan behöva översättas", html)
    assert 'lang="fa" dir="auto">چراغ خراب است' in html


def test_the_public_map_speaks_the_public_pages_language(client):
    client.set_cookie("lang", "so")
    html = client.get("/maps/public").get_data(as_text=True)
    assert '<html lang="so" dir="ltr">' in html
    assert "Arrimaha iyo tallaabooyinka goob kasta" in html and '"La hagaajiyay"' in html
    client.set_cookie("lang", "fa")
    assert '<html lang="fa" dir="rtl">' in client.get("/maps/public").get_data(as_text=True)


def test_the_walk_poster_invites_in_all_six_languages(client, walk, users):
    assert client.get(f"/walks/{walk['id']}/poster").status_code in (302, 401)
    login(client, "coordinator")
    _check_switch(client, "poster", f"/walks/{walk['id']}/poster")
    client.set_cookie("lang", "so")
    html = client.get(f"/walks/{walk['id']}/poster").get_data(as_text=True)
    assert "Koodh" in html and walk["code"] in html and "<svg" in html
    for code, line in {
        "sv": "Skanna koden med mobilen och gå med.",
        "en": "Scan the code with your phone and join in.",
        "fi": "Skannaa koodi puhelimella",
        "ar": "امسح الرمز بهاتفك",
        "fa": "کد را با گوشی اسکن کنید",
        "so": "Ku sawir koodhka taleefankaaga",
    }.items():
        direction = languages.direction(code)
        assert re.search(rf'<li lang="{code}" dir="{direction}">{line}', html), code
    # The walk page links to it; the walk page itself stays a staff screen.
    client.set_cookie("lang", "ar")
    show = client.get(f"/walks/{walk['id']}").get_data(as_text=True)
    assert '<html lang="sv"' in show and f"/walks/{walk['id']}/poster" in show


def test_the_poster_names_the_meeting_point_as_a_label_in_every_language(client, db, users):
    """ "Vi ses vid Utanför Konserthuset" read wrong: the stop's name stands after a label."""
    walk = walks_db.create_walk(
        db,
        title="Kvällsvandring",
        starts_at="2026-12-03T18:00",
        meeting_point="Utanför Konserthuset",
    )
    login(client, "coordinator")
    labels = {}
    for code in SIX:
        client.set_cookie("lang", code)
        html = client.get(f"/walks/{walk['id']}/poster").get_data(as_text=True)
        found = re.search(
            r'<p class="poster-where">([^<]+): <bdi>Utanför Konserthuset</bdi></p>', html
        )
        assert found, code
        labels[code] = found.group(1)
        assert "Vi ses vid" not in html
    assert labels["sv"] == "Samling" and labels["en"] == "Meeting point"
    assert len(set(labels.values())) == len(SIX)  # each language its own label


def test_the_installable_app_is_named_in_the_phones_language(client):
    manifest = client.get("/manifest.webmanifest", headers={"Accept-Language": "ar"}).json
    assert (manifest["lang"], manifest["dir"], manifest["short_name"]) == ("ar", "rtl", "جولة أمان")
    assert client.get("/manifest.webmanifest").json["lang"] == "sv"


class _Recording:
    """Translations that note every msgid asked for (templates and code go through these)."""

    def __init__(self, inner, seen: set):
        self._inner, self._seen = inner, seen

    def ugettext(self, message):
        self._seen.add(message)
        return self._inner.ugettext(message)

    def ungettext(self, singular, plural, n):
        self._seen.add((singular, plural))
        return self._inner.ungettext(singular, plural, n)

    gettext, ngettext = ugettext, ungettext

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.mark.parametrize("code", ADDED)
def test_every_string_a_walker_or_the_public_is_shown_is_translated(
    code, client, walk, db, users, monkeypatch
):
    """The same rule seen from the screens: whatever module a string lives in, if a walker's or
    the public's screen asks for it, this language has it (catches a file missing from the cfg)."""
    import flask_babel

    seen: set = set()
    real = flask_babel.Domain.get_translations
    monkeypatch.setattr(
        flask_babel.Domain, "get_translations", lambda self: _Recording(real(self), seen)
    )
    client.set_cookie("lang", code)
    for url in ("/j", f"/j/{walk['code']}", "/j/ZZZZZZ", "/", "/maps/public", "/nothing-here"):
        client.get(url)
    client.post("/j", data={"code": ""})
    client.post(f"/j/{walk['code']}", data={"name": "Aino"})
    client.get(f"/walks/{walk['id']}/capture")
    client.get(f"/j/{walk['code']}/follow-up")
    client.get("/manifest.webmanifest")
    headers = _token(client, walk)
    client.post(f"/api/walks/{walk['id']}/observations", json={"id": "x"}, headers=headers)
    client.post(f"/api/walks/{walk['id']}/observations", json=_observation(), headers=headers)
    catalogue = _catalogues(code)
    missing = sorted(map(repr, (m for m in seen if not _translated(catalogue.get(m)))))
    assert len(seen) > 120  # the screens really were rendered
    assert not missing, f"asked for on a {code} screen but not translated:\n" + "\n".join(missing)


def test_a_note_in_arabic_keeps_its_direction_in_swedish_lists(client, walk, db, users):
    headers = _token(client, walk)
    body = _observation(language="ar")
    client.post(f"/api/walks/{walk['id']}/observations", json=body, headers=headers)
    login(client, "coordinator")
    for url in (f"/walks/{walk['id']}", f"/walks/{walk['id']}/protocol"):
        html = client.get(url).get_data(as_text=True)
        assert re.search(r'dir="auto">\s*المصباح مكسور', html), url
