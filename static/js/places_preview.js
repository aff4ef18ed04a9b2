// Places from an uploaded file, on a map, before the admin confirms the import.

import { addControls } from "./map_controls.js";

const element = document.getElementById("preview-map");
const data = JSON.parse(document.getElementById("preview-features").textContent);
const map = L.map(element, { zoomControl: false });
addControls(L, map);
if (element.dataset.tiles && element.dataset.tiles !== "none") {
  L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
}
const layer = L.geoJSON(data, {
  style: { color: "#12355b", weight: 2, fillOpacity: 0.2 },
  // A text node, not a string: Leaflet sets a string tooltip with innerHTML (names come from an upload).
  onEachFeature: (feature, shape) => shape.bindTooltip(() => document.createTextNode(feature.properties.name), { permanent: false }),
}).addTo(map);
map.fitBounds(layer.getBounds(), { padding: [20, 20] });
