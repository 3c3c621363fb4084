// The page's side of the calculator worker: the one way a page (the calculator, the village roster)
// starts the engine. Checks that this browser can run it at all before anything big is downloaded,
// takes over the worker the page's <head> started (else starts it), turns a boot that stalls into a
// failure (Pyodide waits forever, with only a console warning, on a blocked or mistyped .wasm), hands
// the runtime it loaded to the service worker for offline use, and hands out answers.
import { handOver } from "../site/offline.js";
import { markPhase, markWorkerPhases } from "./phases.js";
import { wasmAvailable } from "./wasm-probe.js";

const STALL_LIMIT_MS = 20000;
export const CALCULATOR_BASE = new URL("../../calculator/", import.meta.url).href;

export class EngineFailure extends Error {}

// The worker and manifest the page's <head> started (overrides/partials/start-engine.js), if it did.
// Taken once: a second engine on the page starts afresh.
let headStart = globalThis.ybStartedEngine;
delete globalThis.ybStartedEngine;
let manifestLoad = headStart?.manifest;

// Resolves to the calculator's manifest (the notices, the registry of facts, the runtime to boot):
// the one the page's <head> is fetching, else fetched here, once per page.
export function calculatorManifest() {
  manifestLoad ??= fetch(CALCULATOR_BASE + "manifest.json").then((response) => {
    if (!response.ok) throw new Error(`${response.status} ${response.url}`);
    return response.json();
  });
  return manifestLoad;
}

// Resolves to the engine: {call(type, payload), quote(policyJson, scenarioJson), roster(policyJson,
// requestJson)}, each answering a Promise of {json} or {crash} (see worker.js for the message types).
// Rejects with an EngineFailure whose message is a reason code (see worker.js, plus "no-wasm",
// "no-module-worker", "stalled", "error"). `onProgress(loaded, total)` follows the runtime's download.
export function startEngine({ onProgress = () => {} } = {}) {
  markPhase("engine start");
  const early = headStart;
  headStart = null;
  if (!wasmAvailable()) {
    early?.worker.terminate();
    return Promise.reject(new EngineFailure("no-wasm"));
  }
  return new Promise((resolve, reject) => {
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
    const call = (type, payload) =>
      new Promise((answer) => {
        pending.set(nextId, answer);
        worker.postMessage({ ...payload, type, id: nextId++ });
      });
    const engine = {
      call,
      quote: (policyJson, scenarioJson) => call("quote", { policyJson, scenarioJson }),
      roster: (policyJson, requestJson) => call("roster", { policyJson, requestJson }),
    };
    worker.onerror = () => stop("error");
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") {
        rearm();
        onProgress(data.loaded, data.total);
      } else if (data.type === "ready") {
        clearTimeout(timer);
        markPhase("engine ready");
        markWorkerPhases(data.phases);
        handOver(data.files);
        resolve(engine);
      } else if (data.type === "failed") {
        stop(data.reason);
      } else if (data.type === "result") {
        pending.get(data.id)(data);
        pending.delete(data.id);
      }
    };
    rearm();
    for (const event of early?.release() ?? []) (event.type === "error" ? worker.onerror : worker.onmessage)(event);
  });
}

// A browser without module workers never reads the `type` option (and would run worker.js as a
// classic script, which cannot import): that is how we tell. The <head>'s script tells the same way,
// but may not have run (a CSP without 'unsafe-inline').
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
