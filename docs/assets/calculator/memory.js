// The household a resident chose to keep on this phone ("记住我的家庭"), in localStorage under one
// key, and nothing else: without the tick nothing a resident types is stored. forgetAll() is the
// one-tap clear: it removes every key this site keeps (the household and the last county looked at).
const HOUSEHOLD_KEY = "yb-household-v1";
const SITE_PREFIX = "yb-";

export function savedHousehold() {
  try {
    const members = JSON.parse(localStorage.getItem(HOUSEHOLD_KEY) ?? "null")?.members;
    return Array.isArray(members) && members.length ? members : null;
  } catch {
    return null; // storage blocked (private mode, some in-app browsers) or an unreadable entry
  }
}

export function saveHousehold(members) {
  try {
    localStorage.setItem(HOUSEHOLD_KEY, JSON.stringify({ members }));
    return true;
  } catch {
    return false;
  }
}

export function forgetHousehold() {
  try {
    localStorage.removeItem(HOUSEHOLD_KEY);
  } catch {
    // nothing could have been stored
  }
}

export function forgetAll() {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(SITE_PREFIX)) localStorage.removeItem(key);
  } catch {
    // nothing could have been stored
  }
}

export function anythingSaved() {
  try {
    return Object.keys(localStorage).some((key) => key.startsWith(SITE_PREFIX));
  } catch {
    return false;
  }
}
