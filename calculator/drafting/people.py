"""Newborns (出生90日内, 出生之日起6个月内, 1周岁以内), and the sentences of the exceptions (students, newborns,
transfers from employee insurance) whose rules are left for the person."""
import re

from .found import Quote, sentences_matching

NEWBORN = re.compile("新生儿|新生婴儿|婴儿")
NEWBORN_WINDOW = re.compile(r"出生(?:之日起|后|并在)?(?P<count>[0-9]+)(?P<unit>日|天|个月)(?:\(含\))?内")
NEWBORN_AGE = re.compile(r"(?P<years>[0-9]+)周岁以内的新生")


def newborn(sentences):
    """({"window": {...}, "who": {...} or None}, [quotes]) of the first newborn sentence giving a window, else None."""
    for sentence in sentences:
        if not NEWBORN.search(sentence.text):
            continue
        match = NEWBORN_WINDOW.search(sentence.text)
        if match:
            unit = "months" if match.group("unit") == "个月" else "days"
            age = NEWBORN_AGE.search(sentence.text)
            who = {"younger_than_years": int(age.group("years"))} if age else None
            return {"window": {unit: int(match.group("count"))}, "who": who}, Quote(sentence, match.start(), match.end())
    return None


def exception_sentences(sentences):
    return sentences_matching(sentences, "学生|入学|新生儿|婴儿|职工医保|职工基本医|退役", limit=6)
