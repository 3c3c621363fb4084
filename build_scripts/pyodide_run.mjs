// Runs scenarios through a built bundle under Node, exactly as shipped: the trimmed stdlib zip,
// the empty lock file, the precompiled core zip. Used by tests/test_bundle.py.
// Usage: node pyodide_run.mjs SITE/calculator < [[policyId, scenarioJson], ...]  > [resultJson, ...]
import { readFile } from "node:fs/promises";
import { buffer } from "node:stream/consumers";
import path from "node:path";
import { pathToFileURL } from "node:url";

const calc = path.resolve(process.argv[2]);
const manifest = JSON.parse(await readFile(path.join(calc, "manifest.json"), "utf8"));
const indexURL = path.join(calc, manifest.pyodide.indexURL) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const { loadCore, emptyLockFile } = await import(
  pathToFileURL(path.join(calc, "..", "assets", "calculator", "core-session.mjs")).href
);

const pyodide = await loadPyodide({
  indexURL,
  stdLibURL: path.join(calc, manifest.stdlib),
  lockFileContents: emptyLockFile(manifest.pyodide.lock),
});
const quote = loadCore(pyodide, new Uint8Array(await readFile(path.join(calc, manifest.core))));
const policyUrl = Object.fromEntries(manifest.policies.map((p) => [p.id, p.url]));
const results = [];
for (const [policyId, scenarioJson] of JSON.parse(await buffer(process.stdin))) {
  results.push(quote(await readFile(path.join(calc, policyUrl[policyId]), "utf8"), scenarioJson));
}
process.stdout.write(JSON.stringify(results));
