"""Measures as coordinators work them (issue 15): good findings kept apart, triage as a queue,
several walkers' findings of one thing, the meeting view that never dead-ends, before/after."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date, timedelta

import pytest
from PIL import Image

from tests.helpers import plan_walk
from tests.test_coordinators import SERGEL, add_observation, partner_id
from walkapp import clock
from walkapp.db import measures as measures_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db
from walkapp.measures import walker_groups

NEAR_SERGEL = (18.06500, 59.33265)  # about 10 m from SERGEL


@pytest.fixture
def walk(db):
    return walks_db.create_walk(
        db, title="Kvällsvandring", starts_at="2026-11-24T18:00", place_ids=[1]
    )


def by_walker(db, walk_id, walker_name, lon, lat, **kwargs):
    with transaction(db):
        walker = walks_db.add_walker(db, walk_id, walker_name)
    observation_id = add_observation(db, walk_id, lon, lat, **kwargs)
    with transaction(db):
        db.execute("update observations set walker_id = ? where id = ?", [walker, observation_id])
    return observation_id


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return buffer.getvalue()


# --- good findings ---


def test_a_green_finding_is_kept_not_open_work(staff, db, walk):
    good = add_observation(
        db, walk["id"], *SERGEL, category="people", rating="green", note="God belysning"
    )
    red = add_observation(db, walk["id"], *SERGEL, note="Trasig lampa")
    assert measures_db.get_observation(db, good)["status"] == "keep"
    assert measures_db.get_observation(db, red)["status"] == "new"
    places = staff.get("/places").text
    row = places.split("Sergels torg")[1].split("</tr>")[0]
    assert ">1<" in row and ">2<" not in row  # one open, the green one is not
    dashboard = staff.get("/dashboard").text
    assert "Ingen ansvarig ännu" in dashboard
    place = staff.get("/places/1").text
    good_section = place.split("Det här fungerar")[1].split("</section>")[0]
    assert "God belysning" in good_section and "Trasig lampa" not in good_section
    open_section = place.split("Öppna åtgärder")[1].split("</section>")[0]
    assert "God belysning" not in open_section
    assert "Det här fungerar" in staff.get(f"/walks/{walk['id']}/protocol").text
    # Something must be done to keep it good: the coordinator makes it work to do.
    made = staff.post(
        f"/observations/{good}/status",
        data={"status": "new"},
        headers={"Accept": "application/json"},
    )
    assert made.json["section"] == "open"
    assert measures_db.get_observation(db, good)["status"] == "new"


# --- triage as a queue ---


def test_save_and_next_walks_through_untriaged_findings(staff, db, walk):
    first, second, third = (
        add_observation(db, walk["id"], *SERGEL, when=f"2026-11-24T18:3{i}:00+00:00")
        for i in range(3)
    )
    page = staff.get(f"/walks/{walk['id']}").text
    assert f"/observations/{first}/triage?queue=walk" in page and "obehandlade (3)" in page
    tk = partner_id(db, "Trafikkontoret")
    step = staff.post(
        f"/observations/{first}/triage?queue=walk",
        data={"status": "assigned", "partner_id": tk, "next": "1"},
    )
    assert step.status_code == 302 and step.location.endswith(
        f"/observations/{second}/triage?queue=walk"
    )
    assert "Spara och nästa" in staff.get(step.location).text
    step = staff.post(
        f"/observations/{second}/triage?queue=walk", data={"status": "done", "next": "1"}
    )
    assert step.location.endswith(f"/observations/{third}/triage?queue=walk")
    last = staff.post(
        f"/observations/{third}/triage?queue=walk", data={"status": "done", "next": "1"}
    )
    assert last.location.endswith(f"/walks/{walk['id']}")
    assert measures_db.untriaged_queue(db, walk_id=walk["id"]) == []
    assert [measures_db.get_observation(db, i)["status"] for i in (first, second, third)] == [
        "assigned",
        "done",
        "done",
    ]


def test_triage_follows_the_measures_lists_filter_and_order(staff, db, walk):
    """"Triagera dessa" on /measures?status=new&place=1: the queue is the list's selection in the
    list's order, its filter carried from finding to finding, and back to the list at the end."""
    first, second, third = (
        add_observation(db, walk["id"], *SERGEL, when=f"2026-11-24T18:3{i}:00+00:00")
        for i in range(3)
    )
    elsewhere = add_observation(db, walk["id"], 18.0915, 59.3385, when="2026-11-24T18:40:00+00:00")
    tk = partner_id(db, "Trafikkontoret")
    measures_db.update_measure(db, third, None, {"status": "assigned", "partner_id": tk})
    listed = "status=new&place=1"
    page = staff.get(f"/measures?{listed}").text
    start = f"/observations/{first}/triage?queue=list&amp;status=new&amp;place=1"
    assert start in page and "Triagera dessa (2)" in page
    here = f"/observations/{first}/triage?queue=list&status=new&place=1"
    page = staff.get(here).text
    assert "Spara och nästa" in page and "Kvar i urvalet: 2" in page
    # Every form of the page keeps the queue and its filter.
    assert f"/observations/{first}/public?queue=list&amp;status=new&amp;place=1" in page
    step = staff.post(here, data={"status": "assigned", "partner_id": tk, "next": "1"})
    assert step.status_code == 302
    assert step.location.endswith(f"/observations/{second}/triage?queue=list&status=new&place=1")
    assert "Kvar i urvalet: 1" in staff.get(step.location).text
    last = staff.post(step.location, data={"status": "done", "next": "1"})
    assert last.location.endswith("/measures?status=new&place=1")
    assert "Alla i urvalet är genomgångna." in staff.get(last.location).text
    assert measures_db.get_observation(db, elsewhere)["status"] == "new"  # not in the filter


def test_the_filters_queue_goes_in_the_lists_order_not_the_recording_order(staff, db, walk):
    early, late = (
        add_observation(db, walk["id"], *SERGEL, when=f"2026-11-24T18:3{i}:00+00:00")
        for i in range(2)
    )
    tk = partner_id(db, "Trafikkontoret")
    north = partner_id(db, "Norra innerstadens stadsdelsförvaltning")
    measures_db.update_measure(db, early, None, {"status": "assigned", "partner_id": tk})
    measures_db.update_measure(db, late, None, {"status": "assigned", "partner_id": north})
    page = staff.get("/measures?status=assigned").text
    assert page.index("Norra innerstadens") < page.index("Trafikkontoret")  # the list's order
    assert f"/observations/{late}/triage?queue=list&amp;status=assigned" in page
    here = f"/observations/{late}/triage?queue=list&status=assigned"
    step = staff.post(here, data={"status": "assigned", "partner_id": north, "next": "1"})
    assert step.location.endswith(f"/observations/{early}/triage?queue=list&status=assigned")


def seen_on(page: str) -> str:
    """The history row a triage page's form was opened at (its hidden `seen` field)."""
    return re.search(r'name="seen" type="hidden" value="(\d+)"', page)[1]


def test_every_triage_action_keeps_the_queue_and_its_place(staff, db, walk):
    first, second, third = (
        add_observation(db, walk["id"], *SERGEL, when=f"2026-11-24T18:3{i}:00+00:00")
        for i in range(3)
    )
    here = f"/observations/{second}/triage?queue=walk"
    hidden = staff.post(f"/observations/{second}/public?queue=walk", data={"not_public": "1"})
    assert hidden.status_code == 303 and hidden.location.endswith(here)
    assert measures_db.get_observation(db, second)["not_public"] == 1
    page = staff.get(hidden.location).text
    assert "Spara och nästa" in page and "Obehandlade kvar: 3" in page
    assert f"/observations/{second}/public?queue=walk" in page
    # Done, with the photo after: still in the queue, which goes on after this finding.
    saved = staff.post(here, data={"status": "done"})
    assert saved.status_code == 302 and saved.location.endswith(here)
    page = staff.get(here).text
    assert "Spara och nästa" in page and "Obehandlade kvar: 2" in page
    assert f"/observations/{second}/after-photos?queue=walk" in page
    photo = staff.post(
        f"/observations/{second}/after-photos?queue=walk",
        data={"photo": (io.BytesIO(jpeg()), "efter.jpg")},
    )
    assert photo.status_code == 303 and photo.location.endswith(here)
    assert len(measures_db.get_observation(db, second)["after_photo_ids"]) == 1
    assert "Spara och nästa" in staff.get(photo.location).text
    # The first is still untriaged, but the queue goes on from here: the third comes next.
    step = staff.post(here, data={"status": "done", "next": "1"})
    assert step.location.endswith(f"/observations/{third}/triage?queue=walk")
    step = staff.post(
        f"/observations/{third}/triage?queue=walk", data={"status": "done", "next": "1"}
    )
    assert step.location.endswith(f"/observations/{first}/triage?queue=walk")


def test_a_duplicate_moves_on_and_an_older_form_never_overwrites_it(staff, db, walk):
    earlier_walk = walks_db.create_walk(
        db, title="Förra vandringen", starts_at="2026-10-01T18:00", place_ids=[1]
    )
    original = add_observation(db, earlier_walk["id"], *NEAR_SERGEL)
    first, following = (
        add_observation(db, walk["id"], *SERGEL, when=f"2026-11-24T18:3{i}:00+00:00")
        for i in range(2)
    )
    here = f"/observations/{first}/triage?queue=walk"
    page = staff.get(here).text
    assert f"/observations/{first}/duplicate?queue=walk" in page
    opened_at = seen_on(page)
    marked = staff.post(
        f"/observations/{first}/duplicate?queue=walk", data={"duplicate_of": original}
    )
    assert marked.status_code == 303
    assert marked.location.endswith(f"/observations/{following}/triage?queue=walk")
    assert "Spara och nästa" in staff.get(marked.location).text
    # The first page, still open in another tab, is saved as if nothing had happened.
    tk = partner_id(db, "Trafikkontoret")
    stale = staff.post(
        here, data={"status": "assigned", "partner_id": tk, "seen": opened_at, "next": "1"}
    )
    assert stale.status_code == 409 and "ändrades efter att sidan öppnades" in stale.text
    assert '<option selected value="duplicate">' in stale.text  # shown as it is now
    line = measures_db.get_observation(db, first)
    assert line["status"] == "duplicate" and line["duplicate_of"] == original
    statuses = [
        (h["old_value"], h["new_value"])
        for h in measures_db.history(db, first)
        if h["field"] == "status"
    ]
    assert statuses == [("new", "duplicate")]
    # A form opened now may change it: that is a choice made on what is stored.
    fresh = staff.post(
        here, data={"status": "assigned", "partner_id": tk, "seen": seen_on(stale.text)}
    )
    assert fresh.status_code == 302
    assert measures_db.get_observation(db, first)["status"] == "assigned"
    garbled = staff.post(here, data={"status": "done", "seen": "x"})
    assert (
        garbled.status_code == 409
        and measures_db.get_observation(db, first)["status"] == "assigned"
    )


def test_triage_page_has_map_candidates_to_click_and_sane_deadlines(staff, db, walk):
    here = add_observation(db, walk["id"], *SERGEL)
    there = add_observation(db, walk["id"], *NEAR_SERGEL)
    page = staff.get(f"/observations/{here}/triage").text
    assert 'id="triage-map"' in page and '"pinned": true' in page  # no accuracy: a pin
    assert "Krävs för Planerad." in page and "Sista dag (frivilligt)" not in page
    assert 'name="duplicate_of" value="' + there in page
    marked = staff.post(f"/observations/{here}/duplicate", data={"duplicate_of": there})
    assert marked.status_code == 303
    line = measures_db.get_observation(db, here)
    assert line["status"] == "duplicate" and line["duplicate_of"] == there
    tk = partner_id(db, "Trafikkontoret")
    for absurd in ("9999-12-31", (date.today() + timedelta(days=365 * 6)).isoformat()):
        refused = staff.post(
            f"/observations/{there}/triage",
            data={"status": "planned", "partner_id": tk, "deadline": absurd},
        )
        assert refused.status_code == 400 and "Välj en sista dag senast" in refused.text
        assert 'id="deadline-error"' in refused.text
    assert measures_db.get_observation(db, there)["deadline"] is None


# --- several walkers, one thing ---


def test_two_walkers_same_thing_are_one_group_merged_in_one_step(staff, db, walk):
    anna = by_walker(db, walk["id"], "Anna", *SERGEL, note="Mörkt vid trappan")
    bo = by_walker(db, walk["id"], "Bo", *NEAR_SERGEL, note="Lampan är trasig")
    alone = by_walker(db, walk["id"], "Cia", *SERGEL, category="litter")
    groups = walker_groups(measures_db.observations_for_walk(db, walk["id"]))
    assert [(g["lead"]["id"], g["walkers"]) for g in groups] == [(anna, 2), (alone, 1)]
    page = staff.get(f"/walks/{walk['id']}").text
    assert "2 deltagare" in page and "Slå ihop" in page
    merged = staff.post(f"/observations/{anna}/merge", data={"others": [bo]})
    assert merged.status_code == 303
    line = measures_db.get_observation(db, bo)
    assert line["status"] == "duplicate" and line["duplicate_of"] == anna
    page = staff.get(f"/walks/{walk['id']}").text
    assert "Slå ihop" not in page and "2 deltagare" in page and "Lampan är trasig" in page
    protocol = staff.get(f"/walks/{walk['id']}/protocol").text
    assert protocol.count("Mörkt vid trappan") == 1 and "Lampan är trasig" in protocol
    assert "<dd>2</dd>" in protocol.split("Observationer")[1][:40]  # counted once


def test_the_protocol_says_why_it_counts_fewer_than_the_walk_page(staff, db, walk):
    """The walk page counts every observation; the protocol counts one thing once and says so."""
    anna = by_walker(db, walk["id"], "Anna", *SERGEL, note="Mörkt vid trappan")
    bo = by_walker(db, walk["id"], "Bo", *NEAR_SERGEL, note="Lampan är trasig")
    by_walker(db, walk["id"], "Cia", *SERGEL, category="litter", note="Skräp i rabatten")
    by_walker(db, walk["id"], "Dan", *NEAR_SERGEL, category="litter", note="Fimpar överallt")
    by_walker(db, walk["id"], "Eva", *SERGEL, category="graffiti", note="Klotter på muren")
    staff.post(f"/observations/{anna}/merge", data={"others": [bo]})
    walk_page = staff.get(f"/walks/{walk['id']}").text
    assert '<span id="observation-count">5</span>' in walk_page
    protocol = staff.get(f"/walks/{walk['id']}/protocol").text
    assert "<dd>3</dd>" in protocol.split("Observationer")[1][:40]
    assert (
        "5 observationer registrerades, varav 1 dubblett som slagits ihop och 1 fynd av samma"
        " sak från en annan deltagare: de räknas här en gång, med observationen de upprepar."
    ) in protocol
    # Nothing a walker wrote is left out: the unmerged finding's note goes with the first.
    assert "Fimpar överallt" in protocol and "Lampan är trasig" in protocol
    alone = walks_db.create_walk(db, title="Ensam", starts_at="2026-11-25T18:00", place_ids=[1])
    add_observation(db, alone["id"], *SERGEL)
    assert "registrerades, varav" not in staff.get(f"/walks/{alone['id']}/protocol").text


def test_the_protocol_csv_has_every_observation_with_its_group(staff, db, walk):
    """The CSV once held one row per group: an unmerged finding of the same thing by another
    walker and a merged duplicate were missing. Now every observation is a row, its group numbered
    as the protocol counts them, and the protocol says how the two counts relate."""
    anna = by_walker(db, walk["id"], "Anna", *SERGEL, note="Mörkt vid trappan")
    bo = by_walker(db, walk["id"], "Bo", *NEAR_SERGEL, note="Lampan är trasig")
    cia = by_walker(db, walk["id"], "Cia", *SERGEL, category="litter", note="Skräp i rabatten")
    dan = by_walker(db, walk["id"], "Dan", *NEAR_SERGEL, category="litter", note="Fimpar")
    eva = by_walker(db, walk["id"], "Eva", *SERGEL, category="graffiti", note="Klotter")
    staff.post(f"/observations/{anna}/merge", data={"others": [bo]})
    raw = staff.get(f"/walks/{walk['id']}/protocol.csv").data.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert header[-3:] == ["Observation", "Grupp", "I gruppen"]
    by_id = {row[-3]: (row[-2], row[-1]) for row in rows}
    assert sorted(by_id) == sorted([anna, bo, cia, dan, eva])  # every observation, once
    assert by_id[anna][0] == by_id[bo][0] and by_id[cia][0] == by_id[dan][0]
    assert len({group for group, _role in by_id.values()}) == 3
    assert sorted(group for group, _role in by_id.values()) == ["1", "1", "2", "2", "3"]
    assert by_id[anna][1] == "huvudfynd" and by_id[bo][1] == "dubblett, sammanslagen"
    assert {by_id[cia][1], by_id[dan][1]} == {"huvudfynd", "samma sak, inte sammanslagen"}
    assert by_id[eva][1] == "huvudfynd"
    protocol = staff.get(f"/walks/{walk['id']}/protocol").text
    assert (
        "CSV-filen har en rad för var och en av de 5 observationerna; de 3 här är dess grupper"
        " (kolumnen Grupp)."
    ) in protocol


# --- the meeting view never dead-ends ---


def quick(staff, observation_id, **data):
    return staff.post(
        f"/observations/{observation_id}/status",
        data=data,
        headers={"Accept": "application/json"},
    )


def test_quick_change_takes_deadline_and_reason_inline_and_says_where_the_row_goes(staff, db, walk):
    finding = add_observation(db, walk["id"], *SERGEL)
    tk = partner_id(db, "Trafikkontoret")
    measures_db.update_measure(db, finding, None, {"status": "assigned", "partner_id": tk})
    page = staff.get("/places/1").text
    assert f'id="d-{finding}" name="deadline"' in page and f'id="r-{finding}" name="reason"' in page
    no_date = quick(staff, finding, status="planned")
    assert no_date.status_code == 400 and "deadline" in no_date.json["errors"]
    deadline = (clock.today() + timedelta(days=14)).isoformat()
    planned = quick(staff, finding, status="planned", deadline=deadline)
    assert planned.status_code == 200, planned.json
    assert planned.json["section"] == "open" and planned.json["deadline"] == deadline
    assert measures_db.get_observation(db, finding)["deadline"] == deadline
    refused = quick(staff, finding, status="not_possible")
    assert refused.status_code == 400 and "reason" in refused.json["errors"]
    done = quick(staff, finding, status="done")
    assert done.json["section"] == "fixed"
    impossible = quick(staff, finding, status="not_possible", reason="Privat mark")
    assert impossible.json["section"] == "closed"
    assert measures_db.get_observation(db, finding)["reason"] == "Privat mark"
    # Without a partner the answer names the field the row shows.
    other = add_observation(db, walk["id"], *SERGEL)
    answer = quick(staff, other, status="assigned")
    assert answer.status_code == 400 and "ansvarar" in answer.json["errors"]["partner_id"]
    assert f'id="p-{other}" name="partner_id"' in staff.get("/places/1").text


def test_the_meeting_sets_partner_and_deadline_inline(staff, db, walk):
    """417 of 451 open measures had no partner and the meeting could not set one (issue 23.12)."""
    finding = add_observation(db, walk["id"], *SERGEL)
    tk = partner_id(db, "Trafikkontoret")
    deadline = (clock.today() + timedelta(days=30)).isoformat()
    answer = quick(staff, finding, status="planned", partner_id=tk, deadline=deadline)
    assert answer.status_code == 200, answer.json
    assert answer.json["partner"] == "Trafikkontoret" and answer.json["section"] == "open"
    line = measures_db.get_observation(db, finding)
    assert (line["status"], line["partner_id"], line["deadline"]) == ("planned", tk, deadline)


def test_only_the_chosen_status_fields_are_stored(staff, db, walk):
    """A hidden field's value never reaches the store: not possible takes no deadline."""
    finding = add_observation(db, walk["id"], *SERGEL)
    tk = partner_id(db, "Trafikkontoret")
    answer = quick(
        staff,
        finding,
        status="not_possible",
        reason="Privat mark",
        deadline="2027-02-15",
        partner_id=tk,
    )
    assert answer.status_code == 200, answer.json
    line = measures_db.get_observation(db, finding)
    assert line["status"] == "not_possible" and line["reason"] == "Privat mark"
    assert line["deadline"] is None and line["partner_id"] == tk
    # Back to new: a stray partner, reason and past date are dropped, not refused.
    again = quick(
        staff, finding, status="new", reason="glömd", deadline="2001-01-01", partner_id=tk
    )
    assert again.status_code == 200, again.json
    line = measures_db.get_observation(db, finding)
    assert (line["partner_id"], line["reason"], line["deadline"]) == (None, "", None)
    fields = [e["field"] for e in measures_db.history(db, finding)]
    assert "deadline" not in fields


def test_a_row_leaving_the_open_list_lands_in_its_section_with_an_undo(staff, db, walk):
    finding = add_observation(db, walk["id"], *SERGEL, note="Lampan vid trappan")
    tk = partner_id(db, "Trafikkontoret")
    measures_db.update_measure(
        db, finding, None, {"status": "planned", "partner_id": tk, "deadline": "2020-01-01"}
    )
    moved = quick(staff, finding, status="not_possible", reason="Privat mark")
    assert moved.status_code == 200 and moved.json["section"] == "closed"
    page = staff.get("/places/1").text
    closed = page.split('id="closed-heading"')[1].split("</section>")[0]
    assert "Lampan vid trappan" in closed and f'action="/observations/{finding}/undo"' in closed
    assert "Lampan vid trappan" not in page.split('id="open-heading"')[1].split("</section>")[0]
    undone = staff.post(f"/observations/{finding}/undo", headers={"Accept": "application/json"})
    assert undone.status_code == 200, undone.json
    assert undone.json["section"] == "open" and undone.json["status"] == "planned"
    line = measures_db.get_observation(db, finding)
    # Back as it was, the overdue deadline too.
    assert (line["status"], line["partner_id"], line["deadline"], line["reason"]) == (
        "planned",
        tk,
        "2020-01-01",
        "",
    )
    statuses = [
        (e["old_value"], e["new_value"])
        for e in measures_db.history(db, finding)
        if e["field"] == "status"
    ]
    assert statuses[:2] == [("not_possible", "planned"), ("planned", "not_possible")]
    page = staff.get("/places/1").text
    assert "Lampan vid trappan" in page.split('id="open-heading"')[1].split("</section>")[0]
    # Undoing the undo is a change of status too; with no status change there is nothing to undo.
    other = add_observation(db, walk["id"], *SERGEL)
    nothing = staff.post(f"/observations/{other}/undo", headers={"Accept": "application/json"})
    assert nothing.status_code == 400 and "ångra" in nothing.json["errors"]["status"]


# --- before and after ---


def test_after_photo_by_the_coordinator_once_done(staff, db, walk):
    finding = add_observation(db, walk["id"], *SERGEL)
    upload = {"photo": (io.BytesIO(jpeg()), "efter.jpg")}
    staff.post(f"/observations/{finding}/after-photos", data=upload)
    assert measures_db.get_observation(db, finding)["after_photo_ids"] == []  # not done yet
    measures_db.update_measure(db, finding, None, {"status": "done"})
    answer = staff.post(
        f"/observations/{finding}/after-photos",
        data={"photo": (io.BytesIO(jpeg()), "efter.jpg")},
    )
    assert answer.status_code == 303
    line = measures_db.get_observation(db, finding)
    assert len(line["after_photo_ids"]) == 1 and line["photo_ids"] == []
    for page in ("/places/1", f"/walks/{walk['id']}/protocol", f"/observations/{finding}/triage"):
        html = staff.get(page).text
        assert "Efter" in html and line["after_photo_ids"][0] in html, page


def test_walker_on_a_repeat_walk_photographs_a_fixed_earlier_finding(client, db, walk):
    earlier = add_observation(db, walk["id"], *SERGEL)
    measures_db.update_measure(db, earlier, None, {"status": "verified"})
    open_one = add_observation(db, walk["id"], *SERGEL)
    repeat = walks_db.create_walk(
        db, title="Återbesök", starts_at="2027-03-01T18:00", place_ids=[1], state="ongoing"
    )
    token = client.post("/api/join", json={"code": repeat["code"]}).json["token"]
    bearer = {"Authorization": "Bearer " + token}
    listed = client.get(f"/api/walks/{repeat['id']}/earlier", headers=bearer).json["findings"]
    assert [f["id"] for f in listed] == [earlier] and "note" not in listed[0]
    url = f"/api/walks/{repeat['id']}/earlier/{{}}/after-photos"
    refused = client.post(
        url.format(open_one),
        data={"id": str(uuid.uuid4()), "photo": (io.BytesIO(jpeg()), "a.jpg")},
        headers=bearer,
    )
    assert refused.status_code == 404
    photo_id = str(uuid.uuid4())
    stored = client.post(
        url.format(earlier),
        data={"id": photo_id, "photo": (io.BytesIO(jpeg()), "a.jpg")},
        headers=bearer,
    )
    assert stored.status_code == 201 and stored.json["kind"] == "after"
    again = client.post(
        url.format(earlier),
        data={"id": photo_id, "photo": (io.BytesIO(jpeg()), "a.jpg")},
        headers=bearer,
    )
    assert again.status_code == 200  # a retry from the outbox stores nothing twice
    assert measures_db.get_observation(db, earlier)["after_photo_ids"] == [photo_id]


# --- walks ---


def test_walk_form_public_checkbox_and_place_checkboxes(staff, db):
    form = staff.get("/walks/new").text
    assert 'type="checkbox" value="1"' in form and "Visa på den publika sidan" in form
    assert "Ctrl" not in form
    plan_walk(staff, "Publik", place_ids=["1", "2"], public="y")
    walk = walks_db.find_walk_by_title(db, "Publik")
    assert walk["public"] == 1 and walks_db.walk_place_ids(db, walk["id"]) == [1, 2]
    staff.post(
        f"/walks/{walk['id']}/edit",
        data={"title": "Publik", "starts_at": "2026-12-03T18:00", "light": "dark"},
    )
    assert walks_db.get_walk(db, walk["id"])["public"] == 0


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"starts_at": "0001-01-01T18:00"}, "starts_at", "Välj ett datum mellan"),
        ({"starts_at": "9999-12-31T18:00"}, "starts_at", "Välj ett datum mellan"),
        ({"follow_up_at": "2026-12-01T18:00"}, "follow_up_at", "efter vandringen"),
        ({"pre_meeting_at": "2026-12-05T18:00"}, "pre_meeting_at", "före vandringen"),
    ],
)
def test_walk_dates_out_of_bounds_or_order_are_refused_beside_the_field(
    staff, db, fields, field, message
):
    data = {"title": "Datum", "starts_at": "2026-12-03T18:00", "light": "dark", **fields}
    response = staff.post("/walks/new", data=data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text and message in response.text
    assert walks_db.find_walk_by_title(db, "Datum") is None


def test_a_walker_changing_the_rating_before_triage_moves_the_first_status(client, db, walk):
    with transaction(db):
        db.execute("update walks set state = 'ongoing' where id = ?", [walk["id"]])
    token = client.post("/api/join", json={"code": walk["code"]}).json["token"]
    bearer = {"Authorization": "Bearer " + token}
    observation_id = str(uuid.uuid4())
    client.post(
        f"/api/walks/{walk['id']}/observations",
        json={
            "id": observation_id,
            "category": "graffiti",
            "rating": "green",
            "lon": SERGEL[0],
            "lat": SERGEL[1],
            "recorded_at": "2026-11-24T18:10:00+01:00",
        },
        headers=bearer,
    )
    assert measures_db.get_observation(db, observation_id)["status"] == "keep"
    edited = client.patch(
        f"/api/walks/{walk['id']}/observations/{observation_id}",
        json={"rating": "red"},
        headers=bearer,
    )
    assert edited.status_code == 200, edited.json
    assert measures_db.get_observation(db, observation_id)["status"] == "new"


def test_a_change_without_a_comment_keeps_the_last_comment(staff, db, walk):
    """The protocol's "Kommentar" is the last comment written: a quick change at the meeting
    (which has no comment field) and a triage save with an empty comment never wipe it."""
    observation_id = add_observation(db, walk["id"], *SERGEL)
    partner = partner_id(db, "Trafikkontoret")
    deadline = (clock.today() + timedelta(days=30)).isoformat()
    staff.post(
        f"/observations/{observation_id}/triage",
        data={
            "status": "assigned",
            "partner_id": partner,
            "deadline": deadline,
            "comment": "Lampan byts i vecka 3",
        },
    )
    assert measures_db.get_observation(db, observation_id)["comment"] == "Lampan byts i vecka 3"
    staff.post(
        f"/observations/{observation_id}/status",
        data={"status": "planned", "partner_id": partner, "deadline": deadline},
    )
    line = measures_db.get_observation(db, observation_id)
    assert line["status"] == "planned" and line["comment"] == "Lampan byts i vecka 3"
    staff.post(
        f"/observations/{observation_id}/triage",
        data={"status": "done", "partner_id": partner, "deadline": deadline, "comment": ""},
    )
    line = measures_db.get_observation(db, observation_id)
    assert line["status"] == "done" and line["comment"] == "Lampan byts i vecka 3"


def test_a_walker_removes_their_after_photo_while_the_repeat_walk_is_open(client, db, walk):
    earlier = add_observation(db, walk["id"], *SERGEL)
    measures_db.update_measure(db, earlier, None, {"status": "done"})
    walks_db.set_state(db, walk["id"], "closed")
    repeat = walks_db.create_walk(
        db, title="Återbesök", starts_at="2027-03-01T18:00", place_ids=[1], state="ongoing"
    )

    def bearer(name):
        token = client.post("/api/join", json={"code": repeat["code"], "name": name}).json
        return {"Authorization": "Bearer " + token["token"]}

    anna, bo = bearer("Anna"), bearer("Bo")
    photo_ids = []
    for _ in range(2):
        photo_ids.append(str(uuid.uuid4()))
        stored = client.post(
            f"/api/walks/{repeat['id']}/earlier/{earlier}/after-photos",
            data={"id": photo_ids[-1], "photo": (io.BytesIO(jpeg()), "a.jpg")},
            headers=anna,
        )
        assert stored.status_code == 201
    url = f"/api/observations/{earlier}/photos/{{}}"
    assert client.delete(url.format(photo_ids[0]), headers=bo).status_code == 404  # not Bo's
    assert client.delete(url.format(photo_ids[0]), headers=anna).status_code == 204
    assert measures_db.get_observation(db, earlier)["after_photo_ids"] == [photo_ids[1]]
    # Once the repeat walk is closed the photo stays.
    walks_db.set_state(db, repeat["id"], "closed")
    assert client.delete(url.format(photo_ids[1]), headers=anna).status_code == 409
    assert measures_db.get_observation(db, earlier)["after_photo_ids"] == [photo_ids[1]]


def test_walker_groups_find_the_same_groups_as_comparing_every_pair():
    """The grid of SAME_FINDING_M cells gives what comparing each observation with every other
    gives (the rule as first written), on a dense walk with merged duplicates."""
    import random

    from walkapp.measures import SAME_FINDING_M, walker_groups
    from walkapp.places import metres_between

    rng = random.Random(5)
    observations = []
    for i in range(400):
        observations.append(
            {
                "id": f"o{i:03d}",
                "lon": 18.0649 + rng.uniform(-0.0015, 0.0015),
                "lat": 59.3326 + rng.uniform(-0.0008, 0.0008),
                "category": rng.choice(["lighting", "litter", "graffiti"]),
                "walker_id": f"w{rng.randrange(6)}",
                "status": "new",
                "duplicate_of": None,
            }
        )
    for o in observations[::37]:
        o["status"], o["duplicate_of"] = "duplicate", "o000"

    def every_pair(rows):
        by_id = {r["id"]: r for r in rows}
        merged, leads = {}, []
        for r in rows:
            if r["status"] == "duplicate" and r["duplicate_of"] in by_id:
                merged.setdefault(r["duplicate_of"], []).append(r["id"])
            else:
                leads.append(r)
        taken, groups = set(), []
        for lead in leads:
            if lead["id"] in taken:
                continue
            taken.add(lead["id"])
            near = [
                o
                for o in leads
                if o["id"] not in taken
                and o["status"] != "duplicate"
                and o["category"] == lead["category"]
                and o["walker_id"] != lead["walker_id"]
            ]
            far = metres_between((lead["lon"], lead["lat"]), [(o["lon"], o["lat"]) for o in near])
            same = [o["id"] for o, d in zip(near, far) if d <= SAME_FINDING_M]
            taken.update(same)
            groups.append((lead["id"], merged.get(lead["id"], []), same))
        return groups

    ours = [
        (g["lead"]["id"], [m["id"] for m in g["merged"]], [c["id"] for c in g["candidates"]])
        for g in walker_groups(observations)
    ]
    assert ours == every_pair(observations)
    assert sum(len(c) for _lead, _merged, c in ours) > 50  # the walk is dense: groups are found


def _row_seen(page: str, observation_id: str) -> str:
    form = re.search(
        rf'action="/observations/{observation_id}/status".*?name="seen" value="(\d+)"', page, re.S
    )
    return form.group(1)


def test_the_quick_change_sends_seen_so_a_later_change_is_not_overwritten(staff, db, walk):
    finding = add_observation(db, walk["id"], *SERGEL)
    tk = partner_id(db, "Trafikkontoret")
    measures_db.update_measure(db, finding, None, {"status": "assigned", "partner_id": tk})
    # Two coordinators have the meeting's place page open.
    opened = _row_seen(staff.get("/places/1").text, finding)
    assert int(opened) == measures_db.last_change(db, finding)
    first = quick(staff, finding, status="done", seen=opened)
    assert first.status_code == 200 and first.json["seen"] == measures_db.last_change(db, finding)
    # The other page, opened before that change, changes nothing and says why.
    second = quick(staff, finding, status="not_possible", reason="Privat mark", seen=opened)
    assert second.status_code == 409
    assert "ändrades efter att sidan öppnades" in second.json["errors"]["seen"]
    assert measures_db.get_observation(db, finding)["status"] == "done"
    # The row's next change is made on the answer's seen (what the page's script keeps).
    third = quick(
        staff, finding, status="not_possible", reason="Privat mark", seen=str(first.json["seen"])
    )
    assert third.status_code == 200
    assert measures_db.get_observation(db, finding)["status"] == "not_possible"
    assert _row_seen(staff.get("/places/1").text, finding) == str(third.json["seen"])


def test_the_duplicate_button_sends_seen_so_a_later_change_is_not_overwritten(staff, db, walk):
    original, other = (add_observation(db, walk["id"], *SERGEL) for _ in range(2))
    page = staff.get(f"/observations/{other}/triage").text
    opened = re.search(
        rf'action="/observations/{other}/duplicate[^"]*".*?name="seen" value="(\d+)"', page, re.S
    ).group(1)
    # Someone assigns it in between, from the meeting.
    tk = partner_id(db, "Trafikkontoret")
    assert quick(staff, other, status="assigned", partner_id=tk).status_code == 200
    stale = staff.post(
        f"/observations/{other}/duplicate", data={"duplicate_of": original, "seen": opened}
    )
    assert stale.status_code == 303 and stale.location.endswith(f"/observations/{other}/triage")
    assert "ändrades efter att sidan öppnades" in staff.get(stale.location).text
    assert measures_db.get_observation(db, other)["status"] == "assigned"
    # From the page as it is now, the duplicate is marked.
    fresh = seen_on(staff.get(f"/observations/{other}/triage").text)
    marked = staff.post(
        f"/observations/{other}/duplicate", data={"duplicate_of": original, "seen": fresh}
    )
    assert marked.status_code == 303
    line = measures_db.get_observation(db, other)
    assert line["status"] == "duplicate" and line["duplicate_of"] == original


def test_a_duplicates_row_in_the_list_shows_it_is_one(staff, db, walk):
    """The measures list's quick change leaves "Dubblett" out of its choices, but a row that is a
    duplicate shows it selected: not "Ny", which one press of "Ändra" would have stored (the
    tester saw it)."""
    original = add_observation(db, walk["id"], *NEAR_SERGEL)
    copy = add_observation(db, walk["id"], *SERGEL)
    marked = staff.post(f"/observations/{copy}/duplicate", data={"duplicate_of": original})
    assert marked.status_code == 303
    page = staff.get("/measures?status=duplicate").text
    row = page.split(f'<select id="s-{copy}" name="status">')[1].split("</select>")[0]
    assert '<option value="duplicate" selected>' in row
    other = staff.get("/measures").text.split(f'<select id="s-{original}" name="status">')[1]
    assert 'value="duplicate"' not in other.split("</select>")[0]
