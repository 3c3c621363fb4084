// Entry point of the calculator page, the one page that loads this module. As soon as it runs (it is
// loaded `async`, so possibly before the page is parsed), it takes over the engine the page's <head>
// started booting (the longest wait, spent off the main thread; engine.js) and fetches the notice to
// open (picked by a share link, ?policy=ID or the county last looked at); the element with
// data-yb-calculator becomes the calculator once it exists.
import { CALCULATOR_BASE, calculatorManifest, startEngine } from "./engine.js";
import { createForm } from "./form.js";
import { policyOptions, policyText } from "./notices.js";
import { markPhase } from "./phases.js";
import { renderResult } from "./result.js";
import { ShareError, decodeShare, encodeShare } from "./share.js";
import { lastPolicy, rememberPolicy } from "../site/device.js";
import { h, mountWhenParsed, nextTask } from "../site/dom.js";
import { chineseDate, isPaymentDay, listLabel, paymentWindows, periodStatus, whatToDoNow } from "../site/period.js";

markPhase("page module");
const SITE_ROOT = new URL("../../", import.meta.url).href;

const FAILURE_REASONS = {
  "no-wasm": "浏览器不支持 WebAssembly",
  "no-module-worker": "浏览器版本太旧，不支持模块化 Web Worker",
  "wasm-blocked": "网站的安全策略（CSP）没有允许 'wasm-unsafe-eval'",
  "wasm-mime": "服务器发送 .wasm 文件时类型不是 application/wasm",
  network: "网络中断，计算器文件没有下载完整",
  stalled: "计算器长时间没有响应",
  error: "计算器启动出错",
};

let statusLine = null; // where the boot's progress shows, once the calculator is mounted
// One Pyodide per page.
const engine = startEngine({ onProgress: (loaded, total) => statusLine && showProgress(statusLine, loaded, total) });
engine.catch(() => {}); // reported by bootEngine once the calculator is mounted
const opening = openingNotice();
mountWhenParsed("[data-yb-calculator]", mount, "计算器载入失败，请刷新页面再试。");

// The manifest, the share link and the file of the notice to open.
async function openingNotice() {
  const manifest = await calculatorManifest();
  const link = await sharedPolicy(manifest);
  const asked = new URLSearchParams(location.search).get("policy");
  const entry = link.entry ?? findEntry(manifest, asked) ?? findEntry(manifest, lastPolicy()) ?? manifest.policies[0];
  // A share page (calculator/share/<id>/) forwards here with its own county: its preview named that
  // county, so a household for another one is said to be so.
  const named = findEntry(manifest, asked);
  if (link.entry && named && named.id !== link.entry.id) {
    link.message = `这个分享链接的预览写的是${named.name}，但链接里的家庭是按${link.entry.name}的通知填的：下面按${link.entry.name}计算。`;
  }
  const file = policyText(entry);
  file.catch(() => {}); // reported by choosePolicy
  return { manifest, link, entry, file };
}

async function mount(el) {
  const ui = layout(el);
  const { manifest, link, entry, file } = await opening;
  const state = {
    manifest, ui, quote: null, policy: null, policyText: "", form: null, pending: false,
    generation: 0, request: 0, showResultOnArrival: Boolean(link.scenario),
  };
  // Each notice with where its payment period stands today, as its county page says it.
  ui.picker.replaceChildren(...policyOptions(manifest.policies, (p) => `${p.name}（${listLabel(periodStatus(p.windows))}）`));
  ui.picker.value = entry.id;
  ui.picker.addEventListener("change", () => choosePolicy(state, ui.picker.value, carryMembers(state)));
  bootEngine(state);
  await nextTask(); // status line and picker first: the form is work enough for a task of its own
  await choosePolicy(state, entry.id, link.scenario, file);
  if (link.message) ui.notice(link.message); // after the form is there: choosing a county clears older notes
  window.addEventListener("hashchange", () => followShareLink(state));
}

function findEntry(manifest, id) {
  return id ? manifest.policies.find((p) => p.id === id) : undefined;
}

// The share link's scenario, if the fragment holds one for a county we have, and what to tell the resident.
async function sharedPolicy(manifest) {
  const { shared, problem } = await readShareLink(manifest.registry);
  forgetFragment(); // read once: the household leaves the address bar (and what History keeps of this entry)
  const entry = shared ? manifest.policies.find((p) => p.id === shared.policy) : null;
  const message = problem ?? (shared && !entry ? "分享链接里的县区本网站没有收录，请重新选择。" : "");
  return { entry, scenario: entry ? shared : null, message };
}

// A share link opened in a tab that already shows the calculator changes only the fragment.
async function followShareLink(state) {
  const link = await sharedPolicy(state.manifest);
  state.ui.notice(link.message);
  if (!link.entry) return;
  state.showResultOnArrival = true;
  choosePolicy(state, link.entry.id, link.scenario);
}

// The address keeps the county only (?policy=ID), never a share link's household.
function forgetFragment() {
  if (!location.hash.startsWith("#v")) return;
  history.replaceState(history.state, "", location.pathname + location.search);
}

function layout(el) {
  const status = h("div", { class: "yb-status", role: "status" });
  const notice = h("p", { class: "yb-error", role: "alert", hidden: true });
  const picker = h("select", { class: "yb-picker", "aria-label": "县区和年度", autocomplete: "off" });
  const pickerField = h("label", { class: "yb-field" }, h("span", { class: "yb-label" }, "县区和年度"), picker);
  const period = h("div", { class: "yb-period" });
  const formSlot = h("div");
  const resultSlot = h("div", { class: "yb-result-slot", "aria-live": "polite" });
  el.replaceChildren(status, notice, pickerField, period, formSlot, resultSlot);
  return {
    status, picker, pickerField, period, formSlot, resultSlot,
    notice: (text) => ((notice.textContent = text), (notice.hidden = !text)),
  };
}

// A share page (forward.js) hands the fragment on in window.name; a link to the calculator itself has it.
const FORWARDED = "yb-share:";

function shareFragment() {
  if (window.name.startsWith(FORWARDED)) {
    const hash = window.name.slice(FORWARDED.length);
    window.name = "";
    return hash;
  }
  return location.hash;
}

async function readShareLink(registry) {
  try {
    return { shared: await decodeShare(shareFragment(), registry) };
  } catch (error) {
    if (!(error instanceof ShareError)) throw error;
    return { problem: `${error.message}可以在下面重新填写。` };
  }
}

// `file`: the notice's file, when its fetch is already under way.
async function choosePolicy(state, id, scenario, file = policyText(findEntry(state.manifest, id))) {
  // Picker, form, result and address always describe one notice: while another one loads, the old
  // form cannot be used and its result is gone; an answer or a file that arrives late is dropped.
  const generation = ++state.generation;
  const { ui } = state;
  const entry = findEntry(state.manifest, id);
  ui.picker.value = id;
  ui.resultSlot.replaceChildren();
  ui.formSlot.inert = true;
  ui.formSlot.setAttribute("aria-busy", "true");
  ui.period.replaceChildren(h("p", { class: "yb-hint" }, `正在打开${entry.name}的通知……`));
  let text;
  try {
    text = await file;
  } catch (error) {
    if (generation !== state.generation) return;
    console.error(error);
    return keepCurrentPolicy(state, `没能打开${entry.name}的通知，可能是网络断了。请联网后再选一次。`);
  }
  if (generation !== state.generation) return;
  state.pending = false;
  const policy = JSON.parse(text);
  const form = createForm(policy, state.manifest.registry,
    { onSubmit: (how) => calculate(state, how), otherNotices: (day) => noticesCovering(state, policy, day) });
  ui.formSlot.replaceChildren(form.root); // inert until its members are in
  const notes = await form.fill(scenario);
  if (generation !== state.generation) return;
  Object.assign(state, { policy, policyText: text, form });
  showPeriod(state);
  ui.formSlot.inert = false;
  ui.formSlot.removeAttribute("aria-busy");
  markPhase("form ready");
  ui.notice(notes.length ? `以下内容本县区的通知里没有，请核对：${notes.join("；")}。` : "");
  rememberPolicy(id);
  history.replaceState(history.state, "", `?policy=${encodeURIComponent(id)}`);
  if (state.showResultOnArrival) calculate(state);
}

// The file of the chosen county could not be loaded: the picker goes back to the county still shown.
function keepCurrentPolicy(state, message) {
  const { ui } = state;
  ui.notice(message);
  if (!state.policy) return; // nothing shown yet: the message is all there is
  ui.picker.value = state.policy.id;
  ui.formSlot.inert = false;
  ui.formSlot.removeAttribute("aria-busy");
  showPeriod(state);
}

// Which coverage year this notice is for, and where its payment period stands today. A closed
// period is said first, in words, before any figure: the answer is then only for reference; what to
// do now (period.js whatToDoNow, as the county page says it) follows, its notices a tap away.
function showPeriod(state) {
  const { policy, manifest, ui } = state;
  const windows = paymentWindows(policy);
  const status = periodStatus(windows);
  const others = manifest.policies.filter((p) => p.id !== policy.id && (samePlace(p, policy) || provinceWide(p, policy)));
  const now = { place: placeName(policy), year: policy.coverage_year,
                others: others.map((p) => ({ name: p.name, year: p.coverage_year, url: `?policy=${encodeURIComponent(p.id)}`, windows: p.windows, id: p.id })) };
  const lines = [h("p", { class: "yb-period-state" },
    h("strong", {}, `${policy.name}通知`), `（保障${chineseDate(policy.coverage.start)}至${chineseDate(policy.coverage.end)}）：${status.text}`)];
  if (status.state === "closed") {
    lines.push(h("p", {}, "下面按这份通知的规定计算，结果只供了解当年的规定，不是现在要交的钱。"));
  } else if (status.state === "upcoming") {
    lines.push(h("p", {}, "下面按这份通知的规定、在缴费期内的日子计算。"));
  }
  for (const { text, link } of whatToDoNow(now, windows).filter((line) => !line.text.startsWith("这是往年的通知"))) {
    const id = link && new URLSearchParams(link.href.slice(1)).get("policy");
    lines.push(h("p", {}, text, link ? h("a", { href: link.href, onclick: (e) => {
      e.preventDefault();
      choosePolicy(state, id, carryMembers(state));
    } }, `改看${findEntry(manifest, id).name}的通知`) : null));
  }
  ui.period.className = `yb-period is-${status.state}`;
  ui.period.replaceChildren(...lines);
}

// Notices of the same place as `policy` that take payments on `day` (a closed span or a monthly closed
// day does not count; its form offers them for a day outside its period), or a sentence saying the site has none.
function noticesCovering(state, policy, day) {
  const covering = state.manifest.policies.filter((p) => p.id !== policy.id && samePlace(p, policy) &&
    isPaymentDay(p.windows, day));
  if (!covering.length) {
    return h("p", {}, `本站还没有收录${placeName(policy)}缴费期包含${chineseDate(day)}的通知；` +
      "这一天缴费的标准请向当地医保经办机构或村（居）委会咨询。");
  }
  return covering.map((p) => h("button", { type: "button", class: "yb-secondary", onclick: () =>
    choosePolicy(state, p.id, { paid_on: day, members: state.form.models() }) }, `改用${p.name}的通知（缴费期包含这一天）`));
}

function samePlace(entry, policy) {
  const { province, city, county } = policy.jurisdiction;
  return entry.province === province && entry.city === city && entry.county === county;
}

// A province-wide notice (no city) of the province of `policy`, which is not one itself.
function provinceWide(entry, policy) {
  return entry.province === policy.jurisdiction.province && !entry.city && Boolean(policy.jurisdiction.city);
}

function placeName(policy) {
  return policy.jurisdiction.county ?? policy.jurisdiction.city ?? policy.jurisdiction.province;
}

// Switching county keeps the people entered; options the new notice lacks are dropped.
function carryMembers(state) {
  return state.form ? { members: state.form.models() } : null;
}

function bootEngine(state) {
  statusLine = state.ui.status;
  showProgress(statusLine, 0, 1);
  engine.then(
    ({ quote }) => {
      state.quote = quote;
      state.ui.status.replaceChildren(h("p", { class: "yb-ready" }, "计算器已准备好：填好下面的内容，点「计算」。"));
      if (state.pending && state.form) calculate(state);
    },
    (failure) => {
      state.pending = false;
      showFallback(state, failure.message);
    },
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

// `how.scroll`: asked by a tap (计算, a payment window): the result is brought into view once shown.
async function calculate(state, how = {}) {
  const { form, ui } = state;
  if (how.scroll) state.scrollToResult = true;
  form.clearErrors();
  const problem = form.problem();
  if (problem) {
    state.showResultOnArrival = false; // a later county switch must not price this form by itself
    ui.resultSlot.replaceChildren();
    return form.showError(problem.field, problem.message);
  }
  const scenario = form.read();
  if (!state.quote) {
    state.pending = true;
    return ui.resultSlot.replaceChildren(h("p", { class: "yb-note" }, "计算器还在准备中，准备好后会自动算出结果。"));
  }
  state.pending = false;
  // Only the answer to the latest question, asked about the notice still shown, is shown.
  const request = ++state.request;
  const generation = state.generation;
  markPhase("quote asked");
  // The share link is packed while the worker computes.
  const [answer, fragment] = await Promise.all([
    state.quote(state.policyText, JSON.stringify(scenario)), encodeShare(scenario, state.manifest.registry)]);
  markPhase("quote answered");
  // Share links open calculator/share/<id>/: its preview card names the county; it forwards the fragment here.
  const link = `${CALCULATOR_BASE}share/${encodeURIComponent(scenario.policy)}/${fragment}`;
  if (request !== state.request || generation !== state.generation) return;
  if (answer.crash) return ui.resultSlot.replaceChildren(h("p", { class: "yb-error", role: "alert" }, "计算出错了，请把这个页面的链接发给我们。"));
  const result = JSON.parse(answer.json);
  if (result.error) {
    ui.resultSlot.replaceChildren();
    return form.showError(result.error.field, result.error.message);
  }
  showResult(state, scenario, result, link);
  markPhase("result shown");
}

function showResult(state, scenario, result, link) {
  const labels = new Map(state.form.models().map((m, i) => [`成员${i + 1}`, m.label || `成员${i + 1}`]));
  // The address bar gets the county only: a household in it would stay in the browser's history.
  history.replaceState(history.state, "", `?policy=${encodeURIComponent(scenario.policy)}`);
  state.ui.resultSlot.replaceChildren(headline(state.policy, result, labels), renderResult(result, labels, SITE_ROOT, state.manifest.registry.money_words, state.policy.documents), shareBlock(link));
  if (state.showResultOnArrival || state.scrollToResult) {
    state.showResultOnArrival = false;
    state.scrollToResult = false;
    // Once the next frame has laid the result out: scrolling now would add that layout to this task.
    requestAnimationFrame(() => setTimeout(() => state.ui.resultSlot.scrollIntoView({ block: "start" })));
  }
}

// What the figures below are: which county, which notice year, which payment day; whether that
// notice's period is over today; and, first of all, when paying on that day comes too late to be
// covered at all in that coverage year.
function headline(policy, result, labels) {
  const status = periodStatus(paymentWindows(policy));
  const tooLate = result.members.filter((m) => m.accepted && typeof m.coverage_start === "string" &&
    m.coverage_start > policy.coverage.end);
  return h("div", { class: "yb-headline" },
    h("p", { class: "yb-headline-what" },
      `${placeName(policy)}${policy.jurisdiction.township ?? ""} · 按${policy.coverage_year}年度通知、在${chineseDate(result.paid_on)}缴费`),
    status.state === "closed"
      ? h("p", { class: "yb-past" }, `这份通知的${status.text}，下面的金额只供了解，不是现在要交的钱。`) : null,
    tooLate.map((m) => h("p", { class: "yb-too-late", role: "alert" },
      `${labels.get(m.id) ?? m.id}：${chineseDate(result.paid_on)}缴费，待遇要到${chineseDate(m.coverage_start)}才开始，` +
      `已过了${policy.coverage_year}年度（${chineseDate(policy.coverage.end)}截止）——这一年交了钱也享受不到报销。`)));
}

function shareBlock(link) {
  // autocomplete="off": the link holds the household; the browser's saved session must not keep it.
  const field = h("input", { type: "text", readonly: true, autocomplete: "off", value: link, "aria-label": "分享链接" });
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
