"""Payment windows: ranges (集中缴费期：2025年10月10日至2026年2月25日), starts where price or wait changes
(2023年7月1日起补缴的, 2023年3月1日（含）后办理的), ends (3月10日（含）前), cut into back-to-back windows.

A boundary is read only from a clause about paying; paragraphs about students, newborns or migrant workers
(their own periods), and clauses about the cover period, registration or staff work are left out.
"""
import datetime
import re

from .dates import dates_in
from .found import Quote, Todo, clause_bounds, sentences_matching, unique_quotes

ONE_DAY = datetime.timedelta(days=1)
PAYING = re.compile("缴费|征缴|补缴|缴纳|办理的")
NOT_PAYING = re.compile("待遇享受|享受.{0,8}待遇|保障期|保障年度|结算年度|登记期|报送|宣传|督|评估|渠道|完成.*工作")
OWN_PERIOD_TOPIC = re.compile("学生|入学|新生|婴儿|务工|退役|职工")
RANGE_JOIN = re.compile(r"^(?:至|到|-|—|－|–|~|〜)+$")
CHANGE = re.compile("补缴|逾期|等待期|标准|之和|缴费的|办理的")
LABEL_BEFORE = re.compile(r"([\u4e00-\u9fff]{0,6}[缴征补费][\u4e00-\u9fff]{0,4}期)(?:\([^)]*\))?[:：]?(?:为)?$")
LABEL_AFTER = re.compile(r"^(?:期间)?为([\u4e00-\u9fff]{0,6}[缴征补费][\u4e00-\u9fff]{0,4}期)")
OUTSIDE_CONCENTRATED = re.compile("未在集中|集中缴费期后|集中征缴期后|集中参保期后|非集中")


class Boundary:
    """A window starts on `day` (kind "start") or ends on it ("end"), as `quote` says; `label` names the window.
    `open` marks a start that says 「X起」「X后」 with no end: what it says holds for every later day too."""

    def __init__(self, kind, day, quote, label=None, is_open=False):
        self.kind, self.day, self.quote, self.label, self.open = kind, day, quote, label, is_open
        self.signed = None


def boundaries(sentences, year_of, signed=None):
    """Every boundary the paying clauses state. `signed` is (date, quote) of the notice's 落款: 「自即日起」
    starts then."""
    found = []
    for paragraph in _paying_paragraphs(sentences):
        for sentence in paragraph:
            found += _sentence_boundaries(sentence, year_of(sentence))
            if signed and "即日起" in sentence.text and PAYING.search(sentence.text):
                found.append(_from_today(sentence, signed))
    return sorted(found, key=lambda boundary: boundary.label is None)


def _from_today(sentence, signed):
    at = sentence.text.index("即日起")
    boundary = Boundary("start", signed[0], Quote(sentence, at, at + 3))
    boundary.signed = signed[1]
    return boundary


def _paying_paragraphs(sentences):
    paragraphs, current = [], []
    for sentence in sentences:
        if current and sentence.paragraph != current[0].paragraph:
            paragraphs.append(current)
            current = []
        current.append(sentence)
    paragraphs += [current] if current else []
    return [paragraph for paragraph in paragraphs if not OWN_PERIOD_TOPIC.search(_first_clause(paragraph[0].text))]


def _first_clause(text):
    return re.split("[，,：:。；;]", without_asides(text), maxsplit=1)[0]


def without_asides(text):
    """The text without its bracketed asides (「（新生儿除外）」「（设待遇等待期3个月）」)."""
    return re.sub(r"\([^()]*\)", "", text)


def _sentence_boundaries(sentence, context_year):
    text, found = sentence.text, []
    mentions = dates_in(text, context_year)
    used = set()
    for first, second in zip(mentions, mentions[1:]):
        if RANGE_JOIN.match(text[first.end:second.start]) and _paying_clause(text, first.start, second.end):
            quote = Quote(sentence, first.start, second.end)
            label = _label(text, first.start, second.end)
            found += [Boundary("start", first.day, quote, label), Boundary("end", second.day, quote)]
            used |= {id(first), id(second)}
    for mention in mentions:
        if id(mention) not in used and _paying_clause(text, mention.start, mention.end):
            found += _single(sentence, mention)
    return [boundary for boundary in found if boundary.day]


def _single(sentence, mention):
    text, after = sentence.text, sentence.text[mention.end:mention.end + 5]
    quote = Quote(sentence, mention.start, mention.end)
    label = _label(text, mention.start, mention.end)
    clause_start, clause_end = clause_bounds(text, mention.start, mention.end)
    if re.match(r"\(含\)前", after) or re.search("(?:截至|截止)(?:到|时间为)?$", text[clause_start:mention.start]):
        return [Boundary("end", mention.day, quote)]
    if not CHANGE.search(text[clause_start:clause_end]) and not label:
        return []
    if re.match(r"(?:\(含\))?(?:起|以后)|\(含\)后", after):
        return [Boundary("start", mention.day, quote, label, is_open=True)]
    if after.startswith("后"):
        return [Boundary("start_after", mention.day, quote, label, is_open=True)]
    if label and not re.search("[\u4e00-\u9fff]", text[mention.end:clause_end]):
        return [Boundary("start", mention.day, quote, label)]
    return []


def _paying_clause(text, start, end):
    clause_start, clause_end = clause_bounds(text, start, end)
    clause = text[clause_start:clause_end]
    return bool(PAYING.search(clause) or LABEL_BEFORE.search(text[clause_start:start])) and not NOT_PAYING.search(without_asides(clause))


def _label(text, start, end):
    clause_start, clause_end = clause_bounds(text, start, end)
    before = re.sub(r"^[(（]?[一二三四五六七八九十0-9]+[)）.、．]?", "", text[clause_start:start])
    match = LABEL_BEFORE.search(before) or LABEL_AFTER.match(text[end:clause_end])
    return match.group(1) if match and len(match.group(1)) > 1 else None


def cut_windows(found, sentences):
    """Back-to-back windows from the boundaries: every start and every day after an end begins a window."""
    ends = {boundary.day for boundary in found if boundary.kind == "end"}
    starts = {}
    for boundary in found:
        if boundary.kind == "start_after":
            day = boundary.day if boundary.day - ONE_DAY in ends else boundary.day + ONE_DAY
            starts.setdefault(day, boundary)
        elif boundary.kind == "start":
            starts.setdefault(boundary.day, boundary)
    if not starts:
        return []
    last_end = max(ends) if ends else None
    for end in ends:
        if (end < last_end or end < max(starts)) and end + ONE_DAY not in starts:
            starts[end + ONE_DAY] = None
    days = sorted(starts)
    windows = []
    for index, day in enumerate(days):
        following = days[index + 1] if index + 1 < len(days) else None
        to = following - ONE_DAY if following else (last_end if last_end and last_end >= day else None)
        windows.append(_window(day, to, starts[day], found))
    return _mark_gaps(windows, found) + _after_concentrated(windows, sentences)


def _window(day, to, start_boundary, found):
    quotes = [start_boundary.quote] if start_boundary else []
    quotes += [start_boundary.signed] if start_boundary and start_boundary.signed else []
    quotes += [boundary.quote for boundary in found if boundary.kind == "end" and boundary.day == to]
    window = {"from": day, "to": to, "quotes": unique_quotes(quotes), "label": start_boundary.label if start_boundary else None,
              "stated_start": start_boundary is not None, "open_start": bool(start_boundary and start_boundary.open)}
    if start_boundary and start_boundary.signed:
        window["derived"] = "开始日是通知落款日期（%d年%d月%d日，“自即日起”）。" % (day.year, day.month, day.day)
    return window


def _mark_gaps(windows, found):
    """A window that only begins the day after an end, between that end and a later start, and that no range
    covers, is a gap where the notice lets no one pay (红塔: 2月26日 to 28日)."""
    ranges = [(start.day, end.day) for start in found if start.kind == "start"
              for end in found if end.kind == "end" and end.quote is start.quote]
    for index, window in enumerate(windows[1:-1], 1):
        covered = any(first <= window["from"] and window["to"] <= last for first, last in ranges)
        if not covered and not window["stated_start"]:
            window["closed"] = True
            window["quotes"] = unique_quotes(windows[index - 1]["quotes"] + windows[index + 1]["quotes"])
    return windows


def _after_concentrated(windows, sentences):
    """The notice says what happens to those who pay after the last stated window, but gives no dates: a window
    from the next day is there, its end left for the person."""
    if not windows or windows[-1]["to"] is None:
        return []
    saying = sentences_matching(sentences, OUTSIDE_CONCENTRATED.pattern, limit=3)
    if not saying:
        return []
    day = windows[-1]["to"] + ONE_DAY
    windows[0]["label"] = windows[0]["label"] or "集中缴费期"  # the notice calls it so in saying what follows it
    return [{"from": day, "to": None, "quotes": [], "label": "集中缴费期后", "stated_start": False, "open_start": False,
             "derived": "%s之后从%d年%d月%d日起。" % (windows[-1]["label"] or "上一个缴费期", day.year, day.month, day.day),
             "todo": Todo("集中缴费期后到哪天可以缴费", saying)}]
