// Triage: a small map of the observation (its accuracy circle or the walker's pin, the place,
// observations nearby) and the fields the chosen status requires, marked as it changes.

import { addControls } from "./map_controls.js";

const data = JSON.parse(document.getElementById("triage-map-data").textContent);
const box = document.getElementById("triage-map");
if (box && window.L) {
  const map = L.map(box, { scrollWheelZoom: false, maxZoom: 19, zoomControl: false }).setView(data.point, 18);
  addControls(L, map);
  const tiles = box.dataset.tiles;
  if (tiles && tiles !== "none") L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
  const layers = L.featureGroup().addTo(map);
  if (data.place) L.geoJSON(data.place, { style: { color: "#12355b", weight: 2, fillOpacity: 0.05 } }).addTo(layers);
  for (const [lat, lon, colour, label] of data.nearby) {
    L.circleMarker([lat, lon], { radius: 6, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.6 })
      .bindTooltip(() => document.createTextNode(label)).addTo(layers);
  }
  if (!data.pinned && data.accuracy_m) {
    L.circle(data.point, { radius: data.accuracy_m, weight: 1, color: data.colour, fillOpacity: 0.12 }).addTo(layers);
  }
  L.circleMarker(data.point, { radius: 10, color: data.pinned ? "#000" : "#fff", weight: 3, fillColor: data.colour, fillOpacity: 1 })
    .addTo(layers);
  map.fitBounds(layers.getBounds().extend(data.point), { maxZoom: 18, padding: [16, 16] });
  // The map is one stop for the keyboard (Leaflet's own, with its arrow keys), not one per
  // observation drawn on it: a hundred markers would stand between the page top and the status.
  for (const shape of box.querySelectorAll(".leaflet-interactive")) shape.setAttribute("tabindex", "-1");
}

const form = document.querySelector(".triage-form");
if (form) {
  const requires = JSON.parse(form.dataset.requires);
  const fields = JSON.parse(form.dataset.fields);
  const mark = () => {
    const needed = requires[form.elements.status.value] || [];
    const carried = fields[form.elements.status.value] || [];
    for (const name of ["partner_id", "deadline", "reason", "duplicate_of"]) {
      const field = form.elements[name];
      const row = field && field.closest(".field");
      if (!row) continue;
      // Only the fields the status carries are shown and sent (the server keeps no others).
      row.hidden = !carried.includes(name);
      field.disabled = !carried.includes(name);
      row.classList.toggle("required", needed.includes(name));
      field.toggleAttribute("aria-required", needed.includes(name));
      if (needed.includes(name)) field.setAttribute("aria-required", "true");
    }
  };
  form.elements.status.addEventListener("change", mark);
  mark();
}
