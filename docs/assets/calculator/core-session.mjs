// How the fee core is loaded into a Pyodide instance. The browser worker and the Node scripts of
// the build (which records the standard-library modules to ship) and of the tests import this one
// module, so all three load the core the same way.

export const CORE_DIR = "/home/pyodide/yibao";

// Pyodide checks only the ABI tag of the lock file; with no packages listed it fetches nothing else.
export function emptyLockFile(info) {
  return JSON.stringify({ info, packages: {} });
}

// Unpacks the core zip (precompiled .pyc files) and returns quote(policyJson, scenarioJson) -> JSON string.
// The notice drafter (calculator.drafting, the staff page docs/draft.md) is imported here too: a memory
// snapshot keeps what was imported, not the unpacked files, and the build ships the stdlib it imports.
export function loadCore(pyodide, coreZip) {
  pyodide.unpackArchive(coreZip, "zip", { extractDir: CORE_DIR });
  pyodide.pyimport("sys").path.insert(0, CORE_DIR);
  pyodide.pyimport("calculator.drafting");
  return coreQuote(pyodide);
}

// draft(requestJson) -> JSON string: a policy draft from a notice's text (calculator.drafting.draft_json).
export function coreDraft(pyodide) {
  const drafting = pyodide.pyimport("calculator.drafting");
  return (requestJson) => drafting.draft_json(requestJson);
}

// quote() of the core once imported (by loadCore, or in the memory snapshot of an interpreter that had it).
export function coreQuote(pyodide) {
  const core = pyodide.pyimport("calculator.core");
  return (policyJson, scenarioJson) => core.quote_json(policyJson, scenarioJson);
}
