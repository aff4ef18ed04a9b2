"""Follow-up maps with folium that stay small and fast at 100 000 observations.

No Flask here: the caller hands over rows and a function that turns an asset name into a URL
(the overview's cells are read here, `overview_cells`, by the rule that chooses how to count them).
Observations are not folium Markers (one Python object and one block of JavaScript per point
would take seconds and megabytes); they travel as one compact JSON array that
`static/js/followup_map.js` turns into clustered markers in the browser, with a filter control
per category and per status, a heat-map layer, popups of text, a Swedish legend, a scale bar and
fullscreen. Every script and stylesheet is walkapp's own (vendored), never a CDN.

User text on a map travels as data (issue 23): place, stop, partner names, notes and titles go
into one `<script type="application/json">` element (`MapData`), which the one inline script
reads with JSON.parse; `static/js/map_layers.js` and `followup_map.js` set it as text. No user
text is ever written into folium's templates (its Tooltip puts text into a JavaScript template
literal, its GeoJsonTooltip into innerHTML), into an executable script or into HTML.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import folium
from branca.element import Element, MacroElement
from jinja2 import Template
from markupsafe import escape

from . import colours
from .clock import local_day
from .db import exports as exports_db
from .map_controls import SCALE_CSS, WORDS_SV
from .map_controls import options as control_options
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
    ("map_layers", "js/map_layers.js"),
    ("markercluster", "vendor/markercluster/leaflet.markercluster.js"),
    ("heat", "vendor/heat/leaflet-heat.js"),
    ("followup_controls", "js/followup_controls.js"),
    ("followup", "js/followup_map.js"),
]
ICON = "icons/icon.svg"  # the app's icon, as on every other page
CSS_ASSETS = [
    ("leaflet_css", "vendor/leaflet/leaflet.css"),
    ("map_layers_css", "css/map_layers.css"),
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
    "cell_observations": "observationer",
    "cell_open": "öppna åtgärder",
}


# Above this many observations a follow-up map carries counts per cell, counted by SQLite,
# instead of every point: 100 000 points took 13 s and 86 MB to build and seconds to cluster in
# the browser (benchmarks/national.py). The cells divide the larger side of the extent in
# CELLS_ACROSS.
POINTS_MAX = 5000
CELLS_ACROSS = 80
# Cells per zoom: besides the extent's cells, finer levels (each side halved) the map shows as
# the reader zooms in — counted once, at the finest, and summed up into the coarser ones; a finer
# level is sent only while it holds at most FINE_CELLS_MAX cells. Four finer levels sent some
# 20 000 cells for one organisation at 1 000 000 observations and doubled the page's time.
FINER_LEVELS = 2
FINE_CELLS_MAX = 10_000
# And coarser levels (each side doubled) for the zoom the map opens at: fitted to the extent and
# the places around it, 80 cells across were some 10–17 px each on a 1366 px screen and their
# marks (28–52 px) piled on one another; the browser shows the finest level whose cells are wide
# enough to read (static/js/followup_map.js CELL_MIN_PX), down to 5 across.
COARSER_LEVELS = 4


def cell_size(extent: tuple[float, float, float, float]) -> float:
    """The side in degrees of the cells a map of this (west, south, east, north) is counted in."""
    west, south, east, north = extent
    return max(east - west, north - south, 0.001) / CELLS_ACROSS


def finest_cell_size(extent: tuple[float, float, float, float]) -> float:
    """The side of the finest level's cells (cell_size halved FINER_LEVELS times)."""
    return cell_size(extent) / 2**FINER_LEVELS


def cell_levels(fine: list[tuple], fine_deg: float, total: int) -> list[dict]:
    """The map's levels of cells, coarsest (COARSER_LEVELS above the extent's) first, from
    db.exports.cells_filtered (or grid_cells) at `fine_deg`: [{"cell_deg", "cells": [[lon, lat
    of their mean, count, worst rating, open]], "notice"}]. A level's cells are its finer cells
    summed (a column and row of 2^k fine ones), so every level counts every observation once."""
    levels = []
    for k in range(FINER_LEVELS + COARSER_LEVELS, -1, -1):
        summed = _summed(fine, 2**k)
        if k < FINER_LEVELS and len(summed) > FINE_CELLS_MAX:
            break
        size = fine_deg * 2**k
        levels.append({
            "cell_deg": size,
            "cells": [
                [round(c[0] / c[2], 5), round(c[1] / c[2], 5), c[2], c[3], c[4]]
                for c in summed.values()
            ],
            "notice": cells_notice(total, size),
        })  # fmt: skip
    return levels


def _summed(fine: list[tuple], step: int) -> dict[tuple[int, int], list]:
    """Cells of `step` × `step` fine ones: (column, row) -> [sums of longitude and latitude,
    count, worst rating, open measures]."""
    summed: dict[tuple[int, int], list] = {}
    for x, y, lon, lat, count, worst, open_ in fine:
        cell = summed.setdefault((x // step, y // step), [0.0, 0.0, 0, 2, 0])
        cell[0] += lon
        cell[1] += lat
        cell[2] += count
        cell[3] = min(cell[3], worst)
        cell[4] += open_
    return summed


def grid_step(extent: tuple[float, float, float, float], grid_deg: float) -> int | None:
    """How many of the instance's grid cells (`grid_deg`, db.exports.GRID_DEG) make a side of
    the finest cells of a map of this extent: the power of two nearest finest_cell_size(extent)
    from above (cells at most twice as wide as counted per map). None when the grid is too
    coarse for it (a map of a few kilometres is counted per map)."""
    wanted = finest_cell_size(extent)
    if wanted < grid_deg:
        return None
    return 2 ** math.ceil(math.log2(wanted / grid_deg) - 1e-9)


def grid_extent(bounds: tuple[int, int, int, int], grid_deg: float) -> tuple:
    """The (west, south, east, north) of the grid's cells from (first column, first row, last
    column, last row) (db.exports.grid_bounds)."""
    first_x, first_y, last_x, last_y = bounds
    return (
        first_x * grid_deg - 180,
        first_y * grid_deg - 90,
        (last_x + 1) * grid_deg - 180,
        (last_y + 1) * grid_deg - 90,
    )


def overview_cells(db, filters) -> list | None:
    """The overview's levels of cells (cell_levels), None for its points. The whole instance's
    are counted on the instance's grid (db.exports.grid_cells), their size that of a map of
    every observation of the instance, whatever the filter; any other map's per map, in every
    status first (no measure looked up: the cells are as wide as for all statuses, and a status
    filter's total is its cells' sum)."""
    if exports_db.on_the_grid(filters):
        grid_deg, bounds = exports_db.GRID_DEG, exports_db.grid_bounds(db)
        step = bounds and grid_step(grid_extent(bounds, grid_deg), grid_deg)
        if step:
            fine = exports_db.grid_cells(db, filters, step)
            total = sum(cell[4] for cell in fine)
            return cell_levels(fine, grid_deg * step, total) if total > POINTS_MAX else None
    total, extent = exports_db.count_and_extent(db, filters)
    if total <= POINTS_MAX:
        return None
    fine = finest_cell_size(extent)
    counted = exports_db.cells_filtered(db, filters, fine)
    total = sum(cell[4] for cell in counted)
    return cell_levels(counted, fine, total) if total > POINTS_MAX else None


def cells_notice(total: int, cell_deg: float) -> str:
    """What a map of cells says it shows (a degree of longitude is about 55 km at 60° N)."""
    metres = cell_deg * 55_000
    side = f"{max(10, round(metres, -1)):.0f} m" if metres < 1000 else f"{metres / 1000:.0f} km"
    count = f"{total:,}".replace(",", "\u202f")
    return (
        f"{count} observationer, räknade per ruta om ungefär {side}. Välj en period,"
        " en plats, en vandring eller ett område för att se var och en."
    )


MAP_DATA_ID = "walkapp-map-data"
# Text that cannot be encoded: the inputs refuse it, and should one be stored all the same the
# map shows U+FFFD rather than answering 500.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def script_json(value) -> str:
    """JSON to stand inside a <script type="application/json"> element: no '</script>', no
    '<!--', no HTML-significant character, no line separator, and no lone surrogate (one would
    fail the response's encoding: it becomes U+FFFD)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _LONE_SURROGATE.sub("\ufffd", text)
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


class MapData(MacroElement):
    """What the map shows, as data: one non-executable JSON element in the page, and one inline
    script that reads it and hands it to `walkappMap` (static/js/map_layers.js). The script's
    text is the same on every map, whatever people typed."""

    _template = Template(
        """{% macro html(this, kwargs) %}"""
        """<script type="application/json" id="{{ this.element_id }}">{{ this.data }}</script>"""
        """{% endmacro %}
        {% macro script(this, kwargs) %}
        walkappMap({{ this._parent.get_name() }},
            JSON.parse(document.getElementById("{{ this.element_id }}").textContent));
        {% endmacro %}"""
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "MapData"
        self.element_id = MAP_DATA_ID
        self.data = script_json(data)


def _shade(count: int) -> str:
    colour = SHADES[0][1]
    for lowest, shade, _label in SHADES:
        if count >= lowest:
            colour = shade
    return colour


PLACE_LINE = "#12355b"


def places_collection(places: list[dict], counts: dict[int, int] | None = None) -> dict:
    """The places as GeoJSON for map_layers.js, each with its style; with counts, shaded by them.
    The names are plain text: the browser sets them as text."""
    features = []
    for place in places:
        properties = {"name": place["name"]}
        if counts is None:
            properties["style"] = {"color": PLACE_LINE, "weight": 2, "fillOpacity": 0.08}
        else:
            properties["open"] = counts.get(place["id"], 0)
            properties["style"] = _shaded(properties["open"])
        features.append(
            {"type": "Feature", "geometry": place["geometry"], "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


def _shaded(count: int) -> dict:
    return {"color": PLACE_LINE, "weight": 2, "fillColor": _shade(count), "fillOpacity": 0.55}


class MapControls(MacroElement):
    """Replaces folium's zoom and scale controls (make the map with zoom_control=False and
    control_scale=False) by ones in the page's words and direction."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (map, options) {
            var attribution = map.attributionControl;
            if (attribution) {
                attribution.setPosition(options.corners.attribution);
                // Leaflet's own link, titled in the reader's words (its prefix is Leaflet's markup).
                var holder = document.createElement("div");
                holder.innerHTML = attribution.options.prefix || "";
                var link = holder.querySelector("a");
                if (link) { link.title = options.leaflet; attribution.setPrefix(holder.innerHTML); }
            }
            if (options.scale) {
                L.control.scale({position: options.corners.scale, imperial: false, maxWidth: 120}).addTo(map);
            }
            L.control.zoom({position: options.corners.zoom, zoomInTitle: options.zoom_in,
                            zoomOutTitle: options.zoom_out}).addTo(map);
        })({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}"""
    )

    def __init__(self, words: dict[str, str], direction: str = "ltr", scale: bool = True):
        super().__init__()
        self._name = "MapControls"
        # As JSON inside a script: "</" escaped, so a translation can never end the script.
        chosen = control_options(words, direction, scale)
        self.options = json.dumps(chosen, ensure_ascii=False).replace("</", "<\\/")

    def render(self, **kwargs):
        super().render(**kwargs)
        figure = self.get_root()
        figure.header.add_child(Element(f"<style>{SCALE_CSS}</style>"), name="map_controls_css")


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


def _titled(fmap: folium.Map, title: str, asset_url: Callable[[str], str]) -> None:
    """The map page's title, the app's icon, and the colours its CSS reads (walkapp.colours)."""
    fmap.get_root().header.add_child(Element(f"<title>{escape(title)}</title>"), name="title")
    icon = escape(asset_url(ICON))
    fmap.get_root().header.add_child(
        Element(f'<link rel="icon" href="{icon}" type="image/svg+xml">'), name="icon"
    )
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
    routes: dict | None = None,
    audits: dict | None = None,
    cells: dict | None = None,
) -> folium.Map:
    """A map of observations over places; with open_counts, places are shaded by them.
    back: (url, label) of the page the map belongs to, shown as a link on the map.
    routes: walkapp.routes.map_data (planned routes, stops, walked tracks); audits:
    walkapp.audits.map_data; cells: {"levels": cell_levels(…)}, shown instead of the rows
    (which are then not read): the coarsest level's as `cells`, all of them as `cell_levels`."""
    if cells is None:
        compact, place_names, partner_names, bounds = points(rows)
    else:
        compact, place_names, partner_names = [], [], []
        coarsest = cells["levels"][0]
        lons, lats = [c[0] for c in coarsest["cells"]], [c[1] for c in coarsest["cells"]]
        bounds = (min(lats), min(lons), max(lats), max(lons)) if lons else None
    fmap = folium.Map(tiles=None, control_scale=False, zoom_control=False)
    _use_own_assets(fmap, asset_url)
    MapControls(WORDS_SV, scale=False).add_to(fmap)  # static/js/followup_map.js adds the scale
    if tile_url and tile_url != "none":
        _tile_layer(tile_url, tile_attribution).add_to(fmap)
    data = {
        "place_layer": {
            "collection": places_collection(places, open_counts),
            "fields": [["name", TEXT["place"]]]
            + ([["open", TEXT["open_measures"]]] if open_counts is not None else []),
        }
        if places
        else None,
        "routes": routes,
        "audits": audits,
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
        "back": {"url": back[0], "label": back[1]} if back else None,
        "cells": cells["levels"][0]["cells"] if cells else None,
        "notice": cells["levels"][0]["notice"] if cells else None,
        # Coarse to fine: static/js/followup_map.js shows the finest whose cells are big enough.
        "cell_levels": cells["levels"] if cells else None,
    }
    fmap.add_child(MapData(data))
    _titled(fmap, title or "Karta", asset_url)
    extent = _extent(bounds, places)
    if extent:
        fmap.fit_bounds(extent, max_zoom=18)
    return fmap


PUBLIC_MAP_LABELS = {
    "place": "Plats",
    "total": "Iakttagelser",
    "fixed": "Åtgärdade",
    "title": "Iakttagelser och åtgärder per plats",
    **WORDS_SV,
}


def public_map(
    place_counts: list[dict],
    places: list[dict],
    *,
    asset_url,
    tile_url: str = "",
    tile_attribution: str = "",
    labels: dict[str, str] | None = None,
    direction: str = "ltr",
) -> folium.Map:
    """Aggregated counts per place only: no positions, notes, photos or incidents.

    `labels` (place, total, fixed, title and map_controls.WORDS) come translated from the caller: the
    public map speaks the public page's language, its controls mirrored when that reads right to
    left (`direction`)."""
    labels = {**PUBLIC_MAP_LABELS, **(labels or {})}
    by_place = {row["place_id"]: row for row in place_counts if row["place_id"] is not None}
    fmap = folium.Map(tiles=None, control_scale=False, zoom_control=False)
    _use_own_assets(
        fmap, asset_url, only=("leaflet", "leaflet_css", "map_layers", "map_layers_css")
    )
    MapControls(labels, direction).add_to(fmap)
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
                    "name": place["name"],
                    "total": row["total"],
                    "fixed": row["fixed"],
                    "style": _shaded(row["total"]),
                },
            }
        )
    data = {
        "place_layer": {
            "collection": {"type": "FeatureCollection", "features": features},
            "fields": [
                ["name", labels["place"]],
                ["total", labels["total"]],
                ["fixed", labels["fixed"]],
            ],
        }
    }
    fmap.add_child(MapData(data))
    extent = _extent(None, places)
    if extent:
        fmap.fit_bounds(extent)
    _titled(fmap, labels["title"], asset_url)
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
    """The page's HTML in its language; with a nonce, every script carries it (for the CSP).
    Tagging every `<script` is safe because no user text is in the HTML outside MapData's
    element, where each '<' is written \\u003c; a lone surrogate becomes U+FFFD, never a 500."""
    html = fmap.get_root().render().replace("<html>", f'<html lang="{lang}" dir="{dir}">', 1)
    html = _LONE_SURROGATE.sub("\ufffd", html)
    if nonce:
        html = html.replace("<script", f'<script nonce="{nonce}"')
    return html
