// The walk page while the walk is on: new observations appear without a reload. The table is
// rendered by the server (one renderer: groups, merge buttons, Stockholm times) and swapped in;
// the map shows the walk's places and groups points at one spot with a count.

import { addControls } from "./map_controls.js";

const section = document.getElementById("live");
const { places, colours } = JSON.parse(document.getElementById("live-data").textContent);

const map = L.map("live-map", { maxZoom: 19, zoomControl: false }).setView([59.3326, 18.0649], 15);
addControls(L, map);
const tiles = section.dataset.tiles;
if (tiles && tiles !== "none") {
  L.tileLayer(tiles, { maxZoom: 19, attribution: section.dataset.attribution }).addTo(map);
}
const outlines = L.geoJSON(places, { style: { color: "#12355b", weight: 2, fillOpacity: 0.05 } }).addTo(map);
const markers = L.markerClusterGroup
  ? L.markerClusterGroup({ maxClusterRadius: 30, showCoverageOnHover: false })
  : L.featureGroup();
markers.addTo(map);
let fitted = false;
let shown = Number(document.getElementById("observation-count").textContent);
let seen = -1;

function drawMarkers(observations) {
  markers.clearLayers();
  for (const o of observations) {
    L.circleMarker([o.lat, o.lon], { radius: 9, color: "#fff", weight: 2, fillColor: colours[o.rating], fillOpacity: 0.95 })
      // As text, never as HTML: labels and notes come from people.
      .bindTooltip(() => document.createTextNode(`${o.time} · ${o.category} · ${o.rating_label}`))
      .addTo(markers);
  }
  if (fitted) return;
  const bounds = L.latLngBounds([]);
  if (observations.length) bounds.extend(markers.getBounds());
  if (outlines.getLayers().length) bounds.extend(outlines.getBounds());
  if (bounds.isValid()) {
    map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20] });
    fitted = true;
  }
}

async function refreshTable() {
  const response = await fetch(window.location.pathname, { credentials: "same-origin" });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of ["observation-rows", "observation-count"]) {
    const fresh = page.getElementById(id);
    if (fresh) document.getElementById(id).replaceWith(fresh);
  }
}

async function poll() {
  try {
    const response = await fetch(section.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    document.getElementById("walker-count").textContent = data.walkers;
    if (data.observations.length !== seen) {
      seen = data.observations.length;
      drawMarkers(data.observations);
    }
    if (data.observations.length !== shown) {
      shown = data.observations.length;
      await refreshTable();
    }
  } catch {
    // the next poll tries again
  }
}

poll();
if (section.dataset.live === "true") setInterval(poll, 3000);
