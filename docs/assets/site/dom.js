// Builds elements with textContent and setAttribute only, for the site's scripts and the calculator's:
// nothing parses HTML, so text from a share link, a policy, the core or a search hit can never become
// markup or script.
const PROPERTIES = new Set(["value", "checked"]);

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  return el;
}

// Mounts `mount(el)` on the element matching `selector` as soon as the parser has made it: the
// page's module is loaded `async`, so it may run before the parser gets there. A failure replaces the
// element's content with `failure`, a Chinese sentence. The element must have no content of its own
// (the parser would go on filling it).
export function mountWhenParsed(selector, mount, failure) {
  const start = (el) => mount(el).catch((error) => {
    console.error(error);
    el.replaceChildren(h("p", { class: "yb-error", role: "alert" }, failure));
  });
  const parsed = document.querySelector(selector);
  if (parsed) return start(parsed);
  const watch = new MutationObserver(() => {
    const el = document.querySelector(selector);
    if (!el) return;
    watch.disconnect();
    start(el);
  });
  watch.observe(document, { childList: true, subtree: true });
}

// Resolves in a later task: long work split by it leaves the browser free to paint and answer taps
// in between (on a slow phone no task should take over 100 ms).
export function nextTask() {
  return new Promise((resolve) => setTimeout(resolve));
}
