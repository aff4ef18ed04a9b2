"""The colours pages and maps draw with, each written once where its word lives — a rating's in
vocabulary.RATING_COLOURS, the planned route's and the walked track's in routes, a safety
audit's in audits — and set on every page as CSS custom properties (--red, --yellow, --green,
--route, --track, --audit). Static CSS says var(--red); JS reads the property
(static/js/route_style.js); Python (folium maps, JSON for the phone) uses the constants."""

from __future__ import annotations

from markupsafe import Markup

from .audits import AUDIT_COLOUR
from .routes import ROUTE_COLOUR, TRACK_COLOUR
from .vocabulary import RATING_COLOURS

PROPERTIES: dict[str, str] = {
    **{f"--{rating}": colour for rating, colour in RATING_COLOURS.items()},
    "--route": ROUTE_COLOUR,
    "--track": TRACK_COLOUR,
    "--audit": AUDIT_COLOUR,
}


def root_css() -> Markup:
    """The properties as one CSS rule, for a page's <style> (our own constants: safe)."""
    return Markup(
        ":root { " + " ".join(f"{name}: {value};" for name, value in PROPERTIES.items()) + " }"
    )


def style_element() -> Markup:
    return Markup(f"<style>{root_css()}</style>")
