// Service worker of the site (installed at the site root by build_scripts/bundle.py so that its scope
// covers every page). Content-hashed files (the calculator's Pyodide runtime, stdlib and core zips and
// policies; the theme's scripts and styles) never change under their URL: cache first, and an older
// copy of the same file is dropped when a new one arrives. Everything else: network first, the
// cached copy when offline.
const HASHED_CACHE = "yb-hashed-v1";
const PAGES_CACHE = "yb-pages-v1";
const HASHED_PATH = /\/calculator\/(runtime|policies)\/|\/assets\/(javascripts|stylesheets)\/.+\.[0-9a-f]{8}\.min\.(js|css)$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(HASHED_PATH.test(url.pathname) ? cacheFirst(event) : networkFirst(event));
});

// The page hands over what it loaded before this worker controlled it (the page itself, its
// styles and scripts, the manifest, the policy), so that a second visit works offline too.
self.addEventListener("message", (event) => {
  if (event.data?.type === "keep" && Array.isArray(event.data.urls)) event.waitUntil(keep(event.data.urls));
});

async function keep(urls) {
  const [hashed, pages] = await Promise.all([caches.open(HASHED_CACHE), caches.open(PAGES_CACHE)]);
  const own = urls.map((u) => new URL(u)).filter((u) => u.origin === self.location.origin);
  await Promise.all(own.map(async (url) => {
    const response = await fetch(url).catch(() => null);
    if (response?.status !== 200) return;
    if (HASHED_PATH.test(url.pathname)) await replaceOlder(hashed, new Request(url), response);
    else await pages.put(url, response);
  }));
}

// The same file in another version: the path without its content hash and Pyodide version.
function fileKind(url) {
  return new URL(url)
    .pathname.replace(/\/pyodide-[^/]+\//, "/pyodide/")
    .replace(/-[0-9a-f]{12}(?=\.)|\.[0-9a-f]{8}(?=\.min\.)/, "");
}

async function cacheFirst(event) {
  const cache = await caches.open(HASHED_CACHE);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  // Not awaited: the worker streams the body (and shows progress) while the copy is stored.
  if (response.status === 200) event.waitUntil(replaceOlder(cache, event.request, response.clone()));
  return response;
}

async function replaceOlder(cache, request, response) {
  const kind = fileKind(request.url);
  for (const old of await cache.keys()) {
    if (old.url !== request.url && fileKind(old.url) === kind) await cache.delete(old);
  }
  await cache.put(request, response);
}

async function networkFirst(event) {
  const cache = await caches.open(PAGES_CACHE);
  try {
    const response = await fetch(event.request);
    if (response.status === 200) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  } catch (offline) {
    // A page opened as /calculator/?policy=x is served from the copy of /calculator/.
    const hit = await cache.match(event.request, { ignoreSearch: event.request.mode === "navigate" });
    if (hit) return hit;
    throw offline;
  }
}
