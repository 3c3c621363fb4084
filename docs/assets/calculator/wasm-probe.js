// The smallest valid WebAssembly module, shared by the page (engine.js: is WebAssembly there at all?)
// and the worker (may it compile, or does a CSP lack 'wasm-unsafe-eval'?). A module of its own, so the
// worker imports no page code.
export const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

// Validating fails at once where WebAssembly is missing: checked before anything big is downloaded.
export function wasmAvailable() {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(EMPTY_WASM);
  } catch {
    return false;
  }
}
