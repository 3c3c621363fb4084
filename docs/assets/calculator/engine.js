// The page's side of the calculator worker. Checks that this browser can run it at all before
// anything big is downloaded, starts the worker, turns a boot that stalls into a failure (Pyodide
// waits forever, with only a console warning, on a blocked or mistyped .wasm), hands the runtime it
// loaded to the service worker for offline use, and hands out quotes.
const STALL_LIMIT_MS = 20000;
// Smallest valid module (the worker uses it too): compiling it fails at once where a CSP lacks
// 'wasm-unsafe-eval'; validating it fails where WebAssembly is missing.
export const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export class EngineFailure extends Error {}

// The worker and manifest the page's <head> started (overrides/partials/start-engine.js), if it did.
// Taken once: a second engine on the page starts afresh.
let started = globalThis.ybStartedEngine;
delete globalThis.ybStartedEngine;
const manifestStarted = started?.manifest;

// The manifest the page's <head> is fetching, or undefined: then the page fetches it.
export function startedManifest() {
  return manifestStarted;
}

// Resolves to quote(policyJson, scenarioJson) -> Promise<{json} | {crash}>, with
// quote.roster(policyJson, requestJson) answered the same way for a village roster; rejects with an
// EngineFailure whose message is a reason code (see worker.js, plus "no-module-worker", "stalled", "error").
// `manifest` may be a promise of it: the worker starts while the page fetches it. The worker the page's
// <head> started, booting on the manifest it fetched, is taken over with what it has said so far.
export function startEngine(base, manifest, onProgress) {
  return new Promise((resolve, reject) => {
    const early = started;
    started = null;
    const worker = early?.worker ?? moduleWorker();
    if (!worker) return reject(new EngineFailure("no-module-worker"));
    const pending = new Map();
    let nextId = 0;
    let timer;
    const stop = (reason) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new EngineFailure(reason));
    };
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stop("stalled"), STALL_LIMIT_MS);
    };
    const ask = (message) =>
      new Promise((answer) => {
        pending.set(nextId, answer);
        worker.postMessage({ ...message, id: nextId++ });
      });
    const quote = (policyJson, scenarioJson) => ask({ type: "quote", policyJson, scenarioJson });
    quote.roster = (policyJson, requestJson) => ask({ type: "roster", policyJson, requestJson });
    worker.onerror = () => stop("error");
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") {
        rearm();
        onProgress(data.loaded, data.total);
      } else if (data.type === "ready") {
        clearTimeout(timer);
        // Imported here, not at the top: the worker imports this file too, and needs none of it.
        import("../site/offline.js").then(({ handOver }) => handOver(data.files));
        resolve(quote);
      } else if (data.type === "failed") {
        stop(data.reason);
      } else if (data.type === "result") {
        pending.get(data.id)(data);
        pending.delete(data.id);
      }
    };
    rearm();
    if (early) {
      for (const event of early.release()) (event.type === "error" ? worker.onerror : worker.onmessage)(event);
      early.manifest.catch(() => stop("network"));
    } else {
      Promise.resolve(manifest).then((m) => worker.postMessage({ type: "boot", base, manifest: m }), () => stop("network"));
    }
  });
}

export function wasmAvailable() {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(EMPTY_WASM);
  } catch {
    return false;
  }
}

// A browser without module workers never reads the `type` option (and would run worker.js as a
// classic script, which cannot import): that is how we tell.
function moduleWorker() {
  let understood = false;
  const options = {
    get type() {
      understood = true;
      return "module";
    },
  };
  try {
    const worker = new Worker(new URL("./worker.js", import.meta.url), options);
    if (understood) return worker;
    worker.terminate();
  } catch {
    // Worker blocked (CSP worker-src, sandbox): reported as no module worker.
  }
  return null;
}
