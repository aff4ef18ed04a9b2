// walkapp service worker: keeps the capture screen working with no network.
// The app shell is cached at install; pages and the walk's places are network-first
// (fresh when online, cached when not); static files are cache-first. Writes are never
// handled here: the page's outbox (IndexedDB) sends them when the network is back.
// Offline, the installed app's start URL /j and the join link /j/<code> open the walk the
// phone keeps (its capture screen, its follow-up page once closed) instead of an error page.

const VERSION = "__VERSION__";
const SHELL_CACHE = `walkapp-shell-${VERSION}`;
const PAGES_CACHE = "walkapp-pages";
const TILES_CACHE = "walkapp-tiles";
const MAX_TILES = 2000; // tiles seen plus tiles fetched ahead; the oldest go first
const SHELL = __SHELL__;
const START = /^\/j(\/[^/]+)?$/;

// Where a start URL leads offline, kept as a small record in the pages cache. Codes as the
// server reads them: upper case, spaces and dashes dropped.
function startKey(pathname) {
  const code = decodeURIComponent(pathname.slice(3)).toUpperCase().replace(/[\s-]/g, "");
  return `/__start__/j${code ? `/${code}` : ""}`;
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("walkapp-shell-") && key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

// The page asks for its screen, its walk's data and follow-up page (and, where the tile server
// allows it, the map tiles over the walk's places) to be kept for the next offline start; it
// is told what was kept and what could not be fetched.
async function keep(cacheName, urls, options) {
  const cache = await caches.open(cacheName);
  const missing = [];
  await Promise.all(urls.map(async (url) => {
    try {
      if (cacheName === TILES_CACHE && (await cache.match(url))) return;
      const response = await fetch(url, options);
      if (response.ok || response.type === "opaque") await cache.put(url, response);
      else missing.push(url);
    } catch (error) {
      // Offline now: what an earlier visit kept still counts.
      if (!(await cache.match(url))) missing.push(url);
    }
  }));
  return missing;
}

self.addEventListener("message", (event) => {
  const urls = ((event.data && event.data.cache) || []).filter((url) => url.startsWith("/"));
  const tiles = ((event.data && event.data.tiles) || []).slice(0, MAX_TILES);
  const start = event.data && event.data.start;
  event.waitUntil((async () => {
    if (start && String(start.to).startsWith("/")) {
      const cache = await caches.open(PAGES_CACHE);
      await Promise.all((start.paths || []).filter((path) => START.test(path)).map((path) =>
        cache.put(startKey(path), new Response(JSON.stringify({ to: start.to }), { headers: { "Content-Type": "application/json" } }))
      ));
    }
    const missing = await keep(PAGES_CACHE, urls, { credentials: "same-origin" });
    const tilesMissing = await keep(TILES_CACHE, tiles, { mode: "no-cors" });
    event.source?.postMessage({
      cached: urls.filter((url) => !missing.includes(url)),
      missing,
      tiles: { total: tiles.length, done: tiles.length - tilesMissing.length },
    });
  })());
});

async function networkFirst(request) {
  const cache = await caches.open(PAGES_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(request, { ignoreSearch: true })) || (await caches.match(request, { ignoreSearch: true }));
    if (cached) return cached;
    throw error;
  }
}

// Online the server decides (it may know of a newer walk); offline the kept walk opens.
async function startPage(request, url) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await (await caches.open(PAGES_CACHE)).match(startKey(url.pathname));
    if (!kept) throw error;
    return Response.redirect(new URL((await kept.json()).to, self.location.origin).href, 302);
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: false });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
  return response;
}

async function tile(request) {
  const cache = await caches.open(TILES_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok || response.type === "opaque") {
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_TILES))) await cache.delete(key);
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    if (request.destination === "image") event.respondWith(tile(request));
    return;
  }
  if (request.mode === "navigate" && START.test(url.pathname)) {
    event.respondWith(startPage(request, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  } else if (
    (request.mode === "navigate" && /^\/(walks\/[^/]+\/capture|j\/[^/]+\/follow-up)$/.test(url.pathname)) ||
    url.pathname.startsWith("/api/walks/")
  ) {
    event.respondWith(networkFirst(request));
  } else if (/^\/observations\/[^/]+\/photos\//.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
