// The walk form's route drawing (templates/routes/_form_map.html): clicks on the map add points
// to the route or numbered stops; the hidden `route` field holds the GeoJSON the server checks.

import { addControls } from "./map_controls.js";
import { ROUTE_STYLE, loadLeaflet, routeLayer } from "./route_style.js";

const box = document.getElementById("route-draw");
const input = document.getElementById("route-input");
const summary = document.getElementById("route-summary");

function read() {
  let line = [];
  let stops = [];
  try {
    for (const f of JSON.parse(input.value || "{}").features || []) {
      if (f.geometry.type === "LineString") line = f.geometry.coordinates;
      if (f.geometry.type === "Point") stops.push({ position: f.geometry.coordinates, name: f.properties.name || "" });
    }
  } catch (error) {
    line = [];
    stops = [];
  }
  return { line, stops };
}

function collection({ line, stops }) {
  const features = [];
  if (line.length) features.push({ type: "Feature", geometry: { type: "LineString", coordinates: line }, properties: { kind: "route" } });
  stops.forEach((stop, i) => features.push({
    type: "Feature",
    geometry: { type: "Point", coordinates: stop.position },
    properties: { kind: "stop", number: i + 1, name: stop.name || "" },
  }));
  return { type: "FeatureCollection", features };
}

async function start() {
  const L = await loadLeaflet(box.dataset.leaflet);
  const map = L.map("route-draw-map", { zoomControl: false }).setView([59.3326, 18.0649], 15);
  addControls(L, map);
  const tiles = box.dataset.tiles;
  if (tiles && tiles !== "none") L.tileLayer(tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
  const state = read();
  const history = [];
  let mode = "line";
  let layer = null;

  function render() {
    layer?.remove();
    const drawn = collection(state);
    layer = routeLayer(L, drawn).addTo(map);
    if (state.line.length === 1) L.circleMarker([state.line[0][1], state.line[0][0]], { ...ROUTE_STYLE, radius: 5 }).addTo(layer);
    // A lone first point is kept on screen only: the server needs at least two.
    const stored = state.line.length === 1 ? collection({ line: [], stops: state.stops }) : drawn;
    input.value = stored.features.length ? JSON.stringify(stored) : "";
    summary.textContent = summary.dataset.text.replace("{points}", state.line.length).replace("{stops}", state.stops.length);
  }

  box.querySelectorAll("[data-mode]").forEach((button) => button.addEventListener("click", () => {
    mode = button.dataset.mode;
    box.querySelectorAll("[data-mode]").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
  }));
  box.querySelector("[data-action=undo]").addEventListener("click", () => {
    const last = history.pop();
    if (last === "line") state.line.pop();
    if (last === "stop") state.stops.pop();
    render();
  });
  box.querySelector("[data-action=clear]").addEventListener("click", () => {
    state.line.length = 0;
    state.stops.length = 0;
    history.length = 0;
    render();
  });
  map.on("click", (event) => {
    const position = [Number(event.latlng.lng.toFixed(6)), Number(event.latlng.lat.toFixed(6))];
    if (mode === "line") state.line.push(position);
    else state.stops.push({ position, name: "" });
    history.push(mode);
    render();
  });
  render();
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 17, padding: [20, 20] });
  box.dataset.ready = "true";
}

if (box) start();
