// Module worker: boots Pyodide off the main thread so the page never freezes, loads the fee core,
// and answers quotes. Only JSON strings cross the boundary. It boots as soon as it starts, reading
// the calculator's manifest itself (site/calculator/, beside the site's assets): the page's main
// thread, busy laying the page out, is not on the boot's path (a message from it may wait).
//   in:  {type: "quote", id, policyJson, scenarioJson}
//        {type: "roster", id, policyJson, requestJson}   a village roster (calculator.core.roster)
//        {type: "draft", id, text, policyId}   a policy draft from a notice's text (calculator.drafting)
//   out: {type: "progress", loaded, total}  {type: "failed", reason}
//        {type: "ready", fromSnapshot, files, phases}   files: the URLs the worker loaded (the runtime);
//          phases: [name, start, end] of the boot, in milliseconds since the epoch (phases.js)
//        {type: "result", id, json} or {type: "result", id, crash} when the core raised

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
let draft = null;
const phases = [];
phase("worker script loaded", 0);
// From its first moment the worker asks for all it can: the manifest, the kept snapshot (only one is
// ever kept, so it is read before the manifest says which one is wanted) and its own helpers, imported
// here rather than statically: a static import would hold all of it back by one more round trip.
const BASE = new URL("../../calculator/", import.meta.url).href; // the folder of manifest.json
const manifestLoad = fetchManifest(BASE);
const helpersLoad = Promise.all([import("./core-session.mjs"), import("./snapshot-pack.js"), import("./wasm-probe.js")])
  .then((modules) => Object.assign({}, ...modules));
const keptSnapshot = readKeptSnapshot();
boot().then(
  (fromSnapshot) => self.postMessage({ type: "ready", fromSnapshot, files: loadedFiles(), phases }),
  (error) => fail(error instanceof BootFailure ? error.message : "error", error),
);

self.onmessage = ({ data }) => {
  if (data.type === "quote") {
    self.postMessage(answer(data.id, () => quote(data.policyJson, data.scenarioJson)));
  } else if (data.type === "roster") {
    self.postMessage(answer(data.id, () => roster(data.policyJson, data.requestJson)));
  } else if (data.type === "draft") {
    self.postMessage(answer(data.id, () => draft(data.text, data.policyId)));
  }
};

// Records a phase of the boot from `start` (this worker's performance.now()) to now, in epoch time.
function phase(name, start) {
  phases.push([name, performance.timeOrigin + start, performance.timeOrigin + performance.now()]);
}

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

async function boot() {
  const helpers = await helpersLoad;
  await checkWasmAllowed(helpers.EMPTY_WASM);
  const manifest = await manifestLoad;
  phase("manifest read", 0);
  countDownloads(manifest.download_bytes);
  const indexURL = new URL(manifest.pyodide.indexURL, BASE).href;
  let start = performance.now();
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  phase("pyodide.mjs imported", start);
  const options = {
    indexURL,
    stdLibURL: new URL(manifest.stdlib, BASE).href,
    lockFileContents: helpers.emptyLockFile(manifest.pyodide.lock),
  };
  // One snapshot per runtime and core: the zips' names carry the hash of what was booted.
  const snapshotKey = new URL(`${manifest.stdlib}+${manifest.core.split("/").pop()}${SNAPSHOT_SUFFIX}`, BASE).href;
  const coreZip = () => fetchBytes(new URL(manifest.core, BASE).href);
  start = performance.now();
  const python = await startPython(helpers, loadPyodide, options, snapshotKey, coreZip);
  phase(python.fromSnapshot ? "Pyodide started from the snapshot" : "Pyodide started, core imported", start);
  quote = python.quote;
  const core = python.pyodide.pyimport("calculator.core");
  roster = (policyJson, requestJson) => core.roster_json(policyJson, requestJson);
  const drafter = helpers.coreDraft(python.pyodide);
  draft = (text, policyId) => drafter(JSON.stringify({ text, id: policyId, vocabulary: manifest.groups }));
  for (const file of performance.getEntriesByType("resource")) {
    phases.push([`fetched ${file.name.split("/").pop()}`, performance.timeOrigin + file.startTime, performance.timeOrigin + file.responseEnd]);
  }
  return python.fromSnapshot;
}

async function fetchManifest(base) {
  const response = await fetch(new URL("manifest.json", base)).catch(() => null);
  if (!response?.ok) throw new BootFailure("network");
  return response.json();
}

// {cache, key, memory}: the snapshot cache (null where there is none: plain http), the kept snapshot's
// key and a promise of its memory (null when none is kept, or the last boot from it never finished).
async function readKeptSnapshot() {
  const cache = self.caches ? await caches.open(SNAPSHOTS).catch(() => null) : null;
  const keys = cache ? (await cache.keys()).map((request) => request.url) : [];
  const key = keys.find((url) => url.endsWith(SNAPSHOT_SUFFIX));
  if (!key || keys.includes(`${key}-booting`)) return { cache, key, memory: null };
  const start = performance.now();
  const packed = cache.match(key).then((saved) => saved.arrayBuffer());
  const memory = Promise.all([packed, helpersLoad]).then(([bytes, { unpackSnapshot }]) => unpackSnapshot(bytes));
  memory.then(() => phase("snapshot read", start), () => {}); // a failure is the boot's to report
  return { cache, key, memory };
}

// From the snapshot (the core already imported), else afresh (the core loaded from its zip).
async function startPython(helpers, loadPyodide, options, wanted, coreZip) {
  const { cache, key, memory } = await keptSnapshot;
  if (memory && key === wanted) {
    const booting = `${key}-booting`;
    await cache.put(booting, new Response(""));
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: memory });
      await cache.delete(booting);
      return { pyodide, quote: helpers.coreQuote(pyodide), fromSnapshot: true };
    } catch (error) {
      console.warn("calculator worker: snapshot unusable, booting afresh", error);
    }
  }
  const [pyodide, zip] = await Promise.all([loadPyodide({ ...options, _makeSnapshot: Boolean(cache) }), coreZip()]);
  const python = { pyodide, quote: helpers.loadCore(pyodide, zip), fromSnapshot: false };
  if (cache) keepSnapshot(cache, wanted, helpers.packSnapshot(pyodide.makeMemorySnapshot()));
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

async function checkWasmAllowed(emptyWasm) {
  try {
    await WebAssembly.instantiate(emptyWasm);
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
