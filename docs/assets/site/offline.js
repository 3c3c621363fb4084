// Offline reading: every page registers the site's service worker (sw.js at the site root) and hands
// it the files this visit loaded before the worker controlled the page, so that a page read once
// stays readable offline. Pages opened later pass through the worker, which keeps them by itself.
// The worker keeps each file under its path alone (never a query or fragment: see sw.js).
const SW_URL = new URL("../../sw.js", import.meta.url).href;

// Read once, before this page registers anything: whether its files went through the worker.
const controlledFromStart = Boolean(navigator.serviceWorker?.controller);

// Hands `urls` to the worker (it keeps this site's files only), registering it first.
export async function keepForOffline(urls) {
  const sw = navigator.serviceWorker;
  if (!sw || controlledFromStart) return;
  try {
    await sw.register(SW_URL);
    const registration = await sw.ready;
    registration.active.postMessage({ type: "keep", urls });
  } catch (error) {
    console.warn("no offline copy of this page", error); // private mode, storage blocked, plain http
  }
}

// The page itself and everything it has loaded so far (the Resource Timing list).
export function loadedFiles() {
  return [location.origin + location.pathname, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
}

// Once the page has loaded and the main thread is idle: a first visit never waits for this.
export function keepThisPageWhenIdle() {
  const keep = () => (window.requestIdleCallback ?? setTimeout)(() => keepForOffline(loadedFiles()));
  if (document.readyState === "complete") keep();
  else window.addEventListener("load", keep, { once: true });
}
