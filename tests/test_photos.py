"""Photos cannot exhaust memory (issue 13, point 7): the size is read from the header and what no
phone sends is refused before a pixel is decoded; a JPEG decodes at a reduced scale; decodes
hold one of CONCURRENT_DECODES slots. The memory figures are in benchmarks/photos.py."""

from __future__ import annotations

import io
import os
import stat
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageFile, JpegImagePlugin

from tests.helpers import join, make_app, observation
from tests.test_observations_api import count, photo_files, post, upload
from walkapp import clock, photos
from walkapp.db import photos as photos_db
from walkapp.db import transaction
from walkapp.db import walks as walks_db


def encoded(kind: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def loads(monkeypatch):
    """The sizes Pillow decoded at: each load() of an image file, as (format, size)."""
    seen = []
    original = ImageFile.ImageFile.load

    def spy(self):
        seen.append((self.format, self.size))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return seen


@pytest.mark.parametrize("size", [(6300, 6300), (4097, 100), (4000, 4001)])
def test_what_no_phone_sends_is_refused_from_the_header(client, app, db, loads, size):
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00")
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    answer = upload(client, body["id"], headers, encoded("PNG", size))
    message = answer.json["errors"]["photo"]
    assert answer.status_code == 413
    assert "4096" in message and "16 megapixel" in message and f"{size[0]} × {size[1]}" in message
    assert loads == []  # not one pixel decoded
    assert count(db, "photos") == 0 and photo_files(app) == []


def test_a_large_jpeg_decodes_at_a_reduced_scale(tmp_path, loads):
    stored = photos.store_photo(encoded("JPEG", (4096, 3072)), tmp_path, 10 * 1024 * 1024)
    assert (stored.width, stored.height) == (1600, 1200)
    decoded = [size for kind, size in loads if kind == "JPEG"]
    # Draft mode: 1/2 scale still gives 1600 px, so 4096×3072 never exists in memory.
    assert decoded[0] == (2048, 1536)


def test_the_largest_accepted_png_is_stored(tmp_path):
    stored = photos.store_photo(encoded("PNG", (4096, 3906)), tmp_path, 10 * 1024 * 1024)
    assert (stored.width, stored.height) == (1600, 1526)


def test_decoding_holds_one_of_a_bounded_number_of_slots(tmp_path, monkeypatch):
    assert photos.CONCURRENT_DECODES == 2
    free_while_decoding = []
    original = JpegImagePlugin.JpegImageFile.load

    def spy(self):
        free_while_decoding.append(photos._decoding._value)
        return original(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy)
    photos.store_photo(encoded("JPEG", (800, 600)), tmp_path, 10 * 1024 * 1024)
    # One slot taken by this decode; a ninth upload waits for a free one, it never piles up.
    assert free_while_decoding and set(free_while_decoding) == {photos.CONCURRENT_DECODES - 1}
    assert isinstance(photos._decoding, type(__import__("threading").BoundedSemaphore()))


# Decode bombs (issue 23 point 3): files no camera makes, built here, refused from their headers
# and markers with 413/422 and a message, before a pixel is decoded.


def progressive_with_scans(scans: int) -> bytes:
    """A progressive JPEG whose smallest scan is repeated until it has `scans` scans (the
    attack: ~30 000 scans in 1 MB cost 127 s of CPU to decode)."""
    buffer = io.BytesIO()
    Image.effect_noise((320, 240), 60).convert("RGB").save(buffer, "JPEG", progressive=True)
    data = buffer.getvalue()
    starts = [i for i in range(len(data) - 1) if data[i : i + 2] == b"\xff\xda"]
    segments = [data[s:e] for s, e in zip(starts, [*starts[1:], len(data) - 2], strict=True)]
    smallest = min(segments, key=len)
    return data[:-2] + smallest * (scans - len(segments)) + b"\xff\xd9"


def animated(kind: str, frames: int = 3) -> bytes:
    pictures = [Image.new("RGB", (64, 64), (i * 60, 90, 160)) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, kind, save_all=True, append_images=pictures[1:], duration=100)
    return buffer.getvalue()


def webp_of(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, "WEBP", lossless=True)
    return buffer.getvalue()


def test_scans_are_counted_from_the_markers():
    ordinary = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(ordinary, "JPEG", progressive=True)
    assert photos.jpeg_scans(ordinary.getvalue()) == 10  # libjpeg's progression for colour
    assert photos.jpeg_scans(encoded("JPEG", (64, 64))) == 1  # baseline
    assert photos.jpeg_scans(progressive_with_scans(5000)) == photos.MAX_JPEG_SCANS + 1  # stops


@pytest.mark.parametrize(
    "bomb, status, words",
    [
        (lambda: progressive_with_scans(5000), 422, "fler än 100 omgångar"),
        (lambda: progressive_with_scans(photos.MAX_JPEG_SCANS + 1), 422, "omgångar"),
        (lambda: animated("WEBP"), 422, "animation (3 bilder)"),
        (lambda: animated("PNG"), 422, "animation (3 bilder)"),
        (lambda: webp_of((4096, 3906)), 413, "för mycket minne"),  # 680 bytes, +247 MB
    ],
    ids=["jpeg-5000-scans", "jpeg-101-scans", "animated-webp", "animated-png", "webp-16-mp"],
)
def test_decode_bombs_are_refused_before_decoding(client, app, db, loads, bomb, status, words):
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00")
    headers = join(client, walk)
    body = observation()
    post(client, walk, headers, body)
    answer = upload(client, body["id"], headers, bomb())
    assert answer.status_code == status
    assert words in answer.json["errors"]["photo"]
    assert loads == []  # not one pixel decoded
    assert count(db, "photos") == 0 and photo_files(app) == []


def test_ordinary_photos_still_pass_without_their_exif(client, app, db):
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00")
    headers = join(client, walk)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (59.0, 19.0, 57.0)  # GPSLatitude
    progressive = io.BytesIO()
    Image.effect_noise((1600, 1200), 60).convert("RGB").save(
        progressive, "JPEG", progressive=True, exif=exif
    )
    for data in (progressive.getvalue(), webp_of((1600, 1200)), encoded("PNG", (4096, 3906))):
        body = observation()
        post(client, walk, headers, body)
        answer = upload(client, body["id"], headers, data)
        assert answer.status_code == 201, answer.json
    assert count(db, "photos") == 3
    for path in photo_files(app):
        stored = Image.open(path)
        assert stored.format == "JPEG" and not stored.getexif()
        assert b"PhoneMaker" not in path.read_bytes()


# Disk fill (issue 23 points 4 and 7): one walker's token once grew the disk by 1.45 GB a minute
# with photos of one observation. A count per observation, a budget per walker, the walker's own
# removal, files for the owner only, and what crashes leave cleared.


def _with_settings(app, **changes):
    """The app's settings with `changes`, as WALKAPP_* variables would set them."""
    app.extensions["walkapp_settings"] = replace(app.extensions["walkapp_settings"], **changes)


def _walk_with_observation(client, db, name="Anna"):
    walk = walks_db.create_walk(db, title="Kväll", starts_at="2026-11-24T18:00")
    headers = join(client, walk, name)
    body = observation()
    post(client, walk, headers, body)
    return walk, headers, body


def test_a_sixth_photo_of_one_observation_is_refused_and_not_stored(client, app, db, loads):
    _walk, headers, body = _walk_with_observation(client, db)
    for _ in range(5):
        assert upload(client, body["id"], headers, encoded("JPEG", (400, 300))).status_code == 201
    loads.clear()
    refused = upload(client, body["id"], headers, encoded("JPEG", (400, 300)))
    assert refused.status_code == 413
    assert "(högst 5)" in refused.json["errors"]["photo"]
    assert loads == []  # refused before a pixel was decoded
    assert count(db, "photos") == 5 and count(db, "photo_blobs") == 5
    assert len(photo_files(app)) == 10  # five photos and their thumbnails, nothing of the sixth


def test_the_refusal_is_in_the_walkers_language(client, app, db):
    _with_settings(app, photos_per_observation=1)
    _walk, headers, body = _walk_with_observation(client, db)
    finnish = {**headers, "Accept-Language": "fi-FI,fi;q=0.9"}
    assert upload(client, body["id"], finnish, encoded("JPEG", (400, 300))).status_code == 201
    refused = upload(client, body["id"], finnish, encoded("JPEG", (400, 300)))
    assert refused.status_code == 413
    assert refused.json["errors"]["photo"].startswith("Havainnolla on jo niin monta kuvaa")


def test_the_count_is_a_setting(client, app, db):
    _with_settings(app, photos_per_observation=1)
    _walk, headers, body = _walk_with_observation(client, db)
    assert upload(client, body["id"], headers, encoded("JPEG", (400, 300))).status_code == 201
    again = upload(client, body["id"], headers, encoded("JPEG", (400, 300)))
    assert again.status_code == 413 and "(högst 1)" in again.json["errors"]["photo"]
    assert count(db, "photos") == 1


def test_a_walker_past_the_daily_budget_is_refused_others_are_not(client, app, db, loads):
    walk, anna, first = _walk_with_observation(client, db)
    assert upload(client, first["id"], anna, encoded("JPEG", (800, 600))).status_code == 201
    size = sum(path.stat().st_size for path in photo_files(app))  # the photo and its thumbnail
    _with_settings(app, photo_bytes_per_walker_day=size + 1)  # room for one such photo a day
    second = observation()
    post(client, walk, anna, second)
    refused = upload(client, second["id"], anna, encoded("JPEG", (800, 600)))
    assert refused.status_code == 413 and "per dygn" in refused.json["errors"]["photo"]
    assert count(db, "photos") == 1 and len(photo_files(app)) == 2
    # Another walker has a budget of their own.
    bo = join(client, walk, "Bo")
    theirs = observation()
    post(client, walk, bo, theirs)
    assert upload(client, theirs["id"], bo, encoded("JPEG", (800, 600))).status_code == 201
    # The budget is 24 hours: once the first photo is older, Anna may send again.
    with transaction(db):
        db.execute(
            "update photos set created_at = ? where observation_id = ?",
            [clock.stamp(clock.now_utc() - timedelta(hours=25)), first["id"]],
        )
    assert upload(client, second["id"], anna, encoded("JPEG", (800, 600))).status_code == 201
    assert count(db, "photos") == 3


def test_the_daily_budget_counts_every_size_of_a_photo_stored_on_disk(client, app, db):
    # It once counted only the full-size photo: its thumbnail filled the disk unbudgeted.
    walk, anna, first = _walk_with_observation(client, db)
    photo = encoded("JPEG", (800, 600))
    assert upload(client, first["id"], anna, photo).status_code == 201
    on_disk = sum(path.stat().st_size for path in photo_files(app))
    full_size = db.execute("select bytes from photos").fetchone()[0]
    assert len(photo_files(app)) == 2 and on_disk > full_size
    walker_id = db.execute("select walker_id from photos").fetchone()[0]
    assert photos_db.walker_bytes_since(db, walker_id, "2000-01-01T00:00:00+00:00") == on_disk
    # Room for two full-size photos, not for two photos as stored: the second is refused.
    _with_settings(app, photo_bytes_per_walker_day=2 * on_disk - 1)
    second = observation()
    post(client, walk, anna, second)
    refused = upload(client, second["id"], anna, photo)
    assert refused.status_code == 413 and "per dygn" in refused.json["errors"]["photo"]
    assert count(db, "photos") == 1 and len(photo_files(app)) == 2
    _with_settings(app, photo_bytes_per_walker_day=2 * on_disk)
    assert upload(client, second["id"], anna, photo).status_code == 201
    assert sum(path.stat().st_size for path in photo_files(app)) == 2 * on_disk


def test_a_spent_budget_is_refused_before_decoding(client, app, db, loads):
    walk, headers, body = _walk_with_observation(client, db)
    assert upload(client, body["id"], headers, encoded("JPEG", (400, 300))).status_code == 201
    _with_settings(app, photo_bytes_per_walker_day=1)
    loads.clear()
    refused = upload(client, body["id"], headers, encoded("JPEG", (400, 300)))
    assert refused.status_code == 413 and loads == []
    assert count(db, "photos") == 1


def _remove(client, photo, headers):
    return client.delete(
        f"/api/observations/{photo['observation_id']}/photos/{photo['id']}", headers=headers
    )


def test_a_walker_removes_a_photo_they_added_and_only_theirs(client, app, db):
    walk, anna, body = _walk_with_observation(client, db)
    kept = upload(client, body["id"], anna, encoded("JPEG", (400, 300))).json
    removed = upload(client, body["id"], anna, encoded("JPEG", (400, 300))).json
    bo = join(client, walk, "Bo")
    assert _remove(client, removed, bo).status_code == 404  # not Bo's
    assert count(db, "photos") == 2
    files = {row["filename"] for row in db.query("select filename from photos")}
    answer = _remove(client, removed, anna)
    assert answer.status_code == 204
    assert [row["id"] for row in db.query("select id from photos")] == [kept["id"]]
    assert count(db, "photo_blobs") == 1
    left = {path.name for path in photo_files(app)}
    assert len(left) == 2 and (files - left) and not any(".tmp" in name for name in left)
    assert client.get(removed["url"], headers=anna).status_code == 404
    # A retried removal is a 404, which the phone takes as done; the kept one is untouched.
    assert _remove(client, removed, anna).status_code == 404
    assert client.get(kept["url"], headers=anna).status_code == 200
    # A photo is removed through its own observation only.
    assert _remove(client, {**kept, "observation_id": str(uuid.uuid4())}, anna).status_code in (
        403,
        404,
    )
    # The freed place takes a new photo; five is still the most.
    for _ in range(4):
        assert upload(client, body["id"], anna, encoded("JPEG", (400, 300))).status_code == 201
    assert count(db, "photos") == 5


def test_no_photo_is_removed_once_the_walk_is_closed(client, app, db):
    walk, anna, body = _walk_with_observation(client, db)
    photo = upload(client, body["id"], anna, encoded("JPEG", (400, 300))).json
    walks_db.set_state(db, walk["id"], "closed")
    refused = _remove(client, photo, anna)
    assert refused.status_code == 409 and refused.json["error"]
    assert count(db, "photos") == 1 and len(photo_files(app)) == 2


def test_photo_files_are_the_owners_only(client, app, db):
    _walk, headers, body = _walk_with_observation(client, db)
    assert upload(client, body["id"], headers, encoded("JPEG", (400, 300))).status_code == 201
    files = photo_files(app)
    assert len(files) == 2
    folder = Path(app.config["WALKAPP_INSTANCE"]) / "photos"
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name
    # Files and a folder an earlier version wrote (0644, 0755) are tightened at the next start;
    # a restored file is written 0600.
    files[0].chmod(0o644)
    files[1].unlink()
    folder.chmod(0o755)
    make_app(Path(app.config["WALKAPP_INSTANCE"]).parent)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {path.name for path in photo_files(app)} == {path.name for path in files}
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name


def test_a_photo_folder_is_made_the_owners_only(tmp_path):
    # By the app's start on a new instance, and by the first photo where there is none yet.
    started = make_app(tmp_path / "started")
    folder = Path(started.config["WALKAPP_INSTANCE"]) / "photos"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    folder = tmp_path / "fresh" / "photos"
    photos.store_photo(encoded("JPEG", (400, 300)), folder, 10 * 1024**2)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def _leftovers(app, db, client):
    """A stored photo, and what a crash leaves beside it: a temporary file and a finished file
    with no row, each old and fresh (an upload in flight)."""
    _walk, headers, body = _walk_with_observation(client, db)
    assert upload(client, body["id"], headers, encoded("JPEG", (400, 300))).status_code == 201
    folder = Path(app.config["WALKAPP_INSTANCE"]) / "photos"
    stored = sorted(path.name for path in folder.iterdir())
    long_ago = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (long_ago, long_ago))  # a photo stored long ago is never a leftover
    for name in (".old.jpg.tmp", "old-orphan.jpg", "old-orphan-thumb.jpg"):
        (folder / name).write_bytes(b"cut short")
        os.utime(folder / name, (long_ago, long_ago))
    for name in (".fresh.jpg.tmp", "fresh-orphan.jpg"):
        (folder / name).write_bytes(b"in flight")
    return folder, stored


def test_a_start_clears_what_a_crash_left_but_not_an_upload_in_flight(client, app, db):
    folder, stored = _leftovers(app, db, client)
    make_app(folder.parent.parent)  # a worker starting
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [*stored, ".fresh.jpg.tmp", "fresh-orphan.jpg"]
    )
    assert count(db, "photos") == 1


def test_retention_clears_what_a_crash_left_but_not_an_upload_in_flight(client, app, db, runner):
    folder, stored = _leftovers(app, db, client)
    dry = runner.invoke(args=["retention"])
    assert dry.exit_code == 0 and "leftover file old-orphan.jpg" in dry.output
    assert '"leftover_files": 3' in dry.output and (folder / "old-orphan.jpg").exists()
    applied = runner.invoke(args=["retention", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [*stored, ".fresh.jpg.tmp", "fresh-orphan.jpg"]
    )
    assert count(db, "photos") == 1
