"""What more than one output says of a notice, worded once: the county page, the poster, the share card,
the share text and the calendar take these sentences from the county view (`county_facts.facts(…)["says"]`)
and never word them again, so every output says the same thing the same way.

The site is built once and read, printed and shared later: the build date is not the day a resident
reads it. A sentence that stops being true when a day passes (「请在2022年12月31日前缴费」) is said only while
the build date is before that day; once it is past, only what stays true is said (「集中参保缴费期已于2022年
12月31日结束」, 「往年通知，仅供查阅」). A page that is read, not printed, also says from the phone's date where
the period stands (docs/assets/site/period.js).
"""
import datetime
import os
import time

from markupsafe import Markup

from build_scripts import provenance
from build_scripts.zh_format import full_date, is_unstated, month_day, payment_period, wait_words, window_dates, yuan
from calculator.core import windows as payment_windows
from calculator.core.values import parse_date

OVER_WORDS = "往年通知，仅供查阅"
# Whom to ask where the site has no newer notice: the same words as the phone's (period.js WHOM_SHORT).
WHOM_TO_ASK = "请问村（居）委会或医保部门（热线12393）"
ENROLLMENT_MONTH = 9  # from September, residents enrol for next year (period.js enrollmentYear)
# Where the payment period stands on the build date.
FIRST, LATER, OVER = "first", "later", "over"


def build_time():
    """SOURCE_DATE_EPOCH (reproducible builds), else now; whole seconds, UTC."""
    seconds = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)


def build_date():
    return build_time().date()


def place_name(policy):
    """南安市, 泗县山头镇 for a township's notice, 潍坊市 for a city's, 河南省 for a province-wide one."""
    jurisdiction = policy["jurisdiction"]
    return (jurisdiction["county"] or jurisdiction["city"] or jurisdiction["province"]) + (jurisdiction.get("township") or "")


def newest_after(policy, related):
    """The newest of `related` (the notices a resident of the same place may pay by, newest first:
    pages.related_notices) for a later coverage year than `policy`'s; None if the site has none."""
    return next((other for other in related if other["coverage_year"] > policy["coverage_year"]), None)


def sentences(policy, facts, built_on, newer):
    """The sentences of the county view: {standing, period, windows: {window id: line}, deadline, over: [lines],
    newer_id (the notice the first of `over` names, for a link), prices: [items], fiscal, late}.
    `built_on` is the build date, `newer` the place's newer notice (or None)."""
    standing = standing_on(policy, built_on)
    return {
        "standing": standing,
        "period": period_line(policy),
        "windows": {window["id"]: window_line(window) for window in policy["windows"]},
        "deadline": deadline(policy, standing),
        "over": over_lines(policy, built_on, newer) if standing == OVER else [],
        "newer_id": newer["id"] if newer and standing == OVER else None,
        "prices": price_items(facts["price_windows"][0]["rows"]),
        "fiscal": fiscal_words(facts["fiscal"]),
        "late": late_line(policy, facts),
    }


# ---- where the period stands on the build date ----------------------------------------------------------

def standing_on(policy, day):
    """FIRST up to the first window's last day (paying by its end is still the thing to do), LATER once it
    is over while later windows take payments, OVER after the notice's last payment day (where the notice
    gives none, the coverage year's last day, as the phone counts it)."""
    if day > parse_date(policy["form"]["payment_period"]["last"]):
        return OVER
    first = policy["windows"][0]
    if payment_windows.end_is_known(first) and day > parse_date(first["to"]):
        return LATER
    return FIRST


def deadline(policy, standing):
    """The line under the first window's dates: 请在2022年12月31日前缴费 only while that day is ahead."""
    first = policy["windows"][0]
    if standing == OVER:
        return OVER_WORDS
    if standing == LATER:
        return "%s已于%s结束" % (first["label"], full_date(first["to"]))
    if not payment_windows.end_is_known(first):
        return "通知未写明截止日期，请尽早缴费"
    monthly = first.get("monthly")
    return "请在%s前缴费%s" % (full_date(first["to"]), "（每月%d日至%d日）" % (monthly["first_day"], monthly["last_day"]) if monthly else "")


def over_lines(policy, built_on, newer):
    """What a notice whose period is over points to: the place's newer notice on the site (first), and where
    the site has none for the year residents enrol for now, whom to ask (本站's words: the site says what it holds)."""
    lines = ["本站已收录更新的通知：%s" % newer["name"]] if newer else []
    wanted = enrollment_year(built_on)
    if (newer or policy)["coverage_year"] < wanted:
        lines.append("本站还没有收录%s的%d年度通知，%s" % (place_name(policy), wanted, WHOM_TO_ASK))
    return lines


def enrollment_year(day):
    return day.year + 1 if day.month >= ENROLLMENT_MONTH else day.year


# ---- dates, prices, paying late --------------------------------------------------------------------------

def period_line(policy):
    """2026年度 · 缴费期 2025年10月10日—2026年2月25日: the notice's year and period, as dates."""
    return "%d年度 · 缴费期 %s" % (policy["coverage_year"], payment_period(policy))


def window_line(window):
    """集中参保缴费期：2022年9月1日—12月31日."""
    return "%s：%s" % (window["label"], window_dates(window))


def price_items(rows):
    """城乡居民 <strong class="money">360元</strong>（10月1日起可以缴）: what each price category pays in the
    first window, from which day where later than its first (福山's adults from 10月1日). HTML: plain
    outputs take the text (`plain`)."""
    return [Markup("%s %s%s") % (row["category"], Markup('<strong class="money">%s</strong>') % yuan(row["pays"]),
                                 "（%s起可以缴）" % month_day(row["paid_on"]) if row.get("late_start") else "")
            for row in rows]


def fiscal_words(fiscal):
    """每人不低于610元: the government's part of each person's contribution; None where the notice leaves it out."""
    if is_unstated(fiscal):
        return None
    return "每人%s%s" % ("不低于" if fiscal.get("at_least") else "", yuan(fiscal["amount"]))


def late_line(policy, facts):
    """The first later window where an ordinary resident pays more, waits, or cannot pay: 3月1日起补缴：等待期60天
    （本站的理解）; None where nothing changes."""
    usual = facts["timeline"][0]["result"]
    for example in facts["timeline"][1:]:
        if example["window"].get("closed"):  # a gap between windows: paying resumes after it
            continue
        result, since = example["result"], month_day(first_payment_day(policy, example["window"]))
        basis = provenance.of(policy).whose_words(example["window"]["sources"] + example["sources"])
        if not result["accepted"]:
            return "%s起普通居民不能再缴%s" % (since, basis)
        changes = []
        if result["pays"] != usual.get("pays"):
            changes.append("缴费标准通知未写明" if is_unstated(result["pays"]) else "每人缴%s" % yuan(result["pays"]))
        if result.get("waiting_days"):
            changes.append(wait_words(result))
        if changes:
            return "%s起补缴：%s%s" % (since, "，".join(changes), basis)
    return None


def first_payment_day(policy, window):
    """兴县: from the window's first payment day (the 1st), not its first date (the 26th)."""
    return next((first for first, _, is_open in payment_windows.spans(policy, window) if is_open), parse_date(window["from"]))


def plain(sentence):
    """A sentence of the view as text (the card, the share text, the calendar)."""
    return Markup(sentence).striptags()
