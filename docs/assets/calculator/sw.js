// Service worker of the site (installed at the site root by build_scripts/bundle.py so that its scope
// covers every page). Content-hashed files (the calculator's Pyodide runtime, stdlib and core zips and
// policies; the theme's scripts and styles) never change under their URL: cache first, and an older
// copy of the same file is dropped when a new one arrives. Everything else: network first, the
// cached copy when offline.
// Privacy: only the site's own files are kept, each under its path alone. A URL's fragment (a share
// link's household) and query never become part of a cache key, so nothing a resident typed or
// opened stays on the phone through this worker.
const HASHED_CACHE = "yb-hashed-v1";
const PAGES_CACHE = "yb-pages-v2"; // v1 kept share-link fragments in its keys: dropped on activation
const HASHED_PATH = /\/calculator\/(runtime|policies)\/|\/assets\/(javascripts|stylesheets)\/.+\.[0-9a-f]{8}\.min\.(js|css)$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(dropOldCaches().then(() => self.clients.claim())));

// Caches of this worker's earlier versions (the calculator worker's snapshot cache is its own).
async function dropOldCaches() {
  const ours = /^yb-(hashed|pages)-/;
  for (const name of await caches.keys()) {
    if (ours.test(name) && ![HASHED_CACHE, PAGES_CACHE].includes(name)) await caches.delete(name);
  }
}

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
  const own = [...new Set(urls.map(fileKey).filter(Boolean))];
  await Promise.all(own.map(async (key) => {
    const response = await fetch(key).catch(() => null);
    if (!keepable(response)) return;
    if (HASHED_PATH.test(new URL(key).pathname)) await replaceOlder(hashed, key, response);
    else await pages.put(key, response);
  }));
}

// The cache key of a URL of this site: origin and path only. null for another site's URL.
function fileKey(url) {
  const parsed = new URL(url, self.location.origin);
  return parsed.origin === self.location.origin ? parsed.origin + parsed.pathname : null;
}

function keepable(response) {
  return response?.status === 200 && response.type === "basic";
}

// The same file in another version: the path without its content hash and Pyodide version.
function fileKind(url) {
  return new URL(url)
    .pathname.replace(/\/pyodide-[^/]+\//, "/pyodide/")
    .replace(/-[0-9a-f]{12}(?=\.)|\.[0-9a-f]{8}(?=\.min\.)/, "");
}

async function cacheFirst(event) {
  const cache = await caches.open(HASHED_CACHE);
  const key = fileKey(event.request.url);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(event.request);
  // Not awaited: the worker streams the body (and shows progress) while the copy is stored.
  if (keepable(response)) event.waitUntil(replaceOlder(cache, key, response.clone()));
  return response;
}

async function replaceOlder(cache, key, response) {
  const kind = fileKind(key);
  for (const old of await cache.keys()) {
    if (old.url !== key && fileKind(old.url) === kind) await cache.delete(old);
  }
  await cache.put(key, response);
}

async function networkFirst(event) {
  const cache = await caches.open(PAGES_CACHE);
  const key = fileKey(event.request.url);
  try {
    const response = await fetch(event.request);
    if (keepable(response)) event.waitUntil(cache.put(key, response.clone()));
    return response;
  } catch (offline) {
    // A page opened as /calculator/?policy=x is served from the copy of /calculator/.
    const hit = await cache.match(key);
    if (hit) return hit;
    throw offline;
  }
}
