"""Follow-up maps at 10 000 and 100 000 observations: walkapp's map against the naive folium way
(a Marker with a Popup per observation in a MarkerCluster; run at 10 000 only, it is too slow
beyond), measured in one run. Prints render seconds and HTML megabytes with the ratios, and how
long Chromium takes until the 10 000-observation map is interactive. Last line: JSON.

Usage: python benchmarks/maps.py   (needs Debian's chromium and the test extra for Playwright)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import folium
from folium.plugins import MarkerCluster

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from walkapp import maps, maps_download  # noqa: E402
from walkapp.vocabulary import CATEGORY_LABELS_SV  # noqa: E402

CATEGORIES = list(CATEGORY_LABELS_SV)


def observations(n: int) -> list[dict]:
    return [
        {
            "id": str(uuid.uuid4()),
            "lon": 18.00 + (i % 400) * 0.00025,
            "lat": 59.30 + (i // 400) * 0.0002,
            "category": CATEGORIES[i % len(CATEGORIES)],
            "rating": ("red", "yellow", "green")[i % 3],
            "status": ("new", "assigned", "done")[i % 3],
            "recorded_at": "2026-11-01T18:00:00+00:00",
            "place_name": f"Plats {i % 40}",
            "partner_name": "Trafikkontoret" if i % 4 == 0 else None,
            "note": f"Observation {i}: trasig belysning vid gångvägen",
            "photo_ids": [],
        }
        for i in range(n)
    ]


def ours(rows: list[dict]) -> tuple[float, str]:
    started = time.perf_counter()
    fmap = maps.follow_up_map(
        rows, [], asset_url=lambda p: "/static/" + p, tile_url="none", title="Benchmark"
    )
    html = maps.render(fmap)
    return time.perf_counter() - started, html


def naive(rows: list[dict]) -> tuple[float, str]:
    started = time.perf_counter()
    fmap = folium.Map(location=[59.33, 18.06], zoom_start=13)
    cluster = MarkerCluster().add_to(fmap)
    for row in rows:
        popup = (
            f"{CATEGORY_LABELS_SV[row['category']]} · {row['rating']}<br>{row['recorded_at'][:10]}"
            f"<br>{row['place_name']}<br>{row['status']}<br>{row['note']}"
        )
        folium.Marker(
            [row["lat"], row["lon"]],
            popup=folium.Popup(popup),
            icon=folium.Icon(
                color={"red": "red", "yellow": "orange", "green": "green"}[row["rating"]]
            ),
        ).add_to(cluster)
    html = fmap.get_root().render()
    return time.perf_counter() - started, html


def browser_ready_seconds(html: str) -> float:
    """Chromium opens the self-contained page from disk; seconds until the markers are usable."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        path.write_text(maps_download.inline_assets(html, ROOT / "static"), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(path.as_uri())
            page.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
            ready_ms = page.evaluate("window.walkappReadyAt")
            browser.close()
    return ready_ms / 1000


def main() -> None:
    figures: dict = {"benchmark": "maps"}
    rows10 = observations(10_000)
    ours10_s, ours10 = ours(rows10)
    naive10_s, naive10 = naive(rows10)
    rows100 = observations(100_000)
    ours100_s, ours100 = ours(rows100)
    mb = lambda text: len(text.encode()) / 1e6  # noqa: E731
    print(f"10 000  walkapp: {ours10_s:.2f} s, {mb(ours10):.2f} MB")
    print(
        f"10 000  naive folium Marker+Popup in MarkerCluster: {naive10_s:.2f} s, {mb(naive10):.2f} MB"
    )
    print(
        f"        walkapp is {naive10_s / ours10_s:.0f}x faster and {mb(naive10) / mb(ours10):.0f}x smaller"
    )
    print(f"100 000 walkapp: {ours100_s:.2f} s, {mb(ours100):.2f} MB (naive not run: too slow)")
    ready = browser_ready_seconds(ours10)
    print(f"Chromium: the 10 000-observation map is interactive after {ready:.2f} s")
    figures.update(
        {
            "ours_10k_s": round(ours10_s, 3),
            "ours_10k_mb": round(mb(ours10), 2),
            "naive_10k_s": round(naive10_s, 2),
            "naive_10k_mb": round(mb(naive10), 2),
            "speed_ratio_10k": round(naive10_s / ours10_s, 1),
            "size_ratio_10k": round(mb(naive10) / mb(ours10), 1),
            "ours_100k_s": round(ours100_s, 3),
            "ours_100k_mb": round(mb(ours100), 2),
            "browser_ready_10k_s": round(ready, 2),
        }
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
