// The walk as a route on the capture screen (templates/routes/_capture.html): the planned route
// and stops on the map, the "Spela in rutten" switch and the safety audit. Started by the capture
// screen's boot module with its map, position and sync.

import { AuditSheet } from "./audit.js";
import { routeLayer } from "./route_style.js";
import { TrackRecorder } from "./track.js";

const element = document.getElementById("route-config");
const settings = element ? JSON.parse(element.textContent) : null;

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

async function showRoute(map, token) {
  try {
    const response = await fetch(settings.api.route, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) return;
    const route = await response.json();
    await map.ready;
    routeLayer(map.L, route, settings.text.stop).addTo(map.map);
    document.getElementById("route-tools").dataset.route = String(route.features.length);
  } catch (error) {
    // offline before the route was ever fetched: the map works without it
  }
}

export function startRouteTools({ map, position, sync }) {
  if (!settings) return;
  const { walk_id: walkId, text } = settings;
  showRoute(map, sync.token);
  // On a closed walk there is no switch, but points left from before still go.
  new TrackRecorder({
    walkId, url: settings.api.track, rules: settings.rules, sync, newId, text,
    toggle: document.getElementById("track-toggle"), status: document.getElementById("track-status"),
  }).start();
  const sheet = document.getElementById("audit-sheet");
  if (sheet) {
    new AuditSheet({
      walkId, url: settings.api.audits, parameters: settings.parameters, text, position, sync, newId,
      root: sheet, opener: document.getElementById("audit-open"),
    });
  }
}
