"""Photo uploads: checked, re-encoded to JPEG without any metadata, written atomically.

No Flask here. A photo is opened with Pillow, refused if it is not a JPEG/PNG/WebP (HEIC when
pillow-heif is installed), larger than a phone sends (read from the header, before a single pixel
is decoded) or truncated; otherwise it is re-encoded, which drops EXIF (GPS, device, time) and
every other metadata block.

Memory: a 115 KB one-colour PNG of 6300×6300 once took a worker to 573 MB. Now the size is
checked from the header, a JPEG is decoded at the smallest scale that still gives LONG_SIDE
(draft mode), the picture is scaled down in place before anything else, and at most
CONCURRENT_DECODES uploads per process decode at once (benchmarks/photos.py).

Decode bombs: a 1 MB progressive JPEG of ~30 000 scans cost 127 s of CPU, a 680-byte lossless
WebP of 4096×3906 +247 MB. Before a pixel is decoded, a JPEG's scans are counted from its markers
(at most MAX_JPEG_SCANS), an animation is refused (one frame), and the memory the decode will
take — pixels at the scale they decode at, times what the format costs per pixel — must fit
DECODE_BUDGET_BYTES. Refusals say what to do, as 413 (too big) or 422 (not a plain photo).

Disk: one walker's token once grew the disk by 1.45 GB a minute with photos of one observation.
An observation holds at most `Allowance.per_observation` photos of each kind and a walker adds at
most `Allowance.walker_bytes_per_day` in 24 hours (WALKAPP_PHOTOS_PER_OBSERVATION,
WALKAPP_PHOTO_BYTES_PER_WALKER_DAY); beyond either the upload is a 413, which the phone's outbox
keeps as refused for good and shows (a 429 it would send again and again). Files are the owner's
only (0600, like the database); what a crash leaves (temporary files, files whose row was never
written) is cleared at start and by `walkapp retention --apply` (`clear_leftovers`).
"""

from __future__ import annotations

import io
import math
import os
import re
import secrets
import threading
import time
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from .health import ensure_room

try:  # HEIC from iPhones, only if the optional plugin is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
    ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
except ImportError:  # pragma: no cover - depends on the machine
    ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}

# The phone scales to LONG_SIDE before sending; nothing a phone sends comes near these.
MAX_SIDE = 4096
MAX_PIXELS = 16_000_000
CONCURRENT_DECODES = 2  # per process: the machine's cores, so eight uploads queue, not swell
# A progressive JPEG from a phone or Pillow has about ten scans; each scan walks every block.
MAX_JPEG_SCANS = 100
# One decode may take this much memory (a photo of a phone camera fits, at any scale).
DECODE_BUDGET_BYTES = 64 * 1024 * 1024
# Memory a decode takes per pixel it decodes, measured with benchmarks/photos.py: a JPEG at
# its draft scale and a PNG about four bytes; libwebp decodes through RGBA buffers it copies.
DECODE_BYTES_PER_PIXEL = {"JPEG": 4, "PNG": 4, "WEBP": 13, "HEIF": 8}
LONG_SIDE = 1600
THUMB_SIDE = 320
JPEG_QUALITY = 82
# A walker's photo budget counts what they added in this window.
BUDGET_WINDOW = timedelta(hours=24)
# A temporary file is written in milliseconds: older than this, its writer is gone.
TEMPORARY_AGE_S = 60
# A finished file gets its row once the write lock is free (a busy timeout of 10 s): a file
# older than this with no row is a crash's leftover, a younger one may be an upload in flight.
ORPHAN_AGE_S = 10 * 60


class PhotoRefused(Exception):
    """Why a photo is not taken; `status` is the HTTP answer: 400 not a readable photo, 413 too
    big to take, 422 a file no camera makes (a decode bomb)."""

    def __init__(self, message, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


# The end of a JPEG scan's entropy-coded data: 0xFF (maybe several, fill bytes) and a byte
# that is neither 0x00 (a stuffed 0xFF) nor a restart marker.
_NEXT_MARKER = re.compile(rb"\xff+[^\x00\xd0-\xd7\xff]")
# Markers without a length: TEM, RST0-7, SOI, EOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8, 0xD9}


def jpeg_scans(data: bytes, most: int = MAX_JPEG_SCANS) -> int:
    """How many scans (SOS segments) a JPEG has, counting no further than most + 1.

    Walks the markers, skipping each segment by its length (so the scans of an EXIF thumbnail
    are not counted) and each scan's entropy-coded data to the next marker. Stops at what is not
    a marker; Pillow then says whether the file is broken."""
    scans, at, end = 0, 2, len(data)
    while at + 4 <= end and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte before a marker
            at += 1
            continue
        if marker == 0xD9:
            break
        if marker in _STANDALONE:
            at += 2
            continue
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if marker == 0xDA:
            scans += 1
            if scans > most:
                break
            found = _NEXT_MARKER.search(data, at)
            if found is None:
                break
            at = found.end() - 2
    return scans


def _check_decoding_cost(image: Image.Image, data: bytes) -> None:
    """Refuse what would cost more to decode than a photo does, from the headers alone."""
    frames = getattr(image, "n_frames", 1)
    if frames > 1:
        raise PhotoRefused(
            _l(
                "Bilden är en animation (%(n)s bilder). Skicka ett vanligt foto.",
                n=frames,
            ),
            422,
        )
    if image.format == "JPEG" and jpeg_scans(data) > MAX_JPEG_SCANS:
        raise PhotoRefused(
            _l(
                "Bilden är sparad i fler än %(n)s omgångar och tar för lång tid att öppna. "
                "Ta bilden med appen eller spara den som en vanlig JPEG.",
                n=MAX_JPEG_SCANS,
            ),
            422,
        )
    width, height = image.size  # at the draft scale for a JPEG
    cost = width * height * DECODE_BYTES_PER_PIXEL.get(image.format, 13)
    if cost > DECODE_BUDGET_BYTES:
        raise PhotoRefused(
            _l(
                "Bilden tar för mycket minne att öppna (%(w)s × %(h)s bildpunkter som "
                "%(format)s). Ta bilden med appen, spara den som JPEG eller förminska den.",
                w=width,
                h=height,
                format=image.format,
            ),
            413,
        )


@dataclass(frozen=True)
class Allowance:
    """How many photos one observation holds (of each kind) and how many bytes one walker adds
    in BUDGET_WINDOW."""

    per_observation: int
    walker_bytes_per_day: int


def check_allowance(
    allowance: Allowance, on_observation: int, walker_bytes: int | None, adding: int = 0
) -> None:
    """Refuse (413) a photo beyond the observation's count or the walker's budget: `on_observation`
    photos already there, `walker_bytes` the walker added in the window (None: staff, no budget),
    `adding` the bytes of this one (0 before it is decoded)."""
    if on_observation >= allowance.per_observation:
        raise PhotoRefused(
            _l(
                "Observationen har redan så många bilder som tas emot (högst %(n)s). Ta bort "
                "en bild först om du vill lägga till en annan.",
                n=allowance.per_observation,
            ),
            413,
        )
    if walker_bytes is None:
        return
    # Before the decode (adding 0) a photo still needs a byte of room.
    if walker_bytes + max(adding, 1) > allowance.walker_bytes_per_day:
        raise PhotoRefused(
            _l(
                "Du har skickat så många bilder det senaste dygnet att fler inte tas emot "
                "(högst %(mb)s MB per dygn). Ta bort bilder du inte behöver eller fråga "
                "samordnaren.",
                mb=round(allowance.walker_bytes_per_day / 1_048_576),
            ),
            413,
        )


@dataclass
class StoredPhoto:
    filename: str
    thumb_filename: str
    bytes: int
    width: int
    height: int
    data: bytes  # also kept in the database, so a replica carries the photo with its row
    thumb_data: bytes

    @property
    def disk_bytes(self) -> int:
        """What it takes on disk: every stored size (the photo and its thumbnail)."""
        return len(self.data) + len(self.thumb_data)


_decoding = threading.BoundedSemaphore(CONCURRENT_DECODES)


def _open(data: bytes, max_bytes: int) -> Image.Image:
    if not data:
        raise PhotoRefused(_l("Filen är tom."))
    if len(data) > max_bytes:
        raise PhotoRefused(
            _l("Bilden är för stor (högst %(mb)s MB).", mb=round(max_bytes / 1_048_576)), 413
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoRefused(_l("Bara JPEG-, PNG- eller WebP-bilder tas emot."))
            width, height = image.size  # from the header: nothing is decoded yet
            if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
                raise PhotoRefused(
                    _l(
                        "Bilden har för många bildpunkter (%(w)s × %(h)s). Högst %(side)s på "
                        "längsta sidan och %(mp)s megapixel – ta bilden med appen, som förminskar "
                        "den, eller förminska den först.",
                        w=width,
                        h=height,
                        side=MAX_SIDE,
                        mp=MAX_PIXELS // 1_000_000,
                    ),
                    413,
                )
            # A JPEG decodes straight at 1/2, 1/4 or 1/8 scale when that still gives LONG_SIDE.
            ratio = min(1.0, LONG_SIDE / max(width, height))
            image.draft("RGB", (math.ceil(width * ratio), math.ceil(height * ratio)))
            _check_decoding_cost(image, data)
            image.load()  # a truncated file fails here, not later
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(_l("Bilden har för många bildpunkter."), 413) from None
    except UnidentifiedImageError:
        raise PhotoRefused(_l("Filen är ingen bild som går att läsa.")) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoRefused(_l("Bilden är trasig eller ofullständig.")) from None
    return image


def _jpeg(image: Image.Image, side: int) -> bytes:
    copy = image.copy() if max(image.size) > side else image
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries pixels only.
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _encode(data: bytes, max_bytes: int) -> tuple[bytes, bytes]:
    """The photo and its thumbnail as JPEG, decoded by at most CONCURRENT_DECODES at once."""
    with _decoding:
        image = _open(data, max_bytes)
        # Scaled down first, in place: every later step works on at most LONG_SIDE.
        image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
        # Turn the pixels the way the camera meant before its orientation tag is dropped.
        image = ImageOps.exif_transpose(image).convert("RGB")
        return _jpeg(image, LONG_SIDE), _jpeg(image, THUMB_SIDE)


def _write_atomically(folder: Path, name: str, data: bytes, suffix: str = ".tmp") -> None:
    temporary = folder / f".{name}{suffix}"
    # Readable by the owner only, like the database: a photo may show a face or a door code.
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, folder / name)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def store_photo(data: bytes, folder: Path, max_bytes: int, keep_free: int = 0) -> StoredPhoto:
    """Check and store a photo and its thumbnail under random names; nothing partial stays.
    Refused (health.DiskFull) when writing it would leave less than `keep_free` bytes free."""
    full, thumb = _encode(data, max_bytes)
    # Written three times: the files, their row in the database, and that row in the WAL.
    ensure_room(folder, keep_free, 3 * (len(full) + len(thumb)))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stem = secrets.token_urlsafe(18)
    names = (f"{stem}.jpg", f"{stem}-thumb.jpg")
    try:
        _write_atomically(folder, names[0], full)
        _write_atomically(folder, names[1], thumb)
        _sync_folder(folder)
    except BaseException:
        remove_files(folder, names)
        raise
    width, height = Image.open(io.BytesIO(full)).size
    return StoredPhoto(names[0], names[1], len(full), width, height, full, thumb)


def remove_files(folder: Path, names) -> None:
    for name in names:
        for path in (folder / name, folder / f".{name}.tmp"):
            path.unlink(missing_ok=True)


def leftovers(
    folder: Path,
    expected: set[str] | None = None,
    temporary_age_s: float = TEMPORARY_AGE_S,
    orphan_age_s: float = ORPHAN_AGE_S,
) -> list[Path]:
    """What crashes left in the folder: temporary files (`.name.tmp`) of writes cut short (kill -9
    mid-upload) and, given the names the database expects, finished photo files no row names
    (killed between the files and the row). Only old ones: another worker may be writing a photo
    right now, or waiting to write its row."""
    if not folder.is_dir():
        return []
    now = time.time()
    found = []
    for path in folder.iterdir():
        temporary = path.name.startswith(".") and path.name.endswith(".tmp")
        orphan = (
            expected is not None
            and not path.name.startswith(".")
            and path.suffix == ".jpg"
            and path.name not in expected
        )
        if not (temporary or orphan):
            continue
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:
            continue
        if age >= (temporary_age_s if temporary else orphan_age_s):
            found.append(path)
    return sorted(found)


def clear_leftovers(folder: Path, expected: set[str] | None = None, **ages: float) -> list[str]:
    """Remove `leftovers(folder, expected, **ages)`; return the names removed."""
    removed = []
    for path in leftovers(folder, expected, **ages):
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def owner_only(folder: Path) -> int:
    """Make the photo folder (0700) and the photo files of earlier versions (0644) the owner's
    only; how many files changed."""
    if folder.is_dir() and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    changed = 0
    for path in folder.glob("*.jpg") if folder.is_dir() else ():
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
                changed += 1
        except FileNotFoundError:
            continue
    return changed


def write_missing(folder: Path, photos, read_bytes) -> int:
    """Write the served files the database expects but the folder lacks (after a restore).

    `photos` are rows with id, filename, thumb_filename; `read_bytes(id)` gives their bytes.
    Workers starting at once may both write a file: each through its own temporary name."""
    written = 0
    for photo in photos:
        names = (photo["filename"], photo["thumb_filename"])
        if all((folder / name).exists() for name in names):
            continue
        blobs = read_bytes(photo["id"])
        if blobs is None:
            continue
        for name, data in zip(names, (blobs["photo"], blobs["thumb"])):
            _write_atomically(folder, name, data, suffix=f".{os.getpid()}.tmp")
        written += 1
    if written:
        _sync_folder(folder)
    return written
