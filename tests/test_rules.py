"""Each rule once: a finding's standing (open, fixed, good) reads the same on every page, export
and count, whatever path it took (issue 22, point 3)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask_babel import force_locale, gettext

from tests.helpers import at
from tests.public_page.seeding import add_finding, seed_walk
from walkapp import clock, colours
from walkapp.measures import (
    SAME_FINDING_M,
    compare_latest_walk,
    possible_duplicates,
    walker_groups,
)
from walkapp.vocabulary import (
    CLOSED_STATUSES,
    FIXED_STATUSES,
    KEEP_STATUSES,
    MEASURE_STATUSES,
    OPEN_STATUSES,
    standing,
)

GOOD_NOTE = "Upplyst och folkligt vid Kulturhuset"


def _public_place(data: dict) -> dict:
    return next(place for place in data["places"] if place["place"])


def _a_closed_walk_with_one_green_finding(db):
    walk = seed_walk(db, f"{clock.today().year}-01-15T18:30")
    finding = add_finding(db, walk["id"], None, category="feeling", rating="green", note=GOOD_NOTE)
    return walk, finding


def _standing_everywhere(staff, walk: dict, finding: str) -> dict:
    """How each page, export and count reads the one finding."""
    year = clock.today().year
    data = staff.get(f"/promise/{year}/data.json").json
    follow_up = staff.get(f"/j/{walk['code']}/follow-up").text
    protocol = staff.get(f"/walks/{walk['id']}/protocol").text
    place = staff.get("/places/1").text
    open311 = staff.get(f"/open311/v2/requests/{finding}.json").json[0]
    return {
        "public to fix": data["totals"]["to_fix"],
        "public good": data["totals"]["good"],
        "public place good": _public_place(data)["good"],
        "follow-up says nothing to do": "här behöver inget göras" in follow_up,
        "follow-up tagged good": 'class="tag good"' in follow_up,
        "protocol good section": "protocol-good" in protocol,
        "place page good section": GOOD_NOTE
        in place.split('id="good-heading"')[1].split("</section>")[0],
        "open311": open311["status"],
    }


GOOD = {
    "public to fix": 0,
    "public good": 1,
    "public place good": 1,
    "follow-up says nothing to do": True,
    "follow-up tagged good": True,
    "protocol good section": True,
    "place page good section": True,
    "open311": "closed",
}
WORK = {
    "public to fix": 1,
    "public good": 0,
    "public place good": 0,
    "follow-up says nothing to do": False,
    "follow-up tagged good": False,
    "protocol good section": False,
    "place page good section": False,
    "open311": "open",
}


def test_a_green_finding_kept_reads_good_everywhere(staff, db):
    walk, finding = _a_closed_walk_with_one_green_finding(db)
    assert _standing_everywhere(staff, walk, finding) == GOOD


def test_a_green_finding_made_work_reads_as_work_everywhere(staff, db):
    """keep -> new: the coordinator says something must be done; no page may still say
    "inget behöver göras" while the public totals count it as work."""
    walk, finding = _a_closed_walk_with_one_green_finding(db)
    made = staff.post(
        f"/observations/{finding}/status",
        data={"status": "new"},
        headers={"Accept": "application/json"},
    )
    assert made.status_code == 200 and made.json["section"] == "open"
    assert _standing_everywhere(staff, walk, finding) == WORK


def test_every_status_has_exactly_one_standing():
    for status in MEASURE_STATUSES:
        homes = [
            name
            for name, statuses in (
                ("open", OPEN_STATUSES),
                ("fixed", FIXED_STATUSES),
                ("good", KEEP_STATUSES),
            )
            if status in statuses
        ]
        assert len(homes) <= 1, status
        assert standing(status) == (homes[0] if homes else "closed")
        assert (standing(status) in ("fixed", "closed")) == (status in CLOSED_STATUSES)


def _line(id_: str, east_m: float, walker: str) -> dict:
    spot = at(east_m)
    return {
        "id": id_,
        "lon": spot["longitude"],
        "lat": spot["latitude"],
        "category": "lighting",
        "status": "new",
        "walker_id": walker,
        "walk_id": "w",
        "duplicate_of": None,
    }


def test_one_radius_makes_a_finding_the_same_thing_in_groups_triage_and_repeat_walks():
    """Several walkers' groups, triage's possible duplicates and "found again" share one radius."""
    here = _line("here", 0, "anna")
    for distance, same in ((SAME_FINDING_M - 1, True), (SAME_FINDING_M + 1, False)):
        there = _line("there", distance, "bo")
        grouped = [len(g["candidates"]) for g in walker_groups([here, there])][0] == 1
        duplicate = [c["id"] for c in possible_duplicates(here, [there])] == ["there"]
        again = compare_latest_walk(
            [{**here, "walk_id": "first"}, {**there, "walk_id": "second"}],
            [{"id": "first"}, {"id": "second"}],
        )["again"]
        assert (grouped, duplicate, bool(again)) == (same, same, same), distance


# --- colours: written once in Python, read by CSS and JS as custom properties ---

ROOT = Path(__file__).resolve().parent.parent
FRONT_END = [
    path
    for folder in ("static/css", "static/js", "templates")
    for path in sorted((ROOT / folder).rglob("*"))
    if path.suffix in (".css", ".js", ".html")
]


def _rgb(colour: str) -> str:
    """'#c1121f' as the rgb(a) pattern a copy in CSS would take: rgba(193, 18, 31."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return rf"rgba?\(\s*{red}\s*,\s*{green}\s*,\s*{blue}\b"


def test_no_colour_of_walkapp_colours_is_copied_into_css_js_or_templates():
    copies = []
    for path in FRONT_END:
        text = path.read_text(encoding="utf-8")
        for name, colour in colours.PROPERTIES.items():
            if colour.lower() in text.lower() or re.search(_rgb(colour), text):
                copies.append(f"{path.relative_to(ROOT)}: {colour} ({name})")
            if re.search(rf"{name}\s*:", text):
                copies.append(f"{path.relative_to(ROOT)} sets {name} itself")
    assert copies == []


def test_every_colour_property_the_css_reads_is_set():
    """A var(--x) no stylesheet defines must come from walkapp.colours, or it is a typo."""
    css = "\n".join(p.read_text(encoding="utf-8") for p in FRONT_END if p.suffix == ".css")
    defined = set(re.findall(r"(--[\w-]+)\s*:", css)) | set(colours.PROPERTIES)
    used = set(re.findall(r"var\((--[\w-]+)\s*\)", css))  # var(--x, fallback) may be unset
    assert used - defined == set()
    assert {"--red", "--yellow", "--green", "--route", "--track", "--audit"} <= used


def test_pages_and_maps_carry_the_colours(staff, db):
    walk = seed_walk(db, "2022-03-01T18:30", state="ongoing")
    expected = str(colours.root_css())
    for page in ("/", "/places", f"/walks/{walk['id']}", "/maps/public"):
        assert expected in staff.get(page).text, page
    capture = staff.post(f"/j/{walk['code']}", data={"name": "Anna"}, follow_redirects=True)
    assert 'id="capture-config"' in capture.text and expected in capture.text


# --- labels: typed once in vocabulary.py, never again in a template ---

LABELLED_WORDS = ("CATEGORIES", "RATINGS", "MEASURE_STATUSES", "WALK_STATES", "LIGHT_CONDITIONS")


def test_each_label_is_typed_once_and_translated_from_there(app):
    from walkapp import vocabulary

    with app.test_request_context(), force_locale("en"):
        for translated, swedish in (
            (vocabulary.CATEGORIES, vocabulary.CATEGORY_LABELS_SV),
            (vocabulary.RATINGS, vocabulary.RATING_LABELS_SV),
            (vocabulary.MEASURE_STATUSES, vocabulary.STATUS_LABELS_SV),
            (vocabulary.POSITION_SOURCES, vocabulary.POSITION_SOURCE_LABELS_SV),
        ):
            assert {k: str(v) for k, v in translated.items()} == {
                k: gettext(v) for k, v in swedish.items()
            }
    source = (ROOT / "walkapp" / "vocabulary.py").read_text(encoding="utf-8")
    for swedish in vocabulary.CATEGORY_LABELS_SV.values():
        assert source.count(f'"{swedish}"') == 1, swedish


def test_no_template_writes_out_a_label_of_the_vocabulary(app):
    from walkapp import vocabulary

    with app.test_request_context(), force_locale("sv"):
        labels = {
            str(label) for word in LABELLED_WORDS for label in getattr(vocabulary, word).values()
        }
    inline = [
        f"{path.relative_to(ROOT)}: {label}"
        for path in FRONT_END
        if path.suffix == ".html"
        for label in labels
        if re.search(rf"""_\(\s*["']{re.escape(label)}["']\s*\)""", path.read_text("utf-8"))
    ]
    assert inline == []


# --- Leaflet's controls: their words and corners set in one module of each side ---


def test_leaflet_controls_are_set_only_by_map_controls():
    """The capture screen once titled its zoom through its own config; now every JS map calls
    static/js/map_controls.js, and the words come from walkapp/map_controls.py."""
    own = []
    for path in (ROOT / "static" / "js").rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        if path.name != "map_controls.js" and re.search(r"zoomInTitle|setPrefix|control\.zoom", text):
            own.append(str(path.relative_to(ROOT)))
        if re.search(r"\bL\.map\(", text):
            assert "addControls" in text, path
    assert own == []
    python = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "walkapp").rglob("*.py")
        if path.name != "map_controls.py"
        and re.search(r"[\"']Zooma (in|ut)[\"']", path.read_text(encoding="utf-8"))
    ]
    assert python == []


def test_the_leaflet_link_is_titled_in_the_readers_language(staff, db):
    from walkapp import map_controls

    assert map_controls.WORDS_SV["leaflet"] == "Ett JavaScript-bibliotek för interaktiva kartor"
    walk = seed_walk(db, "2022-03-01T18:30", state="ongoing")
    assert map_controls.WORDS_SV["leaflet"] in staff.get("/maps/overview").text
    controls = re.search(r"data-controls='([^']+)'", staff.get(f"/walks/{walk['id']}").text)
    assert json.loads(controls.group(1))["leaflet"] == map_controls.WORDS_SV["leaflet"]
    staff.get("/lang/en")
    assert "A JavaScript library for interactive maps" in staff.get("/maps/public").text
