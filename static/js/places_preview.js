// Places from an uploaded file, on a map, before the admin confirms the import.
(function () {
  "use strict";
  var element = document.getElementById("preview-map");
  var data = JSON.parse(document.getElementById("preview-features").textContent);
  var map = L.map(element);
  if (element.dataset.tiles && element.dataset.tiles !== "none") {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
  }
  var layer = L.geoJSON(data, {
    style: { color: "#12355b", weight: 2, fillOpacity: 0.2 },
    onEachFeature: function (feature, shape) { shape.bindTooltip(feature.properties.name, { permanent: false }); },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [20, 20] });
})();
