"""Take the manual's screenshots from a real server with demo data, in Debian's Chromium.

    .venv/bin/python scripts/screenshots.py            # all of them, into docs/img/
    .venv/bin/python scripts/screenshots.py walk-page  # only those whose name contains this

A fresh instance in a temporary folder gets `walkapp init-db`, `walkapp demo` and an admin, then
`walkapp serve` runs on a free port; Playwright (the test extra) opens each screen as a phone
(390×844) or a laptop (1366×768) and the PNGs are reduced to a palette so they stay small. Map
tiles are off (`WALKAPP_TILE_URL=none`): the pictures show walkapp's own layers only.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
WALKAPP = str(Path(sys.executable).with_name("walkapp"))
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
ADMIN, PASSWORD = "dokumentation", "blå spårvagn klockan sju"
SERGELS_TORG = {"latitude": 59.3326, "longitude": 18.0649, "accuracy": 8}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _walkapp(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [WALKAPP, *args], env=env, input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def save(page: Page, name: str) -> None:
    """The viewport as a palette PNG: a tenth of the size, and nothing a reader would notice."""
    image = Image.open(io.BytesIO(page.screenshot()))
    small = image.convert("RGB").quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=0)
    path = OUT / f"{name}.png"
    small.save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Användarnamn").fill(ADMIN)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("networkidle")


def walker_screens(page: Page, url: str, demo: dict) -> None:
    page.goto(f"{url}/j/{demo['code']}")
    page.wait_for_load_state("networkidle")
    save(page, "walker-join")
    page.get_by_role("button").filter(has_text="Gå med").first.click()
    page.wait_for_url("**/capture")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # the GPS fix and the map's layers
    save(page, "walker-capture")
    page.get_by_role("button", name="Belysning").click()
    page.get_by_role("button", name="Åtgärda").click()
    page.get_by_label("Anteckning (frivilligt)").fill("Lampan vid trappan är trasig.")
    save(page, "walker-capture-chosen")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_timeout(1500)
    save(page, "walker-capture-saved")


def public_screens(page: Page, url: str, _demo: dict) -> None:
    page.goto(url + "/")
    page.wait_for_load_state("networkidle")
    save(page, "public-page")


def coordinator_screens(page: Page, url: str, demo: dict) -> None:
    sign_in(page, url)
    save(page, "coordinator-dashboard")
    page.goto(f"{url}/walks/{demo['id']}")
    page.wait_for_load_state("networkidle")
    save(page, "coordinator-walk")
    page.get_by_role("link").filter(has_text="Gå igenom obehandlade").first.click()
    page.wait_for_load_state("networkidle")
    save(page, "coordinator-triage")
    page.goto(f"{url}/walks")
    page.get_by_role("link", name="Kvällsvandring Odenplan och Vasaparken").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(page.url + "/protocol")
    page.wait_for_load_state("networkidle")
    save(page, "coordinator-protocol")
    page.goto(f"{url}/places")
    page.get_by_role("link", name="Sergels torg / Plattan").first.click()
    page.wait_for_load_state("networkidle")
    save(page, "coordinator-place")
    page.goto(f"{url}/maps/walk/{demo['id']}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    save(page, "coordinator-map")
    page.goto(f"{url}/tokens")
    page.wait_for_load_state("networkidle")
    save(page, "planner-data")


SCREENS: list[tuple[str, dict, Callable]] = [
    ("walker", PHONE, walker_screens),
    ("public", PHONE, public_screens),
    ("coordinator", LAPTOP, coordinator_screens),
]


def main(wanted: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    instance = Path(tempfile.mkdtemp(prefix="walkapp-screenshots-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "WALKAPP_INSTANCE": str(instance),
        "WALKAPP_TILE_URL": "none",
        "WALKAPP_PUBLIC_URL": url,
        "WALKAPP_RATELIMIT_ENABLED": "false",
    }
    _walkapp(env, "init-db")
    demo = json.loads(_walkapp(env, "demo"))
    _walkapp(env, "create-user", ADMIN, "--role", "admin", stdin=PASSWORD + "\n")
    log = (instance / "serve.log").open("w")
    server = subprocess.Popen(
        [WALKAPP, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_for(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium"
            )
            for name, viewport, take in SCREENS:
                if wanted and not any(w in name for w in wanted):
                    continue
                context = browser.new_context(
                    viewport=viewport,
                    locale="sv-SE",
                    timezone_id="Europe/Stockholm",
                    geolocation=SERGELS_TORG,
                    permissions=["geolocation"],
                    color_scheme="light",
                )
                take(context.new_page(), url, demo)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(instance, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
