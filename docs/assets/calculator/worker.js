// Module worker: boots Pyodide off the main thread so the page never freezes, loads the fee core,
// and answers quotes. Only JSON strings cross the boundary.
//   in:  {type: "boot", base}   base: absolute URL of the folder of manifest.json
//        {type: "quote", id, policyJson, scenarioJson}
//        {type: "roster", id, policyJson, requestJson}   a village roster (calculator.core.roster)
//   out: {type: "progress", loaded, total}  {type: "failed", reason}
//        {type: "ready", fromSnapshot, files}   files: the URLs the worker loaded (the runtime)
//        {type: "result", id, json} or {type: "result", id, crash} when the core raised
import { emptyLockFile, loadCore } from "./core-session.mjs";
import { EMPTY_WASM } from "./engine.js";

// Booting Python (importing the ~150 modules Pyodide itself needs) is most of a visit's wait once the
// files are cached. The first visit keeps a memory snapshot of the freshly booted interpreter (about
// 30 MB, in this browser only); later visits start from it in a fraction of the time. A marker
// stored while a snapshot boot is under way tells the next visit that the last one never finished.
const SNAPSHOTS = "yb-snapshot-v1";

class BootFailure extends Error {}

let quote = null;
let roster = null;

self.onmessage = ({ data }) => {
  if (data.type === "boot") {
    boot(data.base).then(
      (fromSnapshot) => self.postMessage({ type: "ready", fromSnapshot, files: loadedFiles() }),
      (error) => fail(error instanceof BootFailure ? error.message : "error", error),
    );
  } else if (data.type === "quote") {
    self.postMessage(answer(data.id, () => quote(data.policyJson, data.scenarioJson)));
  } else if (data.type === "roster") {
    self.postMessage(answer(data.id, () => roster(data.policyJson, data.requestJson)));
  }
};

// This worker's own script and what it fetched and imported (the Resource Timing list).
function loadedFiles() {
  return [self.location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
}

function answer(id, compute) {
  try {
    return { type: "result", id, json: compute() };
  } catch (error) {
    console.error("calculator worker:", error);
    return { type: "result", id, crash: String(error.message || error) };
  }
}

function fail(reason, error) {
  console.error("calculator worker:", error);
  self.postMessage({ type: "failed", reason });
}

async function boot(base) {
  await checkWasmAllowed();
  const manifest = await (await fetch(base + "manifest.json")).json();
  countDownloads(manifest.download_bytes);
  const indexURL = new URL(manifest.pyodide.indexURL, base).href;
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const options = {
    indexURL,
    stdLibURL: new URL(manifest.stdlib, base).href,
    lockFileContents: emptyLockFile(manifest.pyodide.lock),
  };
  // One snapshot per runtime: the stdlib zip's name carries the hash of what was booted.
  const snapshotKey = new URL(manifest.stdlib + ".snapshot", base).href;
  const [{ pyodide, fromSnapshot }, coreZip] = await Promise.all([
    startPython(loadPyodide, options, snapshotKey),
    fetchBytes(new URL(manifest.core, base).href),
  ]);
  quote = loadCore(pyodide, coreZip);
  const core = pyodide.pyimport("calculator.core");
  roster = (policyJson, requestJson) => core.roster_json(policyJson, requestJson);
  return fromSnapshot;
}

async function startPython(loadPyodide, options, key) {
  const cache = self.caches ? await caches.open(SNAPSHOTS).catch(() => null) : null; // none over plain http
  if (!cache) return { pyodide: await loadPyodide(options), fromSnapshot: false };
  const saved = await cache.match(key);
  const booting = `${key}-booting`;
  if (saved && !(await cache.match(booting))) {
    await cache.put(booting, new Response(""));
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: await saved.arrayBuffer() });
      await cache.delete(booting);
      return { pyodide, fromSnapshot: true };
    } catch (error) {
      console.warn("calculator worker: snapshot unusable, booting afresh", error);
    }
  }
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: true });
  keepSnapshot(cache, key, pyodide.makeMemorySnapshot());
  return { pyodide, fromSnapshot: false };
}

// Replaces every older snapshot; a full disk just means no snapshot.
async function keepSnapshot(cache, key, snapshot) {
  try {
    for (const old of await cache.keys()) await cache.delete(old);
    await cache.put(key, new Response(snapshot));
  } catch (error) {
    console.warn("calculator worker: no snapshot kept", error);
  }
}

async function checkWasmAllowed() {
  try {
    await WebAssembly.instantiate(EMPTY_WASM);
  } catch (error) {
    throw new BootFailure("wasm-blocked", { cause: error });
  }
}

async function fetchBytes(url) {
  const response = await fetch(url);
  return new Uint8Array(await response.arrayBuffer());
}

function failFetch(reason, detail) {
  fail(reason, detail);
  throw new BootFailure(reason);
}

// Wraps fetch (before pyodide.mjs is imported, so Pyodide uses the wrapper too) to report download
// progress and to catch a .wasm served with the wrong type, on which Pyodide would hang forever.
// Pyodide gets the original response (a rebuilt one would lose the browser's compiled-wasm cache);
// a clone of it is read to count the bytes.
function countDownloads(total) {
  const realFetch = self.fetch.bind(self);
  let loaded = 0;
  const count = async (response) => {
    const reader = response.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      loaded += chunk.value.byteLength;
      self.postMessage({ type: "progress", loaded, total });
    }
  };
  self.fetch = async (input, init) => {
    // Pyodide swallows errors of its own fetches and then waits forever: report them from here.
    const response = await realFetch(input, init).catch((error) => failFetch("network", error));
    if (!response.ok) failFetch("network", `${response.status} ${response.url}`);
    if (response.url.endsWith(".wasm") && !response.headers.get("content-type")?.startsWith("application/wasm")) {
      failFetch("wasm-mime", response.headers.get("content-type"));
    }
    count(response.clone()).catch((error) => failFetch("network", error));
    return response;
  };
}
