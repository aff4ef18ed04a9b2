// The follow-up map's controls: filters per category and status (with the heat map and the
// download link), the Swedish legend and a fullscreen button. Called by followup_map.js.
/* exported walkappFollowUpControls */
function walkappFollowUpControls(map, data, placesLayer, view) {
  "use strict";
  var T = view.text;
  var shownCategories = view.shownCategories;
  var shownStatuses = view.shownStatuses;
  var apply = view.apply;
  var heat = view.heat;

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

  map.addControl(new Filters());
  map.addControl(new Legend());
  map.addControl(new Fullscreen());
}
