"""Mail over a real SMTP server (aiosmtpd, STARTTLS with a certificate made here, AUTH): a walk's
assignments make one mail per partner person, in their language, plain text and HTML; nothing is
mailed twice (again, after a restart, after kill -9 of the worker); failures are retried; the
one-click unsubscribe holds; without WALKAPP_SMTP_URL nothing is sent and the screens say so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import make_app, walkapp_in_process
from tests.smtp_server import PUBLIC, SmtpServer
from tests.test_coordinators import SERGEL, add_observation
from walkapp import clock, mail, mail_texts, measures
from walkapp.db import connect, database_path
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db

compose = mail_texts.compose


@pytest.fixture
def world(tmp_path, smtp):
    """An app mailing through the server; Trafikkontoret with two people (Swedish, English) and
    one without an address; a walk with three findings at Sergels torg."""
    app = make_app(tmp_path, **smtp.settings())
    db = connect(database_path(app))
    partners_db.ensure_partners(db, ["Trafikkontoret", "Fastighetsägaren"])
    tk = partners_db.find_by_name(db, "trafikkontoret")["id"]
    other = partners_db.find_by_name(db, "Fastighetsägaren")["id"]
    people = {
        "anna": users_db.create_user(db, "anna", "x", "partner", partner_id=tk,
                                     email="anna@trafik.example", language="sv"),
        "ben": users_db.create_user(db, "ben", "x", "partner", partner_id=tk,
                                    email="ben@trafik.example", language="en"),
        "nomail": users_db.create_user(db, "nomail", "x", "partner", partner_id=tk),
        "kim": users_db.create_user(db, "kim", "x", "coordinator", email="kim@polisen.example"),
    }  # fmt: skip
    walk = walks_db.create_walk(db, title="Kväll vid Plattan", starts_at="2026-11-24T18:00")
    found = [
        add_observation(db, walk["id"], *SERGEL, note="Lampan <b>släckt</b> vid trappan"),
        add_observation(db, walk["id"], *SERGEL, category="litter", note="Skräp"),
        add_observation(db, walk["id"], *SERGEL, category="graffiti", note="Klotter"),
    ]
    db.conn.commit()
    yield {"app": app, "db": db, "tk": tk, "other": other, "people": people, "walk": walk,
           "found": found}  # fmt: skip
    db.close()


def assign(db, observation_id, partner, status="assigned", **extra):
    """A measure given to a partner through the one door of a status change."""
    return measures.set_status(db, observation_id, status, None, partner_id=partner, **extra)


def later(minutes: float) -> datetime:
    return clock.now_utc() + timedelta(minutes=minutes)


def test_a_walks_assignments_make_one_mail_per_person_in_their_language(world, smtp):
    app, db = world["app"], world["db"]
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        assign(db, world["found"][1], world["tk"])
        assign(db, world["found"][2], world["other"])  # nobody there has an address
        assert mail.prepare(db, compose) == 0  # triage goes on: nothing yet
        assert mail.prepare(db, compose, later(11)) == 2  # quiet: one mail each to anna and ben
        assert mail.prepare(db, compose, later(12)) == 0
        assert mail.send_due(db) == {"sent": 2, "failed": 0}
        assert mail.send_due(db) == {"sent": 0, "failed": 0}
    by_to = {m["To"]: m for m in smtp.inbox.messages}
    assert sorted(by_to) == ["anna@trafik.example", "ben@trafik.example"]
    anna, ben = by_to["anna@trafik.example"], by_to["ben@trafik.example"]
    assert "2 åtgärder till Trafikkontoret från Kväll vid Plattan" in anna["Subject"]
    assert "2 measures for Trafikkontoret from Kväll vid Plattan" in ben["Subject"]
    assert anna["From"] == "Trygghetsvandringar <noreply@walkapp.example.se>"
    text = anna.get_body(("plain",)).get_content()
    html = anna.get_body(("html",)).get_content()
    assert "Belysning" in text and "Nedskräpning" in text and "Klotter" not in text
    assert "Lampan <b>släckt</b> vid trappan" in text  # plain text as written
    assert "Lampan &lt;b&gt;släckt&lt;/b&gt;" in html and "<b>släckt" not in html
    assert "geo:59.332600,18.064900" in text
    assert "Lighting" in ben.get_body(("plain",)).get_content()
    unsubscribe = anna["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(PUBLIC + "/mail/unsubscribe/")
    assert anna["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html
    # Never who walked or wrote: the walker's name is nowhere.
    assert "Demodeltagare" not in text and "walker" not in text.lower()
    stored = db.execute("select count(*), count(sent_at) from mail_outbox").fetchone()
    assert stored == (2, 2)


def test_one_click_unsubscribe_stops_that_kind_only(world, smtp):
    app, db = world["app"], world["db"]
    with app.app_context():
        token = mail_texts.unsubscribe_token(world["people"]["anna"], "assigned")
    client = app.test_client()
    page = client.get(f"/mail/unsubscribe/{token}", base_url=PUBLIC)
    assert page.status_code == 200 and "Vill du sluta få" in page.text
    # What a mail program sends by itself: no cookie, no CSRF token.
    done = client.post(f"/mail/unsubscribe/{token}", data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded", base_url=PUBLIC)  # fmt: skip
    assert done.status_code == 200 and "inga fler" in done.text
    assert client.get("/mail/unsubscribe/forged", base_url=PUBLIC).status_code == 404
    assert client.post("/mail/unsubscribe/forged", base_url=PUBLIC).status_code == 404
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        mail.prepare(db, compose, later(11))
        mail.send_due(db)
    assert [m["To"] for m in smtp.inbox.messages] == ["ben@trafik.example"]


def test_a_reopened_measure_tells_its_partner(world, smtp):
    app, db = world["app"], world["db"]
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        assign(db, world["found"][0], world["tk"], status="done")
        mail.prepare(db, compose, later(11))
        mail.send_due(db)
        smtp.inbox.messages.clear()
        measures.set_status(db, world["found"][0], "assigned", None, reason="")
        assert mail.prepare(db, compose, later(22)) == 2
        mail.send_due(db)
    subjects = sorted(m["Subject"] for m in smtp.inbox.messages)
    assert subjects[0].startswith("walkapp: reopened") or "öppnades igen" in subjects[-1]
    assert any("öppnades igen" in s for s in subjects)


def test_reassigned_before_the_mail_no_mail_to_the_first_partner(world, smtp):
    app, db = world["app"], world["db"]
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        assign(db, world["found"][0], world["other"])
        assert mail.prepare(db, compose, later(11)) == 0
    assert smtp.inbox.messages == []


def test_a_server_that_is_down_is_retried_and_each_mail_arrives_once(world, smtp, certificate):
    app, db = world["app"], world["db"]
    smtp.stop()
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        mail.prepare(db, compose, later(11))
        assert mail.send_due(db) == {"sent": 0, "failed": 2}
        rows = db.execute("select attempts, last_error, sent_at from mail_outbox").fetchall()
        assert [(a, s) for a, _e, s in rows] == [(1, None), (1, None)]
        assert all("connect" in e for _a, e, _s in rows)
        assert mail.send_due(db) == {"sent": 0, "failed": 0}  # not due again yet
        smtp.start()
        db.execute("update mail_outbox set next_attempt_at = '2000-01-01T00:00:00+00:00'")
        db.conn.commit()
        assert mail.send_due(db) == {"sent": 2, "failed": 0}
    assert len(smtp.inbox.ids()) == len(set(smtp.inbox.ids())) == 2


def test_starttls_is_required_and_a_wrong_password_is_a_failure(world, smtp):
    app, db = world["app"], world["db"]
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        mail.prepare(db, compose, later(11))
        wrong = mail.Server.from_url(f"smtp://walkapp:nope@127.0.0.1:{smtp.port}")
        assert mail.send_due(db, wrong) == {"sent": 0, "failed": 2}
        plain = mail.Server.from_url(f"smtp+plain://walkapp:x@127.0.0.1:{smtp.port}")
        db.execute("update mail_outbox set next_attempt_at = '2000-01-01T00:00:00+00:00'")
        db.conn.commit()
        assert mail.send_due(db, plain)["sent"] == 0  # the server asks for TLS first
    assert smtp.inbox.messages == []
    with pytest.raises(mail.MailNotConfigured):
        mail.Server.from_url("http://example.org")


def test_the_weekly_digests_come_once_a_week(world, smtp):
    app, db = world["app"], world["db"]
    today = clock.today()
    with app.app_context():
        assign(db, world["found"][0], world["tk"], status="planned",
               deadline=(today + timedelta(days=3)).isoformat())  # fmt: skip
        assign(db, world["found"][1], world["tk"], status="planned",
               deadline=(today + timedelta(days=40)).isoformat())  # fmt: skip
        db.execute("update measures set deadline = '2026-01-05' where observation_id = ?",
                   [world["found"][2]])  # fmt: skip
        db.execute("update measures set status = 'assigned', partner_id = ? where observation_id = ?",
                   [world["other"], world["found"][2]])  # fmt: skip
        db.conn.commit()
        mail.prepare(db, compose, later(11))
        mail.send_due(db)
        smtp.inbox.messages.clear()
        # Next week's Monday at 06:30 in Stockholm: not yet. The worker is down all Monday and
        # runs again on Tuesday: the week's digests come then, once, however often it runs.
        local = clock.local(clock.now_utc())
        monday = (local - timedelta(days=local.weekday() - 7)).replace(hour=6, minute=30)
        assert mail.prepare(db, compose, monday) == 0
        assert mail.prepare(db, compose, monday + timedelta(days=1)) == 3  # anna, ben; kim: overdue
        assert mail.prepare(db, compose, monday + timedelta(days=3)) == 0
        assert mail.prepare(db, compose, monday + timedelta(hours=3)) == 0
        mail.send_due(db)
    by_to = {m["To"]: m for m in smtp.inbox.messages}
    digest = by_to["anna@trafik.example"].get_body(("plain",)).get_content()
    assert "Belysning" in digest and "Nedskräpning" not in digest  # 40 days off: not yet
    overdue = by_to["kim@polisen.example"].get_body(("plain",)).get_content()
    assert "Fastighetsägaren: 1" in overdue


def test_kill_9_of_the_worker_mid_round_loses_and_duplicates_no_mail(tmp_path, certificate):
    slow = SmtpServer(certificate, delay=0.15).start()
    try:
        app = make_app(tmp_path, **slow.settings(), MAIL_QUIET_MINUTES=0)
        db = connect(database_path(app))
        partners_db.ensure_partners(db, ["Trafikkontoret"])
        tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
        for n in range(12):
            users_db.create_user(db, f"p{n}", "x", "partner", partner_id=tk,
                                 email=f"p{n}@trafik.example")  # fmt: skip
        walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00")
        db.conn.commit()
        with app.app_context():
            assign(db, add_observation(db, walk["id"], *SERGEL), tk)
        env = {**os.environ, "WALKAPP_INSTANCE": str(tmp_path / "instance"),
               **{f"WALKAPP_{k}": str(v) for k, v in slow.settings().items()},
               "WALKAPP_MAIL_QUIET_MINUTES": "0"}  # fmt: skip
        command = [sys.executable, "-m", "walkapp", "mail-worker", "--interval", "1"]
        worker = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while len(slow.inbox.messages) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        # Kill while the worker waits on the next recipient (the server is slow there), after
        # it learnt the third was taken: mid-round, mid-conversation.
        time.sleep(0.07)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        arrived = len(slow.inbox.messages)
        assert 3 <= arrived < 12, "the kill landed mid-round"
        # The next round (in this process: what it sends is tested, not its process start).
        settings = {k: v for k, v in env.items() if k.startswith("WALKAPP_")}
        done = walkapp_in_process("mail-worker", "--once", env=settings)
        assert done.returncode == 0, done.stderr
        ids = slow.inbox.ids()
        assert len(ids) == len(set(ids)) == 12
        assert sorted(m["To"] for m in slow.inbox.messages) == sorted(
            f"p{n}@trafik.example" for n in range(12)
        )
        assert db.execute("select count(*) from mail_outbox where sent_at is null").fetchone() == (0,)
        db.close()
    finally:
        slow.stop()


def test_without_an_smtp_url_nothing_is_sent_and_the_screens_say_so(tmp_path):
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail-worker", "--once"])
    assert result.exit_code == 2 and "WALKAPP_SMTP_URL is not set" in result.output
    status = runner.invoke(args=["mail-status"])
    assert '"configured": false' in status.output
    db = connect(database_path(app))
    users_db.create_user(db, "kim", "x", "admin")
    db.conn.commit()
    db.close()
    from tests.helpers import sign_in_directly

    client = app.test_client()
    sign_in_directly(client, connect(database_path(app)), 1)
    page = client.get("/partners").text
    assert "Ingen e-post skickas" in page


def test_create_user_makes_a_partners_person(tmp_path):
    app = make_app(tmp_path)
    db = connect(database_path(app))
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    db.conn.commit()
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=["create-user", "anna", "--role", "partner", "--partner", "trafikkontoret",
              "--email", "anna@trafik.example", "--language", "en"],
        input="Ljuset vid trappan 1928\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    user = db.execute("select role, partner_id, email, language from users").fetchone()
    tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
    assert user == ("partner", tk, "anna@trafik.example", "en")
    missing = runner.invoke(args=["create-user", "bo", "--role", "partner"], input="x\n")
    assert missing.exit_code == 2 and "--role partner needs --partner" in missing.output
    bad = runner.invoke(
        args=["create-user", "cy", "--email", "not-an-address"], input="Ljuset vid trappan 1928\n"
    )
    assert bad.exit_code == 2 and "not an e-mail address" in bad.output
    # A partner's person signs in to their partner's measures.
    client = app.test_client()
    answer = client.post("/login", data={"username": "anna", "password": "Ljuset vid trappan 1928"})
    assert answer.status_code == 302 and answer.location.endswith("/partner")
    db.close()


def test_mail_templates_exist_for_every_kind():
    folder = Path(__file__).resolve().parent.parent / "templates" / "mail"
    for kind in mail.KINDS:
        assert (folder / f"{kind}.txt").exists() and (folder / f"{kind}.html").exists()


def test_the_coordinators_hear_what_a_partner_answered_once_per_walk(world, smtp):
    app, db = world["app"], world["db"]
    db.execute("update walks set organisation_id = 1")
    db.execute("update users set organisation_id = 1 where username = 'kim'")
    db.conn.commit()
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        assign(db, world["found"][1], world["tk"])
        mail.prepare(db, compose, later(11))
        mail.send_due(db)
        smtp.inbox.messages.clear()
        anna = world["people"]["anna"]
        for found, action, sent in ((world["found"][0], "done", {"comment": "Ny armatur"}),
                                    (world["found"][1], "decline", {"reason": "Inte vår mark"})):
            observation = measures_db.get_observation(db, found)
            _made, errors = measures.partner_answer(db, observation, action, sent, anna)
            assert errors == {}
        assert mail.prepare(db, compose, later(22)) >= 1
        mail.send_due(db)
    answered = [m for m in smtp.inbox.messages if "har svarat" in m["Subject"]]
    assert [m["To"] for m in answered] == ["kim@polisen.example"]
    assert "Trafikkontoret har svarat om 2 åtgärder från Kväll vid Plattan" in answered[0]["Subject"]
    text = answered[0].get_body(("plain",)).get_content()
    assert "Ny armatur" in text and "Lämnad tillbaka av partnern: Inte vår mark" in text
    assert f"{PUBLIC}/observations/{world['found'][0]}/triage" in text
    with app.app_context():
        assert mail.prepare(db, compose, later(40)) == 0  # each answer once


def test_a_title_with_a_line_break_is_sent_on_one_line_and_stops_nothing(world, smtp):
    app, db = world["app"], world["db"]
    db.execute("update walks set title = ? where id = ?",
               ["Kväll\r\nBcc: x@example.org", world["walk"]["id"]])  # fmt: skip
    db.conn.commit()
    with app.app_context():
        assign(db, world["found"][0], world["tk"])
        mail.prepare(db, compose, later(11))
        assert mail.send_due(db) == {"sent": 2, "failed": 0}
    subjects = [m["Subject"] for m in smtp.inbox.messages]
    assert all("\n" not in s and "Kväll Bcc: x@example.org" in s for s in subjects)
    assert all(rcpts == [m] for (_f, rcpts), m in zip(
        smtp.inbox.envelopes, ["anna@trafik.example", "ben@trafik.example"]))  # fmt: skip


def test_an_invited_organisations_coordinators_hear_of_the_invitation_once(world, smtp):
    """A joint walk's invitation reaches each coordinator of the invited organisation with an
    address, in their language, with the walk page's link; once; none after an answer, none to
    the unsubscribed, none to the lead's own coordinators."""
    from walkapp import organisations, walks

    app, db = world["app"], world["db"]
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    lina = users_db.create_user(db, "lina", "x", "coordinator", lidingo,
                                email="lina@lidingo.example", language="en")  # fmt: skip
    users_db.create_user(db, "lars", "x", "coordinator", lidingo)  # no address
    sven = users_db.create_user(db, "sven", "x", "coordinator", lidingo,
                                email="sven@lidingo.example")  # fmt: skip
    db.conn.commit()
    mail.unsubscribe(db, sven, "invited")
    walk = walks.create(db, title="Larsberg <tillsammans>", starts_at="2026-12-10T18:00",
                        organisation_id=1, co_organisers=[lidingo])  # fmt: skip
    answered = walks.create(db, title="Redan besvarad", starts_at="2026-12-11T18:00",
                            organisation_id=1, co_organisers=[lidingo])  # fmt: skip
    assert walks.accept(db, answered["id"], lidingo, lina)
    with app.app_context():
        assert mail.prepare(db, compose) == 1
        assert mail.prepare(db, compose, later(60)) == 0  # once
        assert mail.send_due(db) == {"sent": 1, "failed": 0}
    [sent] = smtp.inbox.messages
    assert sent["To"] == "lina@lidingo.example"
    assert sent["Subject"].startswith("walkapp: ") and "invites Lidingö stad" in sent["Subject"]
    text = sent.get_body(("plain",)).get_content()
    html = sent.get_body(("html",)).get_content()
    assert f"{PUBLIC}/walks/{walk['id']}" in text and f"/walks/{walk['id']}" in html
    assert "Larsberg &lt;tillsammans&gt;" in html and "<tillsammans>" not in html
    assert "2026-12-10 18:00" in text
    assert "kim@polisen.example" not in [m["To"] for m in smtp.inbox.messages]


def test_an_invitation_after_a_no_is_mailed_again(world, smtp):
    from walkapp import organisations, walks

    app, db = world["app"], world["db"]
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    lina = users_db.create_user(db, "lina", "x", "coordinator", lidingo,
                                email="lina@lidingo.example")  # fmt: skip
    db.conn.commit()
    walk = walks.create(db, title="Igen", starts_at="2026-12-10T18:00", organisation_id=1,
                        co_organisers=[lidingo])  # fmt: skip
    with app.app_context():
        assert mail.prepare(db, compose) == 1
    assert walks.leave(db, walk["id"], lidingo, lina) == "declined"
    time.sleep(1.1)  # a new invitation: its own instant
    walks.update(db, walk["id"], {}, co_organisers=[lidingo])
    with app.app_context():
        assert mail.prepare(db, compose) == 1
        assert mail.send_due(db) == {"sent": 2, "failed": 0}


def _declined(smtp) -> dict:
    """The "declined" mails that arrived, by recipient."""
    return {m["To"]: m for m in smtp.inbox.messages
            if "tackar nej" in m["Subject"] or "declines" in m["Subject"]}  # fmt: skip


def test_a_no_to_an_invitation_is_mailed_to_each_of_the_leads_coordinators_once(world, smtp):
    """Lidingö says no to the lead's joint walk: each coordinator of the lead (kim, in Swedish;
    eva, in English) with an address hears of it once, with Lidingö's name, the walk's title and
    the walk page's link; not the one without an address, nor the decliner, nor a third
    organisation (which said yes, then left: no no), nor the partners. A second run sends
    nothing more."""
    from walkapp import organisations, walks

    app, db = world["app"], world["db"]
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    city = organisations.create(db, "city", "City i samverkan", ("kommun:0180",))
    lina = users_db.create_user(db, "lina", "x", "coordinator", lidingo,
                                email="lina@lidingo.example")  # fmt: skip
    bo = users_db.create_user(db, "bo", "x", "coordinator", city, email="bo@city.example")
    users_db.create_user(db, "eva", "x", "coordinator", 1, email="eva@polisen.example",
                         language="en")  # fmt: skip
    users_db.create_user(db, "nils", "x", "coordinator", 1)  # no address
    db.conn.commit()
    walk = walks.create(db, title="Larsberg <tillsammans>", starts_at="2026-12-10T18:00",
                        organisation_id=1, co_organisers=[lidingo, city])  # fmt: skip
    with app.app_context():
        assert mail.prepare(db, compose) == 2  # the invitations: lina, bo
        assert walks.accept(db, walk["id"], city, bo)
        assert walks.leave(db, walk["id"], city, bo) == "left"  # after a yes: no no to tell
        assert walks.leave(db, walk["id"], lidingo, lina) == "declined"
        assert mail.prepare(db, compose) == 2  # kim, eva
        assert mail.prepare(db, compose, later(60)) == 0
        assert mail.send_due(db) == {"sent": 4, "failed": 0}
        assert mail.prepare(db, compose, later(120)) == 0
        assert mail.send_due(db) == {"sent": 0, "failed": 0}
    by_to = _declined(smtp)
    assert sorted(by_to) == ["eva@polisen.example", "kim@polisen.example"]
    assert len(smtp.inbox.messages) == 4  # and each of them once
    kim, eva = by_to["kim@polisen.example"], by_to["eva@polisen.example"]
    assert kim["Subject"] == (
        "walkapp: Lidingö stad tackar nej till att arrangera Larsberg <tillsammans> tillsammans"
    )
    assert eva["Subject"] == (
        "walkapp: Lidingö stad declines to organise Larsberg <tillsammans> together"
    )
    text = kim.get_body(("plain",)).get_content()
    html = kim.get_body(("html",)).get_content()
    assert "Lidingö stad tackade nej den " in text and "(2026-12-10 18:00)" in text
    assert f"{PUBLIC}/walks/{walk['id']}" in text and f"{PUBLIC}/walks/{walk['id']}" in html
    assert "Larsberg &lt;tillsammans&gt;" in html and "<tillsammans>" not in html
    assert "declined to organise the safety walk Larsberg" in eva.get_body(("plain",)).get_content()
    kinds = db.execute("select kind, count(*) from mail_outbox group by kind order by kind")
    assert kinds.fetchall() == [("declined", 2), ("invited", 2)]


def test_a_second_no_after_a_new_invitation_is_mailed_again_not_to_the_unsubscribed(world, smtp):
    """Invited again, Lidingö says no again: the lead's coordinators hear of the second no too;
    eva, who pressed the unsubscribe link of her first "declined" mail, hears of it no more (she
    is unsubscribed from that kind only)."""
    from walkapp import organisations, walks

    app, db = world["app"], world["db"]
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    lina = users_db.create_user(db, "lina", "x", "coordinator", lidingo,
                                email="lina@lidingo.example")  # fmt: skip
    eva = users_db.create_user(db, "eva", "x", "coordinator", 1, email="eva@polisen.example")
    db.conn.commit()
    walk = walks.create(db, title="Igen", starts_at="2026-12-10T18:00", organisation_id=1,
                        co_organisers=[lidingo])  # fmt: skip
    assert walks.leave(db, walk["id"], lidingo, lina) == "declined"
    with app.app_context():
        mail.prepare(db, compose)
        mail.send_due(db)
    first = _declined(smtp)
    assert sorted(first) == ["eva@polisen.example", "kim@polisen.example"]
    unsubscribe = first["eva@polisen.example"]["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(PUBLIC + "/mail/unsubscribe/")
    client = app.test_client()
    page = client.get(unsubscribe.removeprefix(PUBLIC), base_url=PUBLIC)
    assert page.status_code == 200 and "tackar nej till att arrangera" in page.text
    done = client.post(unsubscribe.removeprefix(PUBLIC), data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded", base_url=PUBLIC)  # fmt: skip
    assert done.status_code == 200
    assert db.execute("select kind from mail_unsubscribes where user_id = ?", [eva]).fetchall() == [
        ("declined",)
    ]
    time.sleep(1.1)  # a new invitation and a new no: their own instants
    walks.update(db, walk["id"], {}, co_organisers=[lidingo])
    assert walks.leave(db, walk["id"], lidingo, lina) == "declined"
    smtp.inbox.messages.clear()
    with app.app_context():
        mail.prepare(db, compose)
        mail.send_due(db)
        assert mail.prepare(db, compose, later(60)) == 0
    assert sorted(_declined(smtp)) == ["kim@polisen.example"]
    stored = db.execute(
        "select recipient from mail_outbox where kind = 'declined' order by id"
    ).fetchall()
    assert stored == [("kim@polisen.example",), ("eva@polisen.example",), ("kim@polisen.example",)]


def _declined_walk(world, title: str) -> dict:
    """A walk of LPO Norrmalm that Lidingö stad was invited to and said no to."""
    from walkapp import organisations, walks

    db = world["db"]
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    lina = users_db.create_user(db, "lina", "x", "coordinator", lidingo)
    db.conn.commit()
    walk = walks.create(db, title=title, starts_at="2026-12-10T18:00", organisation_id=1,
                        co_organisers=[lidingo])  # fmt: skip
    assert walks.leave(db, walk["id"], lidingo, lina) == "declined"
    return {**walk, "lidingo": lidingo}


def test_invited_again_before_the_worker_ran_the_no_is_not_mailed(world, smtp):
    """The lead invites Lidingö again before the worker's next run: the no is gone from the walk
    page, and nobody is told of it (the lead's own people undid it)."""
    from walkapp import walks

    app, db = world["app"], world["db"]
    walk = _declined_walk(world, "Snabbt")
    walks.update(db, walk["id"], {}, co_organisers=[walk["lidingo"]])
    with app.app_context():
        assert mail.prepare(db, compose) == 0


def test_a_no_to_a_walk_already_held_is_not_mailed(world, smtp):
    """A decline kept from before the "declined" mail (migration 0024) of a walk held since:
    no news to plan by, not mailed when the worker first runs."""
    from walkapp import walks

    app, db = world["app"], world["db"]
    walk = _declined_walk(world, "Hållen")
    # Its start has come (2026-12-10 18:00), though nobody started it in walkapp: not mailed.
    with app.app_context():
        mail.prepare(db, compose, datetime(2026, 12, 10, 17, 1, tzinfo=UTC))
    assert db.execute("select count(*) from mail_outbox where kind = 'declined'").fetchone() == (0,)
    walks.change_state(db, walk["id"], "ongoing")
    with app.app_context():
        assert mail.prepare(db, compose) == 0
    assert _declined(smtp) == {}
