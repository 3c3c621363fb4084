// The village-roster page (docs/roster.md): staff choose a CSV of the people they pay for, a county
// and a payment date; the same Pyodide worker as the calculator prices every row with
// calculator.core.roster, and the result is shown and offered as a CSV download (a blob: URL). The
// file is read in the page and handed to the worker: it never leaves the device.
import { calculatorManifest } from "./engine.js";
import { policyOptions, policyText } from "./notices.js";
import { field, startToolEngine } from "./staff-tool.js";
import { h, mountWhenParsed } from "../site/dom.js";
import { todayIso } from "../site/period.js";

const SHOWN_ERRORS = 50;
const SHOWN_ROWS = 200;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
// What one page prices at a time (docs/roster.md): 20,000 rows take about half a minute on a cheap
// phone, and the worker holds the whole file and its result; longer rosters go to the command line.
const ROW_LIMIT = 20000;
const BYTE_LIMIT = 10 * 1024 * 1024;

class RosterFileError extends Error {}

async function mount(el) {
  const ui = layout(el);
  const manifest = await calculatorManifest();
  // engine: a promise; a press before the engine is ready runs once it is.
  const state = { manifest, ui, engine: startToolEngine(ui.status, { tool: "计算工具", use: "名单计算" }),
    policyText: "", policy: null, result: null };
  ui.picker.replaceChildren(...policyOptions(manifest.policies));
  const wanted = new URLSearchParams(location.search).get("policy");
  if (manifest.policies.some((p) => p.id === wanted)) ui.picker.value = wanted;
  ui.picker.addEventListener("change", () => choosePolicy(state));
  ui.run.addEventListener("click", () => run(state));
  await choosePolicy(state);
}

function layout(el) {
  const status = h("div", { class: "yb-status", role: "status" });
  const picker = h("select", { "aria-label": "县区和年度" });
  const paidOn = h("input", { type: "date", required: true, "aria-label": "缴费日期" });
  const file = h("input", { type: "file", accept: ".csv,text/csv", "aria-label": "名单文件（CSV）" });
  const run = h("button", { type: "button", class: "yb-primary" }, "计算整份名单");
  const message = h("p", { class: "yb-error", role: "alert", hidden: true });
  const resultSlot = h("div", { "aria-live": "polite" });
  el.replaceChildren(
    status,
    field("县区和年度", picker),
    field("缴费日期", paidOn, h("span", { class: "yb-hint" }, "每一行都按这一天缴费计算。")),
    field("名单文件（CSV）", file, h("span", { class: "yb-hint" }, "文件只在这台设备上读取和计算，不会上传。")),
    run, message, resultSlot);
  return {
    status, picker, paidOn, file, run, resultSlot,
    say: (text) => ((message.textContent = text), (message.hidden = !text)),
  };
}

// The date field offers the notice's payment period; today when it falls inside.
async function choosePolicy(state) {
  const entry = state.manifest.policies.find((p) => p.id === state.ui.picker.value);
  state.policyText = await policyText(entry);
  state.policy = JSON.parse(state.policyText);
  const { first, last } = state.policy.form.payment_period;
  const { paidOn } = state.ui;
  Object.assign(paidOn, { min: first, max: last });
  const today = todayIso();
  if (!paidOn.value || paidOn.value < first || paidOn.value > last) paidOn.value = today >= first && today <= last ? today : first;
  state.ui.resultSlot.replaceChildren();
}

async function run(state) {
  const { ui } = state;
  ui.say("");
  ui.resultSlot.replaceChildren();
  const file = ui.file.files[0];
  if (!file) return ui.say("请先选择名单文件（CSV）。");
  if (!ui.paidOn.value) return ui.say("请填写缴费日期。");
  let decoded;
  try {
    if (file.size > BYTE_LIMIT) throw new RosterFileError(tooLarge(file.name, `有 ${(file.size / 1024 / 1024).toFixed(1)} MB`, "10 MB"));
    decoded = decodeRoster(new Uint8Array(await file.arrayBuffer()), file.name);
    const rows = rowCount(decoded.text);
    if (rows > ROW_LIMIT) throw new RosterFileError(tooLarge(file.name, `有 ${rows} 行`, `${ROW_LIMIT} 行`));
  } catch (error) {
    if (error instanceof RosterFileError) return ui.say(error.message);
    throw error;
  }
  ui.resultSlot.replaceChildren(h("p", { class: "yb-note" }, "正在计算……"));
  const request = JSON.stringify({ paid_on: ui.paidOn.value, csv: decoded.text, encoding: decoded.encoding });
  const engine = await state.engine;
  if (!engine) return ui.resultSlot.replaceChildren();  // the status says why there is none
  const started = performance.now();
  const answer = await engine.roster(state.policyText, request);
  const seconds = (performance.now() - started) / 1000;
  if (answer.crash) return ui.resultSlot.replaceChildren(h("p", { class: "yb-error", role: "alert" }, "计算出错了，请把名单的表头和出错的情况告诉我们。"));
  const result = JSON.parse(answer.json);
  if (result.error) return ui.resultSlot.replaceChildren(h("p", { class: "yb-error", role: "alert" }, `${file.name}：${result.error.message}`));
  ui.resultSlot.replaceChildren(showResult(result, downloadName(file.name), seconds));
}

// Excel on Chinese Windows saves "CSV (逗号分隔)" as GB18030 (GBK) and "CSV UTF-8" with a BOM; the
// same choices, in the same order and with the same words, as calculator/roster_files.py.
function decodeRoster(bytes, name) {
  const startsWith = (...head) => head.every((byte, i) => bytes[i] === byte);
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) {
    throw new RosterFileError(`${name} 是 Excel 工作簿，不是 CSV：请在 Excel 里“另存为”“CSV UTF-8（逗号分隔）”`);
  }
  if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff)) {
    throw new RosterFileError(`${name} 是 UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”`);
  }
  if (startsWith(...UTF8_BOM)) {
    const text = tryDecode("utf-8", bytes.subarray(UTF8_BOM.length));
    if (text === null) throw new RosterFileError(`${name} 开头标明是 UTF-8（带 BOM），但内容不是 UTF-8 文本`);
    return { text, encoding: "UTF-8（带 BOM）" };
  }
  for (const [label, encoding] of [["utf-8", "UTF-8"], ["gb18030", "GB18030"]]) {
    const text = tryDecode(label, bytes);
    if (text !== null) return { text, encoding };
  }
  throw new RosterFileError(`${name} 既不是 UTF-8 也不是 GB18030 编码的文本，请在 Excel 里另存为“CSV UTF-8（逗号分隔）”`);
}

function tooLarge(name, size, limit) {
  return `${name} ${size}，超过了网页一次能算的 ${limit}：请把名单分成几个文件分别计算，或者请会用命令行的同事计算（没有这个限制）。`;
}

// The rows below the header, as the core counts them: each line is a row (\r\n, \n or \r ends it).
function rowCount(text) {
  const ends = text.match(/\r\n|\r|\n/g)?.length ?? 0;
  const lastLineOpen = text !== "" && !/[\r\n]$/.test(text);
  return Math.max(0, ends + (lastLineOpen ? 1 : 0) - 1);
}

function tryDecode(label, bytes) {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function downloadName(name) {
  return `${name.replace(/\.csv$/i, "")}-计算结果.csv`;
}

// A roster where rows were refused says so first, in red, before any total.
function showResult(result, fileName, seconds) {
  const { summary } = result;
  return h("div", { class: "yb-roster-result" },
    summary.warning ? h("p", { class: "yb-error yb-roster-warning", role: "alert" }, summary.warning) : null,
    h("p", { class: "yb-roster-summary" }, `${summary.accounting}（文件按 ${result.encoding} 读取，用时 ${seconds.toFixed(1)} 秒）。`),
    h("ul", { class: "yb-roster-totals" }, summary.totals.map((t) => h("li", {}, t.says))),
    errorList(result.errors, summary.errors),
    downloadButton(result.csv, fileName),
    table(result));
}

function errorList(errors, count) {
  if (!count) return null;
  const more = count > SHOWN_ERRORS ? h("li", {}, `……另有 ${count - SHOWN_ERRORS} 行出错，见下载的结果文件“说明”列。`) : null;
  return h("div", { class: "yb-roster-errors" },
    h("p", { class: "yb-error" }, `有 ${count} 行没算出来，改好后再算一次：`),
    h("ul", {}, errors.slice(0, SHOWN_ERRORS).map((e) => h("li", {}, e)), more));
}

// The same bytes the command line writes: a UTF-8 BOM (so Excel keeps the Chinese), then the CSV.
function downloadButton(csv, fileName) {
  const url = URL.createObjectURL(new Blob(["\ufeff", csv], { type: "text/csv;charset=utf-8" }));
  return h("a", { class: "yb-secondary yb-roster-download", href: url, download: fileName }, `下载计算结果（${fileName}）`);
}

// Laying out a table of thousands of rows takes seconds on a phone: the first rows are shown, the
// rest on request (all of them are in the download either way). Plain DOM calls, text only.
function table(result) {
  const section = (tag, rows, cellTag) => {
    const part = document.createElement(tag);
    appendRows(part, rows, cellTag);
    return part;
  };
  const body = section("tbody", result.rows.slice(0, SHOWN_ROWS), "td");
  const box = h("div", { class: "yb-roster-table", tabindex: 0, role: "region", "aria-label": "计算结果" },
    h("table", {}, section("thead", [result.columns], "th"), body, section("tfoot", [result.total], "td")));
  const hidden = result.rows.length - SHOWN_ROWS;
  if (hidden <= 0) return box;
  const more = h("button", { type: "button", class: "yb-secondary" }, `表格只列出前 ${SHOWN_ROWS} 行，显示其余 ${hidden} 行`);
  more.addEventListener("click", () => {
    appendRows(body, result.rows.slice(SHOWN_ROWS), "td");
    more.remove();
  });
  return [box, more];
}

function appendRows(section, rows, cellTag) {
  for (const cells of rows) {
    const tr = section.insertRow();
    for (const text of cells) tr.appendChild(document.createElement(cellTag)).textContent = text;
  }
}

mountWhenParsed("[data-yb-roster]", mount, "名单计算工具载入失败，请刷新页面再试。");
