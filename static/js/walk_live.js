// The walk page: observations appear as walkers send them (polled, no full reload),
// in the table and on a map.
(function () {
  "use strict";
  var section = document.getElementById("live");
  if (!section) return;
  var COLOURS = { red: "#c1121f", yellow: "#e0a100", green: "#2d6a4f" };
  var map = L.map("live-map").setView([59.3326, 18.0649], 15);
  var tiles = section.dataset.tiles;
  if (tiles && tiles !== "none") {
    L.tileLayer(tiles, { maxZoom: 19, attribution: section.dataset.attribution }).addTo(map);
  }
  var markers = L.featureGroup().addTo(map);
  var fitted = false;
  var shown = -1;

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : text;
    row.appendChild(td);
    return td;
  }

  function render(data) {
    document.getElementById("walker-count").textContent = data.walkers;
    if (data.observations.length === shown) return;
    shown = data.observations.length;
    document.getElementById("observation-count").textContent = shown;
    var body = document.getElementById("observation-rows");
    body.replaceChildren();
    markers.clearLayers();
    data.observations.forEach(function (o) {
      var row = document.createElement("tr");
      cell(row, o.recorded_at.slice(11, 16));
      cell(row, o.category);
      var rating = cell(row, o.rating_label);
      var dot = document.createElement("span");
      dot.className = "rating-dot rating-" + o.rating;
      rating.prepend(dot);
      cell(row, o.place || "–");
      cell(row, o.note);
      var action = cell(row, "");
      var link = document.createElement("a");
      link.href = o.triage_url;
      link.textContent = o.status + (o.partner ? " · " + o.partner : "");
      action.appendChild(link);
      body.appendChild(row);
      L.circleMarker([o.lat, o.lon], { radius: 8, color: "#fff", weight: 2, fillColor: COLOURS[o.rating], fillOpacity: 0.95 })
        .bindTooltip(function () { return document.createTextNode(o.category + " · " + o.rating_label); })
        .addTo(markers);
    });
    if (markers.getLayers().length && !fitted) {
      map.fitBounds(markers.getBounds(), { maxZoom: 17, padding: [20, 20] });
      fitted = true;
    }
  }

  function poll() {
    fetch(section.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) render(data); })
      .catch(function () { /* next poll tries again */ });
  }

  poll();
  if (section.dataset.live === "true") setInterval(poll, 3000);
})();
