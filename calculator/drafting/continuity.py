"""The 2025+ waiting periods a notice states (国办发〔2024〕38号): the fixed wait (固定待遇等待期3个月, for
paying outside the concentrated period and/or after a missed year) and the variable one (每多断保1年…增加1个月);
and the waits of pre-2025 rules (缴费之日起60日（含）内为等待期)."""
import re

from .found import Quote

FIXED = re.compile(r"固定待遇等待期(?P<a>[0-9]+)个月|(?P<b>[0-9]+)个月的?固定待遇等待期|设(?:置)?待遇等待期(?P<c>[0-9]+)个月")
VARIABLE = re.compile(r"每多断保(?:1|一)年[^。；;]*?增加(?:变动待遇等待期)?(?P<months>[0-9]+)个月")
LATE = re.compile("未在.{0,6}集中|非集中|集中.{0,6}期后|集中.{0,6}期外")
MISSED = re.compile("未连续参保|断保|中断")
WAIT = re.compile(r"(?P<count>[0-9]+)(?P<unit>日|天|个月)(?:\(含\))?(?:内)?(?:为|的)?(?:待遇享受|待遇)?等待期"
                  r"|等待期(?:为)?(?P<count2>[0-9]+)(?P<unit2>日|天|个月)")


def fixed_wait(sentences):
    """(months, applies_to, quotes) merged over the sentences stating the same fixed wait, else None."""
    months, applies_to, quotes = None, [], []
    for sentence in sentences:
        match = FIXED.search(sentence.text)
        if not match:
            continue
        count = int(match.group("a") or match.group("b") or match.group("c"))
        if months is not None and count != months:
            return None
        months = count
        before = sentence.text[:match.end()]
        cases = [case for case, pattern in (("late", LATE), ("missed", MISSED)) if pattern.search(before)]
        applies_to += [case for case in cases if case not in applies_to]
        quotes.append(Quote(sentence, match.start(), match.end()))
    return (months, [case for case in ("late", "missed") if case in applies_to], quotes) if months else None


def variable_wait(sentences):
    for sentence in sentences:
        match = VARIABLE.search(sentence.text)
        if match:
            return int(match.group("months")), Quote(sentence, match.start(), match.end())
    return None


def rule_wait(sentence):
    """{"days": N} or {"months": N} where the sentence states a wait, and its quote; else None."""
    match = WAIT.search(sentence.text)
    if not match:
        return None
    count, unit = (match.group("count"), match.group("unit")) if match.group("count") else (match.group("count2"), match.group("unit2"))
    return {"months" if unit == "个月" else "days": int(count)}, Quote(sentence, match.start(), match.end())
