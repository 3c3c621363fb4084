"""Every amount, percentage, count and date of a policy must be written in the sentence it cites.

A typo (`amount: 380` citing 「个人缴费标准为360元/人」) is then caught by the validator, not by a resident.
A value the notice does not print as such (a window that ends the day before the next one starts, a
school year read from 「9月1日至次年8月31日」) is accepted when the part says how it was derived, in its
`derived` or `interpretation` text, and that text writes the value out.

Quotes are read as a reader would: digits or Chinese numerals (三, 十二, 一百二十, 二〇二二), full-width
digits, dates as 2022年9月1日, 2022.9.1 or 9月1日 with the year of the sentence (or 次年) or, where the
sentence has none, any year near the coverage year.
"""
import datetime
import re
import unicodedata

NOT_VALUES = frozenset({"source", "derived", "interpretation", "label", "name", "id", "note", "title", "unknown",
                        "value", "tier", "disability_grade_in"})
SKIPPED_PARTS = frozenset({"tables"})
DATE_VALUE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = re.compile("[%s%s万]+" % ("".join(CHINESE_DIGITS), "".join(CHINESE_UNITS)))
GROUPED_DIGITS = re.compile(r"(?<=\d),(?=\d{3})")
FULL_DATE = re.compile(r"(\d{4})\s*(?:年|\.|-|/)\s*(\d{1,2})\s*(?:月|\.|-|/)\s*(\d{1,2})")
YEAR = re.compile(r"(\d{4})\s*年|(次年|翌年|明年|下一?年)|(上一?年|去年)")
MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
NUMBER = re.compile(r"\d+")


def chinese_number(run):
    """一百二十 → 120, 十二 → 12, 二〇二二 → 2022 (read digit by digit when there is no unit)."""
    if not any(char in CHINESE_UNITS or char == "万" for char in run):
        return int("".join(str(CHINESE_DIGITS[char]) for char in run))
    total = section = number = 0
    for char in run:
        if char in CHINESE_DIGITS:
            number = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            section += (number or 1) * CHINESE_UNITS[char]
            number = 0
        else:  # 万
            total += ((section + number) or 1) * 10000
            section = number = 0
    return total + section + number


def normalized(text):
    """Full-width characters folded, Chinese numerals and grouped digits written as plain digits."""
    text = unicodedata.normalize("NFKC", text)
    text = CHINESE_NUMERAL.sub(lambda match: str(chinese_number(match.group())), text)
    return GROUPED_DIGITS.sub("", text)


class Written:
    """The numbers and dates a piece of text writes, read once."""

    def __init__(self, text, coverage_year):
        text = normalized(text)
        self.numbers = {int(digits) for digits in NUMBER.findall(text)}
        self.dates, self.yearless = set(), set()
        self._read_dates(text)
        self.near_years = range(coverage_year - 2, coverage_year + 2) if coverage_year else range(0)

    def _read_dates(self, text):
        for match in FULL_DATE.finditer(text):
            self._add(*map(int, match.groups()))
        year = None
        events = sorted([(m.start(), "year", m) for m in YEAR.finditer(text)] +
                        [(m.start(), "day", m) for m in MONTH_DAY.finditer(text)], key=lambda event: event[0])
        for _start, kind, match in events:
            if kind == "year":
                explicit, next_year, last_year = match.groups()
                if explicit:
                    year = int(explicit)
                elif year is not None:
                    year += 1 if next_year else -1
                continue
            month, day = map(int, match.groups())
            if year is None:
                self.yearless.add((month, day))
            else:
                self._add(year, month, day)

    def _add(self, year, month, day):
        try:
            self.dates.add(datetime.date(year, month, day))
        except ValueError:
            pass

    def has(self, value):
        if isinstance(value, int):
            return value in self.numbers
        day = datetime.date.fromisoformat(value)
        return day in self.dates or ((day.month, day.day) in self.yearless and day.year in self.near_years)


def checked_values(node, path=()):
    """(path, value) of every integer and date of a part, not descending into parts with their own source."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NOT_VALUES or key in SKIPPED_PARTS or (isinstance(value, dict) and "source" in value):
                continue
            yield from checked_values(value, path + (key,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if not (isinstance(item, dict) and "source" in item):
                yield from checked_values(item, path + (index,))
    elif isinstance(node, int) and not isinstance(node, bool):
        yield list(path), node
    elif isinstance(node, str) and DATE_VALUE.match(node) and _is_date(node):
        yield list(path), node


def _is_date(text):
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def sourced_parts(node, path=()):
    """(path, part) of every mapping that cites a source, tables left out (they have their own checks)."""
    if isinstance(node, dict):
        if "source" in node and path:
            yield list(path), node
        for key, value in node.items():
            if key not in SKIPPED_PARTS:
                yield from sourced_parts(value, path + (key,))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from sourced_parts(item, path + (index,))


def quoted_value_problems(document, coverage_year=None):
    """(path, message) for each value that neither its quote nor its part's explanation writes."""
    year = coverage_year if coverage_year is not None else document.get("coverage_year")
    problems = []
    for part_path, part in sourced_parts(document):
        quoted = Written(" ".join(quotes_of(part)), year)
        explained = Written(" ".join(part.get(key, "") for key in ("derived", "interpretation")), year)
        values = list(checked_values(part))
        unwritten = [(value_path, value) for value_path, value in values
                     if not quoted.has(value) and not follows_neighbour(document, part_path + value_path, year)]
        problems += [(part_path + value_path, UNWRITTEN % (value,)) for value_path, value in unwritten if not explained.has(value)]
    return problems


UNWRITTEN = "原文引用中没有写 %s；若这个值是推算出来的，请在这一项加 derived: 写明怎样得出（并写出这个值）"


def quotes_of(part):
    quotes = part["source"] if isinstance(part["source"], list) else [part["source"]]
    return [quote["quote"] if isinstance(quote, dict) else quote for quote in quotes]


def follows_neighbour(document, path, year):
    """Windows run back to back: a window's first day may be the day after the previous window's quoted
    last day, and its last day the day before the next window's quoted first day."""
    if len(path) != 3 or path[0] != "windows" or path[2] not in ("from", "to"):
        return False
    windows, index = document["windows"], path[1]
    neighbour_index, neighbour_key, step = (index - 1, "to", 1) if path[2] == "from" else (index + 1, "from", -1)
    if not 0 <= neighbour_index < len(windows):
        return False
    neighbour = windows[neighbour_index]
    try:
        day, neighbour_day = (datetime.date.fromisoformat(windows[index][path[2]]),
                              datetime.date.fromisoformat(neighbour[neighbour_key]))
    except (TypeError, ValueError):
        return False
    return (day - neighbour_day).days == step and Written(" ".join(quotes_of(neighbour)), year).has(neighbour[neighbour_key])
