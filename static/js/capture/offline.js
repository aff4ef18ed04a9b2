// "Redo för offline": the service worker keeps the app shell; this asks it to keep the walk's
// screen, places and follow-up page too, and the map tiles over the walk's places when the
// deployment's tile server allows bulk fetching (config.rules.tile_precache), and to open this
// walk from /j and /j/<code> offline. The walker sees a check when all is kept, or what is missing.

import { $, config, format, text } from "./page.js";

// Slippy-map tile numbers (OpenStreetMap's scheme) covering the bounds at one zoom level.
function tilesAt(bounds, zoom) {
  const n = 2 ** zoom;
  const x = (lon) => Math.floor(((lon + 180) / 360) * n);
  const y = (lat) => {
    const rad = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  };
  const tiles = [];
  for (let tx = x(bounds.getWest()); tx <= x(bounds.getEast()); tx++) {
    for (let ty = y(bounds.getNorth()); ty <= y(bounds.getSouth()); ty++) tiles.push([zoom, tx, ty]);
  }
  return tiles;
}

export function tileUrls(bounds) {
  const { max, zooms } = config.rules.tile_precache;
  if (!bounds || !max || !config.tiles.url || config.tiles.url === "none") return [];
  const urls = [];
  for (const zoom of zooms) {
    const tiles = tilesAt(bounds.pad(0.1), zoom);
    if (urls.length + tiles.length > max) break; // the closer levels only while they fit
    for (const [z, x, y] of tiles) {
      urls.push(config.tiles.url.replace("{s}", "a").replace("{z}", z).replace("{x}", x).replace("{y}", y).replace("{r}", ""));
    }
  }
  return urls;
}

export function keepForOffline(tiles) {
  if (!("serviceWorker" in navigator)) return;
  const status = $("#offline-status");
  status.textContent = text.offline_preparing;
  navigator.serviceWorker.addEventListener("message", (event) => {
    const answer = event.data || {};
    if (!answer.cached) return;
    const missing = answer.missing || [];
    const tileGaps = answer.tiles ? answer.tiles.total - answer.tiles.done : 0;
    if (!missing.length && !tileGaps) {
      status.textContent = text.offline_ready;
      status.dataset.state = "ready";
      document.body.dataset.offlineReady = "true";
    } else {
      status.textContent = format(text.offline_missing, { n: missing.length + tileGaps });
      status.dataset.state = "missing";
    }
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() =>
    navigator.serviceWorker.ready.then((registration) =>
      registration.active?.postMessage({
        cache: [location.pathname, config.api.walk, config.follow_up, ...(config.checks ? [config.api.checks] : [])],
        tiles,
        // Where the app's start URL and the join link lead when there is no network.
        start: { paths: ["/j", `/j/${config.walk.code}`], to: config.walk.state === "closed" ? config.follow_up : location.pathname },
      })
    )
  ).catch(() => {
    status.textContent = format(text.offline_missing, { n: 1 });
  });
}
