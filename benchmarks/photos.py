"""Peak memory of eight concurrent worst-case photo uploads: walkapp's way (size from the header,
JPEG draft decoding, scaled down in place, at most CONCURRENT_DECODES decodes at once) beside
today's way before issue 13 (decode everything up to 40 MP, eight at once).

Each case runs in a fresh Python process: eight threads each store one photo with
`walkapp.photos.store_photo` (or the old code path, copied below); the figure is the process's
peak resident memory above what it held before the uploads (ru_maxrss).

Usage: python benchmarks/photos.py   Last line: JSON.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UPLOADS = 8
CASES = {
    # name: (format, width, height, which code)
    "today: 6300×6300 one-colour PNG (accepted)": ("PNG", 6300, 6300, "today"),
    "walkapp: 6300×6300 one-colour PNG (refused from the header)": ("PNG", 6300, 6300, "walkapp"),
    "walkapp: 4096×3906 one-colour PNG (largest accepted)": ("PNG", 4096, 3906, "walkapp"),
    "walkapp: 4096×3906 JPEG (largest accepted, draft decoding)": ("JPEG", 4096, 3906, "walkapp"),
}


def payload(kind: str, width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


def today_store(data: bytes, folder: Path, max_bytes: int) -> None:
    """The decode path as it was before issue 13 (walkapp/photos.py at 40ecc9a)."""
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(data))
    if image.size[0] * image.size[1] > 40_000_000:
        raise ValueError("too many pixels")
    image.load()
    image = ImageOps.exif_transpose(image).convert("RGB")
    for side in (1600, 320):
        copy = image.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        copy.save(io.BytesIO(), "JPEG", quality=82, optimize=True)


def run_case(kind: str, width: int, height: int, code: str) -> dict:
    """In this (fresh) process: eight threads upload at once; peak memory above the start."""
    from walkapp.photos import PhotoRefused, store_photo

    data = payload(kind, width, height)
    store = store_photo if code == "walkapp" else today_store
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refused = []
    folder = Path(tempfile.mkdtemp())

    def upload():
        try:
            store(data, folder, 10 * 1024 * 1024)
        except PhotoRefused:
            refused.append(1)

    threads = [threading.Thread(target=upload) for _ in range(UPLOADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "upload_kb": round(len(data) / 1024, 1),
        "peak_mb": round((peak - before) / 1024, 1),
        "seconds": round(seconds, 2),
        "refused": len(refused),
    }


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--case":
        _flag, kind, width, height, code = sys.argv[1:]
        print(json.dumps(run_case(kind, int(width), int(height), code)))
        return
    results = {}
    for name, (kind, width, height, code) in CASES.items():
        output = subprocess.run(
            [sys.executable, __file__, "--case", kind, str(width), str(height), code],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[name] = json.loads(output.strip().splitlines()[-1])
        figures = results[name]
        print(
            f"{name:62} {figures['upload_kb']:>8} KB  peak +{figures['peak_mb']:>7} MB"
            f"  {figures['seconds']:>5} s  refused {figures['refused']}/{UPLOADS}"
        )
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
