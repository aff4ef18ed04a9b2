"""The whole loop of issue 25 over a real SMTP server, through the screens people use: a walker's
finding triaged to Trafikkontoret → its person's mail → done with an after photo on the partner's
screen → the walker's "fixed" mail with the after photo → four weeks on, "Är det åtgärdat?"
answered "no" from the mail → the measure open again in the coordinator's triage queue with the
answer in its history, and the partner told it was reopened."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image

from tests.helpers import PASSWORD, hash_password, make_app
from tests.smtp_server import PUBLIC
from tests.test_coordinators import SERGEL, add_observation
from walkapp import clock, mail, mail_texts
from walkapp.db import connect, database_path
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import sessions as sessions_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _round(app, db, minutes: float) -> None:
    """The mail worker's round at `minutes` from now: queue what is due, send it."""
    with app.app_context():
        mail.prepare(db, mail_texts.compose, clock.now_utc() + timedelta(minutes=minutes))
        mail.send_due(db)


def _signed_in(app, db, user_id: int):
    """A client at the instance's public address (its only host), signed in."""
    client = app.test_client()
    with client.session_transaction(base_url=PUBLIC) as session:
        session["sid"] = sessions_db.start(db, user_id, 12)
    return client


def _links(message) -> list[str]:
    return re.findall(r"https://walkapp\.example\.se\S+", message.get_body(("plain",)).get_content())


def test_assign_mail_done_with_photo_walker_mail_no_reopens_into_triage(tmp_path, smtp):
    app = make_app(tmp_path, **smtp.settings())
    db = connect(database_path(app))
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
    hashed = hash_password(PASSWORD)
    kim = users_db.create_user(db, "kim", hashed, "coordinator", email="kim@polisen.example")
    anna_id = users_db.create_user(db, "anna", hashed, "partner", partner_id=tk,
                         email="anna@trafik.example", language="sv")  # fmt: skip
    walk = walks_db.create_walk(db, title="Kväll vid Plattan", starts_at="2026-11-24T18:00")
    sara = walks_db.add_walker(db, walk["id"], "Sara Synlig", "sara@example.se", "sv")
    found = add_observation(db, walk["id"], *SERGEL, note="Lampan släckt vid trappan")
    db.execute("update observations set walker_id = ? where id = ?", [sara, found])
    db.conn.commit()

    def inbox(address: str) -> list:
        return [m for m in smtp.inbox.messages if m["To"] == address]

    # The coordinator gives it to Trafikkontoret in triage; after the quiet time, one mail.
    coordinator = _signed_in(app, db, kim)
    triaged = coordinator.post(
        f"{PUBLIC}/observations/{found}/triage",
        data={"status": "assigned", "partner_id": str(tk)},
    )
    assert triaged.status_code in (302, 303), triaged.text[:500]
    _round(app, db, 11)
    [assigned] = inbox("anna@trafik.example")
    measure_link = next(url for url in _links(assigned) if f"/partner/measures/{found}" in url)

    # Anna opens it from the mail and marks it done with an after photo.
    anna = _signed_in(app, db, anna_id)
    assert anna.get(measure_link).status_code == 200
    done = anna.post(
        measure_link,
        data={"action": "done", "comment": "Ny armatur", "photo": (io.BytesIO(_jpeg()), "e.jpg")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    stored = measures_db.get_observation(db, found)
    assert stored["status"] == "done" and len(stored["after_photo_ids"]) == 1

    # Sara hears it was fixed, with the after photo; the coordinator hears the partner answered.
    _round(app, db, 22)
    [fixed] = inbox("sara@example.se")
    assert fixed["Subject"].startswith("Åtgärdat")
    text = fixed.get_body(("plain",)).get_content()
    assert "Lampan släckt vid trappan" in text and "Trafikkontoret" in text
    photos = [url for url in _links(fixed) if "/mail/photos/" in url]
    after = app.test_client().get(photos[-1])
    assert after.status_code == 200 and after.mimetype == "image/jpeg"
    assert inbox("kim@polisen.example"), "the coordinator hears what the partner answered"

    # Four weeks on: the question; "no" from the mail opens it again.
    _round(app, db, 29 * 24 * 60)
    [question] = [m for m in inbox("sara@example.se") if m["Subject"].startswith("Är det")]
    no = [url for url in _links(question) if "/mail/answer/" in url][1]
    answered = app.test_client().post(no)
    assert answered.status_code == 200 and "öppnad igen" in answered.text
    stored = measures_db.get_observation(db, found)
    assert (stored["status"], stored["partner_id"]) == ("assigned", tk)
    triage = coordinator.get(f"{PUBLIC}/observations/{found}/triage").text
    assert "Deltagaren svarade: inte åtgärdat" in triage
    assert found in coordinator.get(f"{PUBLIC}/measures?status=assigned").text

    # And the partner is told it came back to them, once.
    _round(app, db, 29 * 24 * 60 + 15)
    reopened = [m for m in inbox("anna@trafik.example") if m is not assigned]
    assert len(reopened) == 1 and "Lampan släckt vid trappan" in reopened[0].get_body(
        ("plain",)
    ).get_content()
    db.close()


def test_a_person_invited_by_another_organisation_hears_nothing_of_this_ones_walks(tmp_path, smtp):
    """A partner shared by two organisations: its person invited by Lidingö stad reads Lidingö's
    walks only, on the desk and so in the mail; one made on the command line hears of all."""
    from walkapp import organisations

    app = make_app(tmp_path, **smtp.settings())
    db = connect(database_path(app))
    lidingo = organisations.create(db, "lidingo", "Lidingö stad", ("kommun:0186",))
    partners_db.ensure_partners(db, ["Trafikkontoret"])
    tk = partners_db.find_by_name(db, "Trafikkontoret")["id"]
    users_db.create_user(db, "anna", hash_password(PASSWORD), "partner", partner_id=tk,
                         email="anna@trafik.example")  # fmt: skip
    users_db.create_user(db, "lina", hash_password(PASSWORD), "partner", lidingo, partner_id=tk,
                         email="lina@trafik.example")  # fmt: skip
    walk = walks_db.create_walk(db, title="Polisens kväll", starts_at="2026-11-24T18:00")
    found = add_observation(db, walk["id"], *SERGEL, note="Lampan släckt")
    due = (clock.today() + timedelta(days=3)).isoformat()
    from walkapp import measures

    measures.set_status(db, found, "assigned", None, partner_id=tk, deadline=due)
    _round(app, db, 11)
    assert {m["To"] for m in smtp.inbox.messages} == {"anna@trafik.example"}
    # The Monday digest too: Lina's would hold only the police's measure, so she gets none.
    monday = clock.local(clock.now_utc())
    days = (7 - monday.weekday()) % 7 or 7
    _round(app, db, days * 24 * 60 + 8 * 60)
    assert [m["To"] for m in smtp.inbox.messages].count("anna@trafik.example") >= 2  # digests
    assert "lina@trafik.example" not in {m["To"] for m in smtp.inbox.messages}
    db.close()
