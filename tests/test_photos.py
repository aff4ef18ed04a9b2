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
    assert answer.status_code == 400
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
