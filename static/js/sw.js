// walkapp service worker: keeps the capture screen working with no network.
// The app shell is cached at install; pages and the walk's places are network-first
// (fresh when online, cached when not); static files are cache-first. Writes are never
// handled here: the page's outbox (IndexedDB) sends them when the network is back.

const VERSION = "__VERSION__";
const SHELL_CACHE = `walkapp-shell-${VERSION}`;
const PAGES_CACHE = "walkapp-pages";
const TILES_CACHE = "walkapp-tiles";
const MAX_TILES = 400;
const SHELL = __SHELL__;

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

// The page asks for its own URL and its walk's data to be cached for the next offline start.
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.cache) || [];
  event.waitUntil(
    caches.open(PAGES_CACHE).then((cache) =>
      Promise.all(urls.filter((url) => url.startsWith("/")).map((url) =>
        fetch(url, { credentials: "same-origin" }).then((response) => response.ok && cache.put(url, response)).catch(() => null)
      ))
    ).then(() => event.source && event.source.postMessage({ cached: urls }))
  );
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
  if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  } else if (
    (request.mode === "navigate" && /^\/walks\/[^/]+\/capture$/.test(url.pathname)) ||
    url.pathname.startsWith("/api/walks/")
  ) {
    event.respondWith(networkFirst(request));
  } else if (/^\/observations\/[^/]+\/photos\//.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
