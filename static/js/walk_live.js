// The walk page: observations appear as walkers send them (polled, no full reload), in the
// table and on a map. The rating colours come from the server (data-colours).

const section = document.getElementById("live");

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  row.append(td);
  return td;
}

function start() {
  const colours = JSON.parse(section.dataset.colours);
  const map = L.map("live-map").setView([59.3326, 18.0649], 15);
  const tiles = section.dataset.tiles;
  if (tiles && tiles !== "none") {
    L.tileLayer(tiles, { maxZoom: 19, attribution: section.dataset.attribution }).addTo(map);
  }
  const markers = L.featureGroup().addTo(map);
  let fitted = false;
  let shown = -1;

  function render(data) {
    document.getElementById("walker-count").textContent = data.walkers;
    if (data.observations.length === shown) return;
    shown = data.observations.length;
    document.getElementById("observation-count").textContent = shown;
    const body = document.getElementById("observation-rows");
    body.replaceChildren();
    markers.clearLayers();
    for (const o of data.observations) {
      const row = document.createElement("tr");
      cell(row, o.recorded_at.slice(11, 16));
      cell(row, o.category);
      const rating = cell(row, o.rating_label);
      const dot = document.createElement("span");
      dot.className = `rating-dot rating-${o.rating}`;
      rating.prepend(dot);
      cell(row, o.place || "–");
      cell(row, o.note);
      const link = document.createElement("a");
      link.href = o.triage_url;
      link.textContent = o.status + (o.partner ? ` · ${o.partner}` : "");
      cell(row, "").append(link);
      body.append(row);
      L.circleMarker([o.lat, o.lon], { radius: 8, color: "#fff", weight: 2, fillColor: colours[o.rating], fillOpacity: 0.95 })
        .bindTooltip(() => document.createTextNode(`${o.category} · ${o.rating_label}`)) // text, never HTML
        .addTo(markers);
    }
    if (markers.getLayers().length && !fitted) {
      map.fitBounds(markers.getBounds(), { maxZoom: 17, padding: [20, 20] });
      fitted = true;
    }
  }

  async function poll() {
    try {
      const response = await fetch(section.dataset.source, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) render(await response.json());
    } catch (error) {
      // the next poll tries again
    }
  }

  poll();
  if (section.dataset.live === "true") setInterval(poll, 3000);
}

if (section) start();
