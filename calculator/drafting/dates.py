"""Dates in a sentence, with the year each one belongs to.

Forms: 2025年10月15日, 10月15日 (the year of the nearest date before it in the sentence, or of the context),
次年2月底, 2025.10.15 / 2025-10-15 / 2025/10/15. A date whose year cannot be told is not read.
"""
import calendar
import datetime
import re

from .numerals import NUMBER, number

DATE = re.compile(
    r"(?:(?P<year>\d{4}|[〇零一二三四五六七八九]{4})年|(?P<relative>次年|翌年|当年|同年))?"
    r"(?P<month>%s)月(?:(?P<day>%s)[日号]|(?P<end>底|末))" % (NUMBER, NUMBER))
DOTTED = re.compile(r"(?<![0-9.])(?P<year>\d{4})(?P<sep>[./-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![0-9])")


class DateMention:
    def __init__(self, day, start, end):
        self.day, self.start, self.end = day, start, end

    def __repr__(self):
        return "DateMention(%s, %d-%d)" % (self.day, self.start, self.end)


def dates_in(text, context_year=None):
    """Every date written in `text`, in order. A date without its own year takes the year of the date
    before it in the same text (次年: the year after), else `context_year`; without either it is left out."""
    mentions, year = [], context_year
    matches = sorted(list(DATE.finditer(text)) + list(DOTTED.finditer(text)), key=lambda match: match.start())
    for match in matches:
        fields = match.groupdict()
        if fields.get("year"):
            year = number(fields["year"])
        elif fields.get("relative") in ("次年", "翌年"):
            year = year + 1 if year else None
        day = _day(year, number(fields["month"]), fields.get("day"), fields.get("end"))
        if day:
            mentions.append(DateMention(day, match.start(), match.end()))
    return _without_overlaps(mentions)


def _day(year, month, day, month_end):
    if year is None or month is None:
        return None
    if month_end:
        day = str(calendar.monthrange(year, month)[1]) if 1 <= month <= 12 else None
    try:
        return datetime.date(year, month, number(day))
    except (TypeError, ValueError):
        return None


def _without_overlaps(mentions):
    kept = []
    for mention in mentions:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def explicit_years(text):
    return [int(match.group("year")) for match in DATE.finditer(text) if match.group("year") and match.group("year").isdigit()]
