// Where a notice's payment windows stand on the day the resident reads the page: computed from the
// phone's own date, never at build time (a page built in 2023 and read in 2026 must say "已结束").
// Windows are as build_scripts/county_facts.browser_windows writes them, in date order:
//   {id, label, from, to, last, closed?, monthly?: {first_day, last_day}}
// `to` is the notice's last day, or {unknown: reason} where the notice gives none; `last` is the day up
// to which the fee core takes payments (the coverage year's last day when the notice gives no end: the
// period is over after it, but it is never shown as a deadline). A day is a payment day when it falls
// in a window that is not closed and, for a monthly window, is one of its days of the month: what
// calculator/core/windows.py says.

// Today as "YYYY-MM-DD" in the phone's time zone.
export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// "2023-04-30" -> "2023年4月30日"
export function chineseDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

// Whole days from one ISO date to another (both counted as calendar days, UTC so no DST drift).
export function daysBetween(fromIso, toIso) {
  const day = (iso) => Date.UTC(...iso.split("-").map((n, i) => Number(n) - (i === 1 ? 1 : 0)));
  return Math.round((day(toIso) - day(fromIso)) / 86400000);
}

// Does the notice give the window's last day?
export function endIsKnown(window) {
  return typeof window.to === "string";
}

// The window's last day as the core counts it: its `to`, else `last`.
export function lastDay(window) {
  return endIsKnown(window) ? window.to : window.last;
}

// A compiled policy's windows (the calculator reads the whole policy) in the form above.
export function paymentWindows(policy) {
  return policy.windows.map((w) => ({ ...w, last: endIsKnown(w) ? w.to : policy.coverage.end }));
}

// Is `day` (ISO) a day on which some window takes a payment?
export function isPaymentDay(windows, day) {
  return windows.some((w) => w.from <= day && day <= lastDay(w) && openOn(w, day));
}

function openOn(window, day) {
  if (window.closed) return false;
  if (!window.monthly) return true;
  const date = Number(day.slice(8));
  return window.monthly.first_day <= date && date <= window.monthly.last_day;
}

// The ISO date of day `date` of the month of `iso`, `later` months on.
function dayOfMonth(iso, date, later = 0) {
  const [y, m] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1 + later, date)).toISOString().slice(0, 10);
}

// The first payment day of `window` on or after `day`, or null.
function firstOpenFrom(window, day) {
  if (window.closed) return null;
  let candidate = day < window.from ? window.from : day;
  if (window.monthly) {
    const date = Number(candidate.slice(8));
    if (date < window.monthly.first_day) candidate = dayOfMonth(candidate, window.monthly.first_day);
    else if (date > window.monthly.last_day) candidate = dayOfMonth(candidate, window.monthly.first_day, 1);
  }
  return candidate <= lastDay(window) ? candidate : null;
}

// The first payment day of `window` (its first day, or its first open day of the month), or null.
export function firstPaymentDay(window) {
  return firstOpenFrom(window, window.from);
}

// {window, day}: the first payment day on or after `day`, or null when none is left.
function nextOpening(windows, day) {
  for (const window of windows) {
    if (lastDay(window) < day) continue;
    const open = firstOpenFrom(window, day);
    if (open) return { window, day: open };
  }
  return null;
}

// The last day of the run of payment days that includes `day` (a monthly window: this month's last
// payment day, or the window's end if sooner).
function runEnd(window, day) {
  if (!window.monthly) return lastDay(window);
  const end = dayOfMonth(day, window.monthly.last_day);
  return end < lastDay(window) ? end : lastDay(window);
}

function monthlyWords(window) {
  return window.monthly ? `，每月${window.monthly.first_day}日至${window.monthly.last_day}日可以缴费` : "";
}

const NO_END = "通知未写明截止日期";

// {state: "open" | "closed" | "upcoming", window, text, short}
//   open:     today is a payment day (window = the one it falls in)
//   closed:   no payment day is left
//   upcoming: a payment day is still to come (before the first window, between two, on a closed day)
// A window without a stated end is never counted down: the core's last day for it is no deadline.
export function periodStatus(windows, today = todayIso()) {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (today > lastDay(last)) {
    return { state: "closed", window: last, short: "缴费期已结束",
             text: endIsKnown(last) ? `缴费期已结束（截至${chineseDate(last.to)}）`
               : `缴费期已结束（${NO_END}；保障年度${chineseDate(lastDay(last))}已结束）` };
  }
  const current = windows.find((w) => w.from <= today && today <= lastDay(w));
  if (current && openOn(current, today)) {
    const end = runEnd(current, today);
    const thisMonth = end !== lastDay(current);
    if (!endIsKnown(current)) {
      return { state: "open", window: current, short: "正在缴费",
               text: `正在缴费期内（${NO_END}）：${current.label}${monthlyWords(current)}` +
                 (thisMonth ? `，本月缴费到${chineseDate(end)}` : "") };
    }
    const left = daysBetween(today, end) + 1; // today included
    return { state: "open", window: current, short: "正在缴费",
             text: current.monthly
               ? `正在缴费期内：${current.label}${monthlyWords(current)}，${thisMonth ? "本月" : ""}还剩${left}天（截至${chineseDate(end)}）`
               : `正在缴费期内：${current.label}还剩${left}天（截至${chineseDate(end)}）` };
  }
  const next = nextOpening(windows, today);
  if (!next) {
    return { state: "closed", window: last, short: "缴费期已结束", text: "缴费期已结束，不能再缴费" };
  }
  if (today < first.from) {
    return { state: "upcoming", window: next.window, short: "尚未开始",
             text: `缴费期尚未开始（${chineseDate(next.day)}开始）` };
  }
  if (!current) { // between two windows
    return { state: "upcoming", window: next.window, short: "尚未开始",
             text: `现在不在缴费期内，${next.window.label}${chineseDate(next.day)}开始` };
  }
  const why = current.closed ? current.label : `${current.label}${monthlyWords(current)}，今天不在其中`;
  return { state: "upcoming", window: next.window, short: "暂不能缴费",
           text: `现在不能缴费（${why}）；${chineseDate(next.day)}起可以缴费` +
             (next.window === current ? "" : `（${next.window.label}）`) };
}

// How a listing names a notice's period today: a closed notice is 往年 wherever it is listed.
export function listLabel(status) {
  return status.state === "closed" ? `往年，${status.short}` : status.short;
}

// The coverage year residents enrol for on `today`: notices open their concentrated period for the
// next year in the autumn (September on), so from then on it is next year's.
export function enrollmentYear(today = todayIso()) {
  const [year, month] = today.split("-").map(Number);
  return month >= 9 ? year + 1 : year;
}

export const WHOM_TO_ASK = "请问村（居）委会、乡镇（街道）便民服务中心或当地医保部门（医保服务热线12393）";
const WHOM_SHORT = "请问村（居）委会或医保部门（热线12393）";

// What a resident reading this notice on `today` should do, when this notice is not the one to pay by:
// [{text, link?: {href, text}}], empty when there is nothing to add to where its period stands.
//   now:   {place, year, others: [{name, year, url, windows}]}: the same place's other notices and
//          its province's province-wide ones, newest first (build_scripts/pages.now_data)
//   windows: this notice's windows
// Never a passed deadline as the thing to do: a closed notice says so and points to the newest
// notice the site has, else says the site has none yet and whom to ask.
export function whatToDoNow(now, windows, today = todayIso()) {
  const own = periodStatus(windows, today);
  const others = now.others.map((other) => ({ ...other, status: periodStatus(other.windows, today) }));
  const wanted = enrollmentYear(today);
  const collected = now.year >= wanted || others.some((other) => other.year >= wanted);
  const lines = [];
  if (own.state !== "open") {
    const open = others.find((other) => other.status.state === "open");
    const newer = others.find((other) => other.year > now.year && other !== open);
    if (own.state === "closed") {
      lines.push({ text: "这是往年的通知，下面的钱数和日期只供了解。" });
    }
    if (open) {
      lines.push({ text: `现在可以缴费的是${open.name}的通知（${open.status.text}）：`,
                   link: { href: open.url, text: `看${open.name}的明白纸` } });
    }
    if (newer) {
      lines.push({ text: `本站收录了更新的通知（${listLabel(newer.status)}）：`,
                   link: { href: newer.url, text: `看${newer.name}的明白纸` } });
    }
  }
  if (!collected && (own.state === "closed" || wanted > now.year)) {
    lines.push({ text: `本站还没有收录${now.place}的${wanted}年度通知，${WHOM_SHORT}。` });
  }
  return lines;
}
