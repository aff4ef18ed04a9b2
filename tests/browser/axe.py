"""axe-core in a page: its serious and critical violations, for every screen's accessibility check.

Only violations are gathered (`resultTypes`: axe skips building the passes' reports). A page that
was checked whole in light mode is checked in dark mode for its colours only: the markup is the
same, only the colours change."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
# The rules whose outcome depends on the colour scheme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

_RUN = """async (options) => (await axe.run(document, options)).violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""


def serious(page, *, colours_only: bool = False) -> list[dict]:
    """The serious and critical violations on the page as it is now (axe injected once)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options: dict = {"resultTypes": ["violations"]}
    if colours_only:
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    return page.evaluate(_RUN, options)
