"""Personal contributions (每人每年400元, 个人缴费标准为360元/人), tiers (一档/二档, 低档/高档), the fiscal
subsidy (财政补助标准不低于700元) and add-on insurance (意外伤害保险缴费标准为30元/人)."""
import re

from .found import Quote
from .windows import without_asides

AMOUNT = r"(?P<amount>[0-9]+)元"
PERSONAL = re.compile(r"(?:个人缴费标准[为:]?|个人缴纳|个人缴费|每人每年|每人)(?:为)?%s|%s/人" % (AMOUNT, AMOUNT.replace("amount", "per_person")))
NOT_PERSONAL = re.compile("资助|减免|救助|补助|筹资|意外|附加|补充.{0,6}保险|经费|奖|罚|提高|增加|不低于")
HELPED_SENTENCE = re.compile("资助|减免|救助|政府补助|由.{0,6}财政.{0,6}补助|全额")
FISCAL = re.compile(r"财政.{0,8}?补助(?:标准)?(?:每人)?(?P<at_least>不低于|达到|为)?(?:每人)?%s" % AMOUNT)
ADD_ON = re.compile(r"(?P<name>[\u4e00-\u9fff]*(?:意外|附加)[\u4e00-\u9fff]*?保险)[\u4e00-\u9fff]{0,6}?%s" % AMOUNT)
LABEL_FILLER = re.compile(r"^[(（]?[一二三四五六七八九十0-9]+[)）.、．]|\d{4}年度?|其中|:|：|个人缴费标准为?|个人缴纳|个人缴费|"
                          r"缴费标准为?|标准为|居民个人|分两档|每人每年|每人|^按|^为|为$|/人.*$|集中缴费期|年个人")
TIER_WORDS = (("一档", 1), ("低档", 1), ("二档", 2), ("高档", 2), ("三档", 3))


class Price:
    def __init__(self, amount, label, quote):
        self.amount, self.label, self.quote = amount, label, quote
        self.tier = next((value for word, value in TIER_WORDS if word in label), None)


def prices(sentences):
    found = []
    for sentence in sentences:
        if HELPED_SENTENCE.search(sentence.text):
            continue
        for match in PERSONAL.finditer(sentence.text):
            amount = int(match.group("amount") or match.group("per_person"))
            quote = Quote(sentence, match.start(), match.end())
            clause = sentence.text[quote.start:quote.end]
            if NOT_PERSONAL.search(without_asides(clause)):
                continue
            label = _label(sentence.text[quote.start:match.start()])
            if not any(price.amount == amount and (not price.label or not label or price.label == label) for price in found):
                found.append(Price(amount, label, quote))
    return found


def _label(before):
    label = without_asides(before)
    previous = None
    while previous != label:
        previous, label = label, LABEL_FILLER.sub("", label)
    return label if re.fullmatch(r"[\u4e00-\u9fff、]{2,12}", label) and not re.search("缴费|标准|医保|保险", label) else ""


def fiscal_subsidy(sentences):
    """(amount, at_least, quote) of the first sentence giving the fiscal subsidy per person, else None."""
    for sentence in sentences:
        match = FISCAL.search(without_asides(sentence.text))
        if match:
            start = sentence.text.find(match.group())
            quote = Quote(sentence, start, start + len(match.group())) if start >= 0 else Quote(sentence, 0, len(sentence.text))
            return int(match.group("amount")), match.group("at_least") == "不低于", quote
    return None


def add_ons(sentences):
    found = []
    for sentence in sentences:
        match = ADD_ON.search(sentence.text)
        if match and "缴费" in sentence.text and not HELPED_SENTENCE.search(sentence.text):
            name = re.sub(r"^[0-9.]+", "", match.group("name"))
            found.append((name, int(match.group("amount")), Quote(sentence, match.start(), match.end())))
    return found
