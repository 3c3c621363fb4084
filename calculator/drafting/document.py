"""The notice itself: title, 文号, issuer and date from the 落款; the coverage year and period."""
import collections
import datetime
import re

from .dates import dates_in
from .found import Quote, whole
from .text import Sentence
from .windows import OWN_PERIOD_TOPIC, without_asides

NUMBER = re.compile(r"(?:发文字号|文号)?(?P<number>[\u4e00-\u9fff]+〔\s*\d{4}\s*〕\s*\d+\s*号)")
TITLE_END = re.compile("(通知|通告|须知|方案|公告|意见|决定)$")
TITLE_START = re.compile(r"^(?:#+|\[[^\]]*\]|标题)")
ORGANISATION = re.compile("(局|政府|办公室|委员会|街道|党政办|党委|中心|人民政府|办事处|镇|乡|厅)$")
SIGNED_DATE = re.compile(r"^(?P<issuer>.*?)(?P<date>\d{4}年\d{1,2}月\d{1,2}日)(?:印发|发布)?$")
METADATA = {"date": re.compile(r"发文时间\s*(?P<value>\d{4}-\d{2}-\d{2})"), "issuer": re.compile(r"发文机关\s*(?P<value>[\u4e00-\u9fff]+)")}
COVER = re.compile("待遇享受期|享受期限|保障期|保障年度|结算年度|待遇享受起止时间")
COVER_START = re.compile(r"自(?P<year>\d{4})年1月1日起(?:按规定)?享受")
HEAD_LINES = 20


def line_sentence(number, line):
    return Sentence(line, [number] * len(line), paragraph=-1)


def document_number(notice):
    for number, line in notice.lines[:HEAD_LINES]:
        match = NUMBER.search(line)
        if match and line[:match.start()].rstrip()[-1:] not in ("(", "（", "《"):
            quote = Quote(line_sentence(number, line), *_text_span(line, match.start("number"), match.end("number")), whole_clauses=False)
            return "".join(match.group("number").split()), quote
    return None


def _text_span(line, raw_start, raw_end):
    """Offsets into the whitespace-free text of `line` for the raw characters raw_start:raw_end."""
    start = len("".join(line[:raw_start].split()))
    return start, start + len("".join(line[raw_start:raw_end].split()))


def title(notice):
    lines = notice.lines[:HEAD_LINES]
    for index, (number, line) in enumerate(lines):
        text = TITLE_START.sub("", "".join(line.split()))
        if not ("关于" in text or re.search("医疗保险|医保", text)) or text.startswith(("根据", "为", "《")):
            continue
        taken = [(number, line)]
        while not TITLE_END.search(text) and len(taken) < 4 and index + len(taken) < len(lines):
            following = lines[index + len(taken)]
            taken.append(following)
            text += "".join(following[1].split())
        if TITLE_END.search(text) and len(text) <= 80:
            return text, [whole(line_sentence(line_number, TITLE_START.sub("", raw).strip())) for line_number, raw in taken]
    return None


def signature(notice):
    """(issuer, issuer quotes, date, date quote) from the first signed date line (落款) and the organisation lines
    above it, or from a government site's 发文机关/发文时间 fields; None where neither is there."""
    for index, (number, line) in enumerate(notice.lines):
        compact = "".join(line.split())
        match = SIGNED_DATE.match(compact)
        if not match or (match.group("issuer") and not ORGANISATION.search(match.group("issuer"))):
            continue
        day = dates_in(match.group("date"))[0].day
        issuers, quotes = _issuer_above(notice.lines, index) if not match.group("issuer") else ([match.group("issuer")], [])
        return "、".join(issuers) or None, quotes, day, whole(line_sentence(number, line))
    return _metadata_signature(notice)


def _issuer_above(lines, index):
    names, quotes = [], []
    for number, line in reversed(lines[max(0, index - 3):index]):
        parts = line.split()
        if not parts or not all(ORGANISATION.search(part) for part in parts):
            break
        names = parts + names
        quotes.insert(0, whole(line_sentence(number, line)))
    return names, quotes


def _metadata_signature(notice):
    found = {}
    for number, line in notice.lines[:HEAD_LINES]:
        for key, pattern in METADATA.items():
            match = pattern.search(line)
            if match and key not in found:
                span = _text_span(line, match.start(), match.end())
                found[key] = (match.group("value"), Quote(line_sentence(number, line), *span, whole_clauses=False))
    if "date" not in found:
        return None
    issuer, issuer_quote = found.get("issuer", (None, None))
    return issuer, [issuer_quote] if issuer_quote else [], datetime.date.fromisoformat(found["date"][0]), found["date"][1]


def coverage(notice, year_hint):
    """(start, end, quote) of the sentence stating the cover period of residents at large (student and
    newborn paragraphs say their own), or (start, None, quote) from 「自2025年1月1日起享受待遇」; else None."""
    starts_only = None
    for sentence in notice.sentences:
        if OWN_PERIOD_TOPIC.search(_first_clause_of_paragraph(notice, sentence)):
            continue
        context = year_hint - 1 if year_hint and "次年" in sentence.text else None
        if COVER.search(sentence.text):
            mentions = dates_in(sentence.text, context)
            for first, second in zip(mentions, mentions[1:]):
                if (first.day.month, first.day.day, second.day.month, second.day.day) == (1, 1, 12, 31) and first.day.year == second.day.year:
                    return first.day, second.day, Quote(sentence, first.start, second.end)
        match = COVER_START.search(sentence.text)
        if match and not starts_only:
            starts_only = datetime.date(int(match.group("year")), 1, 1), None, Quote(sentence, match.start(), match.end())
    return starts_only


def _first_clause_of_paragraph(notice, sentence):
    first = next(other for other in notice.sentences if other.paragraph == sentence.paragraph)
    return re.split("[，,：:。；;]", without_asides(first.text), maxsplit=1)[0]


def coverage_year(notice, title_text):
    """The year most written as 「N年度」 in the title, else in the whole notice; None when none is."""
    for text in (title_text or "", notice.compact):
        years = collections.Counter(re.findall(r"(\d{4})\s*年度", text))
        if years:
            return int(years.most_common(1)[0][0])
    return None
