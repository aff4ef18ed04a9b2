// Follow-up maps: turns walkapp's compact observation array into clustered markers with a
// filter per category and per status, a heat map (off by default), popups whose text is never
// parsed as HTML; the filter control, the Swedish legend and the fullscreen button are in
// followup_controls.js. Called by walkappMap (map_layers.js) with the page's data. Classic
// scripts, not modules: folium inlines them into the downloadable one-file map, which opens from
// disk where modules cannot load.
/* exported walkappFollowUp, walkappFollowUpCells */
/* global walkappFollowUpControls */
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
    detail.dir = "auto"; // an Arabic or Persian note reads right to left in a Swedish popup
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

  if (data.cells) return walkappFollowUpCells(map, data);

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

  L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
  walkappFollowUpControls(map, data, placesLayer, {
    text: T, shownCategories: shownCategories, shownStatuses: shownStatuses, apply: apply, heat: heat,
  });
  apply();
  // For tests and the curious: how many markers the filters let through.
  window.walkappFollowUpState = {
    visible: function () { return visible().map(function (m) { return data.categories[m.walkapp[2]][0]; }); },
    total: markers.length,
  };
  window.walkappReadyAt = performance.now();
  document.documentElement.dataset.mapReady = "true";
}

// A map of more observations than a browser clusters quickly: the server counted them per cell
// (walkapp/maps.py POINTS_MAX) at several sizes, coarse to fine (data.cell_levels); the map shows
// the finest level whose cells are at least CELL_MIN_PX wide at the zoom it is at, and of it the
// cells in view. Each cell is one mark with its count, coloured by its worst rating; a notice
// says how large the cells are and how to see each observation.
function walkappFollowUpCells(map, data) {
  "use strict";
  var T = data.text;
  var CELL_MIN_PX = 48;
  var levels = data.cell_levels && data.cell_levels.length
    ? data.cell_levels
    : [{ cells: data.cells, notice: data.notice, cell_deg: 1 }];
  var layer = L.layerGroup().addTo(map);
  var notice = document.createElement("p");
  notice.className = "map-notice";
  notice.setAttribute("aria-live", "polite");
  document.body.append(notice);
  var shown = { level: -1, cells: 0 };

  // A level's cell side in screen pixels at this zoom, at the map's centre.
  function widthOf(level) {
    var centre = map.getCenter();
    var a = map.latLngToContainerPoint(centre);
    var b = map.latLngToContainerPoint([centre.lat, centre.lng + level.cell_deg]);
    return Math.abs(b.x - a.x);
  }

  function levelFor() {
    var chosen = 0;
    levels.forEach(function (level, i) {
      if (widthOf(level) >= CELL_MIN_PX) chosen = i;
    });
    return chosen;
  }

  function draw() {
    var index = levelFor();
    var level = levels[index];
    // Marks no wider than their cells (the coarsest level may still be narrow where the map
    // opens on places around the cells): neighbours touch, they do not pile up.
    var widest = Math.max(18, Math.floor(widthOf(level)));
    var bounds = map.getBounds().pad(0.25);
    layer.clearLayers();
    var count = 0;
    level.cells.forEach(function (c) {
      if (!bounds.contains([c[1], c[0]])) return;
      var size = Math.min(c[2] < 10 ? 28 : c[2] < 100 ? 36 : c[2] < 1000 ? 44 : 52, widest);
      var number = document.createElement("span");
      number.textContent = String(c[2]);
      var tip = document.createElement("span");
      tip.textContent = c[2] + " " + T.cell_observations + " · " + c[4] + " " + T.cell_open;
      L.marker([c[1], c[0]], {
        keyboard: false,
        icon: L.divIcon({ html: number.outerHTML, className: "wm-cluster wm-cluster-" + data.ratings[c[3]][0], iconSize: [size, size] }),
      }).bindTooltip(tip).addTo(layer);
      count += 1;
    });
    if (notice.textContent !== level.notice) notice.textContent = level.notice;
    shown.level = index;
    shown.cells = count;
    document.documentElement.dataset.cellLevel = String(index);
  }

  L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
  window.walkappFollowUpState = {
    visible: function () { return []; },
    total: 0,
    get cells() { return shown.cells; },
    get level() { return shown.level; },
    levels: levels.length,
  };
  map.whenReady(function () { // the level depends on the zoom the map was fitted to
    draw();
    map.on("zoomend moveend", draw);
    window.walkappReadyAt = performance.now();
    document.documentElement.dataset.mapReady = "true";
  });
}
