// Build step that must run inside Pyodide (under Node, from the pinned npm tarball):
//   1. boot Pyodide with its full standard library, load the fee core the way the browser worker
//      does (core-session.mjs) and run every exercise call through it;
//   2. list the standard-library files behind sys.modules: exactly what boot + core + calls imported;
//   3. compile those files and the core to .pyc with Pyodide's own Python (same version, same magic).
// Usage: node pyodide_compile.mjs PYODIDE_DIR CORE_SOURCE_ZIP EXERCISE_JSON OUT_DIR
// EXERCISE_JSON is [[policyJson, scenarioJson], ...]. OUT_DIR gets stdlib/**.pyc, core/**.pyc, modules.json.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const [pyodideDir, coreZipPath, exercisePath, outDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const { loadCore, CORE_DIR } = await import(
  pathToFileURL(path.join(here, "..", "docs", "assets", "calculator", "core-session.mjs")).href
);

const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });
const quote = loadCore(pyodide, new Uint8Array(await readFile(coreZipPath)));
for (const [policyJson, scenarioJson] of JSON.parse(await readFile(exercisePath, "utf8"))) {
  quote(policyJson, scenarioJson);
}

// Read sys.modules before running any code of our own that could import more.
const loaded = pyodide.runPython(
  "import sys\n'\\n'.join(sorted({getattr(m, '__file__', None) or '' for m in list(sys.modules.values())}))",
);
pyodide.mountNodeFS("/out", outDir);
pyodide.runPython(await readFile(path.join(here, "pyodide_compile.py"), "utf8"));
pyodide.globals.get("write_pycs")(loaded.split("\n").filter(Boolean), CORE_DIR, "/out");
