"""Payment windows as a notice states them: when a resident can pay, and when not.

A compiled window is {id, label, from, to, closed?, monthly?, sources…}:
- `to` is an ISO date, or {"unknown": reason} where the notice gives no end (红塔: 「非集中缴费期…:2026年3月1日」
  and the text stops). Such a window takes payments up to the last day of the coverage year (本站的理解:
  money paid later buys no cover in this year) — a limit the site never shows as the notice's deadline.
- `monthly` {first_day, last_day} limits payments to those days of each month (兴县: 「每月的缴费期为1日—25日」);
  the other days of the window are closed.
- `closed: true`: no payment at all in that span (a real gap between two windows).
"""
import datetime

from .values import chinese_date, parse_date


def end_is_known(window):
    return not isinstance(window["to"], dict)


def last_day(policy, window):
    """The window's last payment day: its `to`, or the coverage year's last day where the notice gives none."""
    return parse_date(window["to"]) if end_is_known(window) else parse_date(policy["coverage"]["end"])


def window_on(policy, day):
    """The window `day` falls in, or None before the first and after the last."""
    for window in policy["windows"]:
        if parse_date(window["from"]) <= day <= last_day(policy, window):
            return window
    return None


def closed_reason(window, day):
    """Why nobody can pay on `day` of `window` (a closed span, a day outside the monthly days); None if open."""
    if window.get("closed"):
        return "%s：这段时间不能缴费" % window["label"]
    monthly = window.get("monthly")
    if monthly and not monthly["first_day"] <= day.day <= monthly["last_day"]:
        return "%s：每月%s，%s不在其中，这一天不能缴费" % (window["label"], monthly_words(monthly), chinese_date(day))
    return None


def outside_reason(policy, day):
    """Why `day`, outside every window, takes no payment: not yet open, or over."""
    first = parse_date(policy["windows"][0]["from"])
    if day < first:
        return "本通知（%d年度）的缴费从%s开始，%s还不能缴费" % (policy["coverage_year"], chinese_date(first), chinese_date(day))
    last = policy["windows"][-1]
    if end_is_known(last):
        return "本通知（%d年度）的缴费期到%s已结束" % (policy["coverage_year"], chinese_date(parse_date(last["to"])))
    return "%d年度已经结束（%s），这一年的缴费享受不到待遇；本通知未写明最后缴费日期" % (
        policy["coverage_year"], chinese_date(parse_date(policy["coverage"]["end"])))


def monthly_words(monthly):
    return "%d日至%d日可以缴费" % (monthly["first_day"], monthly["last_day"])


def spans(policy, window):
    """[(first, last, open)] of one window: a monthly window cut into runs of open and closed days."""
    first, end = parse_date(window["from"]), last_day(policy, window)
    if not window.get("monthly"):
        return [(first, end, not window.get("closed"))]
    result, day = [], first
    while day <= end:
        is_open = closed_reason(window, day) is None
        if result and result[-1][2] == is_open:
            result[-1] = (result[-1][0], day, is_open)
        else:
            result.append((day, day, is_open))
        day += datetime.timedelta(days=1)
    return result


def payment_days(policy):
    """[(first, last)] of every span in which a payment is taken, in date order."""
    return [(first, last) for window in policy["windows"] for first, last, is_open in spans(policy, window) if is_open]
