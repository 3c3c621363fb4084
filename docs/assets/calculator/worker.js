// Module worker: boots Pyodide off the main thread so the page never freezes, loads the fee core,
// and answers quotes. Only JSON strings cross the boundary.
//   in:  {type: "boot", base, manifest}   base: absolute URL of the folder of manifest.json
//        {type: "quote", id, policyJson, scenarioJson}
//        {type: "roster", id, policyJson, requestJson}   a village roster (calculator.core.roster)
//   out: {type: "progress", loaded, total}  {type: "failed", reason}
//        {type: "ready", fromSnapshot, files}   files: the URLs the worker loaded (the runtime)
//        {type: "result", id, json} or {type: "result", id, crash} when the core raised
import { coreQuote, emptyLockFile, loadCore } from "./core-session.mjs";
import { EMPTY_WASM } from "./engine.js";
import { packSnapshot, unpackSnapshot } from "./snapshot-pack.js";

// Booting Python (importing the ~150 modules Pyodide itself needs, then the core) is most of a visit's
// wait once the files are cached. The first visit keeps a memory snapshot of the interpreter booted
// with the core imported (in this browser only); later visits start from it in a fraction of the
// time, without the core zip. A marker stored while a snapshot boot is under way tells the next
// visit that the last one never finished.
const SNAPSHOTS = "yb-snapshot-v1";
// Kept packed (snapshot-pack.js); the key's suffix names that format (an older one is replaced).
const SNAPSHOT_SUFFIX = ".packed-snapshot";

class BootFailure extends Error {}

let quote = null;
let roster = null;

self.onmessage = ({ data }) => {
  if (data.type === "boot") {
    boot(data.base, data.manifest).then(
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

async function boot(base, manifest) {
  await checkWasmAllowed();
  countDownloads(manifest.download_bytes);
  const indexURL = new URL(manifest.pyodide.indexURL, base).href;
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  const options = {
    indexURL,
    stdLibURL: new URL(manifest.stdlib, base).href,
    lockFileContents: emptyLockFile(manifest.pyodide.lock),
  };
  // One snapshot per runtime and core: the zips' names carry the hash of what was booted.
  const snapshotKey = new URL(`${manifest.stdlib}+${manifest.core.split("/").pop()}${SNAPSHOT_SUFFIX}`, base).href;
  const coreZip = () => fetchBytes(new URL(manifest.core, base).href);
  const python = await startPython(loadPyodide, options, snapshotKey, coreZip);
  quote = python.quote;
  const core = python.pyodide.pyimport("calculator.core");
  roster = (policyJson, requestJson) => core.roster_json(policyJson, requestJson);
  return python.fromSnapshot;
}

// From the snapshot (the core already imported), else afresh (the core loaded from its zip).
async function startPython(loadPyodide, options, key, coreZip) {
  const cache = self.caches ? await caches.open(SNAPSHOTS).catch(() => null) : null; // none over plain http
  const saved = await cache?.match(key);
  const booting = `${key}-booting`;
  if (saved && !(await cache.match(booting))) {
    await cache.put(booting, new Response(""));
    try {
      // Read while Pyodide fetches and compiles its own files.
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: saved.arrayBuffer().then(unpackSnapshot) });
      await cache.delete(booting);
      return { pyodide, quote: coreQuote(pyodide), fromSnapshot: true };
    } catch (error) {
      console.warn("calculator worker: snapshot unusable, booting afresh", error);
    }
  }
  const [pyodide, zip] = await Promise.all([loadPyodide({ ...options, _makeSnapshot: Boolean(cache) }), coreZip()]);
  const python = { pyodide, quote: loadCore(pyodide, zip), fromSnapshot: false };
  if (cache) keepSnapshot(cache, key, packSnapshot(pyodide.makeMemorySnapshot()));
  return python;
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
// a clone of it is read to count the bytes. Progress is reported once per percent: each report is
// work for the page's main thread.
function countDownloads(total) {
  const realFetch = self.fetch.bind(self);
  let loaded = 0;
  let reported = -1;
  const count = async (response) => {
    const reader = response.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      loaded += chunk.value.byteLength;
      const percent = Math.floor((loaded / total) * 100);
      if (percent === reported) continue;
      reported = percent;
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
