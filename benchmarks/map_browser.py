"""The follow-up maps in Chromium at national scale: how long until a map is interactive, as each
role, for the overview with and without filters, a place's map and a walk's map, beside the map a
naive server would send (every observation a point, no cells) for the region's overview.

Usage: python benchmarks/map_browser.py --instance FOLDER [--runs 3]
       (FOLDER: an instance kept by `benchmarks/national.py --keep FOLDER`, e.g. 1 000 000
       observations; needs Debian's chromium and the test extra for Playwright)

The app is served by a process of its own (Werkzeug, threaded, no tiles), so the server's part is
not slowed by this process's Playwright, as a real server runs apart from the browser; a second
such process serves the naive map. Both draw one map before the timing (the first map of a process
imports folium and compiles its templates: a worker's first, once). Each map is opened in a
fresh page of a signed-in context: "interactive" is the moment the page's script marks the map
ready (`html[data-map-ready=true]`, set once its points or cells are drawn), measured from the
navigation's start; beside it the server's part (the response's first byte). The naive server
raises walkapp.maps.POINTS_MAX above the region's count, so its page carries every observation
as a point, as a map without server-side cells would. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from national_data import PASSWORD  # noqa: E402

from walkapp import create_app, maps  # noqa: E402

READY = "html[data-map-ready=true]"
TIMING = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {first_byte: n.responseStart - n.startTime, ready: performance.now() - n.startTime}; }"""


def maps_of(sample: dict) -> dict[str, str]:
    return {
        "overview": "/maps/overview",
        "overview, this year": f"/maps/overview?from={sample['year']}-01-01",
        "overview, lighting only": "/maps/overview?category=lighting",
        "overview, open measures": "/maps/overview?status=open",
        "a place": f"/maps/place/{sample['place_id']}",
        "a walk": f"/maps/walk/{sample['walk_id']}",
    }


def open_map(context, url: str, timeout_s: float = 120) -> dict:
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_selector(READY, state="attached", timeout=timeout_s * 1000)
        measured = page.evaluate(TIMING)
        measured["cells"] = page.evaluate("(window.walkappFollowUpState || {}).cells || 0")
        return measured
    finally:
        page.close()


def signed_in(browser, base: str, username: str):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE")
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.close()
    return context


def median_of(runs: list[dict]) -> dict:
    return {
        "ready_ms": round(statistics.median(r["ready"] for r in runs)),
        "first_byte_ms": round(statistics.median(r["first_byte"] for r in runs)),
        "cells": runs[-1]["cells"],
    }


def _serve(folder: Path, points_max: int | None, port) -> None:
    app = create_app({"INSTANCE": str(folder), "TILE_URL": "none", "RATELIMIT_ENABLED": False})
    if points_max is not None:  # the naive server: every observation a point
        maps.POINTS_MAX = points_max
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port.value = server.server_port
    server.serve_forever()


def served(folder: Path, points_max: int | None = None):
    """A server of the instance in a process of its own: (its URL, the process)."""
    port = multiprocessing.Value("i", 0)
    process = multiprocessing.Process(target=_serve, args=(folder, points_max, port), daemon=True)
    process.start()
    while not port.value:
        if not process.is_alive():
            raise RuntimeError("the map server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port.value}", process


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", required=True, help="a folder kept by national.py --keep")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(args.instance)
    sample = json.loads((folder / "national.json").read_text())
    base, server = served(folder)
    naive_base, naive_server = served(folder, points_max=10**9)
    results: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        for role, username in (
            ("coordinator", sample["coordinator"]),
            ("region", "region"),
            ("admin", "admin"),
        ):
            context = signed_in(browser, base, username)
            if not results:  # a worker that has drawn a map before: folium imported, the
                open_map(context, base + "/maps/overview")  # templates compiled (not timed)
                open_map(context, naive_base + maps_of(sample)["a place"])
            for name, path in maps_of(sample).items():
                runs = [open_map(context, base + path) for _ in range(args.runs)]
                results.setdefault(role, {})[name] = median_of(runs)
                row = results[role][name]
                print(
                    f"{role:12} {name:26} interactive {row['ready_ms']:7} ms"
                    f"  first byte {row['first_byte_ms']:7} ms  cells {row['cells']}",
                    flush=True,
                )
            if role == "region":  # the naive map: every observation of the region a point
                naive = median_of([open_map(context, naive_base + "/maps/overview", 300)])
                walkapp_ms = results["region"]["overview"]["ready_ms"]
                results["naive_region_overview"] = {
                    **naive,
                    "ratio": round(naive["ready_ms"] / max(walkapp_ms, 1), 1),
                }
                print(
                    f"{'region':12} {'overview, every point':26} interactive"
                    f" {naive['ready_ms']:7} ms  first byte {naive['first_byte_ms']:7} ms"
                    f"  ×{results['naive_region_overview']['ratio']} walkapp's time",
                    flush=True,
                )
            context.close()
        browser.close()
    for process in (server, naive_server):
        process.terminate()
        process.join()
    worst = max(
        (row["ready_ms"], role, name)
        for role, rows in results.items()
        if role != "naive_region_overview"
        for name, row in rows.items()
    )
    print(json.dumps({
        "benchmark": "map_browser",
        "observations": sample["observations"],
        "load_average": round(os.getloadavg()[0], 1),
        "worst": {"ms": worst[0], "role": worst[1], "map": worst[2]},
        "results": results,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
