"""Place names are text in every tooltip, and a downloaded map carries its own CSP (issue 13,
point 4): a place named `<img src=x onerror=…>` (admin GeoJSON upload) never becomes an element.
Every other user text on a map: tests/test_map_text.py and tests/browser/test_map_text.py."""

from __future__ import annotations

import base64
import hashlib
import html as html_module
import re

import pytest

from tests.helpers import login
from walkapp.db import transaction

EVIL = "<img src=x onerror=window.pwned=1>Plattan"


@pytest.fixture
def evil_place(db):
    with transaction(db):
        db.execute("update places set name = ? where id = 1", [EVIL])
    return EVIL


@pytest.mark.parametrize("path", ["/maps/public", "/maps/overview", "/maps/place/1"])
def test_place_names_reach_the_map_as_data(client, users, evil_place, path):
    login(client, "admin")
    page = client.get(path).get_data(as_text=True)
    # In the page's JSON element the name reads \u003cimg…: the browser sets it as text.
    assert "<img src=x" not in page and "\\u003cimg src=x onerror" in page


def _csp(page: str) -> str:
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert found, "a downloaded map has no CSP of its own"
    return html_module.unescape(found.group(1))


@pytest.mark.parametrize("path", ["/maps/public", "/maps/overview"])
def test_a_downloaded_map_allows_only_its_own_scripts(client, users, evil_place, path):
    login(client, "admin")
    page = client.get(path + "?download=1").get_data(as_text=True)
    policy = _csp(page)
    assert page.index("Content-Security-Policy") < page.index("<script")
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    bodies = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert bodies and not re.search(r"<script[^>]+src=", page)
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "connect-src" not in policy  # default-src 'none': the file calls nowhere
