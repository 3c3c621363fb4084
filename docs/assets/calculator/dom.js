// Builds elements with textContent and setAttribute only. Nothing in the calculator parses HTML, so
// text from a share link, a policy or the core can never become markup or script.
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

// "2023-04-30" -> "2023年4月30日"
export function chineseDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Mounts `mount(el)` once on each element matching `selector`, now and after each of Material's instant
// navigations (which re-run document$ subscribers, not module scripts); a failure replaces the element
// with `failure`, a Chinese sentence.
export function mountEach(selector, mount, failure) {
  const mountAll = () => {
    for (const el of document.querySelectorAll(`${selector}:not([data-yb-mounted])`)) {
      el.dataset.ybMounted = "";
      mount(el).catch((error) => {
        console.error(error);
        el.replaceChildren(h("p", { class: "yb-error", role: "alert" }, failure));
      });
    }
  };
  mountAll();
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", () => window.document$?.subscribe(mountAll));
  else window.document$?.subscribe(mountAll);
}
