// How the fee core is loaded into a Pyodide instance. The browser worker and the Node scripts of
// the build (which records the standard-library modules to ship) and of the tests import this one
// module, so all three load the core the same way.

export const CORE_DIR = "/home/pyodide/yibao";

// Pyodide checks only the ABI tag of the lock file; with no packages listed it fetches nothing else.
export function emptyLockFile(info) {
  return JSON.stringify({ info, packages: {} });
}

// Unpacks the core zip (precompiled .pyc files) and returns quote(policyJson, scenarioJson) -> JSON string.
export function loadCore(pyodide, coreZip) {
  pyodide.unpackArchive(coreZip, "zip", { extractDir: CORE_DIR });
  pyodide.pyimport("sys").path.insert(0, CORE_DIR);
  return coreQuote(pyodide);
}

// quote() of the core once imported (by loadCore, or in the memory snapshot of an interpreter that had it).
export function coreQuote(pyodide) {
  const core = pyodide.pyimport("calculator.core");
  return (policyJson, scenarioJson) => core.quote_json(policyJson, scenarioJson);
}
