// Offline reading: every page registers the site's service worker (sw.js at the site root) and hands
// it the files this visit loaded, once the page is idle (on a first visit, also those arriving later).
// On a visit the worker did not serve, it keeps them, so that a page read once stays readable
// offline; on a visit it served (from its copies), it refreshes its copies of the scripts and styles
// for the next visit. The worker keeps each file under its path alone (never a query or fragment: see
// sw.js).
const SW_URL = new URL("../../sw.js", import.meta.url).href;

// Read once, before this page registers anything: whether its files went through the worker.
const controlledFromStart = Boolean(navigator.serviceWorker?.controller);

// Hands `urls` to the worker (it keeps or refreshes this site's files only), registering it first.
export async function handOver(urls) {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  if (controlledFromStart) return sw.controller?.postMessage({ type: "refresh", urls });
  try {
    await sw.register(SW_URL);
    const registration = await sw.ready;
    registration.active.postMessage({ type: "keep", urls });
  } catch (error) {
    console.warn("no offline copy of this page", error); // private mode, storage blocked, plain http
  }
}

// The page itself and everything it has loaded so far (the Resource Timing list).
function loadedFiles() {
  return [location.origin + location.pathname, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
}

// Once the page has loaded and the main thread is idle: a visit never waits for this.
export function handOverThisPageWhenIdle() {
  const handOverWhenIdle = () => (window.requestIdleCallback ?? setTimeout)(() => {
    handOver(loadedFiles());
    if (!controlledFromStart) handOverLaterFiles();
  });
  if (document.readyState === "complete") handOverWhenIdle();
  else window.addEventListener("load", handOverWhenIdle, { once: true });
}

// On a visit the worker did not serve, a file that arrives after the hand-over (on a slow network, the
// notice the calculator asked for before the worker took the page over) is handed over as it arrives.
function handOverLaterFiles() {
  new PerformanceObserver((list) => handOver(list.getEntries().map((entry) => entry.name))).observe({ type: "resource" });
}
