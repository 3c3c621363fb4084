// Every page: where each notice's payment period stands today (from the phone's date), the home
// page picker (province → city → county → year, from the small JSON index written at build; it
// opens on the county this phone looked at last, else on the newest notice), the search, and what
// the theme's own script did that residents need (the menu closes on a tap, a way back to the top),
// the county pages' share button.
// Once the page has loaded, it is kept for offline reading (offline.js).
import { h } from "./dom.js";
import { lastPolicy, rememberPolicy } from "./device.js";
import { handOverThisPageWhenIdle } from "./offline.js";
import { listLabel, periodStatus, whatToDoNow } from "./period.js";
import { mountSearch } from "./search.js";
import { mountShareButtons } from "./share-button.js";

// A paragraph says it in full; a listing (span) says it short, a closed notice as 往年.
function showPeriods() {
  for (const el of document.querySelectorAll("[data-yb-period]")) {
    const status = periodStatus(JSON.parse(el.dataset.ybPeriod));
    el.classList.add(`is-${status.state}`);
    const text = el.querySelector(".period-state");
    text.textContent = el.tagName === "P" ? status.text : listLabel(status);
    if (el.tagName !== "P") text.title = status.text;
  }
}

// A county page: what to do today when this notice is not the one to pay by (period.js whatToDoNow);
// a closed notice offers no calendar of its passed dates, and its share text says it is over.
function showWhatToDoNow() {
  const box = document.querySelector("[data-yb-now]");
  const period = box?.closest(".key-figures")?.querySelector("[data-yb-period]");
  if (!period) return;
  const windows = JSON.parse(period.dataset.ybPeriod);
  const lines = whatToDoNow(JSON.parse(box.dataset.ybNow), windows);
  box.replaceChildren(...lines.map(({ text, link }) =>
    h("p", {}, text, link ? h("a", { href: link.href }, link.text) : null)));
  const status = periodStatus(windows);
  if (status.state !== "closed") return;
  for (const calendar of document.querySelectorAll(".publicity-actions a[href$='.ics']")) {
    calendar.hidden = true;
    calendar.after(h("span", { class: "calendar-note" }, "（这份通知的缴费期已结束，不再提供日历）"));
  }
  for (const button of document.querySelectorAll("[data-yb-share]")) {
    // A page built after the period was over says so already (build_scripts/county_sentences.py OVER_WORDS).
    if (button.dataset.shareText.includes("往年通知")) continue;
    button.dataset.shareText = `（往年通知，${status.text}，不是现在要缴的钱）${button.dataset.shareText}`;
  }
}

// ---- a county page's sections open on a tap; a link to one (a search hit, #late) opens it ----

function openSectionOf(id) {
  let target = null;
  try {
    target = id ? document.getElementById(decodeURIComponent(id)) : null;
  } catch {
    return; // no fragment of ours (a malformed %-escape)
  }
  const section = target?.closest("details");
  if (!section) return;
  section.open = true;
  target.scrollIntoView({ block: "start" });
}

// 「原文」 in front of several citations shows (and hides) their lines. The button shows only where this
// script runs (site.css), so its state (aria-expanded) is said from here.
function citationToggles() {
  for (const toggle of document.querySelectorAll(".cite-toggle")) toggle.setAttribute("aria-expanded", "false");
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest(".cite-toggle");
    if (!toggle) return;
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.nextElementSibling?.classList.toggle("is-open", open);
  });
}

function openLinkedSections() {
  openSectionOf(location.hash.slice(1));
  addEventListener("hashchange", () => openSectionOf(location.hash.slice(1)));
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href*='#']");
    if (!link || link.pathname !== location.pathname || link.origin !== location.origin) return;
    openSectionOf(link.hash.slice(1)); // also when the address already ends with that fragment
  });
  // Printed, the page shows every section.
  let closed = [];
  addEventListener("beforeprint", () => {
    closed = [...document.querySelectorAll("details.section:not([open])")];
    closed.forEach((d) => (d.open = true));
  });
  addEventListener("afterprint", () => closed.forEach((d) => (d.open = false)));
}

// ---- home page picker ----

function options(select, items, label) {
  select.replaceChildren(...items.map((item, index) => {
    const option = document.createElement("option");
    option.value = String(index);
    option.textContent = label(item);
    return option;
  }));
}

function noticeLabel(notice) {
  return `${notice.year}年度${notice.township ? `（${notice.township}）` : ""}（${listLabel(periodStatus(notice.windows))}）`;
}

// [province, city, county, notice] indexes of the notice to open on: the last one this phone looked
// at, else the newest (highest coverage year; the index lists each county's years newest first).
function startingPoint(provinces) {
  const wanted = lastPolicy();
  let best = null;
  provinces.forEach((province, p) => province.cities.forEach((city, c) => city.counties.forEach((county, k) =>
    county.notices.forEach((notice, n) => {
      const path = [p, c, k, n];
      if (wanted && notice.url === `counties/${wanted}/`) best = { path, year: Infinity };
      else if (!best || notice.year > best.year) best = { path, year: notice.year };
    }))));
  return best ? best.path : [0, 0, 0, 0];
}

async function mountPicker(picker) {
  const indexUrl = new URL(picker.dataset.index, document.baseURI);
  const select = {};
  for (const el of picker.querySelectorAll("select[data-level]")) select[el.dataset.level] = el;
  const go = picker.querySelector(".picker-go");
  const calc = picker.querySelector(".picker-calc");
  const response = await fetch(indexUrl);
  if (!response.ok) throw new Error(`${response.status} ${indexUrl}`);
  const { provinces } = await response.json();
  if (!provinces.length) return;
  const chosen = {};
  const levels = [
    ["province", () => provinces, (p) => p.name],
    ["city", () => chosen.province.cities, (c) => c.name],
    ["county", () => chosen.city.counties, (c) => c.name],
    ["notice", () => chosen.county.notices, noticeLabel],
  ];
  // Fill the selects from `level` down, each at the given index (0 when the resident changed one).
  const showFrom = (level, path) => {
    for (let i = level; i < levels.length; i++) {
      const [name, items, label] = levels[i];
      if (i > level) options(select[name], items(), label);
      select[name].value = String(path[i] ?? 0);
      chosen[name] = items()[Number(select[name].value)];
    }
    const id = chosen.notice.url.split("/")[1]; // counties/<id>/
    go.href = new URL(`../${chosen.notice.url}`, indexUrl).href; // urls are relative to the site root
    // The index names each notice's place: its county, its city (全市), or its province (全省统一).
    go.textContent = `看${chosen.notice.place}${noticeLabel(chosen.notice)}明白纸`;
    if (calc) calc.href = new URL(`../calculator/?policy=${encodeURIComponent(id)}`, indexUrl).href;
  };
  options(select.province, provinces, (p) => p.name);
  levels.forEach(([name], i) => select[name].addEventListener("change", () =>
    showFrom(i, [...levels.slice(0, i + 1).map(([n]) => select[n].value)])));
  showFrom(0, startingPoint(provinces));
  picker.hidden = false;
}

// ---- the theme's menu and its back-to-top button ----

// The menu (the theme's drawer) is a checkbox: a tap on one of its links, the current page's
// sections included, must also close it.
function closeMenuOnTap() {
  const drawer = document.getElementById("__drawer");
  document.querySelector(".md-sidebar--primary")?.addEventListener("click", (event) => {
    if (event.target.closest("a[href]")) drawer.checked = false;
  });
}

// Shown while the reader scrolls back up, a screen or more down the page, as the theme did — but
// never over a form (the calculator's, the roster's): there it would cover the fields being filled in.
const FORMS = "form, [data-yb-calculator] .yb-form, [data-yb-roster]";

function overAForm(button) {
  const box = button.getBoundingClientRect();
  const points = [[box.left, box.top], [box.right - 1, box.top], [box.left, box.bottom - 1], [box.right - 1, box.bottom - 1],
    [(box.left + box.right) / 2, (box.top + box.bottom) / 2]];
  return points.some(([x, y]) => document.elementsFromPoint(x, y).some((el) => el !== button && !button.contains(el) &&
    el.closest(FORMS) && !el.closest(".md-header, .md-search")));
}

function backToTop() {
  const button = document.querySelector(".md-top");
  if (!button) return;
  let last = window.scrollY;
  addEventListener("scroll", () => {
    const wanted = window.scrollY < last && window.scrollY > window.innerHeight;
    button.hidden = !wanted;
    if (wanted && overAForm(button)) button.hidden = true;
    last = window.scrollY;
  }, { passive: true });
  button.addEventListener("click", () => {
    window.scrollTo({ top: 0 });
    button.hidden = true;
  });
}

// ---- the theme's accessibility gaps (axe-core) ----

// A box that scrolls sideways must be reachable by keyboard to be scrolled; each table box is a
// region with a name of its own, code blocks only take the focus.
function focusableScrollBoxes() {
  const tables = document.querySelectorAll(".table-scroll");
  tables.forEach((box, i) => {
    if (box.hasAttribute("tabindex")) return;
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", tables.length > 1 ? `表格${i + 1}（可左右滑动）` : "表格（可左右滑动）");
  });
  for (const code of document.querySelectorAll(".md-typeset pre > code:not([tabindex])")) code.tabIndex = 0;
}

function rememberCountyPage() {
  const match = location.pathname.match(/\/counties\/([^/]+)\/(?:index\.html)?$/);
  if (match && document.querySelector(".county")) rememberPolicy(decodeURIComponent(match[1]));
}

// Resolves once what the page's scripts fetch to fill it (the home picker's index) has arrived.
function mountAll() {
  mountSearch();
  closeMenuOnTap();
  backToTop();
  mountShareButtons();
  focusableScrollBoxes();
  showPeriods();
  showWhatToDoNow();
  openLinkedSections();
  citationToggles();
  rememberCountyPage();
  const pickers = [...document.querySelectorAll(".picker[data-index]")].map((picker) =>
    mountPicker(picker).catch((error) => {
      picker.dataset.failed = ""; // gives back the room kept for it (site.css)
      console.error("picker index", error);
    }));
  return Promise.all(pickers);
}

// The page is handed over for offline reading with what its scripts fetched.
mountAll().then(handOverThisPageWhenIdle);
