"""What a draft holds: values found with the words that say them, and holes left for the person."""
import re

CLAUSE_ENDS = "，,。；;！!？?"


class Quote:
    """The notice's own words for text[start:end] of a sentence, widened to whole clauses."""

    def __init__(self, sentence, start, end, whole_clauses=True):
        if whole_clauses:
            start, end = clause_bounds(sentence.text, start, end)
        self.sentence, self.start, self.end = sentence, start, end
        self.words = sentence.raw_span(start, end).strip()
        self.first_line, self.last_line = sentence.lines_of(start, end)

    def key(self):
        return (self.first_line, self.words)


def clause_bounds(text, start, end):
    """Widen [start, end) to the clauses it touches, without their closing comma."""
    while start > 0 and text[start - 1] not in CLAUSE_ENDS:
        start -= 1
    while end < len(text) and text[end - 1] not in CLAUSE_ENDS:
        end += 1
    while end > start + 1 and text[end - 1] in "，,":
        end -= 1
    return start, end


def whole(sentence):
    return Quote(sentence, 0, len(sentence.text), whole_clauses=False)


class Todo:
    """A value left for the person: why, and the sentences that may hold it."""

    def __init__(self, reason, candidates=()):
        self.reason = reason
        self.candidates = list(candidates)


def sentences_matching(sentences, pattern, limit=4):
    """Candidate sentences for a 待补: those matching `pattern`, in notice order, at most `limit`."""
    compiled = re.compile(pattern)
    return [sentence for sentence in sentences if compiled.search(sentence.text)][:limit]


def unique_quotes(quotes):
    """The quotes in order, each once."""
    seen, kept = set(), []
    for quote in quotes:
        if quote.key() not in seen:
            seen.add(quote.key())
            kept.append(quote)
    return kept
