"""Screenshots for a person to look at (390×844 and 1366×768, light and dark), kept in
test-artifacts/ when the run asks for them: `WALKAPP_SCREENSHOTS=1 bash scripts/test.sh
tests/browser`. No test asserts on a screenshot, and taking them costs about a sixth of the
browser tests' CPU, so a plain run (and CI) skips them."""

from __future__ import annotations

import os
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def wanted() -> bool:
    return os.environ.get("WALKAPP_SCREENSHOTS") == "1"


def screenshot(target, name: str, **options) -> None:
    """`target.screenshot` (a page, a locator) into test-artifacts/NAME, if the run keeps them."""
    if wanted():
        ARTIFACTS.mkdir(exist_ok=True)
        target.screenshot(path=str(ARTIFACTS / name), **options)
