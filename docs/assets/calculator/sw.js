// Service worker of the site (installed at the site root by build_scripts/bundle.py so that its scope
// covers every page). Content-hashed files (the calculator's Pyodide runtime, stdlib and core zips and
// policies; the theme's styles) never change under their URL: cache first, and an older
// copy of the same file is dropped when a new one arrives. The site's other scripts, styles and
// pictures: the kept copy at once, refreshed from the network for the next visit once the page that
// used them is idle (docs/assets/site/offline.js asks; refreshing during the load made every read
// of the cache wait behind the writes). So a visit right after an update may still run the previous
// scripts. Pages and data (manifest.json, the search index): network first, the kept copy when
// offline; a page never read on this phone gets a short Chinese offline page.
// Privacy: only the site's own files are kept, each under its path alone. A URL's fragment (a share
// link's household) and query never become part of a cache key, so nothing a resident typed or
// opened stays on the phone through this worker.
const HASHED_CACHE = "yb-hashed-v1";
const PAGES_CACHE = "yb-pages-v2"; // v1 kept share-link fragments in its keys: dropped on activation
const HASHED_PATH = /\/calculator\/(runtime|policies)\/|\/assets\/stylesheets\/.+\.[0-9a-f]{8}\.min\.css$/;
const STATIC_DESTINATIONS = new Set(["script", "style", "worker", "image"]);
const STATIC_FILE = /\.(m?js|css|png|svg|ico|jpe?g|webp)$/;

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
  if (HASHED_PATH.test(url.pathname)) event.respondWith(cacheFirst(event));
  else if (STATIC_DESTINATIONS.has(event.request.destination)) event.respondWith(keptCopyFirst(event));
  else event.respondWith(networkFirst(event));
});

// Each page hands over what it loaded before this worker controlled it (docs/assets/site/offline.js:
// the page itself, its styles and scripts; the calculator's runtime), so that it opens offline too:
// the copy this visit already has (the HTTP cache's, however old), else the network's. A page this
// worker served asks, once idle, for fresh copies of the static files it used, for the next visit.
self.addEventListener("message", (event) => {
  const { type, urls } = event.data ?? {};
  if (!Array.isArray(urls)) return;
  if (type === "keep") event.waitUntil(keep(urls, "force-cache"));
  if (type === "refresh") event.waitUntil(keep(urls.filter(refreshable), "no-cache"));
});

// A script, style or picture that may change under its URL (pages and data are fetched fresh anyway).
function refreshable(url) {
  const { pathname } = new URL(url, self.location.origin);
  return STATIC_FILE.test(pathname) && !HASHED_PATH.test(pathname);
}

async function keep(urls, cacheMode) {
  const [hashed, pages] = await Promise.all([caches.open(HASHED_CACHE), caches.open(PAGES_CACHE)]);
  const own = [...new Set(urls.map(fileKey).filter(Boolean))];
  await Promise.all(own.map(async (key) => {
    const response = await fetch(key, { cache: cacheMode }).catch(() => null);
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

async function keptCopyFirst(event) {
  const cache = await caches.open(PAGES_CACHE);
  const key = fileKey(event.request.url);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (keepable(response)) event.waitUntil(cache.put(key, response.clone()));
  return response;
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
    if (event.request.mode === "navigate") return offlinePage(cache);
    throw offline;
  }
}

// A page never read on this phone, asked for offline: say so in Chinese and list the pages that can
// be read now (their titles, read from the copies).
async function offlinePage(cache) {
  const pages = [];
  for (const request of await cache.keys()) {
    const copy = await cache.match(request);
    if (!copy.headers.get("content-type")?.startsWith("text/html")) continue;
    const title = (await copy.text()).match(/<title>([^<]*)<\/title>/)?.[1];
    if (title) pages.push(`<li><a href="${new URL(request.url).pathname}">${title}</a></li>`);
  }
  const list = pages.length ? `<p>这台手机上存着您看过的这些页面，没有网络也能看：</p><ul>${pages.join("")}</ul>` : "";
  return new Response(OFFLINE_PAGE.replace("<!-- kept pages -->", list), {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

const OFFLINE_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>没有网络 - 医保明白纸</title>
<style>body{font:18px/1.7 system-ui,sans-serif;margin:0 auto;padding:1em;max-width:40em;color:#212121}
h1{font-size:1.4em}a{color:#00695c;display:inline-block;padding:.4em 0}</style></head>
<body><h1>现在没有网络</h1>
<p>这个页面您还没有在这台手机上打开过，所以没有存下来。等手机连上网络后，再刷新这一页。</p>
<!-- kept pages --></body></html>`;
