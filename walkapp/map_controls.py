"""A folium map's controls in the page's language and direction: zoom buttons titled in words the
reader knows ("Zooma in", "تكبير"), and Leaflet's own link in the attribution titled so too
(Leaflet says "A JavaScript library for interactive maps"), at the reading start's top corner
(right on an Arabic or Persian page); the metric scale stacked above the attribution at the bottom
end, so the two never cover each other however narrow the map; the scale's "1 km" kept left to
right.

The same options serve every JS map (the walk's route map, route drawing, triage, the live walk,
the places upload's preview, the walkers' capture screen): `options()` as JSON in the map
element's `data-controls`, applied by static/js/map_controls.js as the folium maps'
MapControls (walkapp/maps.py) does.

The words are typed once here in Swedish (`WORDS_SV`, the staff's folium maps) and translated
from there (`WORDS`); the caller hands over the direction. No Flask.
"""

from __future__ import annotations

from .vocabulary import N_, translated

# The words a map's controls need, in Swedish (folium maps for staff), and in the reader's language.
WORDS_SV = {
    "zoom_in": N_("Zooma in"),
    "zoom_out": N_("Zooma ut"),
    "leaflet": N_("Ett JavaScript-bibliotek för interaktiva kartor"),
}
WORDS = translated(WORDS_SV)

# Leaflet draws "1 km" in the page's direction: on a right-to-left page it would read "km 1".
SCALE_CSS = ".leaflet-control-scale-line{direction:ltr;unicode-bidi:isolate}"


def corners(direction: str) -> dict[str, str]:
    """Where each control sits: zoom at the top of the reading start, scale and attribution
    together at the bottom of its end."""
    start, end = ("right", "left") if direction == "rtl" else ("left", "right")
    return {"zoom": f"top{start}", "scale": f"bottom{end}", "attribution": f"bottom{end}"}


def options(words: dict[str, str], direction: str = "ltr", scale: bool = True) -> dict:
    """What a map's controls need, for folium's maps (MapControls) and for the JS maps of staff
    pages (JSON in the map element's data-controls, read by static/js/map_controls.js) alike."""
    return {
        "zoom_in": str(words["zoom_in"]),
        "zoom_out": str(words["zoom_out"]),
        "leaflet": str(words["leaflet"]),
        "corners": corners(direction),
        "scale": scale,
    }
