// The household form, built from the chosen policy's `form` block and the registry of member facts
// (calculator/core/facts.py, shipped in manifest.json): a field appears only when the notice uses it,
// and for a member only when it can matter for them (the fact's `ask_if`). A control is made by the
// fact's kind, so a fact the core adds needs no code here. fill() puts the household in (a share
// link's, the form of another county's, else the one kept on this phone) and lists, in words, what it
// had to drop or change; read() gives the scenario the core takes; showError() puts the core's message
// next to its field.
import { h, nextTask } from "../site/dom.js";
import { forgetAll, forgetHousehold, saveHousehold, savedHousehold } from "./memory.js";
import { chineseDate, endIsKnown, firstPaymentDay, isPaymentDay, paymentWindows, todayIso } from "../site/period.js";

// Special groups shown as boxes at once, most common first (the notice's others are one tap away).
const GROUPS_AT_ONCE = 3;

// Facts the form asks through the policy's own lists rather than `form.asks`.
const POLICY_LISTS = { groups: "groups", student: "student_statuses", tier: "tiers", add_ons: "add_ons" };

export function createForm(policy, registry, { onSubmit, otherNotices }) {
  const spec = { groups: [], student_statuses: [], tiers: [], add_ons: [], asks: [], ...policy.form };
  const period = spec.payment_period;
  // (a form built from a `form` block alone, as the tests do, has one window: its payment period)
  const windows = policy.windows ? paymentWindows(policy)
    : [{ id: "period", label: "缴费期", from: period.first, to: period.last, last: period.last }];
  const paidOn = dateControl("缴费日期", "paid_on", period.first, period.last, todayIso());
  // A payment day outside the notice's windows (today, for an old notice): the form says so under the
  // date, and its button becomes the notice's own windows, each of which computes at once.
  const dateNote = h("p", { class: "yb-date-note", "aria-live": "polite", hidden: true });
  const dateChoice = h("div", { class: "yb-date-choice" });
  const submit = h("button", { type: "submit", class: "yb-primary" }, "计算");
  const chooseWindow = (day) => {
    paidOn.input.value = day;
    paidOn.input.dispatchEvent(new Event("change", { bubbles: true }));
    remember.keep();
    onSubmit({ scroll: true });
  };
  const offerDateChoice = () => showDateChoice({ box: dateChoice, note: dateNote, submit, input: paidOn.input, windows,
    otherNotices, chooseWindow });
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
  // A member added by a tap is typed in at once: the birth date field takes the focus (and the keyboard).
  const addButton = h("button", { type: "button", class: "yb-secondary", onclick: () => {
    add();
    blocks.at(-1).el.querySelector("[data-field$='.birth_date'] input")?.focus();
  } }, "＋ 添加家庭成员");
  const afterCountChange = () => {
    blocks.forEach((b) => (b.removeButton.hidden = blocks.length === 1));
    addButton.disabled = blocks.length >= registry.max_members;
    limitNote.hidden = !addButton.disabled;
  };
  const saved = savedHousehold();
  const remember = rememberControl(Boolean(saved), readModels);

  // autocomplete="off": what is typed here is a household's; the browser neither offers it again nor
  // keeps it in its saved session (Chromium restores no field that has it).
  const root = h("form", { class: "yb-form", novalidate: true, autocomplete: "off",
    onsubmit: (e) => (e.preventDefault(), remember.keep(), onSubmit({ scroll: true })) },
    paidOn.el,
    h("p", { class: "yb-hint" }, period.last_known
      ? `本年度缴费期：${chineseDate(period.first)}至${chineseDate(period.last)}`
      : `本年度缴费期：${chineseDate(period.first)}起（通知未写明截止日期）`),
    dateNote,
    h("h3", {}, "家庭成员"),
    list,
    addButton,
    limitNote,
    errorBox,
    remember.el,
    dateChoice,
    submit,
  );
  offerDateChoice();
  // An answer can change which questions matter (a group ticked, a birth date, the payment day).
  const refresh = () => blocks.forEach((b) => b.refresh());
  root.addEventListener("change", refresh);
  root.addEventListener("input", refresh);

  return {
    root,
    read: () => ({ policy: policy.id, paid_on: paidOn.input.value, members: readModels().map(scenarioMember) }),
    models: readModels,
    // What keeps the form from being priced, as {field, message}; null when it can be.
    problem: () => paidOnProblem(paidOn.input.value, windows) ?? birthDateProblem(readModels()),
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

// The payment date defaults to today and is never moved behind the resident's back: a day that is no
// payment day of this notice (today, for an old notice) gets the notice's own choices in its words, the
// concentrated period first, then each later window, each with its dates — one tap computes at that
// window's first payment day —, a notice of the same place that takes payments that day (otherNotices
// gives those, or says the site has none), or another date typed above. Until the day is a payment
// day, these choices stand where the 计算 button was.
function showDateChoice({ box, note, submit, input, windows, otherNotices, chooseWindow }) {
  const day = input.value;
  const outside = Boolean(day) && !isPaymentDay(windows, day);
  submit.hidden = outside;
  note.hidden = !outside;
  if (!outside) return box.replaceChildren();
  const today = day === todayIso() ? `今天（${chineseDate(day)}）` : chineseDate(day);
  note.textContent = `${today}不在这份通知的缴费期内。填好家庭成员后，在下面选按哪一段缴费期计算。`;
  const choices = [...windows.filter((w) => w.id === "concentrated"), ...windows.filter((w) => w.id !== "concentrated")]
    .map((w) => ({ window: w, first: firstPaymentDay(w) }))
    .filter(({ first }) => first);
  box.replaceChildren(...[
    h("p", {}, `${today}不在这份通知的缴费期内。按哪一段缴费期算？点一下就算：`),
    choices.map(({ window, first }) => h("button", { type: "button", class: "yb-primary yb-window-choice",
      "data-window": window.id, onclick: () => chooseWindow(first) }, `在${window.label}内缴（${windowWords(window)}）`)),
    otherNotices(day),
    h("p", { class: "yb-hint" }, "或者在上面改填缴费日期，再点「计算」。")].flat());
}

// "2022年9月1日—12月31日", "2025年10月17日—2026年2月25日，每月1日至25日", "2026年3月1日起（通知未写明截止日期）".
export function windowWords(window) {
  const monthly = window.monthly ? `，每月${window.monthly.first_day}日至${window.monthly.last_day}日` : "";
  if (!endIsKnown(window)) return `${chineseDate(window.from)}起（通知未写明截止日期）${monthly}`;
  const end = window.to.slice(0, 4) === window.from.slice(0, 4) ? chineseDate(window.to).slice(5) : chineseDate(window.to);
  return `${chineseDate(window.from)}—${end}${monthly}`;
}

function paidOnProblem(day, windows) {
  if (!day) return { field: "paid_on", message: "请填写缴费日期。" };
  return isPaymentDay(windows, day) ? null : { field: "paid_on", message: "这一天不能按本通知缴费，请在下面选按哪一段缴费期计算。" };
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
  const yes = h("input", { type: "radio", name: field, autocomplete: "off", checked: !answered });
  const no = h("input", { type: "radio", name: field, autocomplete: "off", checked: answered });
  const count = numberControl(`${fact.label}？`, undefined, { ...fact, minimum: Math.max(1, fact.minimum ?? 1) }, answered ? value : 1);
  const help = fact.help ? gatedHelp(fact.help) : "";
  const details = h("div", { class: "yb-sub", hidden: !answered }, count.el, help ? h("p", { class: "yb-hint" }, help) : null);
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

// Behind the gate the count is at least 1: what the registry's help says of the default ("上一年度参加了就
// 填0", for the roster's column) is the gate's 「是」 here, and is left out.
function gatedHelp(help) {
  return help.split("；").filter((part) => !/填\s*0/.test(part)).join("；");
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
  const input = h("input", { type: "date", min, max, required: true, autocomplete: "off", value });
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
    autocomplete: "off", value: value ?? "" });
  return { el: labelled(text, input, field), input, read: () => (input.value === "" ? null : Number(input.value)) };
}

function selectControl(text, field, options, value) {
  const select = h("select", { autocomplete: "off" }, options.map(([, label]) => h("option", {}, label)));
  select.selectedIndex = Math.max(0, options.findIndex(([v]) => v === value));
  return { el: labelled(text, select, field), read: () => options[select.selectedIndex][0] };
}

function checksControl(text, field, options, values = []) {
  const boxes = options.map(([v]) => h("input", { type: "checkbox", autocomplete: "off", checked: values.includes(v) }));
  const el = h("fieldset", { class: "yb-checks", "data-field": field },
    h("legend", {}, text),
    options.map(([, label], i) => h("label", { class: "yb-check" }, boxes[i], h("span", {}, label))));
  return { el, read: () => options.filter((_, i) => boxes[i].checked).map(([v]) => v) };
}

// The notices list up to twenty groups (most common first): the first few are boxes at once; the
// others are folded away until asked for (and only then built, which keeps the page responsive while
// Pyodide boots), open when one of them is chosen (built then by the toggle event an open list also
// gets, in a later task: the member's block is laid out first). Each says who counts and what this
// notice gives it, so a resident can tell 低收入家庭 from 低保 without the notice.
function groupsControl(field, groups, values = []) {
  const known = values.filter((v) => groups.some((g) => g.id === v));
  const first = groups.slice(0, GROUPS_AT_ONCE);
  const rest = groups.slice(GROUPS_AT_ONCE);
  const firstBoxes = first.map((g) => h("input", { type: "checkbox", checked: known.includes(g.id) }));
  let restBoxes = null;
  const chosen = h("span", { class: "yb-hint" });
  const read = () => [
    ...first.filter((_, i) => firstBoxes[i].checked).map((g) => g.id),
    ...(restBoxes ? rest.filter((_, i) => restBoxes[i].checked).map((g) => g.id) : known.filter((id) => rest.some((g) => g.id === id))),
  ];
  const restChosen = () => read().filter((id) => rest.some((g) => g.id === id)).length;
  const count = () => (chosen.textContent = restChosen() ? `（已选 ${restChosen()} 项）` : "");
  const more = rest.length ? h("details", { class: "yb-groups", open: known.some((id) => rest.some((g) => g.id === id)) },
    h("summary", {}, `更多特殊身份（${rest.slice(0, 2).map((g) => g.name).join("、")}等${rest.length}项）`, chosen)) : null;
  const build = () => {
    if (restBoxes) return;
    restBoxes = rest.map((g) => h("input", { type: "checkbox", checked: known.includes(g.id) }));
    more.append(h("fieldset", { class: "yb-checks" }, h("legend", {}, "可多选"),
      rest.map((g, i) => groupOption(`${field}.${g.id}`, g, restBoxes[i]))));
    more.addEventListener("change", count);
  };
  more?.addEventListener("toggle", build);
  const el = h("fieldset", { class: "yb-checks yb-group-list", "data-field": field },
    h("legend", {}, "特殊身份（可多选，没有就不用选）"),
    first.map((g, i) => groupOption(`${field}.${g.id}`, g, firstBoxes[i])),
    more);
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
  const box = h("input", { type: "checkbox", autocomplete: "off", checked: Boolean(value) });
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
  const box = h("input", { type: "checkbox", autocomplete: "off", checked: ticked });
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
