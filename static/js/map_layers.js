// What every folium map draws from its data (walkapp/maps.py's MapData, a JSON element): places
// with their tooltips, planned routes, stops and walked tracks, audits and the link back; then
// the observations (followup_map.js). Text people typed is set as text — DOM nodes and
// textContent — never as HTML: a string handed to Leaflet's bindTooltip or bindPopup is innerHTML.
// Classic script, not a module: folium inlines it into the downloadable one-file map, which opens
// from disk where modules cannot load.
/* exported walkappMap */
/* global walkappFollowUp */
function walkappMap(map, data) {
  "use strict";

  // [[label, value], …] as a table of text, for a tooltip.
  function table(rows) {
    var box = document.createElement("table");
    rows.forEach(function (row) {
      var line = box.insertRow();
      var label = document.createElement("th");
      label.textContent = row[0];
      var value = document.createElement("td");
      value.textContent = row[1] === undefined || row[1] === null ? "" : String(row[1]);
      line.append(label, value);
    });
    return box;
  }

  function text(value) {
    return function () { return document.createTextNode(value); };
  }

  function placeLayer(layer) {
    return L.geoJSON(layer.collection, {
      style: function (feature) { return feature.properties.style; },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(function () {
          return table(layer.fields.map(function (field) { return [field[1], feature.properties[field[0]]]; }));
        }, { sticky: true });
      },
    });
  }

  function routeLayer(routes) {
    var group = L.featureGroup();
    var colours = routes.colours;
    var lines = routes.features.filter(function (f) { return f.properties.kind !== "stop"; });
    L.geoJSON({ type: "FeatureCollection", features: lines }, {
      style: function (feature) {
        var track = feature.properties.kind === "track";
        return { color: track ? colours.track : colours.route, weight: 4, dashArray: track ? null : "8 6" };
      },
    }).addTo(group);
    routes.features.forEach(function (feature) {
      if (feature.properties.kind !== "stop") return;
      var c = feature.geometry.coordinates;
      L.circleMarker([c[1], c[0]], { radius: 9, color: "#ffffff", weight: 2, fillColor: colours.route, fillOpacity: 1 })
        .bindTooltip(text(feature.properties.number + ". " + feature.properties.name))
        .addTo(group);
    });
    return group;
  }

  function auditLayer(audits) {
    var group = L.featureGroup();
    audits.points.forEach(function (p) {
      L.circleMarker([p[1], p[0]], { radius: 8, color: "#ffffff", weight: 2, fillColor: audits.colour, fillOpacity: 1 })
        .bindTooltip(text(p[2]), { sticky: true })
        .addTo(group);
    });
    return group;
  }

  function backLink(back) {
    var link = document.createElement("a");
    link.className = "map-back";
    link.href = back.url;
    link.target = "_top";
    link.textContent = "← " + back.label;
    document.body.append(link);
  }

  var places = data.place_layer ? placeLayer(data.place_layer).addTo(map) : null;
  if (data.routes) routeLayer(data.routes).addTo(map);
  if (data.audits) auditLayer(data.audits).addTo(map);
  if (data.back) backLink(data.back);
  if (data.points) walkappFollowUp(map, data, places);
  else document.documentElement.dataset.mapReady = "true";
}
