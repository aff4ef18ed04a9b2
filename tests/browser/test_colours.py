"""The colours a browser draws with are Python's (walkapp.colours): the page's custom properties
and what the route and rating JS reads from them."""

from __future__ import annotations

import pytest

from walkapp import colours
from walkapp.routes import ROUTE_COLOUR, TRACK_COLOUR
from walkapp.vocabulary import RATING_COLOURS

pytestmark = pytest.mark.browser


def test_css_properties_and_the_route_js_hold_pythons_colours(live_server, page):
    page.goto(live_server.url + "/")
    properties = page.evaluate(
        """names => Object.fromEntries(names.map(name => [name,
            getComputedStyle(document.documentElement).getPropertyValue(name).trim()]))""",
        list(colours.PROPERTIES),
    )
    assert properties == colours.PROPERTIES
    style = page.evaluate(
        """async () => {
            const m = await import("/static/js/route_style.js");
            return {route: m.ROUTE_STYLE.color, track: m.TRACK_STYLE.color,
                    audit: m.AUDIT_COLOUR, ratings: m.RATING_COLOURS};
        }"""
    )
    assert style == {
        "route": ROUTE_COLOUR,
        "track": TRACK_COLOUR,
        "audit": colours.PROPERTIES["--audit"],
        "ratings": RATING_COLOURS,
    }
