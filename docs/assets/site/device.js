// What this phone remembers between visits: only the county (policy id) last looked at, so that the
// home page picker and the calculator open on it. Nothing a resident types is kept here.
const LAST_POLICY_KEY = "yb-last-policy";

export function rememberPolicy(id) {
  try {
    localStorage.setItem(LAST_POLICY_KEY, id);
  } catch {
    // Storage blocked (private mode, some in-app browsers): the pickers open on the newest notice.
  }
}

export function lastPolicy() {
  try {
    return localStorage.getItem(LAST_POLICY_KEY);
  } catch {
    return null;
  }
}
