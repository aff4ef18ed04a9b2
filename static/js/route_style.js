// How the walk as a route is drawn, the same on every map: planned route, stops, tracks, audits.
// The colours are the page's CSS custom properties, set by the server from walkapp/colours.py.

const colour = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export const ROUTE_STYLE = { color: colour("--route"), weight: 4, dashArray: "8 6", opacity: 0.9 };
export const TRACK_STYLE = { color: colour("--track"), weight: 4, opacity: 0.9 };
export const AUDIT_COLOUR = colour("--audit");
export const RATING_COLOURS = { red: colour("--red"), yellow: colour("--yellow"), green: colour("--green") };

export function loadLeaflet(src) {
  if (window.L) return Promise.resolve(window.L);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve(window.L);
    script.onerror = reject;
    document.head.append(script);
  });
}

export function stopIcon(L, number) {
  return L.divIcon({ className: "stop-number", html: String(number), iconSize: [28, 28], iconAnchor: [14, 14] });
}

// The planned route and numbered stops of a FeatureCollection, as one layer group.
export function routeLayer(L, collection, stopLabel = "Stopp") {
  const group = L.featureGroup();
  for (const feature of collection.features || []) {
    const { kind } = feature.properties || {};
    const coords = feature.geometry.coordinates;
    if (kind === "route") {
      L.polyline(coords.map(([lon, lat]) => [lat, lon]), ROUTE_STYLE).addTo(group);
    } else if (kind === "stop") {
      const { number, name } = feature.properties;
      // A text node, not a string: Leaflet sets a string tooltip with innerHTML (a coordinator names stops).
      const label = name || `${stopLabel} ${number}`;
      L.marker([coords[1], coords[0]], { icon: stopIcon(L, number), title: `${stopLabel} ${number}`, keyboard: false })
        .bindTooltip(() => document.createTextNode(label)).addTo(group);
    }
  }
  return group;
}
