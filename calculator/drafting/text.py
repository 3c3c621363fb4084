"""A notice read as sentences: characters folded for matching, each sentence keeping the notice's own words.

Extractors read `Sentence.text` (full-width folded, traditional characters simplified, no whitespace); a
quote is cut from `Sentence.raw`, the notice's own characters, so `validate` finds it in the notice. The two
are aligned character by character (`Sentence.raw_span`), which is why folding never changes a length.
"""
import re
import unicodedata

# The archivist's header lines (policyfile.NoticeText skips them too): our words, not the notice's.
HEADER_PREFIXES = ("source:", "说明：")
SENTENCE_ENDS = "。；;！!？?"
LINE_ENDS = SENTENCE_ENDS + "：:"
LIST_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十0-9]+[)）]|[一二三四五六七八九十]+、|[0-9０-９]+\s*[.．、])")
# The traditional characters reprinted notices use (福山's 待遇保障期 paragraph), folded one for one.
TRADITIONAL_CHARS = ("參繳費內區醫療險間學這個們為從與於對時標準檔歲縣鎮資報請辦確當則實屬養親兒員機關務稅貼額給傳動階"
                     "導組織處畢業續連順後發開據將應須號書證戶農鄉無獨殘貧難優撫軍遺齡錢補減條規歸並幣萬價選擇級數線網點"
                     "頁碼載過還進認識讀計劃範圍權紀錄衛閱議單雙歷屆舊體總產種齊徵週聯")
SIMPLIFIED_CHARS = ("参缴费内区医疗险间学这个们为从与于对时标准档岁县镇资报请办确当则实属养亲儿员机关务税贴额给传动阶"
                    "导组织处毕业续连顺后发开据将应须号书证户农乡无独残贫难优抚军遗龄钱补减条规归并币万价选择级数线网点"
                    "页码载过还进认识读计划范围权纪录卫阅议单双历届旧体总产种齐征周联")
TRADITIONAL = dict(zip(TRADITIONAL_CHARS, SIMPLIFIED_CHARS))


def fold(char):
    """One character as extractors read it: full-width digits and punctuation folded, traditional simplified."""
    folded = unicodedata.normalize("NFKC", char)
    char = folded if len(folded) == 1 else char
    return TRADITIONAL.get(char, char)


class Sentence:
    """One sentence: `text` to match, `raw` to quote, and the notice line of every character of `text`."""

    def __init__(self, raw, raw_lines, paragraph):
        self.raw, self.paragraph = raw, paragraph
        kept = [index for index, char in enumerate(raw) if not char.isspace()]
        self.text = "".join(fold(raw[index]) for index in kept)
        self._raw_index = kept
        self._lines = [raw_lines[index] for index in kept]

    @property
    def first_line(self):
        return self._lines[0]

    @property
    def last_line(self):
        return self._lines[-1]

    def raw_span(self, start, end):
        """The notice's own words for text[start:end]."""
        return self.raw[self._raw_index[start]:self._raw_index[end - 1] + 1]

    def lines_of(self, start, end):
        return self._lines[start], self._lines[end - 1]


class Notice:
    """The body of a notice as sentences, and its whitespace-free text to tell whether a quote is unique."""

    def __init__(self, text):
        lines = text.splitlines()
        self.first_body_line = _first_body_line(lines)
        body = [(number, line.strip()) for number, line in enumerate(lines, 1)
                if number >= self.first_body_line and line.strip()]
        self.lines = body
        self.paragraphs = _paragraphs(body)
        self.sentences = [sentence for index, paragraph in enumerate(self.paragraphs) for sentence in _split(paragraph, index)]
        self.compact = "".join("".join(line.split()) for _number, line in body)

    def occurrences(self, quote):
        return self.compact.count("".join(quote.split()))


def _first_body_line(lines):
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.startswith(HEADER_PREFIXES):
            return number
    return len(lines) + 1


def _paragraphs(body):
    """Join a hard-wrapped line to the next: it is long like its neighbours, stops mid-sentence and the next
    line does not start a list item (尤溪's notice wraps every 30 characters, with blank lines between)."""
    lengths = sorted(len("".join(line.split())) for _number, line in body)
    wrap_width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    paragraphs, current = [], []
    for index, (number, line) in enumerate(body):
        current.append((number, line))
        following = body[index + 1][1] if index + 1 < len(body) else ""
        compact = "".join(line.split())
        wrapped = (len(compact) >= 0.85 * wrap_width and compact[-1] not in LINE_ENDS
                   and following and not LIST_MARKER.match(following))
        if not wrapped:
            paragraphs.append(current)
            current = []
    return paragraphs + ([current] if current else [])


def _split(paragraph, index):
    raw = "".join(line for _number, line in paragraph)
    raw_lines = [number for number, line in paragraph for _char in line]
    sentences, start = [], 0
    for end, char in enumerate(raw):
        if fold(char) in SENTENCE_ENDS or end == len(raw) - 1:
            piece = raw[start:end + 1]
            if piece.strip():
                sentences.append(Sentence(piece, raw_lines[start:end + 1], index))
            start = end + 1
    return sentences
