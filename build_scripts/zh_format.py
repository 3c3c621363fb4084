"""How dates and money read on a page for residents: 2023年3月1日, 360元, 通知未写明."""

from build_scripts import provenance
from calculator.core.values import chinese_date, money_words, parse_date
from calculator.core.waiting import wait_length
from calculator.core.windows import monthly_words

NO_END_WORDS = "通知未写明截止日期"


def is_unstated(value):
    """A figure of a result (JSON) that the notice leaves out: {"unknown": reason}."""
    return isinstance(value, dict) and "unknown" in value


def full_date(value):
    return chinese_date(parse_date(value))


def month_day(value):
    day = parse_date(value)
    return "%d月%d日" % (day.month, day.day)


def yuan(value):
    """Money as the core returns it (int, decimal string or {unknown}) → 360元, or 通知未写明."""
    return money_words(value, "通知未写明")


def date_range(first, last):
    """2022年9月1日—12月31日, or with both years when they differ."""
    first_day, last_day = parse_date(first), parse_date(last)
    if first_day.year == last_day.year:
        return "%s—%s" % (full_date(first_day), month_day(last_day))
    return "%s—%s" % (full_date(first_day), full_date(last_day))


def window_dates(window):
    """When a payment window takes payments, as the notice says it: 2022年9月1日—12月31日;
    2025年10月17日至2026年2月25日，每月1日至25日可以缴费 (a monthly pattern); 2026年3月1日起（通知未写明截止日期）.
    A window without a stated end never gets the day up to which the core takes payments: it is no deadline."""
    first, end = window["from"], window["to"]
    monthly = window.get("monthly")
    if is_unstated(end):
        text = "%s起" % full_date(first)
    elif monthly:
        text = "%s至%s" % (full_date(first), month_day(end) if parse_date(first).year == parse_date(end).year else full_date(end))
    else:
        text = date_range(first, end)
    if monthly:
        text += "，每月" + monthly_words(monthly)
    if is_unstated(end):
        text += "（%s）" % NO_END_WORDS
    if window.get("closed"):
        text += "（这段时间不能缴费）"
    return text


def payment_period(policy):
    """The whole payment period of a notice: 2022年9月1日—2023年12月31日, or 2025年9月29日起（通知未写明截止日期）;
    （本站的理解） after it where its first or last day is the site's reading of the notice (福山: 「按方案有效期理解」)."""
    period = policy["form"]["payment_period"]
    if period["last_known"]:
        text = date_range(period["first"], period["last"])
    else:
        text = "%s起（%s）" % (full_date(period["first"]), NO_END_WORDS)
    if any(provenance.has_reading(window) for window in (policy["windows"][0], policy["windows"][-1])):
        text += "（%s）" % provenance.READING_WORDS
    return text


def wait_words(result):
    """How long an accepted member waits for cover: 等待期3个月, 等待期60天, 不设等待期, or what the notice leaves out."""
    if is_unstated(result["coverage_start"]):
        return "从哪天起可以报销，通知未写明"
    if not result["waiting_days"]:
        return "不设等待期"
    return "等待期" + (wait_length(result) or "多长通知未写明")


def period(spec):
    """A newborn or waiting period: {days: 90} → 90天; {months: 6} → 6个月."""
    if "days" in spec:
        return "%d天" % spec["days"]
    return "%d个月" % spec["months"]


FILTERS = {
    "full_date": full_date,
    "month_day": month_day,
    "yuan": yuan,
    "date_range": date_range,
    "period": period,
    "window_dates": window_dates,
    "payment_period": payment_period,
}
