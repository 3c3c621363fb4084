// The household form, built from the chosen policy's `form` block and the registry of member facts
// (calculator/core/facts.py, shipped in manifest.json): a field appears only when the notice uses it,
// and for a member only when it can matter for them (the fact's `ask_if`). A control is made by the
// fact's kind, so a fact the core adds needs no code here. fill() puts the household in (a share
// link's, the form of another county's, else the one kept on this phone) and lists, in words, what it
// had to drop or change; read() gives the scenario the core takes; showError() puts the core's message
// next to its field.
import { chineseDate, h, nextTask, todayIso } from "./dom.js";
import { forgetAll, forgetHousehold, saveHousehold, savedHousehold } from "./memory.js";

// Facts the form asks through the policy's own lists rather than `form.asks`.
const POLICY_LISTS = { groups: "groups", student: "student_statuses", tier: "tiers", add_ons: "add_ons" };

export function createForm(policy, registry, { onSubmit, otherNotices }) {
  const spec = { groups: [], student_statuses: [], tiers: [], add_ons: [], asks: [], ...policy.form };
  const period = spec.payment_period;
  const paidOn = dateControl("缴费日期", "paid_on", period.first, period.last, todayIso());
  const dateChoice = h("div", { class: "yb-date-choice", "aria-live": "polite" });
  const offerDateChoice = () => showDateChoice(dateChoice, paidOn.input, period, otherNotices);
  paidOn.input.addEventListener("change", offerDateChoice);
  const ctx = { spec, registry, facts: new Map(registry.facts.map((f) => [f.key, f])), paidOn: () => paidOn.input.value };
  const list = h("div", { class: "yb-members" });
  const limitNote = h("p", { class: "yb-hint yb-limit", hidden: true },
    `一户最多填${registry.max_members}人（分享链接也能带上这么多人）。人数更多请用村居名单（花名册）批量计算。`);
  const errorBox = h("p", { class: "yb-error", role: "alert", hidden: true });
  let blocks = [];

  const readModels = () => blocks.map((b) => b.read());
  const block = (m, i) => memberBlock(ctx, i, m, () => render(without(readModels(), i)));
  const render = (models) => {
    blocks = models.map(block);
    list.replaceChildren(...blocks.map((b) => b.el));
    afterCountChange();
  };
  // Adding builds one block only: a household of a hundred stays quick to enter.
  const add = (model = {}) => {
    blocks.push(block(model, blocks.length));
    list.append(blocks.at(-1).el);
    afterCountChange();
  };
  const addButton = h("button", { type: "button", class: "yb-secondary", onclick: () => add() }, "＋ 添加家庭成员");
  const afterCountChange = () => {
    blocks.forEach((b) => (b.removeButton.hidden = blocks.length === 1));
    addButton.disabled = blocks.length >= registry.max_members;
    limitNote.hidden = !addButton.disabled;
  };
  const saved = savedHousehold();
  const remember = rememberControl(Boolean(saved), readModels);
  offerDateChoice();

  const root = h("form", { class: "yb-form", novalidate: true, onsubmit: (e) => (e.preventDefault(), remember.keep(), onSubmit()) },
    paidOn.el,
    h("p", { class: "yb-hint" }, period.last_known
      ? `本年度缴费期：${chineseDate(period.first)}至${chineseDate(period.last)}`
      : `本年度缴费期：${chineseDate(period.first)}起（通知未写明截止日期）`),
    dateChoice,
    h("h3", {}, "家庭成员"),
    list,
    addButton,
    limitNote,
    errorBox,
    remember.el,
    h("button", { type: "submit", class: "yb-primary" }, "计算"),
  );
  // An answer can change which questions matter (a group ticked, a birth date, the payment day).
  const refresh = () => blocks.forEach((b) => b.refresh());
  root.addEventListener("change", refresh);
  root.addEventListener("input", refresh);

  return {
    root,
    read: () => ({ policy: policy.id, paid_on: paidOn.input.value, members: readModels().map(scenarioMember) }),
    models: readModels,
    // What keeps the form from being priced, as {field, message}; null when it can be.
    problem: () => paidOnProblem(paidOn.input.value, period) ?? birthDateProblem(readModels()),
    // Once, on a new form: members as in a scenario or as models() gave them (without a scenario, the
    // household kept on this phone, else one blank member), one member per task. Resolves to what
    // could not be kept as it was, in words ("成员2的特殊身份「…」本通知没有，已略去"), because this
    // notice's form does not have it.
    async fill(scenario) {
      if (scenario?.paid_on) {
        paidOn.input.value = scenario.paid_on;
        offerDateChoice();
      }
      const wanted = scenario ? scenario.members.slice(0, registry.max_members) : saved ?? [{}];
      for (const { id, ...model } of wanted) {
        await nextTask();
        add(model);
      }
      const kept = readModels().map(scenarioMember);
      return scenario ? wanted.flatMap((m, i) => changes(ctx, `成员${i + 1}`, m, kept[i])) : [];
    },
    showError: (field, message) => showError(root, errorBox, field, message),
    clearErrors: () => clearErrors(root, errorBox),
  };
}

function without(items, index) {
  return items.filter((_, i) => i !== index);
}

// The payment date defaults to today and is never moved behind the resident's back: a day outside
// this notice's payment period gets a choice — the period's nearest day, a notice of the same place
// whose period covers it (otherNotices gives those, or says the site has none), or another date.
function showDateChoice(box, input, period, otherNotices) {
  const day = input.value;
  if (!day || inPeriod(day, period)) return box.replaceChildren();
  const nearest = day < period.first ? period.first : period.last;
  const setDay = () => {
    input.value = nearest;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  };
  box.replaceChildren(...[
    h("p", {}, `${chineseDate(day)}不在这份通知的缴费期（${chineseDate(period.first)}至${chineseDate(period.last)}）内，` +
      "按它算不出这一天缴费的结果。您可以："),
    h("button", { type: "button", class: "yb-secondary", onclick: setDay },
      `按缴费期${day < period.first ? "第一天" : "最后一天"}（${chineseDate(nearest)}）计算`),
    otherNotices(day),
    h("p", { class: "yb-hint" }, "或者在上面改填缴费日期。")].flat());
}

function inPeriod(day, period) {
  return day >= period.first && day <= period.last;
}

function paidOnProblem(day, period) {
  if (!day) return { field: "paid_on", message: "请填写缴费日期。" };
  return inPeriod(day, period) ? null : { field: "paid_on", message: "这一天不在本通知的缴费期内，请在下面选一个办法。" };
}

function birthDateProblem(models) {
  const i = models.findIndex((m) => !ISO_DATE.test(m.birth_date));
  if (i < 0) return null;
  const message = models[i].birth_date ? "出生日期请按年月日填写，例如 19500201 或 1950-02-01。" : "请填写出生日期。";
  return { field: `members[${i}].birth_date`, message };
}

function memberBlock(ctx, i, m, onRemove) {
  const { spec, facts } = ctx;
  const at = (key) => `members[${i}].${key}`;
  const controls = {
    label: textControl("称呼（可不填，只存在您的手机上）", m.label),
    birth_date: typedDateControl(facts.get("birth_date").label, at("birth_date"), m.birth_date),
  };
  if (spec.groups.length) {
    controls.groups = groupsControl(at("groups"), spec.groups, m.groups);
  }
  if (spec.student_statuses.length) {
    controls.student = selectControl("是否学生", at("student"), spec.student_statuses.map((s) => [s.value, s.label]), m.student);
  }
  if (spec.tiers.length) {
    controls.tier = selectControl(facts.get("tier").label, at("tier"), spec.tiers.map((t) => [t.value, t.label]), m.tier);
  }
  if (spec.add_ons.length) {
    const options = spec.add_ons.map((a) => [a.id, `${a.name}（${a.price}元）`]);
    controls.add_ons = checksControl(facts.get("add_ons").label, at("add_ons"), options, m.add_ons);
  }
  for (const key of spec.asks.filter((k) => facts.has(k))) controls[key] = askedControl(ctx, facts.get(key), at(key), m[key]);
  const removeButton = h("button", { type: "button", class: "yb-remove", onclick: onRemove }, `删除成员${i + 1}`);
  const el = h("fieldset", { class: "yb-member", "data-field": `members[${i}]` },
    h("legend", {}, `成员${i + 1}`),
    Object.values(controls).map((c) => c.el),
    removeButton,
  );
  // Each control reads the answers above it: whether it is asked can depend on them.
  const read = () => {
    const model = {};
    for (const [key, control] of Object.entries(controls)) model[key] = control.read(model);
    return model;
  };
  const refresh = () => {
    const model = {};
    for (const [key, control] of Object.entries(controls)) {
      control.refresh?.(model);
      model[key] = control.read(model);
    }
  };
  refresh();
  return { el, read, refresh, removeButton };
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

// ---- what fill() could not keep ----

function changes(ctx, who, wanted, kept) {
  const notes = [];
  for (const fact of ctx.registry.facts) {
    const was = normal(ctx, fact, wanted[fact.key]);
    const now = normal(ctx, fact, kept[fact.key]);
    if (fact.kind === "id_list") {
      const dropped = (was ?? []).filter((v) => !(now ?? []).includes(v));
      notes.push(...dropped.map((v) => `${who}的${fact.label}「${shown(ctx, fact, v)}」本通知没有，已略去`));
    } else if (JSON.stringify(was) !== JSON.stringify(now)) {
      notes.push(`${who}的${fact.label}「${shown(ctx, fact, was)}」${why(ctx, fact, now)}`);
    }
  }
  return notes;
}

function why(ctx, fact, now) {
  if (now !== fact.default) return `本通知没有，已改为「${shown(ctx, fact, now)}」`;
  if (POLICY_LISTS[fact.key]) return "本通知没有，已略去";
  return ctx.spec.asks.includes(fact.key) ? "对这位成员不适用，已略去" : "本通知用不到，已略去";
}

// A value with its default filled in, comparable as JSON.
function normal(ctx, fact, value) {
  if (value === undefined || value === null) return fact.default;
  if (fact.kind !== "employment") return value;
  return { stopped_on: value.stopped_on, continuous_years: value.continuous_years ?? ctx.registry.employment_years.default };
}

// A value as the resident knows it: the notice's or the registry's label, else the value itself (cut short).
function shown(ctx, fact, value) {
  const list = ctx.spec[POLICY_LISTS[fact.key]] ?? [];
  const known = [...list.map((o) => [o.id ?? o.value, o.name ?? o.label]), ...(fact.values ?? []).map((o) => [o.value, o.label])]
    .find(([v]) => v === value);
  if (known) return known[1];
  if (fact.kind === "flag") return value ? "是" : "否";
  if (fact.kind === "employment" && value) return `${value.stopped_on} 停保`;
  const text = String(value);
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

// ---- the facts of `form.asks`, by kind ----

const KIND_CONTROLS = {
  date: (fact, field, value) => dateControl(fact.label, field, "1900-01-01", todayIso(), value),
  flag: (fact, field, value) => flagControl(fact.label, field, value),
  integer: (fact, field, value) => numberControl(fact.label, field, fact, value),
  enum: (fact, field, value) => enumControl(fact, field, value),
  employment: (fact, field, value, registry) => employeeControl(fact, field, value, registry.employment_years),
};

// A fact's control, shown (and read) only when the fact can matter for this member.
function askedControl(ctx, fact, field, value) {
  const inner = fact.gate ? gatedControl(fact, field, value)
    : fact.at_most ? boundedControl(fact, field, value)
    : KIND_CONTROLS[fact.kind](fact, field, value, ctx.registry);
  const help = fact.help && !fact.gate ? h("p", { class: "yb-hint" }, fact.help) : null;
  const el = h("div", { class: "yb-ask" }, inner.el, help);
  return {
    el,
    read: (model) => (isAsked(ctx, fact, model) ? inner.read() : null),
    refresh(model) {
      el.hidden = !isAsked(ctx, fact, model);
      inner.refresh?.(model);
    },
  };
}

function isAsked(ctx, fact, model) {
  const only = fact.ask_if ?? {};
  // A group the notice does not offer cannot be ticked: then the fact is asked of everyone.
  const offered = (only.groups ?? []).filter((g) => ctx.spec.groups.some((o) => o.id === g));
  if (offered.length && !offered.some((g) => (model.groups ?? []).includes(g))) return false;
  if (only.min_age !== undefined && model.birth_date && ageOn(model.birth_date, ctx.paidOn()) < only.min_age) return false;
  return !fact.at_most || model[fact.at_most] > 0;
}

// Full years on `day` (both "YYYY-MM-DD").
function ageOn(birth, day) {
  if (!day) return Infinity;
  return Number(day.slice(0, 4)) - Number(birth.slice(0, 4)) - (day.slice(5) < birth.slice(5) ? 1 : 0);
}

// A count asked behind a yes/no question whose "是" means the default ("上一年度参加居民医保了吗？").
function gatedControl(fact, field, value) {
  const answered = value !== undefined && value !== null && value !== fact.default;
  const yes = h("input", { type: "radio", name: field, checked: !answered });
  const no = h("input", { type: "radio", name: field, checked: answered });
  const count = numberControl(`${fact.label}？`, undefined, { ...fact, minimum: Math.max(1, fact.minimum ?? 1) }, answered ? value : 1);
  const details = h("div", { class: "yb-sub", hidden: !answered }, count.el, fact.help ? h("p", { class: "yb-hint" }, fact.help) : null);
  const el = h("fieldset", { class: "yb-checks", "data-field": field },
    h("legend", {}, fact.gate),
    h("label", { class: "yb-check" }, yes, h("span", {}, "是")),
    h("label", { class: "yb-check" }, no, h("span", {}, "否")),
    details);
  return {
    el,
    read: () => (no.checked ? count.read() : fact.default),
    refresh: () => (details.hidden = !no.checked),
  };
}

// A count that cannot exceed another fact's answer ("这次补缴几年？", 0 to the years missed).
function boundedControl(fact, field, value) {
  const count = numberControl(`${fact.label}？`, field, fact, value ?? fact.default);
  const range = h("p", { class: "yb-hint" });
  return {
    el: h("div", {}, count.el, range),
    read: count.read,
    refresh(model) {
      const bound = model[fact.at_most] ?? 0;
      count.input.max = bound;
      range.textContent = `可填 ${fact.minimum ?? 0} 至 ${bound}`;
    },
  };
}

function enumControl(fact, field, value) {
  const options = fact.values.map((o) => [o.value, o.label]);
  const choices = fact.default === null ? [[null, "请选择"], ...options] : options;
  return selectControl(fact.label, field, choices, value ?? fact.default);
}

// ---- controls: {el, read()}; el carries the scenario path (data-field) so an error lands next to it ----

function labelled(text, input, field, after = null) {
  return h("label", { class: "yb-field", "data-field": field }, h("span", { class: "yb-label" }, text), input, after);
}

function textControl(text, value = "") {
  const input = h("input", { type: "text", maxlength: 20, autocomplete: "off", value });
  return { el: labelled(text, input), read: () => input.value.trim() };
}

function dateControl(text, field, min, max, value = "") {
  const input = h("input", { type: "date", min, max, required: true, value });
  return { el: labelled(text, input, field), input, read: () => input.value };
}

// A date typed the way people write it (19500201, 1950-2-1, 1950.2.1, 1950年2月1日; full-width digits
// too) and said back in words under the field; reads as "YYYY-MM-DD", or as typed when it is no date.
function typedDateControl(text, field, value = "") {
  const input = h("input", { type: "text", inputmode: "numeric", autocomplete: "off", placeholder: "如 19500201", value });
  const said = h("span", { class: "yb-hint yb-date-said", "aria-live": "polite" });
  const read = () => typedDate(input.value) ?? input.value.trim();
  const sayBack = () => {
    const iso = typedDate(input.value);
    said.textContent = iso ? chineseDate(iso) : input.value.trim() ? "请按年月日填写，如 19500201" : "";
  };
  input.addEventListener("input", sayBack);
  sayBack();
  return { el: labelled(text, input, field, said), input, read };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function typedDate(text) {
  const digits = text.trim().replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10));
  const parts = digits.match(/^(\d{4})(\d{2})(\d{2})$/) ?? digits.match(/^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/);
  if (!parts) return null;
  const [y, m, d] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && y >= 1900 ? date.toISOString().slice(0, 10) : null;
}

function numberControl(text, field, bounds, value) {
  const input = h("input", { type: "number", min: bounds.minimum, max: bounds.maximum, step: 1, inputmode: "numeric",
    value: value ?? "" });
  return { el: labelled(text, input, field), input, read: () => (input.value === "" ? null : Number(input.value)) };
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

// The notices list up to twenty groups (most common first): folded away until asked for (and only then
// built, which keeps the page responsive while Pyodide boots), open when one is chosen (built then by
// the toggle event an open list also gets, in a later task: the member's block is laid out first).
// Each says who counts and what this notice gives it, so a resident can tell 低收入家庭 from 低保
// without the notice.
function groupsControl(field, groups, values = []) {
  let boxes = null;
  const known = values.filter((v) => groups.some((g) => g.id === v));
  const chosen = h("span", { class: "yb-hint" });
  const read = () => (boxes ? groups.filter((_, i) => boxes[i].checked).map((g) => g.id) : known);
  const count = () => (chosen.textContent = read().length ? `（已选 ${read().length} 项）` : "（没有就不用选）");
  const el = h("details", { class: "yb-groups", open: known.length > 0, "data-field": field },
    h("summary", {}, "特殊身份：低保、特困、残疾等", chosen));
  const build = () => {
    if (boxes) return;
    boxes = groups.map((g) => h("input", { type: "checkbox", checked: known.includes(g.id) }));
    el.append(h("fieldset", { class: "yb-checks" }, h("legend", {}, "可多选"),
      groups.map((g, i) => groupOption(`${field}.${g.id}`, g, boxes[i]))));
    el.addEventListener("change", count);
  };
  el.addEventListener("toggle", build);
  count();
  return { el, read };
}

function groupOption(id, group, box) {
  const about = [group.description, ...group.here.map((label) => `本通知：${label}`)].filter(Boolean);
  if (about.length) box.setAttribute("aria-describedby", `${id}.about`);
  return h("div", { class: "yb-group" },
    h("label", { class: "yb-check" }, box, h("span", {}, group.name)),
    about.length ? h("p", { class: "yb-hint", id: `${id}.about` }, about.join("；")) : null);
}

function flagControl(text, field, value = false) {
  const box = h("input", { type: "checkbox", checked: Boolean(value) });
  const el = h("label", { class: "yb-check", "data-field": field }, box, h("span", {}, text));
  return { el, box, read: () => box.checked };
}

// The date and the years are built once the box is ticked: a date field is slow to make, and most
// members never need one.
function employeeControl(fact, field, value, years) {
  const flag = flagControl(fact.label, field, Boolean(value));
  const details = h("div", { class: "yb-sub", hidden: !value });
  let stopped, count;
  const build = () => {
    stopped = dateControl("停保日期", `${field}.stopped_on`, "1990-01-01", todayIso(), value?.stopped_on);
    count = numberControl(years.label, `${field}.continuous_years`, years, value?.continuous_years);
    details.append(stopped.el, count.el);
  };
  if (value) build();
  flag.box.addEventListener("change", () => {
    if (flag.box.checked && !stopped) build();
    details.hidden = !flag.box.checked;
  });
  return {
    el: h("div", {}, flag.el, details),
    read: () => (flag.box.checked ? { stopped_on: stopped.read(), continuous_years: count.read() ?? years.default } : null),
  };
}

// ---- keeping the household on this phone: only when ticked, cleared with one tap ----

function rememberControl(ticked, readModels) {
  const box = h("input", { type: "checkbox", checked: ticked });
  const done = h("span", { class: "yb-hint", "aria-live": "polite" });
  const clear = h("button", { type: "button", class: "yb-secondary" }, "清除本机保存的信息");
  const keep = () => box.checked && saveHousehold(readModels());
  box.addEventListener("change", () => {
    if (box.checked) keep();
    else forgetHousehold();
    done.textContent = box.checked ? "已保存在本机。" : "已从本机删除。";
  });
  clear.addEventListener("click", () => {
    forgetAll();
    box.checked = false;
    done.textContent = "本机保存的信息已全部清除。";
  });
  const el = h("div", { class: "yb-remember" },
    h("label", { class: "yb-check" }, box, h("span", {}, "记住我的家庭（只存在本机）")),
    h("p", { class: "yb-hint" }, "勾选后，家庭成员（含称呼）保存在这台手机的浏览器里，下次打开自动填好；不勾选就什么都不保存。"),
    clear, done);
  return { el, keep };
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
