// The staff page docs/draft.md: a notice's text pasted in, a policy YAML draft out (calculator.drafting, in
// the calculator's worker). The notice is shown line by line beside the draft; each value found lists the
// lines it was read from, and a tap on one marks those lines. The text never leaves the device.
import { field, startToolEngine } from "./staff-tool.js";
import { h, mountWhenParsed } from "../site/dom.js";

// The line breaks Python's str.splitlines() knows: the worker numbers lines that way.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
const POLICY_ID = /^[a-z0-9]+(-[a-z0-9]+)*-[0-9]{4}$/;

async function mount(el) {
  const ui = layout(el);
  // engine: a promise; a press before the engine is ready runs once it is.
  const state = { ui, engine: startToolEngine(ui.status, { tool: "起草工具", use: "起草工具" }), download: null };
  ui.run.addEventListener("click", () => run(state));
}

function layout(el) {
  const status = h("div", { class: "yb-status", role: "status" });
  const text = h("textarea", { class: "yb-draft-input", rows: 12, "aria-label": "通知全文",
    placeholder: "把通知全文粘贴到这里（从标题到落款）" });
  const policyId = h("input", { type: "text", "aria-label": "政策编号", placeholder: "例如 nanan-2024", autocomplete: "off" });
  const run = h("button", { type: "button", class: "yb-primary" }, "起草政策文件");
  const message = h("p", { class: "yb-error", role: "alert", hidden: true });
  const resultSlot = h("div", { "aria-live": "polite" });
  el.replaceChildren(
    status,
    field("通知全文", text, h("span", { class: "yb-hint" }, "只在这台设备上处理，不会上传。")),
    field("政策编号（可不填）", policyId, h("span", { class: "yb-hint" }, "地名拼音-保障年度，与文件名相同。")),
    run, message, resultSlot);
  return { status, text, policyId, run, resultSlot, say: (words) => ((message.textContent = words), (message.hidden = !words)) };
}

async function run(state) {
  const { ui } = state;
  ui.say("");
  const text = ui.text.value;
  const policyId = ui.policyId.value.trim();
  if (!text.trim()) return ui.say("请先粘贴通知全文。");
  if (policyId && !POLICY_ID.test(policyId)) return ui.say("政策编号写成「地名拼音-保障年度」，只用小写字母、数字和连字符，例如 nanan-2024。");
  ui.resultSlot.replaceChildren(h("p", { class: "yb-note" }, "正在起草……"));
  const engine = await state.engine;
  if (!engine) return ui.resultSlot.replaceChildren();  // the status says why there is none
  const answer = await engine.call("draft", { text, policyId });
  const result = answer.crash ? { error: "起草出错了。" } : JSON.parse(answer.json);
  if (result.error) return ui.resultSlot.replaceChildren(h("p", { class: "yb-error", role: "alert" }, result.error));
  if (state.download) URL.revokeObjectURL(state.download);
  state.download = URL.createObjectURL(new Blob([result.yaml], { type: "text/yaml;charset=utf-8" }));
  ui.resultSlot.replaceChildren(...showDraft(text, result, state.download, `${policyId || "draft"}.yaml`));
}

// The notice's lines, the values found (each with the lines it was read from), what is left 待补, the YAML.
function showDraft(text, result, downloadUrl, fileName) {
  const lines = text.split(LINE_BREAK);
  const found = new Set(result.found.flatMap((value) => value.lines));
  const rows = lines.map((line, index) => h("li", { "data-line": index + 1, class: found.has(index + 1) ? "yb-draft-found" : null },
    h("span", { class: "yb-draft-number" }, String(index + 1)), h("span", {}, line)));
  const notice = h("ol", { class: "yb-draft-notice", "aria-label": "通知原文（按行）" }, rows);
  const mark = (numbers) => {
    for (const row of rows) row.classList.toggle("yb-draft-marked", numbers.includes(Number(row.dataset.line)));
    rows[numbers[0] - 1]?.scrollIntoView({ block: "center", behavior: "smooth" });
  };
  const lineButtons = (numbers) => numbers.map((number) =>
    h("button", { type: "button", class: "yb-draft-line", onclick: () => mark(numbers) }, `第${number}行`));
  const values = h("ul", { class: "yb-draft-values" }, result.found.map((value) =>
    h("li", {}, h("code", {}, value.field), " ", h("strong", {}, value.value), " ", lineButtons(value.lines))));
  const todos = h("ul", { class: "yb-draft-todos" }, result.todos.map((todo) =>
    h("li", {}, h("code", {}, todo.field), `：${todo.reason} `, lineButtons(todo.lines))));
  return [
    h("p", { class: "yb-note" }, `找到 ${result.found.length} 个值，${result.todos.length} 处待补。点「第N行」在原文里标出那一行。`),
    h("a", { class: "yb-primary yb-draft-download", href: downloadUrl, download: fileName }, `下载 ${fileName}`),
    h("div", { class: "yb-draft-columns" },
      h("section", {}, h("h2", {}, "通知原文"), notice),
      h("section", {}, h("h2", {}, "找到的值"), values, h("h2", {}, "待补"), todos,
        h("h2", {}, "政策文件草稿"), h("pre", { class: "yb-draft-yaml" }, result.yaml))),
  ];
}

mountWhenParsed("[data-yb-draft]", mount, "起草工具载入失败，请刷新页面再试。");
