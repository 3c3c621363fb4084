// Module worker: boots Pyodide off the main thread so the page never freezes, loads the fee core,
// and answers quotes. Only JSON strings cross the boundary.
//   in:  {type: "boot", base, manifest}   base: absolute URL that manifest paths are relative to
//        {type: "quote", id, policyJson, scenarioJson}
//   out: {type: "progress", loaded, total}  {type: "ready"}  {type: "failed", reason}
//        {type: "result", id, json} or {type: "result", id, crash} when the core raised
import { emptyLockFile, loadCore } from "./core-session.mjs";

// Smallest valid module: compiling it fails at once where a CSP lacks 'wasm-unsafe-eval'.
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

class BootFailure extends Error {}

let quote = null;

self.onmessage = ({ data }) => {
  if (data.type === "boot") {
    boot(data.base, data.manifest).then(
      () => self.postMessage({ type: "ready" }),
      (error) => fail(error instanceof BootFailure ? error.message : "error", error),
    );
  } else if (data.type === "quote") {
    self.postMessage(answer(data));
  }
};

function answer({ id, policyJson, scenarioJson }) {
  try {
    return { type: "result", id, json: quote(policyJson, scenarioJson) };
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
  const [pyodide, coreZip] = await Promise.all([
    loadPyodide({
      indexURL,
      stdLibURL: new URL(manifest.stdlib, base).href,
      lockFileContents: emptyLockFile(manifest.pyodide.lock),
    }),
    fetchBytes(new URL(manifest.core, base).href),
  ]);
  quote = loadCore(pyodide, coreZip);
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
