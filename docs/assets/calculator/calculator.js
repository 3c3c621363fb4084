// Entry point. Every element with data-yb-calculator becomes a calculator: the calculator page's
// (county picked by ?policy=ID or a share link) and a county page's block (data-policy="ID" fixes
// the county; Pyodide boots only when the block comes into view). Mounting is idempotent because
// Material's instant navigation re-runs document$ subscribers, not module scripts.
import { h } from "./dom.js";
import { EngineFailure, startEngine, wasmAvailable } from "./engine.js";
import { createForm } from "./form.js";
import { renderResult } from "./result.js";
import { ShareError, decodeShare, encodeShare } from "./share.js";

const SITE_ROOT = new URL("../../", import.meta.url).href;
const BASE = SITE_ROOT + "calculator/";

const FAILURE_REASONS = {
  "no-wasm": "浏览器不支持 WebAssembly",
  "no-module-worker": "浏览器版本太旧，不支持模块化 Web Worker",
  "wasm-blocked": "网站的安全策略（CSP）没有允许 'wasm-unsafe-eval'",
  "wasm-mime": "服务器发送 .wasm 文件时类型不是 application/wasm",
  network: "网络中断，计算器文件没有下载完整",
  stalled: "计算器长时间没有响应",
  error: "计算器启动出错",
};

let engine = null; // one Pyodide per page, shared by every calculator on it
const progressListeners = new Set();

function mountAll() {
  // The calculator page boots at once, before its form is built; a county page's block when seen.
  if (document.querySelector("[data-yb-calculator]:not([data-policy])")) startBoot();
  for (const el of document.querySelectorAll("[data-yb-calculator]:not([data-yb-mounted])")) {
    el.dataset.ybMounted = "";
    mount(el).catch((error) => {
      console.error(error);
      el.replaceChildren(h("p", { class: "yb-error", role: "alert" }, "计算器载入失败，请刷新页面再试。"));
    });
  }
}

async function mount(el) {
  const ui = layout(el);
  const manifest = await fetchJson(BASE + "manifest.json");
  const link = el.dataset.policy ? { entry: null, scenario: null, message: "" } : sharedPolicy(manifest);
  const wanted = el.dataset.policy || link.entry?.id || new URLSearchParams(location.search).get("policy");
  const entry = manifest.policies.find((p) => p.id === wanted);
  ui.notice(link.message);
  const state = { manifest, ui, quote: null, policy: null, policyText: "", form: null, pending: false, isPage: !el.dataset.policy };
  ui.picker.replaceChildren(...policyOptions(manifest.policies));
  ui.picker.value = (entry ?? manifest.policies[0]).id;
  ui.pickerField.hidden = Boolean(el.dataset.policy);
  ui.picker.addEventListener("change", () => choosePolicy(state, ui.picker.value, carryMembers(state)));
  whenVisible(el, !el.dataset.policy, () => bootEngine(state));
  await choosePolicy(state, ui.picker.value, link.scenario);
  if (state.isPage) window.addEventListener("hashchange", () => followShareLink(state));
}

// The share link's scenario, if the fragment holds one for a county we have, and what to tell the resident.
function sharedPolicy(manifest) {
  const { shared, problem } = readShareLink();
  const entry = shared ? manifest.policies.find((p) => p.id === shared.policy) : null;
  const message = problem ?? (shared && !entry ? "分享链接里的县区本网站没有收录，请重新选择。" : "");
  return { entry, scenario: entry ? shared : null, message };
}

// A share link opened in a tab that already shows the calculator changes only the fragment.
function followShareLink(state) {
  const link = sharedPolicy(state.manifest);
  state.ui.notice(link.message);
  if (!link.entry) return;
  state.ui.picker.value = link.entry.id;
  choosePolicy(state, link.entry.id, link.scenario);
}

function layout(el) {
  const status = h("div", { class: "yb-status", role: "status" });
  const notice = h("p", { class: "yb-error", role: "alert", hidden: true });
  const picker = h("select", { class: "yb-picker", "aria-label": "县区和年度" });
  const pickerField = h("label", { class: "yb-field" }, h("span", { class: "yb-label" }, "县区和年度"), picker);
  const formSlot = h("div");
  const resultSlot = h("div", { "aria-live": "polite" });
  el.replaceChildren(status, notice, pickerField, formSlot, resultSlot);
  return {
    status, picker, pickerField, formSlot, resultSlot,
    notice: (text) => ((notice.textContent = text), (notice.hidden = !text)),
  };
}

function readShareLink() {
  try {
    return { shared: decodeShare(location.hash) };
  } catch (error) {
    if (!(error instanceof ShareError)) throw error;
    return { problem: `${error.message}可以在下面重新填写。` };
  }
}

function policyOptions(policies) {
  const groups = new Map();
  for (const p of policies) {
    const key = `${p.province} ${p.city}`;
    if (!groups.has(key)) groups.set(key, h("optgroup", { label: key }));
    groups.get(key).append(h("option", { value: p.id }, p.name));
  }
  return [...groups.values()];
}

async function choosePolicy(state, id, scenario) {
  const entry = state.manifest.policies.find((p) => p.id === id);
  state.policyText = await fetchText(BASE + entry.url);
  state.policy = JSON.parse(state.policyText);
  state.form = createForm(state.policy, () => calculate(state));
  state.ui.formSlot.replaceChildren(state.form.root);
  state.ui.resultSlot.replaceChildren();
  if (!scenario) return;
  if (state.form.fill(scenario) > 0) state.ui.notice("有些选项本县区的通知里没有，已略去，请核对。");
  if (scenario.paid_on) calculate(state);
}

// Switching county keeps the people entered; options the new notice lacks are dropped.
function carryMembers(state) {
  return { members: state.form.models() };
}

function startBoot() {
  const onProgress = (loaded, total) => progressListeners.forEach((f) => f(loaded, total));
  // No WebAssembly: say so before anything big is downloaded.
  engine ??= wasmAvailable() ? startEngine(BASE, onProgress) : Promise.reject(new EngineFailure("no-wasm"));
  engine.catch(() => {}); // handled by each calculator's bootEngine
  return engine;
}

function bootEngine(state) {
  progressListeners.add((loaded, total) => showProgress(state.ui.status, loaded, total));
  showProgress(state.ui.status, 0, 1);
  startBoot().then(() => keepForNextVisit(state.manifest), () => {});
  engine.then(
    (quote) => {
      state.quote = quote;
      state.ui.status.replaceChildren(h("p", { class: "yb-ready" }, "计算器已准备好。"));
      if (state.pending) calculate(state);
    },
    (failure) => showFallback(state, failure.message),
  );
}

function showProgress(status, loaded, total) {
  const percent = Math.min(99, Math.floor((loaded / total) * 100));
  const text = loaded >= total ? "正在启动计算器……" : `正在准备计算器（第一次打开需要下载约 4 MB）：${percent}%`;
  status.replaceChildren(h("p", {}, text), h("progress", { max: 100, value: percent, "aria-label": "准备进度" }));
}

function showFallback(state, reason) {
  const entry = state.manifest.policies.find((p) => p.id === state.ui.picker.value);
  const county = `${SITE_ROOT}counties/${encodeURIComponent(entry.id)}/`;
  state.ui.status.replaceChildren(
    h("div", { class: "yb-fallback", role: "alert" },
      h("p", {}, "这台手机的浏览器暂时用不了计算器。"),
      h("p", {}, "缴费标准、补助和等待期都写在本县区的页面上：", h("a", { href: county }, `查看${entry.name}的缴费表格`)),
      h("p", { class: "yb-hint" }, `原因：${FAILURE_REASONS[reason] ?? FAILURE_REASONS.error}。也可以换用手机自带的浏览器打开本页。`)));
  for (const part of [state.ui.pickerField, state.ui.formSlot, state.ui.resultSlot]) part.hidden = true;
}

async function calculate(state) {
  const { form, ui } = state;
  form.clearErrors();
  const scenario = form.read();
  const missing = scenario.members.findIndex((m) => !m.birth_date);
  if (missing >= 0) return form.showError(`members[${missing}].birth_date`, "请填写出生日期。");
  if (!state.quote) {
    state.pending = true;
    return ui.resultSlot.replaceChildren(h("p", { class: "yb-note" }, "计算器还在准备中，准备好后会自动算出结果。"));
  }
  state.pending = false;
  const answer = await state.quote(state.policyText, JSON.stringify(scenario));
  if (answer.crash) return ui.resultSlot.replaceChildren(h("p", { class: "yb-error", role: "alert" }, "计算出错了，请把这个页面的链接发给我们。"));
  const result = JSON.parse(answer.json);
  if (result.error) return form.showError(result.error.field, result.error.message);
  showResult(state, scenario, result);
}

function showResult(state, scenario, result) {
  const labels = new Map(state.form.models().map((m, i) => [`成员${i + 1}`, m.label || `成员${i + 1}`]));
  const link = BASE + encodeShare(scenario);
  if (state.isPage) history.replaceState(history.state, "", encodeShare(scenario));
  state.ui.resultSlot.replaceChildren(renderResult(result, labels, SITE_ROOT), shareBlock(link));
}

function shareBlock(link) {
  const field = h("input", { type: "text", readonly: true, value: link, "aria-label": "分享链接" });
  const button = h("button", { type: "button", class: "yb-secondary" }, "复制分享链接");
  const done = h("span", { class: "yb-hint", "aria-live": "polite" });
  button.addEventListener("click", () => {
    field.select();
    navigator.clipboard?.writeText(link).then(
      () => (done.textContent = "已复制。"),
      () => (done.textContent = "请长按上面的链接复制。"),
    ) ?? (done.textContent = "请长按上面的链接复制。");
  });
  return h("div", { class: "yb-share" },
    h("p", {}, "把结果发给家人：链接里只有出生日期和身份选项，没有姓名。"), field, button, done);
}

// Registers the service worker once the calculator runs (registering earlier would slow the first
// visit), and hands it what this visit loaded, the runtime included, so that the next visit is fast
// and works offline. The copies come from the browser's HTTP cache. Later visits are controlled by
// the service worker, which keeps what passes through it by itself.
function keepForNextVisit(manifest) {
  const sw = navigator.serviceWorker;
  if (!sw || sw.controller) return;
  const runtime = [...["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"].map((f) => manifest.pyodide.indexURL + f),
    manifest.stdlib, manifest.core].map((rel) => new URL(rel, BASE).href);
  sw.register(SITE_ROOT + "sw.js")
    .then(() => sw.ready)
    .then((registration) => registration.active.postMessage({ type: "keep", urls: [...loadedUrls(), ...runtime] }))
    .catch((error) => console.warn("calculator: no offline use", error));
}

function loadedUrls() {
  const urls = [location.href, ...performance.getEntriesByType("resource").map((e) => e.name)];
  return urls.filter((u) => new URL(u).origin === location.origin);
}

function whenVisible(el, now, start) {
  if (now || !("IntersectionObserver" in window)) return start();
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      start();
    }
  }, { rootMargin: "200px" });
  observer.observe(el);
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  return response.text();
}

async function fetchJson(url) {
  return JSON.parse(await fetchText(url));
}

// Loaded with `async` so that Pyodide starts booting before the theme's scripts have run; Material's
// document$ (instant navigation) exists only after them.
mountAll();
if (document.readyState === "loading") addEventListener("DOMContentLoaded", () => window.document$?.subscribe(mountAll));
else window.document$?.subscribe(mountAll);
