"""Walkers hear back (issue 25, point 3), over a real SMTP server: a walker may leave an address on
joining (opt-in, said why, in their language), retention forgets it with the names; a finding of
theirs made done or verified brings one mail per walk with signed photo links and the follow-up
link; four weeks after done, "Är det åtgärdat?" — "no" reopens it into triage with the answer in the
history, "yes" keeps it done, each answer once; no address, no mail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from walkapp.db import walks as walks_db

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
