// Shows a quote result (ARCHITECTURE.md, "The result"): the household totals, then per member what
// is paid now, what the government covers, what comes back later, when cover runs, and why — each
// rule with the sentence of the notice it rests on, linked to that line on the county page.
import { chineseDate, h, nextTask } from "./dom.js";

// The household totals at once, then one member's card per task (the section is aria-busy until the
// last is in): each is laid out on its own, so no task runs long on a slow phone. `words` names each
// sum as the roster and the county page do (registry money_words).
export function renderResult(result, labels, siteRoot, words) {
  const household = result.household;
  const show = shower();
  const section = h("section", { class: "yb-result", "aria-label": "计算结果", "aria-busy": "true" },
    h("div", { class: "yb-total" },
      h("p", {}, `全家${words.pays}`, h("strong", { class: "yb-big" }, show(household.pays, money, ASK.pays))),
      row(`${words.subsidy}（政府替你缴的个人缴费）`, show(household.subsidy, money, ASK.subsidy)),
      row(`${words.reimbursed_later}（先缴，之后退回给你）`, show(household.reimbursed_later, money, ASK.subsidy)),
      h("p", { class: "yb-hint" }, `按${chineseDate(result.paid_on)}缴费计算。`)));
  addCards(section, result.members, (m) => memberCard(m, labels.get(m.id) ?? m.id, siteRoot, words));
  return section;
}

async function addCards(section, members, card) {
  for (const m of members) {
    await nextTask();
    section.append(card(m));
  }
  section.removeAttribute("aria-busy");
}

function memberCard(m, label, siteRoot, words) {
  const title = h("h3", {}, label, m.category ? h("span", { class: "yb-category" }, m.category) : null);
  if (!m.accepted) {
    return h("article", { class: "yb-card yb-refused" }, title,
      h("p", {}, "不能按本通知参保：", m.reason ?? ""), why(m.trace, siteRoot));
  }
  const show = shower();
  return h("article", { class: "yb-card" }, title,
    row(words.pays, h("strong", {}, show(m.pays, money, ASK.pays))),
    m.repair ? repairRows(m, show) : null,
    row(words.subsidy, show(m.subsidy, money, ASK.subsidy)),
    row(words.reimbursed_later, show(m.reimbursed_later, money, ASK.subsidy)),
    (m.add_ons ?? []).map((a) => row(`另加 ${a.name}`, show(a.price, money, ASK.pays))),
    row("待遇开始", show(m.coverage_start, day, ASK.cover)),
    row("待遇截止", show(m.coverage_end, day, ASK.cover)),
    row("等待期", show(m.waiting_days, (d) => (d === 0 ? "没有等待期" : `${d} 天（这段时间看病不报销）`), ASK.cover)),
    waitSays(m),
    why(m.trace, siteRoot));
}

// The wait in words, unless all it would say is the reason just given for an unknown wait.
function waitSays(m) {
  const says = m.applied?.waiting?.says;
  const unknownReason = m.waiting_days?.unknown;
  if (!says || (unknownReason && says.endsWith(unknownReason))) return null;
  return h("p", { class: "yb-says" }, says);
}

// What to ask, and whom, for a figure the notice does not give.
const ASK = {
  pays: "交多少请向村（居）委会或当地医保经办机构问清楚再缴费。",
  subsidy: "请向村（居）委会问：政府是否已经为您代缴或补助、补助多少。",
  cover: "请向当地医保经办机构问：这样缴费从哪天起能报销。",
};

// Paying missed years back (缴费修复) is its own amount beside this year's contribution.
function repairRows(m, show) {
  return [
    row("其中今年的缴费", show(m.contribution, money, ASK.pays)),
    row(`其中补缴断保${m.repair.years}年`, show(m.repair.amount, money, ASK.pays)),
    h("p", { class: "yb-hint" }, "补缴每年 ", show(m.repair.per_year, money, ASK.pays), "；等待期因此缩短多少，见下面的等待期说明。"),
  ];
}

// The steps are built when first opened: the cards of a household then show without delay.
function why(trace = [], siteRoot) {
  if (!trace.length) return null;
  const el = h("details", { class: "yb-why" }, h("summary", {}, "为什么是这个结果？"));
  el.addEventListener("toggle", () => el.querySelector("ol") ?? el.append(steps(trace, siteRoot)));
  return el;
}

function steps(trace, siteRoot) {
  return h("ol", {}, trace.map((step) => h("li", {},
    h("p", {}, step.says),
    (step.sources ?? []).map((src) => source(src, siteRoot)),
    step.interpretation ? h("p", { class: "yb-hint" }, `本站的理解：${step.interpretation}`) : null)));
}

function source(src, siteRoot) {
  return h("p", { class: "yb-source" },
    src.quote ? h("q", {}, src.quote) : null,
    Number.isInteger(src.line) ? h("a", { href: noticeLink(siteRoot, src.notice, src.line) }, `通知原文第${src.line}行`) : null);
}

// Each county has the notice's full text with one anchor per line (#L<line>).
export function noticeLink(siteRoot, notice, line) {
  return `${siteRoot}counties/${encodeURIComponent(notice)}/notice.html#L${line}`;
}

function row(label, value) {
  return h("p", { class: "yb-row" }, h("span", {}, label), h("span", {}, value));
}

// A figure the notice does not give arrives as {unknown: reason}: said with its reason and what to
// ask whom; within one card a reason already given is not repeated.
function shower() {
  const told = new Set();
  return (value, format, ask) => {
    if (!(value && typeof value === "object" && "unknown" in value)) {
      return value === undefined || value === null ? "—" : format(value);
    }
    const first = !told.has(value.unknown);
    told.add(value.unknown);
    return h("span", { class: "yb-unknown" }, "本通知未写明",
      h("span", { class: "yb-reason" }, first ? `（${value.unknown}）` : "（原因同上）"),
      h("span", { class: "yb-reason" }, ask));
  };
}

// Integer yuan, or a decimal string such as "12.50". A figure or a date is never broken across lines:
// in a row, the label beside it wraps instead (calculator.css .yb-row).
function money(value) {
  return h("span", { class: "yb-figure" }, `${value} 元`);
}

function day(iso) {
  return h("span", { class: "yb-figure" }, chineseDate(iso));
}
