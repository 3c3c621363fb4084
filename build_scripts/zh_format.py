"""How dates and money read on a page for residents: 2023年3月1日, 360元, 通知未写明."""

from calculator.core.values import chinese_date
from calculator.core.values import parse_date as as_date


def is_unstated(value):
    """A figure of a result (JSON) that the notice leaves out: {"unknown": reason}."""
    return isinstance(value, dict) and "unknown" in value


def full_date(value):
    return chinese_date(as_date(value))


def month_day(value):
    day = as_date(value)
    return "%d月%d日" % (day.month, day.day)


def yuan(value):
    """Money as the core returns it (int, decimal string or {unknown}) → 360元."""
    if is_unstated(value):
        return "通知未写明"
    return "%s元" % value


def date_range(first, last):
    """2022年9月1日—12月31日, or with both years when they differ."""
    first_day, last_day = as_date(first), as_date(last)
    if first_day.year == last_day.year:
        return "%s—%s" % (full_date(first_day), month_day(last_day))
    return "%s—%s" % (full_date(first_day), full_date(last_day))


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
}
