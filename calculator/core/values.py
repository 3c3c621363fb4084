"""Exact money, calendar arithmetic and the `Unknown` value the notices force on us.

Money is `Decimal` yuan, rounded to the fen only where a share is taken; dates are `datetime.date`.
"""
import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Unknown:
    """A figure the notice does not give. Arithmetic with it stays unknown, keeping the first reason."""

    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason

    def __eq__(self, other):
        return isinstance(other, Unknown) and other.reason == self.reason

    def __repr__(self):
        return "Unknown(%r)" % self.reason


def is_unknown(value):
    return isinstance(value, Unknown)


def add(*amounts):
    for amount in amounts:
        if is_unknown(amount):
            return amount
    return sum(amounts, Decimal(0))


def subtract(a, b):
    if is_unknown(a):
        return a
    if is_unknown(b):
        return b
    return a - b


def percent_of(amount, percent):
    """`percent`% of `amount`, rounded half up to the fen (no notice here needs it; whole yuan come out)."""
    return (amount * Decimal(percent) / Decimal(100)).quantize(FEN, rounding=ROUND_HALF_UP)


def money_to_json(amount):
    if is_unknown(amount):
        return {"unknown": amount.reason}
    if amount == amount.to_integral_value():
        return int(amount)
    return str(amount.quantize(FEN))


def from_json(value):
    """A money value of a result back to Decimal or Unknown."""
    if isinstance(value, dict):
        return Unknown(value["unknown"])
    return Decimal(value)


def money_words(amount, unstated="本通知未写明"):
    """Money as a person reads it, 360元 or 12.50元, from a Decimal or its JSON (an int or a decimal string).
    A figure the notice does not give (`Unknown`, or {"unknown": reason}) reads `unstated`, where
    "{reason}" stands for the notice's reason: each reader (result, page, roster) says it its own way."""
    if is_unknown(amount) or isinstance(amount, dict):
        return unstated.format(reason=amount.reason if is_unknown(amount) else amount["unknown"])
    return "%s元" % (money_to_json(amount) if isinstance(amount, Decimal) else amount)


def chinese_date(day):
    return "%d年%d月%d日" % (day.year, day.month, day.day)


def parse_date(text):
    """A date written exactly YYYY-MM-DD. Python 3.11's fromisoformat also takes 20230301 and 2023W093,
    which no one means as a payment or birth date: those raise ValueError like any other bad date."""
    if isinstance(text, datetime.date):
        return text
    if not isinstance(text, str):
        raise TypeError("a date is text, not %s" % type(text).__name__)
    if not ISO_DATE.fullmatch(text):
        raise ValueError("not written YYYY-MM-DD: %r" % text)
    return datetime.date.fromisoformat(text)


def date_to_json(value):
    if is_unknown(value):
        return {"unknown": value.reason}
    return value.isoformat()


def add_days(day, days):
    return day + datetime.timedelta(days=days)


def add_months(day, months):
    """The same day of the month `months` later (「3个月后」), the month's last day where it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month_first = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month_first - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def age_on(birth_date, day):
    """Full years (周岁) reached on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (1 if before_birthday else 0)


def period_end_exclusive(start, period):
    """The first day after a period of {"days": N} or {"months": N} that counts `start` as day 1."""
    if "days" in period:
        return add_days(start, period["days"])
    return add_months(start, period["months"])
