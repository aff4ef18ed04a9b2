"""Follow-up maps with folium that stay small and fast at 100 000 observations.

No Flask here: the caller hands over rows and a function that turns an asset name into a URL.
Observations are not folium Markers (one Python object and one block of JavaScript per point
would take seconds and megabytes); they travel as one compact JSON array that
`static/js/followup_map.js` turns into clustered markers in the browser, with a filter control
per category and per status, a heat-map layer, escaped popups, a Swedish legend, a scale bar and
fullscreen. Every script and stylesheet is walkapp's own (vendored), never a CDN.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import folium
from branca.element import Element, MacroElement
from jinja2 import Template
from markupsafe import escape

from . import colours
from .clock import local_day
from .vocabulary import CATEGORY_LABELS_SV, RATING_COLOURS, RATING_LABELS_SV, STATUS_LABELS_SV

# Short marks drawn on the markers (the legend spells them out).
CATEGORY_MARKS = {
    "lighting": "Be",
    "vegetation": "Ve",
    "sightlines": "Si",
    "litter": "Ne",
    "graffiti": "Kl",
    "vandalism": "Sk",
    "path": "Gå",
    "underpass": "Gt",
    "traffic": "Tr",
    "wayfinding": "Or",
    "people": "Fo",
    "gathering": "Sa",
    "incident": "Hä",
    "feeling": "Up",
    "other": "Öv",
}
RATING_ORDER = ("red", "yellow", "green")
STATUS_ORDER = tuple(STATUS_LABELS_SV)
CATEGORY_ORDER = tuple(CATEGORY_LABELS_SV)
# Place shades by number of open measures: (lowest count, colour, label).
SHADES = [
    (0, "#e8f1fa", "0"),
    (1, "#9ecae1", "1–4"),
    (5, "#4292c6", "5–9"),
    (10, "#08519c", "10 eller fler"),
]

# Vendored assets: (name, static path). Everything a map page loads besides the tiles.
JS_ASSETS = [
    ("leaflet", "vendor/leaflet/leaflet.js"),
    ("markercluster", "vendor/markercluster/leaflet.markercluster.js"),
    ("heat", "vendor/heat/leaflet-heat.js"),
    ("followup_controls", "js/followup_controls.js"),
    ("followup", "js/followup_map.js"),
]
CSS_ASSETS = [
    ("leaflet_css", "vendor/leaflet/leaflet.css"),
    ("markercluster_css", "vendor/markercluster/MarkerCluster.css"),
    ("markercluster_default_css", "vendor/markercluster/MarkerCluster.Default.css"),
    ("followup_css", "css/followup_map.css"),
]

TEXT = {
    "show": "Visa",
    "places": "Platser",
    "heat": "Värmekarta",
    "categories": "Kategorier",
    "statuses": "Status",
    "legend": "Teckenförklaring",
    "rating": "Bedömning",
    "open_measures": "Öppna åtgärder per plats",
    "date": "Datum",
    "place": "Plats",
    "status": "Status",
    "partner": "Ansvarig",
    "note": "Anteckning",
    "outside": "utanför prioriterade platser",
    "fullscreen": "Helskärm",
    "photo": "Foto",
    "all": "Alla",
    "none": "Inga",
    "download": "Ladda ner kartan (en fil, fungerar utan nät)",
}


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no '</script>', no HTML-significant characters."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def points(rows: Iterable[dict], with_details: bool = True) -> tuple[list, list, list, tuple]:
    """Rows (walkapp.db.measures lines) to compact arrays:
    [lon, lat, category, rating, status, date, place, partner, note, observation id, photo id]
    with indexes into the category/rating/status orders and the returned place/partner lists.
    Returns (points, places, partners, bounds)."""
    place_index: dict = {}
    partner_index: dict = {}
    out = []
    west = south = 180.0
    east = north = -180.0
    for row in rows:
        lon, lat = round(row["lon"], 5), round(row["lat"], 5)
        west, east, south, north = min(west, lon), max(east, lon), min(south, lat), max(north, lat)
        place = row["place_name"]
        partner = row["partner_name"]
        photo = row["photo_ids"][0] if row["photo_ids"] else ""
        out.append(
            [
                lon,
                lat,
                CATEGORY_ORDER.index(row["category"]) if row["category"] in CATEGORY_ORDER else 14,
                RATING_ORDER.index(row["rating"]),
                STATUS_ORDER.index(row["status"]),
                local_day(row["recorded_at"]),
                place_index.setdefault(place, len(place_index)) if place else -1,
                partner_index.setdefault(partner, len(partner_index)) if partner else -1,
                row["note"] if with_details else "",
                row["id"] if photo and with_details else "",
                photo if with_details else "",
            ]
        )
    bounds = (south, west, north, east) if out else None
    return out, list(place_index), list(partner_index), bounds


class FollowUpLayer(MacroElement):
    """The observations, clustered and filtered in the browser by static/js/followup_map.js."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        walkappFollowUp({{ this._parent.get_name() }}, {{ this.data }},
            {{ this.places_layer or "null" }});
        {% endmacro %}"""
    )

    def __init__(self, data: dict, places_layer: str | None):
        super().__init__()
        self._name = "FollowUpLayer"
        self.data = _script_json(data)
        self.places_layer = places_layer


def _shade(count: int) -> str:
    colour = SHADES[0][1]
    for lowest, shade, _label in SHADES:
        if count >= lowest:
            colour = shade
    return colour


def tooltip_text(text: str) -> str:
    """folium's GeoJsonTooltip writes each value with innerHTML: a place named
    `<img src=x onerror=…>` (admin upload) would run. Escaped, it shows as the text it is."""
    return str(escape(text))


def places_collection(places: list[dict], counts: dict[int, int] | None = None) -> dict:
    features = []
    for place in places:
        properties = {"name": tooltip_text(place["name"])}
        if counts is not None:
            properties["open"] = counts.get(place["id"], 0)
        features.append(
            {"type": "Feature", "geometry": place["geometry"], "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def _use_own_assets(
    element, asset_url: Callable[[str], str], only: tuple[str, ...] | None = None
) -> None:
    """Point an element at walkapp's vendored files instead of folium's CDN defaults; `only`
    names the assets a map needs (the public map: Leaflet alone, no clusters or heat)."""
    element.default_js = [
        (name, asset_url(path)) for name, path in JS_ASSETS if only is None or name in only
    ]
    element.default_css = [
        (name, asset_url(path)) for name, path in CSS_ASSETS if only is None or name in only
    ]


def _tile_layer(tile_url: str, attribution: str) -> folium.TileLayer:
    # folium refuses a custom tile URL without attribution; name the host rather than fail.
    return folium.TileLayer(
        tiles=tile_url, attr=attribution or urlsplit(tile_url).netloc, name="Karta", max_zoom=19
    )


def _titled(fmap: folium.Map, title: str) -> None:
    """The map page's title, and the colours its CSS reads (walkapp.colours)."""
    fmap.get_root().header.add_child(Element(f"<title>{escape(title)}</title>"), name="title")
    fmap.get_root().header.add_child(Element(colours.style_element()), name="colours")


def follow_up_map(
    rows: Iterable[dict],
    places: list[dict],
    *,
    asset_url: Callable[[str], str],
    photo_url: str = "/observations/{id}/photos/{photo}/thumb.jpg",
    tile_url: str = "",
    tile_attribution: str = "",
    open_counts: dict[int, int] | None = None,
    title: str = "",
    back: tuple[str, str] | None = None,
) -> folium.Map:
    """A map of observations over places; with open_counts, places are shaded by them.
    back: (url, label) of the page the map belongs to, shown as a link on the map."""
    compact, place_names, partner_names, bounds = points(rows)
    fmap = folium.Map(tiles=None, control_scale=False, zoom_control=True)
    _use_own_assets(fmap, asset_url)
    if tile_url and tile_url != "none":
        _tile_layer(tile_url, tile_attribution).add_to(fmap)
    places_layer = None
    if places:
        layer = folium.GeoJson(
            places_collection(places, open_counts),
            name=TEXT["places"],
            style_function=(
                (
                    lambda f: {
                        "color": "#12355b",
                        "weight": 2,
                        "fillColor": _shade(f["properties"]["open"]),
                        "fillOpacity": 0.55,
                    }
                )
                if open_counts is not None
                else (lambda f: {"color": "#12355b", "weight": 2, "fillOpacity": 0.08})
            ),
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "open"] if open_counts is not None else ["name"],
                aliases=[TEXT["place"], TEXT["open_measures"]]
                if open_counts is not None
                else [TEXT["place"]],
            ),
        ).add_to(fmap)
        places_layer = layer.get_name()
    data = {
        "points": compact,
        "places": place_names,
        "partners": partner_names,
        "categories": [
            [key, CATEGORY_LABELS_SV[key], CATEGORY_MARKS[key]] for key in CATEGORY_ORDER
        ],
        "ratings": [[key, RATING_LABELS_SV[key], RATING_COLOURS[key]] for key in RATING_ORDER],
        "statuses": [[key, STATUS_LABELS_SV[key]] for key in STATUS_ORDER],
        "shades": [[colour, label] for _low, colour, label in SHADES]
        if open_counts is not None
        else [],
        "photo_url": photo_url,
        "text": TEXT,
        "title": title,
    }
    fmap.add_child(FollowUpLayer(data, places_layer))
    _titled(fmap, title or "Karta")
    if back:
        fmap.get_root().html.add_child(
            Element(
                f'<a class="map-back" href="{escape(back[0])}" target="_top">'
                f"← {escape(back[1])}</a>"
                "<style>.map-back{position:absolute;z-index:1000;left:56px;top:10px;"
                "background:#fff;color:#12355b;padding:10px 14px;border-radius:6px;"
                "font:600 16px system-ui,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.4);"
                "min-height:44px;box-sizing:border-box}</style>"
            ),
            name="back",
        )
    extent = _extent(bounds, places)
    if extent:
        fmap.fit_bounds(extent, max_zoom=18)
    return fmap


PUBLIC_MAP_LABELS = {
    "place": "Plats",
    "total": "Iakttagelser",
    "fixed": "Åtgärdade",
    "title": "Iakttagelser och åtgärder per plats",
}


def public_map(
    place_counts: list[dict],
    places: list[dict],
    *,
    asset_url,
    tile_url: str = "",
    tile_attribution: str = "",
    labels: dict[str, str] | None = None,
) -> folium.Map:
    """Aggregated counts per place only: no positions, notes, photos or incidents.

    `labels` (place, total, fixed, title) come translated from the caller: the public map speaks
    the public page's language."""
    labels = {**PUBLIC_MAP_LABELS, **(labels or {})}
    by_place = {row["place_id"]: row for row in place_counts if row["place_id"] is not None}
    fmap = folium.Map(tiles=None, control_scale=True)
    _use_own_assets(fmap, asset_url, only=("leaflet", "leaflet_css"))
    if tile_url and tile_url != "none":
        _tile_layer(tile_url, tile_attribution).add_to(fmap)
    features = []
    for place in places:
        row = by_place.get(place["id"], {"total": 0, "fixed": 0})
        features.append(
            {
                "type": "Feature",
                "geometry": place["geometry"],
                "properties": {
                    "name": tooltip_text(place["name"]),
                    "total": row["total"],
                    "fixed": row["fixed"],
                },
            }
        )
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {
            "color": "#12355b",
            "weight": 2,
            "fillColor": _shade(f["properties"]["total"]),
            "fillOpacity": 0.55,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "total", "fixed"],
            aliases=[labels["place"], labels["total"], labels["fixed"]],
        ),
    ).add_to(fmap)
    extent = _extent(None, places)
    if extent:
        fmap.fit_bounds(extent)
    _titled(fmap, labels["title"])
    return fmap


def _extent(bounds, places: list[dict]):
    south, west, north, east = bounds if bounds else (90.0, 180.0, -90.0, -180.0)
    for place in places:
        for lon, lat in _positions(place["geometry"]):
            west, east, south, north = (
                min(west, lon),
                max(east, lon),
                min(south, lat),
                max(north, lat),
            )
    if south > north:
        return None
    return [[south, west], [north, east]]


def _positions(geometry: dict):
    stack = [geometry["coordinates"]]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], (int, float)):
            yield item[0], item[1]
        else:
            stack.extend(item)


def render(fmap: folium.Map, nonce: str | None = None, lang: str = "sv", dir: str = "ltr") -> str:
    """The page's HTML in its language; with a nonce, every script carries it (for the CSP)."""
    html = fmap.get_root().render().replace("<html>", f'<html lang="{lang}" dir="{dir}">', 1)
    if nonce:
        html = html.replace("<script", f'<script nonce="{nonce}"')
    return html
