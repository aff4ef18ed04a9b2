"""Walkers hear back (issue 25, point 3), over a real SMTP server: a walker may leave an address on
joining (opt-in, said why, in their language), retention forgets it with the names; a finding of
theirs made done or verified brings one mail per walk with signed photo links and the follow-up
link; four weeks after done, "Är det åtgärdat?" — "no" reopens it into triage with the answer in the
history, "yes" keeps it done, each answer once; no address, no mail."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from tests.helpers import PASSWORD, database_at, hash_password, make_app
from tests.smtp_server import PUBLIC
from tests.test_coordinators import SERGEL, add_observation
from walkapp import clock, mail, mail_texts, measures
from walkapp.db import connect, database_path
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import sessions as sessions_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.db.migrations import migrate

ADDRESS = "sara@example.se"


def test_the_join_form_asks_for_an_address_and_says_why(client, walk):
    page = client.get(f"/j/{walk['code']}")
    assert 'type="email"' in page.text and "raderas med vandringens namn" in page.text
    client.set_cookie("lang", "fi")
    assert "Sähköpostisi (vapaaehtoinen)" in client.get(f"/j/{walk['code']}").text


def test_an_address_left_on_joining_is_stored_with_the_language(client, db, walk):
    client.set_cookie("lang", "ar")
    answer = client.post(f"/j/{walk['code']}", data={"name": "", "email": f"  {ADDRESS} "})
    assert answer.status_code == 302
    stored = db.execute("select email, language from walkers").fetchone()
    assert stored == (ADDRESS, "ar")


def test_no_address_is_no_address(client, db, walk):
    assert client.post(f"/j/{walk['code']}", data={"name": "Sara"}).status_code == 302
    assert db.execute("select email from walkers").fetchone() == (None,)


def test_a_mistyped_address_is_a_400_naming_the_field(client, db, walk):
    answer = client.post(f"/j/{walk['code']}", data={"email": "sara at example"})
    assert answer.status_code == 400 and "namn@exempel.se" in answer.text
    api = client.post("/api/join", json={"code": walk["code"], "email": "nope"})
    assert api.status_code == 400 and "email" in api.json["errors"]
    api = client.post("/api/join", json={"code": walk["code"], "email": ["x"]})
    assert api.status_code == 400
    assert db.execute("select count(*) from walkers").fetchone() == (0,)


def test_the_api_takes_an_address_too(client, db, walk):
    made = client.post("/api/join", json={"code": walk["code"], "email": ADDRESS})
    assert made.status_code == 201
    assert db.execute("select email from walkers").fetchone() == (ADDRESS,)


def test_retention_forgets_the_address_with_the_name_and_the_mails(app, runner, db, walk):
    old = walks_db.add_walker(db, walk["id"], "", ADDRESS, "sv")
    recent = walks_db.add_walker(db, walk["id"], "", "ny@example.se", "sv")
    long_ago = (datetime.now(UTC) - timedelta(days=200)).isoformat()
    db.execute("update walkers set joined_at = ? where id = ?", [long_ago, old])
    db.execute(
        "insert into mail_outbox (dedupe_key, kind, walker_id, recipient, subject, body_text,"
        " body_html, created_at, next_attempt_at, sent_at) values ('k', 'fixed', ?, ?, 's', 'b',"
        " 'h', ?, ?, ?)",
        [old, ADDRESS, long_ago, long_ago, long_ago],
    )
    db.conn.commit()
    dry = runner.invoke(args=["retention"])
    assert f"address of walker {old}" in dry.output
    assert json.loads(dry.output.splitlines()[-1])["names"] == 1
    runner.invoke(args=["retention", "--apply"])
    emails = dict(db.execute("select id, email from walkers").fetchall())
    assert emails == {old: None, recent: "ny@example.se"}
    assert db.execute("select count(*) from mail_outbox").fetchone() == (0,)


# --- the mails, over a real SMTP server ---------------------------------------------------------


def add_photo(app, db, observation_id: str, kind: str) -> str:
    photo_id = str(uuid.uuid4())
    folder = database_path(app).parent / "photos"
    for name, body in (
        (f"{photo_id}.jpg", b"\xff\xd8big"),
        (f"{photo_id}.thumb.jpg", b"\xff\xd8thumb"),
    ):
        (folder / name).write_bytes(body)
    db["photos"].insert(
        {"id": photo_id, "observation_id": observation_id, "filename": f"{photo_id}.jpg",
         "thumb_filename": f"{photo_id}.thumb.jpg", "bytes": 9, "width": 1, "height": 1,
         "created_at": "2026-11-24T18:31:00+00:00", "kind": kind}
    )  # fmt: skip
    return photo_id


@pytest.fixture
def world(tmp_path, smtp):
    """A walk at Sergels torg: Sara left her address (Swedish), Bo did not; each found a broken
    lamp; Trafikkontoret has them, Sara's with a before and an after photo."""
    app = make_app(tmp_path, **smtp.settings())
    db = connect(database_path(app))
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
    kim = users_db.create_user(db, "kim", hash_password(PASSWORD), "coordinator")
    walk = walks_db.create_walk(db, title="Kväll vid Plattan", starts_at="2026-11-24T18:00")
    sara = walks_db.add_walker(db, walk["id"], "Sara Synlig", ADDRESS, "sv")
    bo = walks_db.add_walker(db, walk["id"], "Bo Hemlig", None, "sv")
    found = {}
    for walker, note in ((sara, "Lampan släckt vid trappan"), (bo, "Mörkt vid rulltrappan")):
        found[walker] = add_observation(db, walk["id"], *SERGEL, note=note)
        db.execute("update observations set walker_id = ? where id = ?", [walker, found[walker]])
    before = add_photo(app, db, found[sara], "before")
    after = add_photo(app, db, found[sara], "after")
    db.conn.commit()
    yield SimpleNamespace(app=app, db=db, tk=tk, kim=kim, walk=walk, sara=sara, bo=bo,
                          found=found, before=before, after=after)  # fmt: skip
    db.close()


def later(**delta) -> datetime:
    return clock.now_utc() + timedelta(**delta)


def fix(w, walker: str, status: str = "done") -> None:
    with w.app.app_context():
        measures.set_status(w.db, w.found[walker], "assigned", None, partner_id=w.tk)
        measures.set_status(w.db, w.found[walker], status, None, partner_id=w.tk)


def run_mail(w, moment: datetime) -> int:
    with w.app.app_context():
        queued = mail.prepare(w.db, mail_texts.compose, moment)
        mail.send_due(w.db)
    return queued


def links(text: str) -> list[str]:
    return re.findall(r"https://walkapp\.example\.se\S+", text)




def test_a_done_finding_brings_its_walker_one_mail_with_photo_links(world, smtp):
    fix(world, world.sara)
    fix(world, world.bo)  # no address: no mail
    assert run_mail(world, later(minutes=1)) == 0  # the round goes on: not yet
    assert run_mail(world, later(minutes=11)) == 1
    assert run_mail(world, later(minutes=12)) == 0  # once
    [message] = smtp.inbox.messages
    assert message["To"] == ADDRESS
    assert message["Subject"] == "Åtgärdat: det du hittade – Kväll vid Plattan"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Lampan släckt vid trappan" in text and "Åtgärdat av Trafikkontoret." in text
    assert "Mörkt vid rulltrappan" not in text  # Bo's finding is Bo's
    assert "Bo Hemlig" not in text + html and "Sara Synlig" not in text + html
    assert f"{PUBLIC}/j/{world.walk['code']}/follow-up" in text
    photos = [url for url in links(text) if "/mail/photos/" in url]
    assert len(photos) == 2 and all(url in html for url in photos)
    client = world.app.test_client()
    fetched = [client.get(url) for url in photos]
    assert [r.status_code for r in fetched] == [200, 200]
    assert {r.data for r in fetched} == {b"\xff\xd8big"} and fetched[0].mimetype == "image/jpeg"
    thumb = re.search(r'<img src="([^"]+)"', html).group(1)
    assert client.get(thumb).data == b"\xff\xd8thumb"
    # Without the token, or with a forged one: nothing.
    assert client.get(f"{PUBLIC}/mail/photos/{world.before}").status_code == 404
    assert client.get(photos[0][:-3] + "xyz").status_code == 404
    assert client.get(
        f"{PUBLIC}/observations/{world.found[world.sara]}/photos/{world.before}.jpg"
    ).status_code in (401, 403)
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe in text and "/mail/stop/" in unsubscribe


def test_a_photo_link_expires(world, smtp, monkeypatch):
    with world.app.app_context():
        token = mail_texts.photo_token(world.after)
    client = world.app.test_client()
    assert client.get(f"{PUBLIC}/mail/photos/{token}").status_code == 200
    monkeypatch.setattr(mail_texts, "PHOTO_LINK_DAYS", -1)
    expired = client.get(f"{PUBLIC}/mail/photos/{token}")
    assert expired.status_code == 403 and "gått ut" in expired.text


def test_verified_without_done_is_one_mail_and_done_then_verified_no_second(world, smtp):
    fix(world, world.sara)
    run_mail(world, later(minutes=11))
    with world.app.app_context():
        measures.set_status(world.db, world.found[world.sara], "verified", None)
    run_mail(world, later(minutes=30))
    assert len(smtp.inbox.messages) == 1


def test_the_walkers_mail_is_in_their_language(world, smtp):
    world.db.execute("update walkers set language = 'ar' where id = ?", [world.sara])
    world.db.conn.commit()
    fix(world, world.sara)
    run_mail(world, later(minutes=11))
    [message] = smtp.inbox.messages
    html = message.get_body(("html",)).get_content()
    assert message["Subject"] == "تم الإصلاح: ما وجدته – Kväll vid Plattan"
    assert 'lang="ar" dir="rtl"' in html and "أصلحه Trafikkontoret" in html


def test_one_click_stops_the_walkers_mail_and_forgets_the_address(world, smtp):
    fix(world, world.sara)
    run_mail(world, later(minutes=11))
    stop = smtp.inbox.messages[0]["List-Unsubscribe"].strip("<>")
    client = world.app.test_client()
    assert "radera" in client.get(stop).text.lower()
    assert world.db.execute("select email from walkers where id = ?", [world.sara]).fetchone() == (
        ADDRESS,
    )
    done = client.post(stop, data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert done.status_code == 200 and "raderad" in done.text
    assert world.db.execute("select email from walkers where id = ?", [world.sara]).fetchone() == (
        None,
    )
    assert client.post(f"{PUBLIC}/mail/stop/forged").status_code == 404
    assert run_mail(world, later(days=30)) == 0  # no question either


# --- four weeks later: "Är det åtgärdat?" -------------------------------------------------------


def asked(world, smtp) -> dict:
    """Sara's finding done; the question four weeks later; its links by answer."""
    fix(world, world.sara)
    run_mail(world, later(minutes=11))
    assert run_mail(world, later(days=27)) == 0  # not yet
    assert run_mail(world, later(days=29)) == 1
    assert run_mail(world, later(days=30)) == 0  # asked once
    message = smtp.inbox.messages[-1]
    assert message["Subject"] == "Är det åtgärdat? Fråga från Kväll vid Plattan"
    text = message.get_body(("plain",)).get_content()
    answers = [url for url in links(text) if "/mail/answer/" in url]
    assert len(answers) == 2
    return {"yes": answers[0], "no": answers[1], "text": text}


def status_of(world) -> tuple:
    return world.db.execute(
        "select status, partner_id from measures where observation_id = ?",
        [world.found[world.sara]],
    ).fetchone()


def history_of(world) -> list[tuple]:
    return world.db.execute(
        "select field, old_value, new_value from measure_history where observation_id = ?"
        " order by id", [world.found[world.sara]]
    ).fetchall()  # fmt: skip


def test_no_reopens_it_into_triage_with_the_answer_in_the_history(world, smtp):
    question = asked(world, smtp)
    assert "Ja, det är åtgärdat:" in question["text"]
    client = world.app.test_client()
    page = client.get(question["no"])  # a mail program's link checker: changes nothing
    assert page.status_code == 200 and "Skicka svaret" in page.text
    assert status_of(world) == ("done", world.tk)
    answered = client.post(question["no"])
    assert answered.status_code == 200 and "öppnad igen" in answered.text
    assert status_of(world) == ("assigned", world.tk)
    before = history_of(world)
    assert before[-2:] == [("status", "done", "assigned"), ("walker_answer", None, "no")]
    # A second click, either answer, changes nothing.
    assert "redan svarat" in client.post(question["no"]).text
    assert "redan svarat" in client.post(question["yes"]).text
    assert history_of(world) == before and status_of(world) == ("assigned", world.tk)
    # The coordinator sees it with the answer in words.
    staff = world.app.test_client()
    with staff.session_transaction(base_url=PUBLIC) as session:
        session["sid"] = sessions_db.start(world.db, world.kim, 12)
    triage = staff.get(f"{PUBLIC}/observations/{world.found[world.sara]}/triage").text
    assert "Deltagaren svarade: inte åtgärdat" in triage
    listed = staff.get(f"{PUBLIC}/measures?status=assigned").text
    assert world.found[world.sara] in listed


def test_yes_keeps_it_done_and_notes_the_answer(world, smtp):
    question = asked(world, smtp)
    client = world.app.test_client()
    assert "Tack" in client.post(question["yes"]).text
    assert status_of(world) == ("done", world.tk)
    assert history_of(world)[-1] == ("walker_answer", None, "yes")
    client.post(question["no"])
    assert status_of(world) == ("done", world.tk)


def test_an_answer_link_that_is_forged_or_expired_is_refused(world, smtp, monkeypatch):
    question = asked(world, smtp)
    client = world.app.test_client()
    assert client.post(question["no"][:-4] + "abcd").status_code == 404
    assert client.get(f"{PUBLIC}/mail/answer/nonsense").status_code == 404
    monkeypatch.setattr(mail_texts, "ANSWER_LINK_DAYS", -1)
    assert client.post(question["no"]).status_code == 403
    assert status_of(world) == ("done", world.tk)


def fixed_then_reopened(world) -> None:
    """Sara's finding done (its mail sent), then given back to the partner."""
    fix(world, world.sara)
    run_mail(world, later(minutes=11))
    with world.app.app_context():
        measures.set_status(
            world.db, world.found[world.sara], "assigned", None, partner_id=world.tk
        )


def test_a_finding_reopened_before_four_weeks_is_not_asked_about(world, smtp):
    fixed_then_reopened(world)
    assert run_mail(world, later(days=29)) == 0


def test_fixed_reopened_and_fixed_again_is_asked_once_four_weeks_after_the_second_fix(world, smtp):
    fixed_then_reopened(world)
    # Fixed again on day 20 (its history stamped so): asked only four weeks after that.
    fix(world, world.sara)
    world.db.execute(
        "update measure_history set changed_at = ? where id = (select max(id) from measure_history)",
        [clock.stamp(later(days=20))],
    )
    world.db.execute(
        "update mail_walker_events set happened_at = ? where history_id = "
        "(select max(history_id) from mail_walker_events)",
        [clock.stamp(later(days=20))],
    )
    world.db.conn.commit()
    questions = lambda: [m for m in smtp.inbox.messages if m["Subject"].startswith("Är det")]  # noqa: E731
    run_mail(world, later(days=21))
    run_mail(world, later(days=29))
    assert questions() == []  # the first fix is no longer what is asked about
    run_mail(world, later(days=49))
    assert len(questions()) == 1
    run_mail(world, later(days=60))
    assert len(questions()) == 1


# --- merged findings: each walker of one thing hears back ---------------------------------------

BO_ADDRESS = "bo@example.se"


def merged(world) -> None:
    """Bo left an address too; his dark escalator is merged into Sara's lamp (one thing)."""
    world.db.execute("update walkers set email = ? where id = ?", [BO_ADDRESS, world.bo])
    world.db.conn.commit()
    lead = measures_db.get_observation(world.db, world.found[world.sara])
    with world.app.app_context():
        assert measures.merge(world.db, lead, [world.found[world.bo]], world.kim) == 1


def test_fixing_a_merged_finding_tells_each_walker_of_it_their_own_words(world, smtp):
    merged(world)
    fix(world, world.sara)
    assert run_mail(world, later(minutes=11)) == 2
    assert run_mail(world, later(minutes=12)) == 0  # once each
    by_address = {m["To"]: m for m in smtp.inbox.messages}
    assert set(by_address) == {ADDRESS, BO_ADDRESS}
    bo = by_address[BO_ADDRESS].get_body(("plain",)).get_content()
    # Bo's own note, the fix of the finding his was merged into, with its after photo.
    assert "Mörkt vid rulltrappan" in bo and "Lampan släckt vid trappan" not in bo
    assert "Åtgärdat av Trafikkontoret." in bo
    photos = [url for url in links(bo) if "/mail/photos/" in url]
    fetched = world.app.test_client().get(photos[-1])
    assert fetched.status_code == 200 and fetched.data == b"\xff\xd8big"
    assert "Sara Synlig" not in bo
    stored = world.db.execute(
        "select observation_id, measure_id, walker_id from mail_walker_events order by id"
    ).fetchall()
    assert set(stored) == {
        (world.found[world.sara], world.found[world.sara], world.sara),
        (world.found[world.bo], world.found[world.sara], world.bo),
    }


def test_a_no_from_a_merged_findings_walker_reopens_the_finding_it_was_merged_into(world, smtp):
    merged(world)
    fix(world, world.sara)
    run_mail(world, later(minutes=11))
    assert run_mail(world, later(days=29)) == 2  # a question to each
    [question] = [m for m in smtp.inbox.messages if m["To"] == BO_ADDRESS and
                  m["Subject"].startswith("Är det")]  # fmt: skip
    no = [url for url in links(question.get_body(("plain",)).get_content()) if "/mail/answer/" in url][1]
    answered = world.app.test_client().post(no)
    assert answered.status_code == 200 and "öppnad igen" in answered.text
    assert status_of(world) == ("assigned", world.tk)  # Sara's, the measure of the one thing
    assert history_of(world)[-1] == ("walker_answer", None, "no")
    bo_status = world.db.execute(
        "select status from measures where observation_id = ?", [world.found[world.bo]]
    ).fetchone()
    assert bo_status == ("duplicate",)


def test_the_upgrade_to_0019_keeps_each_event_and_its_answer_links(tmp_path):
    db = database_at(tmp_path, "0017_walks_organisers")
    walk = walks_db.create_walk(db, title="Före", starts_at="2026-11-24T18:00")
    walker = walks_db.add_walker(db, walk["id"], "Sara", ADDRESS, "sv")
    found = add_observation(db, walk["id"], *SERGEL, note="Lampan")
    db.execute("update observations set walker_id = ? where id = ?", [walker, found])
    db.execute(
        "insert into measure_history (observation_id, field, old_value, new_value, changed_at)"
        " values (?, 'status', 'assigned', 'done', '2026-11-25T10:00:00+00:00')",
        [found],
    )
    history = db.execute("select max(id) from measure_history").fetchone()[0]
    db.execute(
        "insert into mail_walker_events (history_id, observation_id, walker_id, walk_id, status,"
        " happened_at, mailed_at, asked_at) values (?, ?, ?, ?, 'done', '2026-11-25', '2026-11-25',"
        " '2026-12-23')",
        [history, found, walker, walk["id"]],
    )
    db.conn.commit()
    assert "0019_mail_walker_events_merged" in migrate(db)
    row = db.execute(
        "select id, history_id, observation_id, measure_id, asked_at from mail_walker_events"
    ).fetchone()
    # The id is the history row's: a link in a question already sent names this event still.
    assert row == (history, history, found, found, "2026-12-23")
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert "measures_duplicate_of" in {i.name for i in db["measures"].indexes}
