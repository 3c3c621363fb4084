// Where a notice's payment windows stand on the day the resident reads the page: computed from the
// phone's own date, never at build time (a page built in 2023 and read in 2026 must say "已结束").
// Windows are the compiled policy's `windows`: [{id, label, from, to}], ISO dates, in date order.

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

// {state: "open" | "closed" | "upcoming", window, text, short}
//   open:     today falls in one of the windows (window = that one)
//   closed:   after the last window
//   upcoming: before the first window
export function periodStatus(windows, today = todayIso()) {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (today > last.to) {
    return { state: "closed", window: last, short: "缴费期已结束",
             text: `缴费期已结束（截至${chineseDate(last.to)}）` };
  }
  if (today < first.from) {
    return { state: "upcoming", window: first, short: "尚未开始",
             text: `缴费期尚未开始（${chineseDate(first.from)}开始）` };
  }
  const open = windows.find((w) => today >= w.from && today <= w.to);
  if (!open) { // between two windows
    const next = windows.find((w) => w.from > today);
    return { state: "upcoming", window: next, short: "尚未开始",
             text: `现在不在缴费期内，${next.label}${chineseDate(next.from)}开始` };
  }
  const left = daysBetween(today, open.to) + 1; // today included
  return { state: "open", window: open, short: "正在缴费",
           text: `正在缴费期内：${open.label}还剩${left}天（截至${chineseDate(open.to)}）` };
}
