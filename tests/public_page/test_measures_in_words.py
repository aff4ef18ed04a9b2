"""Issue 25, point 4: the public hears why. Each worked measure in words on the public page and in
its data — passed on to a partner, planned with its month, done, "not possible" with the reason —
and an after photo only where a coordinator or the partner published it."""

from __future__ import annotations

import io
import json

from PIL import Image

from tests.helpers import PASSWORD, hash_password, login
from walkapp import measures
from walkapp.access import make_walker_token
from walkapp.db import measures as measures_db
from walkapp.db import partners as partners_db
from walkapp.db import users as users_db
from walkapp.db import walks as walks_db
from walkapp.public import MEASURES_PER_PLACE, today

from .seeding import HOTORGET, add_finding, seed_walk

REASON = "Marken ägs av Trafikverket, som inte tillåter belysning <b>här</b>"


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 160, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _partner(db, name: str) -> int:
    partners_db.ensure_partners(db, [name])
    return partners_db.find_by_name(db, name)["id"]


def _data(client) -> dict:
    return json.loads(client.get(f"/promise/{today().year}/data.json").get_data(as_text=True))


def test_each_measure_in_words_with_the_reason_given(db, client, users):
    year = today().year
    coordinator = users["coordinator"]
    tk = _partner(db, "Trafikkontoret")
    walk = seed_walk(db, f"{year}-02-01T18:00")
    passed_on, planned, done, impossible, untouched = (
        add_finding(db, walk["id"], None, category=category)
        for category in ("lighting", "litter", "graffiti", "vegetation", "walkway")
    )
    measures.set_status(db, passed_on, "assigned", coordinator, partner_id=tk)
    measures.set_status(
        db, planned, "planned", coordinator, partner_id=tk, deadline=f"{year}-11-30"
    )
    measures.set_status(db, done, "done", coordinator, partner_id=tk)
    measures.set_status(db, impossible, "not_possible", coordinator, reason=REASON)
    html = client.get("/").get_data(as_text=True)
    assert "Åtgärd för åtgärd" in html
    assert "Lämnad vidare till Trafikkontoret" in html
    assert "Planerad av Trafikkontoret, klar i november" in html
    assert "Åtgärdat" in html and "av Trafikkontoret" in html
    # The reason, as text: its markup escaped, never rendered.
    assert "Går inte att åtgärda: Marken ägs av Trafikverket" in html
    assert "<b>här</b>" not in html and "&lt;b&gt;här&lt;/b&gt;" in html
    place = next(p for p in _data(client)["places"] if p["place"])
    listed = {m["status"]: m for m in place["measures"]}
    # Only the worked measures: the new one is counted, not told.
    assert set(listed) == {"assigned", "planned", "done", "not_possible"}
    assert REASON in listed["not_possible"]["words"]
    assert untouched not in json.dumps(place)


def test_a_place_lists_its_newest_measures_and_how_many_more(db, client, users):
    year = today().year
    walk = seed_walk(db, f"{year}-02-01T18:00", places=(HOTORGET,))
    for _ in range(MEASURES_PER_PLACE + 3):
        found = add_finding(db, walk["id"], None, place=HOTORGET)
        measures.set_status(db, found, "planned", users["coordinator"])
    place = next(p for p in _data(client)["places"] if p["place"] == HOTORGET)
    assert len(place["measures"]) == MEASURES_PER_PLACE and place["more_measures"] == 3
    assert "Och 3 åtgärder till." in client.get("/").get_data(as_text=True)


def _after_photo(staff, observation_id: str, public: bool) -> str:
    form = {"photo": (io.BytesIO(_jpeg()), "efter.jpg")}
    if public:
        form["public"] = "1"
    answer = staff.post(
        f"/observations/{observation_id}/after-photos",
        data=form,
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303


def test_an_after_photo_is_public_only_once_published_and_while_fixed(app, db, users):
    year = today().year
    walk = seed_walk(db, f"{year}-02-01T18:00")
    fixed = add_finding(db, walk["id"], None)
    measures.set_status(db, fixed, "done", users["coordinator"])
    staff, public = app.test_client(), app.test_client()
    login(staff, "coordinator")
    _after_photo(staff, fixed, public=False)
    (kept,) = measures_db.get_observation(db, fixed)["after_photo_ids"]
    assert public.get(f"/public/photos/{kept}").status_code == 404
    assert f"/public/photos/{kept}" not in public.get("/").get_data(as_text=True)
    _after_photo(staff, fixed, public=True)
    stored = measures_db.get_observation(db, fixed)
    (shown,) = stored["public_photo_ids"]
    assert set(stored["after_photo_ids"]) == {kept, shown}
    page = public.get("/").get_data(as_text=True)
    assert f"/public/photos/{shown}/thumb" in page and f"/public/photos/{kept}" not in page
    served = public.get(f"/public/photos/{shown}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "public, max-age=300"
    assert Image.open(io.BytesIO(served.data)).size == (64, 48)
    # The coordinator publishes the other one from the measure's page, and takes it back.
    triage = staff.get(f"/observations/{fixed}/triage").get_data(as_text=True)
    assert "Efter-foton på den offentliga sidan" in triage and "Visas offentligt" in triage
    publish = f"/observations/{fixed}/photos/{kept}/public"
    assert staff.post(publish, data={"public": "1"}).status_code == 303
    assert public.get(f"/public/photos/{kept}/thumb").status_code == 200
    assert staff.post(publish, data={"public": "0"}).status_code == 303
    assert public.get(f"/public/photos/{kept}").status_code == 404
    # Only while the measure is fixed and the observation public.
    measures.set_status(db, fixed, "assigned", users["coordinator"])
    assert public.get(f"/public/photos/{shown}").status_code == 404
    measures.set_status(db, fixed, "verified", users["coordinator"])
    assert public.get(f"/public/photos/{shown}").status_code == 200
    db.execute("update observations set not_public = 1 where id = ?", [fixed])
    assert public.get(f"/public/photos/{shown}").status_code == 404
    # The public may not publish, and a photo of another measure is not this one's.
    assert public.post(publish, data={"public": "1"}).status_code in (302, 400, 401, 403)
    other = add_finding(db, walk["id"], None)
    assert staff.post(f"/observations/{other}/photos/{kept}/public").status_code == 404


def test_a_before_photo_is_never_public(app, db, users):
    year = today().year
    walk = seed_walk(db, f"{year}-02-01T18:00")
    fixed = add_finding(db, walk["id"], None)
    measures.set_status(db, fixed, "done", users["coordinator"])
    db["photos"].insert(
        {
            "id": "before-1",
            "observation_id": fixed,
            "filename": "before-1.jpg",
            "thumb_filename": "before-1-thumb.jpg",
            "bytes": 1000,
            "width": 10,
            "height": 10,
            "created_at": f"{year}-02-01T18:40:00+00:00",
            "public": 1,
        }
    )
    assert app.test_client().get("/public/photos/before-1").status_code == 404
    staff = app.test_client()
    login(staff, "coordinator")
    assert (
        staff.post(
            f"/observations/{fixed}/photos/before-1/public", data={"public": "1"}
        ).status_code
        == 404
    )


def test_a_partners_person_publishes_the_photo_of_their_done_measure(app, db, users):
    year = today().year
    tk = _partner(db, "Trafikkontoret")
    users_db.create_user(db, "anna", hash_password(PASSWORD), "partner", partner_id=tk)
    walk = seed_walk(db, f"{year}-02-01T18:00")
    ours = add_finding(db, walk["id"], None)
    measures.set_status(db, ours, "assigned", users["coordinator"], partner_id=tk)
    partner = app.test_client()
    login(partner, "anna")
    form = partner.get(f"/partner/measures/{ours}").get_data(as_text=True)
    assert "Fotot får visas på den offentliga sidan" in form
    seen = str(measures_db.last_change(db, ours))
    done = partner.post(
        f"/partner/measures/{ours}",
        data={"action": "done", "seen": seen, "public": "1",
              "photo": (io.BytesIO(_jpeg()), "efter.jpg")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert done.status_code == 303
    stored = measures_db.get_observation(db, ours)
    assert stored["status"] == "done" and len(stored["public_photo_ids"]) == 1
    (photo_id,) = stored["public_photo_ids"]
    assert app.test_client().get(f"/public/photos/{photo_id}/thumb").status_code == 200
    audit = db.execute(
        "select count(*) from audit_log where entity = 'photo' and entity_id = ?", [photo_id]
    ).fetchone()[0]
    assert audit == 1


def test_the_follow_up_shows_the_others_after_photos_only_once_published(app, db, users):
    walk = seed_walk(db, f"{today().year}-02-01T18:00")
    me, other = (walks_db.add_walker(db, walk["id"], name) for name in ("Anna", "Bo"))
    theirs = add_finding(db, walk["id"], other)
    measures.set_status(db, theirs, "done", users["coordinator"])
    staff = app.test_client()
    login(staff, "coordinator")
    _after_photo(staff, theirs, public=False)
    _after_photo(staff, theirs, public=True)
    stored = measures_db.get_observation(db, theirs)
    (shown,) = stored["public_photo_ids"]
    (kept,) = set(stored["after_photo_ids"]) - {shown}
    walker = app.test_client()
    with app.test_request_context():
        walker.set_cookie("walker", make_walker_token(walk["id"], me))
    page = walker.get(f"/j/{walk['code']}/follow-up").get_data(as_text=True)
    assert f"/public/photos/{shown}/thumb" in page
    assert kept not in page
