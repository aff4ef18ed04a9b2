// Follow-up maps: turns walkapp's compact observation array into clustered markers with a
// filter per category and per status, a heat map (off by default), popups whose text is never
// parsed as HTML, a Swedish legend and a fullscreen button. Called by the folium page.
/* exported walkappFollowUp */
function walkappFollowUp(map, data, placesLayer) {
  "use strict";
  var T = data.text;
  // MarkerCluster needs a maximum zoom, which a map without tiles does not have.
  if (!map.options.maxZoom) map.setMaxZoom(19);
  var shownCategories = data.categories.map(function () { return true; });
  var shownStatuses = data.statuses.map(function () { return true; });
  var icons = {};

  function icon(category, rating) {
    var key = category + ":" + rating;
    if (!icons[key]) {
      var element = document.createElement("span");
      element.className = "wm-mark wm-" + data.ratings[rating][0];
      element.textContent = data.categories[category][2];
      icons[key] = L.divIcon({ className: "wm-icon", html: element.outerHTML, iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12] });
    }
    return icons[key];
  }

  function line(list, label, value) {
    if (value === "" || value === null || value === undefined) return;
    var term = document.createElement("dt");
    term.textContent = label;
    var detail = document.createElement("dd");
    detail.textContent = value; // text, never HTML: a note with <script> shows as text
    list.append(term, detail);
  }

  function popup(p) {
    var box = document.createElement("div");
    box.className = "wm-popup";
    var heading = document.createElement("strong");
    heading.textContent = data.categories[p[2]][1] + " · " + data.ratings[p[3]][1];
    var list = document.createElement("dl");
    line(list, T.date, p[5]);
    line(list, T.place, p[6] >= 0 ? data.places[p[6]] : T.outside);
    line(list, T.status, data.statuses[p[4]][1]);
    line(list, T.partner, p[7] >= 0 ? data.partners[p[7]] : "");
    line(list, T.note, p[8]);
    box.append(heading, list);
    if (p[10]) {
      var photo = document.createElement("img");
      photo.src = data.photo_url.replace("{id}", p[9]).replace("{photo}", p[10]);
      photo.alt = T.photo;
      photo.className = "wm-photo";
      box.append(photo);
    }
    return box;
  }

  var markers = data.points.map(function (p) {
    var marker = L.marker([p[1], p[0]], { icon: icon(p[2], p[3]), keyboard: false });
    marker.walkapp = p;
    marker.bindPopup(function () { return popup(p); });
    return marker;
  });

  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    iconCreateFunction: function (group) {
      var worst = 2;
      group.getAllChildMarkers().forEach(function (m) { if (m.walkapp[3] < worst) worst = m.walkapp[3]; });
      var count = group.getChildCount();
      var size = count < 100 ? 36 : count < 1000 ? 44 : 52;
      return L.divIcon({
        html: "<span>" + count + "</span>",
        className: "wm-cluster wm-cluster-" + data.ratings[worst][0],
        iconSize: [size, size],
      });
    },
  }).addTo(map);

  var heat = L.heatLayer([], { radius: 22, blur: 18, minOpacity: 0.35 });

  function visible() {
    return markers.filter(function (m) { return shownCategories[m.walkapp[2]] && shownStatuses[m.walkapp[4]]; });
  }

  function apply() {
    var shown = visible();
    cluster.clearLayers();
    cluster.addLayers(shown);
    heat.setLatLngs(shown.map(function (m) { return m.getLatLng(); }));
  }

  function checkbox(parent, label, checked, onChange, mark, count) {
    var row = document.createElement("label");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.checked = checked;
    input.addEventListener("change", function () { onChange(input.checked); });
    row.append(input);
    if (mark) {
      var badge = document.createElement("span");
      badge.className = "wm-mark wm-neutral";
      badge.textContent = mark;
      badge.setAttribute("aria-hidden", "true");
      row.append(badge);
    }
    var text = document.createElement("span");
    text.textContent = label + (count !== undefined ? " (" + count + ")" : "");
    row.append(text);
    parent.append(row);
    return input;
  }

  function group(parent, title) {
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = title;
    set.append(legend);
    parent.append(set);
    return set;
  }

  var categoryCounts = data.categories.map(function () { return 0; });
  var statusCounts = data.statuses.map(function () { return 0; });
  data.points.forEach(function (p) { categoryCounts[p[2]] += 1; statusCounts[p[4]] += 1; });

  var Filters = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var box = L.DomUtil.create("details", "wm-control");
      box.open = window.innerWidth > 700;
      var summary = document.createElement("summary");
      summary.textContent = T.show;
      box.append(summary);
      var layers = group(box, T.show);
      if (placesLayer) {
        checkbox(layers, T.places, true, function (on) { if (on) placesLayer.addTo(map); else map.removeLayer(placesLayer); });
      }
      checkbox(layers, T.heat, false, function (on) { if (on) heat.addTo(map); else map.removeLayer(heat); });
      if (/^https?:$/.test(location.protocol)) {
        // "Ladda ner": this map as one file that opens from disk without the network.
        var download = document.createElement("a");
        var url = new URL(location.href);
        url.searchParams.set("download", "1");
        download.href = url.pathname + url.search;
        download.textContent = T.download;
        download.className = "wm-download";
        layers.append(download);
      }
      var categories = group(box, T.categories);
      data.categories.forEach(function (c, i) {
        if (!categoryCounts[i]) return;
        checkbox(categories, c[1], true, function (on) { shownCategories[i] = on; apply(); }, c[2], categoryCounts[i]);
      });
      var statuses = group(box, T.statuses);
      data.statuses.forEach(function (s, i) {
        if (!statusCounts[i]) return;
        checkbox(statuses, s[1], true, function (on) { shownStatuses[i] = on; apply(); }, null, statusCounts[i]);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });

  var Legend = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "wm-legend");
      function heading(text) {
        var title = document.createElement("strong");
        title.textContent = text;
        box.append(title);
      }
      function swatch(colour, label, className) {
        var row = document.createElement("div");
        var mark = document.createElement("span");
        mark.className = className;
        mark.style.background = colour;
        row.append(mark, document.createTextNode(" " + label));
        box.append(row);
      }
      heading(T.legend);
      data.ratings.forEach(function (r) { swatch(r[2], r[1], "wm-swatch"); });
      if (data.shades.length) {
        heading(T.open_measures);
        data.shades.forEach(function (s) { swatch(s[0], s[1], "wm-swatch wm-square"); });
      }
      return box;
    },
  });

  var Fullscreen = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var button = L.DomUtil.create("button", "wm-fullscreen");
      button.type = "button";
      button.title = T.fullscreen;
      button.setAttribute("aria-label", T.fullscreen);
      // Four corner marks, drawn: a glyph may be missing from the projector laptop's fonts.
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 20 20");
      svg.setAttribute("width", "18");
      svg.setAttribute("height", "18");
      svg.setAttribute("aria-hidden", "true");
      var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", "M2 7V2h5M13 2h5v5M18 13v5h-5M7 18H2v-5");
      path.setAttribute("fill", "none");
      path.setAttribute("stroke", "#222");
      path.setAttribute("stroke-width", "2.2");
      svg.append(path);
      button.append(svg);
      L.DomEvent.on(button, "click", function (event) {
        L.DomEvent.stop(event);
        var container = map.getContainer();
        if (document.fullscreenElement) document.exitFullscreen();
        else if (container.requestFullscreen) container.requestFullscreen();
      });
      document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
      return button;
    },
  });

  L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
  map.addControl(new Filters());
  map.addControl(new Legend());
  map.addControl(new Fullscreen());
  apply();
  // For tests and the curious: how many markers the filters let through.
  window.walkappFollowUpState = {
    visible: function () { return visible().map(function (m) { return data.categories[m.walkapp[2]][0]; }); },
    total: markers.length,
  };
  window.walkappReadyAt = performance.now();
  document.documentElement.dataset.mapReady = "true";
}
