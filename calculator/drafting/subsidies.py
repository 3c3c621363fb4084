"""Help for special groups: who (names and aliases from policies/groups.yaml, passed in as data) and how much
(全额补助, 资助400元、个人实际缴费0元, 个人缴费部分的70%由政府补助)."""
import re

from .found import Quote

FIXED = re.compile(r"(?:资助|补助)(?:标准为)?(?P<amount>[0-9]+)元[^，,。；;]*[，,]个人(?:实际)?缴(?:费|纳)(?P<personal>[0-9]+)元")
FULL = re.compile(r"全额(?:补助|资助)|全额减免|全部减免")
GOVERNMENT_SHARE = re.compile(r"(?P<percent>[0-9]+)%由(?:政府|财政|本级财政)")
PERSONAL_SHARE = re.compile(r"(?P<percent>[0-9]+)%由(?:参保人|个人|本人)缴纳")


class Subsidy:
    def __init__(self, groups, kind, quote, **figures):
        self.groups, self.kind, self.quote, self.figures = groups, kind, quote, figures


def group_terms(vocabulary):
    """[(term, group id)], longest first: each group's name, its aliases, and the name without a closing
    对象/人员/成员/人口 (「低保对象」 is also written 「城乡低保对象」, 「特困人员」 「城乡特困人员」)."""
    terms = []
    for group_id, group in vocabulary.items():
        names = [group["name"]] + list(group.get("aliases") or [])
        for name in names:
            terms.append((name, group_id))
            short = re.sub("(对象|人员|成员|人口)$", "", name)
            if short != name and len(short) >= 2:
                terms.append((short, group_id))
    return sorted(terms, key=lambda term: -len(term[0]))


def groups_in(text, terms):
    """Group ids named in `text`, in order; a longer name wins over a shorter one inside it."""
    taken, found = [False] * len(text), []
    for term, group_id in terms:
        for match in re.finditer(re.escape(term), text):
            if not any(taken[match.start():match.end()]):
                taken[match.start():match.end()] = [True] * len(term)
                found.append((match.start(), group_id))
    ordered = []
    for _start, group_id in sorted(found):
        if group_id not in ordered:
            ordered.append(group_id)
    return ordered


def subsidies(sentences, vocabulary):
    terms = group_terms(vocabulary)
    found = []
    for sentence in sentences:
        text = sentence.text
        for kind, match, figures in _help_in(text):
            groups = groups_in(text[:match.start()], terms)
            if groups:
                found.append(Subsidy(groups, kind, Quote(sentence, 0, match.end()), **figures))
    return found


def _help_in(text):
    for match in FIXED.finditer(text):
        yield "fixed_amount", match, {"amount": int(match.group("amount")), "personal_amount": int(match.group("personal"))}
    for pattern, key in ((GOVERNMENT_SHARE, "government_percent"), (PERSONAL_SHARE, "personal_percent")):
        for match in pattern.finditer(text):
            yield "share", match, {key: int(match.group("percent"))}
    match = FULL.search(text)
    if match and not FIXED.search(text):
        yield "full", match, {}
