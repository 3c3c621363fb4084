// The household form, built from the chosen policy's `form` block: a field appears only when the
// notice uses it (ARCHITECTURE.md, "The compiled policy"). read() gives the scenario the core takes,
// fill() puts one back (from a share link), showError() puts the core's message next to its field.
import { chineseDate, h, todayIso } from "./dom.js";

// The `form.asks` fields this form knows how to ask (a field the core adds later needs a line here).
const ASKS = {
  disability_grade: (field, value) => gradeControl(field, value),
  employee_insurance: (field, value) => employeeControl(field, value),
  migrant_worker: (field, value) => flagControl("是返乡农民工", field, value),
  born_in_old_revolutionary_village: (field, value) => flagControl("户籍在革命老区（基点）村", field, value),
};

export function createForm(policy, onSubmit) {
  const spec = { groups: [], student_statuses: [], tiers: [], add_ons: [], asks: [], ...policy.form };
  const period = spec.payment_period;
  const paidOn = dateControl("缴费日期", "paid_on", period.first, period.last, todayIso());
  const paidOnNote = h("p", { class: "yb-note", "aria-live": "polite" });
  paidOn.input.addEventListener("change", () => clampPaidOn(paidOn.input, period, paidOnNote));
  clampPaidOn(paidOn.input, period, paidOnNote);
  const list = h("div", { class: "yb-members" });
  const errorBox = h("p", { class: "yb-error", role: "alert", hidden: true });
  let blocks = [];

  const render = (models) => {
    blocks = models.map((m, i) => memberBlock(spec, i, m, models.length, () => render(without(readModels(), i))));
    list.replaceChildren(...blocks.map((b) => b.el));
  };
  const readModels = () => blocks.map((b) => b.read());
  render([{}]);

  const root = h("form", { class: "yb-form", novalidate: true, onsubmit: (e) => (e.preventDefault(), onSubmit()) },
    paidOn.el,
    h("p", { class: "yb-hint" }, `本年度缴费期：${chineseDate(period.first)}至${chineseDate(period.last)}`),
    paidOnNote,
    h("h3", {}, "家庭成员"),
    list,
    h("button", { type: "button", class: "yb-secondary", onclick: () => render([...readModels(), {}]) }, "＋ 添加家庭成员"),
    errorBox,
    h("button", { type: "submit", class: "yb-primary" }, "计算"),
  );

  return {
    root,
    read: () => ({ policy: policy.id, paid_on: paidOn.input.value, members: readModels().map(scenarioMember) }),
    models: readModels,
    // Members as in a scenario or as models() gave them; returns how many options were dropped
    // because this policy's form does not have them.
    fill(scenario) {
      if (scenario.paid_on) {
        paidOn.input.value = scenario.paid_on;
        clampPaidOn(paidOn.input, period, paidOnNote);
      }
      render(scenario.members.map(({ id, ...m }) => m));
      return countDropped(spec, scenario.members);
    },
    showError: (field, message) => showError(root, errorBox, field, message),
    clearErrors: () => clearErrors(root, errorBox),
  };
}

function without(items, index) {
  return items.filter((_, i) => i !== index);
}

// The payment date defaults to today and stays inside the policy's payment period.
function clampPaidOn(input, period, note) {
  const asked = input.value;
  note.textContent = "";
  if (!asked || (asked >= period.first && asked <= period.last)) return;
  input.value = asked < period.first ? period.first : period.last;
  note.textContent =
    `${chineseDate(asked)}不在本年度缴费期（${chineseDate(period.first)}至${chineseDate(period.last)}）内，` +
    `已改为${chineseDate(input.value)}。可以再改。`;
}

function memberBlock(spec, i, m, count, onRemove) {
  const at = (key) => `members[${i}].${key}`;
  const controls = {
    label: textControl("称呼（可不填，只存在您的手机上）", m.label),
    birth_date: dateControl("出生日期", at("birth_date"), "1900-01-01", todayIso(), m.birth_date),
  };
  if (spec.groups.length) {
    controls.groups = groupsControl(at("groups"), spec.groups.map((g) => [g.id, g.name]), m.groups);
  }
  if (spec.student_statuses.length) {
    controls.student = selectControl("是否学生", at("student"), spec.student_statuses.map((s) => [s.value, s.label]), m.student);
  }
  if (spec.tiers.length) {
    controls.tier = selectControl("缴费档次", at("tier"), spec.tiers.map((t) => [t.value, t.label]), m.tier);
  }
  if (spec.add_ons.length) {
    const options = spec.add_ons.map((a) => [a.id, `${a.name}（${a.price}元）`]);
    controls.add_ons = checksControl("自愿加购的保险", at("add_ons"), options, m.add_ons);
  }
  for (const ask of spec.asks.filter((a) => a in ASKS)) controls[ask] = ASKS[ask](at(ask), m[ask]);
  const el = h("fieldset", { class: "yb-member", "data-field": `members[${i}]` },
    h("legend", {}, `成员${i + 1}`),
    Object.values(controls).map((c) => c.el),
    count > 1 && h("button", { type: "button", class: "yb-remove", onclick: onRemove }, `删除成员${i + 1}`),
  );
  return { el, read: () => Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.read()])) };
}

// Only what the policy's form shows, and nothing empty: the scenario (and a share link) stays short.
function scenarioMember(model, i) {
  const member = { id: `成员${i + 1}` };
  for (const [key, value] of Object.entries(model)) {
    const empty = value === null || value === false || (Array.isArray(value) && value.length === 0);
    if (key !== "label" && !empty) member[key] = value;
  }
  return member;
}

function countDropped(spec, members) {
  const known = new Set([...spec.groups.map((g) => g.id), ...spec.add_ons.map((a) => a.id)]);
  const values = members.flatMap((m) => [...(m.groups ?? []), ...(m.add_ons ?? [])]);
  const asked = members.flatMap((m) => Object.entries(m).filter(([k, v]) => k in ASKS && v && !spec.asks.includes(k)));
  return values.filter((v) => !known.has(v)).length + asked.length;
}

// ---- controls: {el, read()}; el carries the scenario path (data-field) so an error lands next to it ----

function labelled(text, input, field) {
  return h("label", { class: "yb-field", "data-field": field }, h("span", { class: "yb-label" }, text), input);
}

function textControl(text, value = "") {
  const input = h("input", { type: "text", maxlength: 20, autocomplete: "off", value });
  return { el: labelled(text, input), read: () => input.value.trim() };
}

function dateControl(text, field, min, max, value = "") {
  const input = h("input", { type: "date", min, max, required: true, value });
  return { el: labelled(text, input, field), input, read: () => input.value };
}

function selectControl(text, field, options, value) {
  const select = h("select", {}, options.map(([, label]) => h("option", {}, label)));
  select.selectedIndex = Math.max(0, options.findIndex(([v]) => v === value));
  return { el: labelled(text, select, field), read: () => options[select.selectedIndex][0] };
}

function checksControl(text, field, options, values = []) {
  const boxes = options.map(([v]) => h("input", { type: "checkbox", checked: values.includes(v) }));
  const el = h("fieldset", { class: "yb-checks", "data-field": field },
    h("legend", {}, text),
    options.map(([, label], i) => h("label", { class: "yb-check" }, boxes[i], h("span", {}, label))));
  return { el, read: () => options.filter((_, i) => boxes[i].checked).map(([v]) => v) };
}

// The notices list up to twenty groups: folded away until asked for (and only then built, which
// keeps the page responsive while Pyodide boots), open when one is chosen.
function groupsControl(field, options, values = []) {
  let checks = null;
  const chosen = h("span", { class: "yb-hint" });
  const read = () => (checks ? checks.read() : values);
  const count = () => (chosen.textContent = read().length ? `（已选 ${read().length} 项）` : "（没有就不用选）");
  const el = h("details", { class: "yb-groups", open: values.length > 0, "data-field": field },
    h("summary", {}, "特殊身份：低保、特困、残疾等", chosen));
  const build = () => {
    if (checks) return;
    checks = checksControl("可多选", undefined, options, values);
    checks.el.addEventListener("change", count);
    el.append(checks.el);
  };
  el.addEventListener("toggle", build);
  if (values.length) build();
  count();
  return { el, read };
}

function flagControl(text, field, value = false) {
  const box = h("input", { type: "checkbox", checked: value });
  const el = h("label", { class: "yb-check", "data-field": field }, box, h("span", {}, text));
  return { el, box, read: () => box.checked };
}

function gradeControl(field, value) {
  const grades = [[null, "没有残疾人证"], [1, "一级"], [2, "二级"], [3, "三级"], [4, "四级"]];
  return selectControl("残疾等级", field, grades, value ?? null);
}

function employeeControl(field, value) {
  const flag = flagControl("以前参加过职工医保，已经停保", field, Boolean(value));
  const stopped = dateControl("停保日期", `${field}.stopped_on`, "1990-01-01", todayIso(), value?.stopped_on);
  const years = h("input", { type: "number", min: 0, max: 60, inputmode: "numeric", value: value?.continuous_years ?? "" });
  const details = h("div", { class: "yb-sub", hidden: !value },
    stopped.el, labelled("连续参加职工医保的年数", years, `${field}.continuous_years`));
  flag.box.addEventListener("change", () => (details.hidden = !flag.box.checked));
  return {
    el: h("div", {}, flag.el, details),
    read: () => (flag.box.checked ? { stopped_on: stopped.read(), continuous_years: Number(years.value || 0) } : null),
  };
}

// ---- errors ----

// The core names a field like "members[0].employee_insurance.stopped_on": show the message at the
// closest element that carries that path (or a prefix of it), else above the button.
function showError(root, errorBox, field, message) {
  const target = closestField(root, field) ?? errorBox;
  const note = target === errorBox ? errorBox : h("p", { class: "yb-error", role: "alert" });
  note.textContent = message;
  note.hidden = false;
  if (note !== errorBox) target.after(note);
  target.querySelector?.("input, select")?.setAttribute("aria-invalid", "true");
  target.scrollIntoView({ block: "center" });
}

function closestField(root, field) {
  const byPath = new Map([...root.querySelectorAll("[data-field]")].map((el) => [el.dataset.field, el]));
  for (let path = String(field ?? ""); path; path = parentPath(path)) {
    if (byPath.has(path)) return byPath.get(path);
  }
  return null;
}

// "members[0].groups" -> "members[0]" -> "members" -> ""
function parentPath(path) {
  const parent = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
  return parent === path ? "" : parent;
}

function clearErrors(root, errorBox) {
  for (const note of root.querySelectorAll(".yb-error")) {
    if (note === errorBox) note.hidden = true;
    else note.remove();
  }
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}
