"""Photos cannot exhaust memory (issue 13, point 7): the size is read from the header and what no
phone sends is refused before a pixel is decoded; a JPEG decodes at a reduced scale; decodes
hold one of CONCURRENT_DECODES slots. The memory figures are in benchmarks/photos.py."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile, JpegImagePlugin

from tests.test_observations_api import count, join, observation, photo_files, post, upload
from walkapp import photos
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
