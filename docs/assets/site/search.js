// The search box of the theme's header, answered by search-worker.js. Nothing is loaded until the
// resident opens the search, and the index is read in the worker: no page pays for it on load.
// Results are built with the site's element builder (dom.js: text only, never markup), in the theme's
// markup (its styles apply).
import { h } from "./dom.js";
import { handOver } from "./offline.js";

const SITE_ROOT = new URL("../../", import.meta.url).href;
const WORKER_URL = new URL("./search-worker.js", import.meta.url).href;
const INDEX_URL = `${SITE_ROOT}search/shards/`; // the index split by character (search-worker.js)
const PAGES_SHOWN_AT_ONCE = 10;
const ANSWER_WITHIN_MS = 8000; // then the resident is told, never left with 「正在查找……」
const SAY = {
  ready: "输入要找的词，比如：交多少钱、什么时候交、补缴、低保、新生儿",
  loading: "正在查找……",
  none: "没有找到。换个说法试试，比如“多少钱”“补缴”“学生”。",
  failed: "搜索要先联网下载本站的目录，请联网后再试。也可以点左上角的菜单，或回首页选地区。",
  found: (count) => `找到 ${count} 个页面`,
  more: (left) => `再显示${Math.min(left, PAGES_SHOWN_AT_ONCE)}个（还有${left}个）`,
};

export function mountSearch() {
  const dialog = document.querySelector(".md-search[role=dialog]");
  if (!dialog) return;
  dialog.setAttribute("aria-label", "搜索本站");
  const ui = {
    toggle: document.getElementById("__search"),
    form: dialog.querySelector("form"),
    input: dialog.querySelector(".md-search__input"),
    meta: dialog.querySelector(".md-search-result__meta"),
    list: dialog.querySelector(".md-search-result__list"),
  };
  ui.meta.textContent = SAY.ready;
  const { ask, start } = asker(ui);
  ui.toggle.addEventListener("change", () => {
    lockPageScroll(ui.toggle.checked);
    if (ui.toggle.checked) ui.input.focus(), start();
  });
  ui.input.addEventListener("focus", () => {
    if (!ui.toggle.checked) ui.toggle.click(); // opens it as a tap on the search button does
  });
  ui.input.addEventListener("input", () => ask(ui.input.value));
  ui.form.addEventListener("reset", () => ask(""));
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault(); // Enter opens the first result
    ui.list.querySelector("a")?.click();
  });
  ui.list.addEventListener("click", (event) => event.target.closest("a") && close(ui));
  dialog.addEventListener("keydown", (event) => event.key === "Escape" && close(ui));
}

function close(ui) {
  if (ui.toggle.checked) ui.toggle.click();
  ui.input.blur();
}

// On a phone the results cover the page, which stays where it was underneath: the theme's styles fix
// the page (body[data-md-scrolllock]) and size the results to the screen only then.
let scrolledTo = 0;
function lockPageScroll(locked) {
  const body = document.body;
  if (locked === body.hasAttribute("data-md-scrolllock")) return;
  if (locked) {
    scrolledTo = window.scrollY;
    body.style.top = `-${scrolledTo}px`;
    body.setAttribute("data-md-scrolllock", "");
  } else {
    body.removeAttribute("data-md-scrolllock");
    body.style.top = "";
    window.scrollTo(0, scrolledTo);
  }
}

// Sends each query to the worker and shows only the latest answer. The worker starts, and reads the
// index's list of pages, as the search opens: while the resident types, not after. A worker that cannot
// start (offline, its script never read on this phone) or does not answer in time says so: the search
// needs the network then; the next query tries again.
function asker(ui) {
  let worker = null;
  let latest = 0;
  let waiting = null;
  let kept = false;
  const fail = () => {
    worker?.terminate();
    worker = null;
    clearTimeout(waiting);
    show(ui, { failed: true });
  };
  const start = () => {
    if (worker) return true;
    try {
      worker = new Worker(WORKER_URL);
    } catch {
      fail();
      return false;
    }
    worker.onerror = fail;
    worker.postMessage({ type: "load", url: INDEX_URL });
    worker.onmessage = ({ data }) => {
      if (!data.failed && data.fetched.length) { // searched online: what it read is kept for searching offline too
        handOver(kept ? data.fetched : [WORKER_URL, ...data.fetched]);
        kept = true;
      }
      if (data.id !== latest) return;
      clearTimeout(waiting);
      if (data.failed) worker.terminate(), (worker = null); // offline now: the next query starts again
      show(ui, data);
    };
    return true;
  };
  const ask = (query) => {
    const id = ++latest;
    clearTimeout(waiting);
    if (!query.trim()) {
      ui.meta.textContent = SAY.ready;
      return ui.list.replaceChildren();
    }
    if (!start()) return;
    ui.meta.textContent = SAY.loading;
    waiting = setTimeout(fail, ANSWER_WITHIN_MS);
    worker.postMessage({ type: "query", id, query });
  };
  return { ask, start };
}

function show(ui, { failed, terms, pages }) {
  ui.meta.textContent = failed ? SAY.failed : pages.length ? SAY.found(pages.length) : SAY.none;
  ui.list.replaceChildren();
  if (!failed) showFrom(ui.list, pages, 0, terms);
}

function showFrom(list, pages, start, terms) {
  const end = start + PAGES_SHOWN_AT_ONCE;
  list.append(...pages.slice(start, end).map((page) => pageItem(page, terms)));
  if (end >= pages.length) return;
  const item = h("li", { class: "md-search-result__item" },
    h("button", { type: "button", class: "md-search-result__more yb-search-more", onclick: () => {
      item.remove();
      showFrom(list, pages, end, terms);
      list.children[end]?.querySelector("a")?.focus({ preventScroll: true }); // the focus stays in the search
    } }, SAY.more(pages.length - end)));
  list.append(item);
}

function pageItem(page, terms) {
  return h("li", { class: "md-search-result__item" },
    link(page, "h1", terms, "md-search-result__article--document"),
    ...page.sections.map((section) => link(section, "h2", terms)));
}

// A page's own link opens where it answers the query: `opens` names that section.
function link({ location, title, snippet, opens }, heading, terms, modifier = "") {
  return h("a", { class: "md-search-result__link", href: new URL(location, SITE_ROOT).href },
    h("article", { class: `md-search-result__article md-typeset ${modifier}` },
      h(heading, {}, marked(title, terms)),
      opens ? h("p", { class: "md-search-result__teaser yb-search-opens" }, "打开：", marked(opens, terms)) : null,
      snippet ? h("p", { class: "md-search-result__teaser" }, marked(snippet, terms)) : null));
}

// `text` as text nodes, each occurrence of a term in a <mark> (缴 marks 交 too, 什么 啥: as searched).
function marked(text, terms) {
  if (!terms.length) return [text];
  const loose = (term) => term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/缴/g, "[交缴]");
  const pattern = new RegExp(`(${terms.map(loose).join("|")})`, "gi");
  return text.split(pattern).map((part, i) => (i % 2 ? h("mark", {}, part) : part));
}
