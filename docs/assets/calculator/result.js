// Shows a quote result (ARCHITECTURE.md, "The result"): the household totals, then per member what
// is paid now, what the government covers, what comes back later, when cover runs, and why — each
// rule with the sentence it rests on, linked to that line: of the notice (counties/<id>/notice.html), or
// of a national or provincial document it builds on (the page the source names, beside the notice).
import { h, nextTask } from "../site/dom.js";
import { chineseDate } from "../site/period.js";

// The household totals at once, then one member's card per task (the section is aria-busy until the
// last is in): each is laid out on its own, so no task runs long on a slow phone. `words` names each
// sum as the roster and the county page do (registry money_words). `documents` (the compiled policy's)
// names the documents a layer's sentence comes from (国办发〔2024〕38号); without it they are 上级文件.
export function renderResult(result, labels, siteRoot, words, documents = []) {
  const household = result.household;
  const show = shower();
  const section = h("section", { class: "yb-result", "aria-label": "计算结果", "aria-busy": "true" },
    h("div", { class: "yb-total" },
      h("p", {}, `全家${words.pays}`, h("strong", { class: "yb-big" }, show(household.pays, money, ASK.pays))),
      row(`${words.subsidy}（政府替你缴的个人缴费）`, show(household.subsidy, money, ASK.subsidy)),
      row(`${words.reimbursed_later}（先缴，之后退回给你）`, show(household.reimbursed_later, money, ASK.subsidy)),
      h("p", { class: "yb-hint" }, `按${chineseDate(result.paid_on)}缴费计算。`)));
  const cite = citer(siteRoot, result.policy, documents);
  addCards(section, result.members, (m) => memberCard(m, labels.get(m.id) ?? m.id, cite, words));
  return section;
}

async function addCards(section, members, card) {
  for (const m of members) {
    await nextTask();
    section.append(card(m));
  }
  section.removeAttribute("aria-busy");
}

function memberCard(m, label, cite, words) {
  const title = h("h3", {}, label, m.category ? h("span", { class: "yb-category" }, m.category) : null);
  if (!m.accepted) {
    return h("article", { class: "yb-card yb-refused" }, title,
      h("p", {}, "不能按本通知参保：", m.reason ?? ""), why(m.trace, cite));
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
    why(m.trace, cite));
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
function why(trace = [], cite) {
  if (!trace.length) return null;
  const el = h("details", { class: "yb-why" }, h("summary", {}, "为什么是这个结果？"));
  el.addEventListener("toggle", () => el.querySelector("ol") ?? el.append(steps(trace, cite)));
  return el;
}

function steps(trace, cite) {
  return h("ol", {}, trace.map((step) => h("li", {},
    h("p", {}, step.says),
    (step.sources ?? []).map(cite),
    [step.derived, step.interpretation].filter(Boolean).map((reading) =>
      h("p", { class: "yb-hint" }, `本站的理解：${reading.replace(/^本站的理解：/, "")}`)))));
}

// One source of a step: the quoted words, and a link to their line. A layer's source names the page of
// its document beside the county's notice (src.page: notice-national-guobanfa-2024-38.html) — the
// layer has no county page of its own.
function citer(siteRoot, policyId, documents) {
  const names = new Map(documents.map((d) => [d.id, d.number || d.title || d.issuer]));
  return (src) => {
    const layer = Boolean(src.page) && src.page !== "notice.html";
    const words = layer ? `${names.get(src.notice) ?? "上级文件"}第${src.line}行` : `通知原文第${src.line}行`;
    return h("p", { class: layer ? "yb-source yb-layer" : "yb-source" },
      src.quote ? h("q", {}, src.quote) : null,
      Number.isInteger(src.line) ? h("a", { href: noticeLink(siteRoot, policyId, src.line, src.page) }, words) : null);
  };
}

// Each county has its notice's full text, and each layer's beside it, with one anchor per line (#L<line>).
export function noticeLink(siteRoot, policyId, line, page = "notice.html") {
  return `${siteRoot}counties/${encodeURIComponent(policyId)}/${encodeURIComponent(page)}#L${line}`;
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
