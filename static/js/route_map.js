// The walk page's and protocol's map (templates/routes/_map.html): planned route and stops,
// each walker's walked track (one line per stretch between gaps, never joined), audits and
// observations, from /walks/<id>/route.json.

import { addControls } from "./map_controls.js";
import { AUDIT_COLOUR, RATING_COLOURS, TRACK_STYLE, loadLeaflet, routeLayer } from "./route_style.js";

const element = document.getElementById("route-map");

async function draw() {
  const L = await loadLeaflet(element.dataset.leaflet);
  const map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView([59.3326, 18.0649], 15);
  addControls(L, map);
  const tiles = element.dataset.tiles;
  if (tiles && tiles !== "none") L.tileLayer(tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
  const response = await fetch(element.dataset.src, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const data = await response.json();
  const all = L.featureGroup().addTo(map);
  routeLayer(L, data).addTo(all);
  let tracks = 0;
  for (const feature of data.features) {
    const { kind } = feature.properties;
    const c = feature.geometry.coordinates;
    if (kind === "track") {
      tracks += c.length;
      for (const part of c) L.polyline(part.map(([lon, lat]) => [lat, lon]), TRACK_STYLE).addTo(all);
    } else if (kind === "audit") {
      L.circleMarker([c[1], c[0]], { radius: 7, color: "#ffffff", weight: 2, fillColor: AUDIT_COLOUR, fillOpacity: 1 }).addTo(all);
    } else if (kind === "observation") {
      L.circleMarker([c[1], c[0]], { radius: 6, color: "#ffffff", weight: 1, fillColor: RATING_COLOURS[feature.properties.rating], fillOpacity: 0.9 }).addTo(all);
    }
  }
  element.dataset.trackParts = String(tracks);
  element.dataset.features = String(data.features.length);
  const bounds = all.getBounds();
  const fit = () => {
    map.invalidateSize({ animate: false });
    if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20], animate: false });
  };
  fit();
  // Printed, the map has the paper's size (routes.css, .route-map.printing the same on screen):
  // "beforeprint" comes while the screen's layout still holds, so the map takes the print size
  // first and fits every stop in it; afterwards it is the screen's map again.
  const printing = (on) => {
    element.classList.toggle("printing", on);
    fit();
  };
  window.addEventListener("beforeprint", () => printing(true));
  window.addEventListener("afterprint", () => printing(false));
  window.matchMedia("print").addEventListener("change", (event) => printing(event.matches));
  element.dataset.ready = "true";
}

if (element) draw();
