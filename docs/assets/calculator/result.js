// Shows a quote result (ARCHITECTURE.md, "The result"): the household totals, then per member what
// is paid now, what the government covers, what comes back later, when cover runs, and why — each
// rule with the sentence of the notice it rests on, linked to that line on the county page.
import { chineseDate, h } from "./dom.js";

export function renderResult(result, labels, siteRoot) {
  const household = result.household;
  return h("section", { class: "yb-result", "aria-label": "计算结果" },
    h("div", { class: "yb-total" },
      h("p", {}, "全家要交", h("strong", { class: "yb-big" }, show(household.pays, money))),
      row("政府补助（个人缴费部分）", show(household.subsidy, money)),
      row("之后可报销（退回）", show(household.reimbursed_later, money)),
      h("p", { class: "yb-hint" }, `按${chineseDate(result.paid_on)}缴费计算。`)),
    result.members.map((m) => memberCard(m, labels.get(m.id) ?? m.id, siteRoot)));
}

function memberCard(m, label, siteRoot) {
  const title = h("h3", {}, label, m.category ? h("span", { class: "yb-category" }, m.category) : null);
  if (!m.accepted) {
    return h("article", { class: "yb-card yb-refused" }, title,
      h("p", {}, "不能按本通知参保：", m.reason ?? ""), why(m.trace, siteRoot));
  }
  return h("article", { class: "yb-card" }, title,
    row("要交", h("strong", {}, show(m.pays, money))),
    m.repair ? repairRows(m) : null,
    row("政府补助", show(m.subsidy, money)),
    row("之后可报销", show(m.reimbursed_later, money)),
    (m.add_ons ?? []).map((a) => row(`另加 ${a.name}`, show(a.price, money))),
    row("待遇开始", show(m.coverage_start, chineseDate)),
    row("待遇截止", show(m.coverage_end, chineseDate)),
    row("等待期", show(m.waiting_days, (d) => (d === 0 ? "没有等待期" : `${d} 天（这段时间看病不报销）`))),
    m.applied?.waiting?.says ? h("p", { class: "yb-says" }, m.applied.waiting.says) : null,
    why(m.trace, siteRoot));
}

// Paying missed years back (缴费修复) is its own amount beside this year's contribution.
function repairRows(m) {
  return [
    row("其中今年的缴费", show(m.contribution, money)),
    row(`其中补缴断保${m.repair.years}年`, show(m.repair.amount, money)),
    h("p", { class: "yb-hint" }, "补缴每年 ", show(m.repair.per_year, money), "；等待期因此缩短多少，见下面的等待期说明。"),
  ];
}

function why(trace = [], siteRoot) {
  if (!trace.length) return null;
  return h("details", { class: "yb-why" },
    h("summary", {}, "为什么是这个结果？"),
    h("ol", {}, trace.map((step) => h("li", {},
      h("p", {}, step.says),
      (step.sources ?? []).map((src) => source(src, siteRoot)),
      step.interpretation ? h("p", { class: "yb-hint" }, `本站的理解：${step.interpretation}`) : null))));
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

// A figure the notice does not give arrives as {unknown: reason}.
function show(value, format) {
  if (value && typeof value === "object" && "unknown" in value) {
    return h("span", { class: "yb-unknown" }, "本通知未写明", h("span", { class: "yb-reason" }, `（${value.unknown}）`),
      h("span", { class: "yb-reason" }, "这一项请向村（居）委会或当地医保经办机构咨询。"));
  }
  return value === undefined || value === null ? "—" : format(value);
}

// Integer yuan, or a decimal string such as "12.50".
function money(value) {
  return `${value} 元`;
}
