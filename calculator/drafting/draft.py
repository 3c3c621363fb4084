"""A policy draft from a notice's text: every value found carries the words that say it; every value not
found is a 待补 with the sentences that may hold it. Nothing is guessed."""
import datetime
import re

from . import continuity, document, money, people, subsidies, windows
from .dates import explicit_years
from .found import Quote, Todo, sentences_matching, unique_quotes, whole
from .text import Notice
from .yaml_text import Writer

ONE_DAY = datetime.timedelta(days=1)
MONTHLY = re.compile(r"每月(?:的缴费期为)?(?P<first>[0-9]+)日?(?:至|—|-|－|到)(?P<last>[0-9]+)日")
NATIONAL_RULES_FROM = 2025
# The lists staff copy sentences into, and what their candidate sentences say.
QUOTED_LISTS = (("registration", "登记"), ("materials", "材料|户口|身份证"), ("payment_channels", "渠道|APP|公众号|微信"), ("notes", ""))


class Draft:
    def __init__(self, yaml, found, todos):
        self.yaml, self.found, self.todos = yaml, found, todos

    def as_json(self):
        return {"yaml": self.yaml, "found": self.found, "todos": self.todos}


def draft(text, policy_id="draft-0000", notice_file=None, builds_on=(), vocabulary=None):
    """The draft of the notice `text`. `vocabulary` is policies/groups.yaml as {id: {name, aliases}}."""
    notice = Notice(text)
    builder = _Builder(notice, vocabulary or {})
    tree = builder.tree(policy_id, notice_file or policy_id + ".txt", list(builds_on))
    writer = Writer(notice)
    yaml = writer.document(tree)
    return Draft(yaml, writer.found, writer.todos)


class _Builder:
    def __init__(self, notice, vocabulary):
        self.notice, self.sentences, self.vocabulary = notice, notice.sentences, vocabulary

    def candidates(self, pattern, limit=4):
        return sentences_matching(self.sentences, pattern, limit)

    def tree(self, policy_id, notice_file, builds_on):
        title = document.title(self.notice)
        year_hint = document.coverage_year(self.notice, title and title[0])
        self.cover = cover = document.coverage(self.notice, year_hint)
        self.year = year = cover[0].year if cover else year_hint
        self.signed = document.signature(self.notice)
        tree = {"#": ["从通知原文起草（python -m calculator draft）：每个「待补」都要对照原文补上，",
                      "找到的值也要逐条核对；改完运行 python -m calculator validate。"],
                "id": policy_id, "name": Todo("页面标题，如「兴县 2026年度」"), "notice": notice_file}
        if builds_on:
            tree["builds_on"] = builds_on
        naming_places = (title[1] if title else []) + (self.signed[1] if self.signed else [])
        tree["jurisdiction"] = Todo("省、市、县（区）", [quote.sentence for quote in naming_places])
        tree["coverage_year"] = year if year else Todo("保障年度", self.candidates("年度"))
        tree["document"] = self._document(title)
        tree["coverage"] = self._coverage(cover)
        tree["eligible"] = Todo("谁可以参保：抄原文句子（列表）", self.candidates("参保范围|参保对象|应.{0,4}参加"))
        tree["not_eligible"] = []
        window_list = self._windows()
        tree["windows"] = window_list or Todo("缴费期（起止日期）", self.candidates("缴费期|征缴期|缴费时间|截至|截止"))
        tree["contribution"] = self._contribution()
        newborn = self._newborn()
        if newborn:
            tree["newborn"] = newborn
        wait = self._continuity(window_list, builds_on)
        if wait:
            tree["continuity"] = wait
        tree["#rules"] = Todo("例外规则（学生、新生儿、职工医保转入……）写在下面这些兜底规则的前面",
                              people.exception_sentences(self.sentences))
        tree["rules"] = self._rules(window_list, wait is not None)
        tree["subsidies"] = self._subsidies()
        add_ons = self._add_ons()
        if add_ons:
            tree["add_ons"] = add_ons
        for key, pattern in QUOTED_LISTS:
            tree[key] = Todo("抄原文句子（列表），没有就写 []", self.candidates(pattern, 3) if pattern else [])
        tree["tables"] = []
        return tree

    # ---- document and coverage ------------------------------------------------------------------

    def _document(self, title):
        part, quotes = {}, []
        if title:
            part["title"] = title[0]
            quotes += title[1]
        else:
            part["title"] = Todo("通知标题；转载文本没有标题就写 {unknown: 原因}")
        number = document.document_number(self.notice)
        if number:
            part["number"], _quote = number
            quotes.append(_quote)
        else:
            part["number"] = Todo("文号；没有文号就写 {unknown: 原因}")
        if self.signed:
            issuer, issuer_quotes, day, date_quote = self.signed
            part["issuer"] = issuer or Todo("发文机关")
            part["date"] = day
            quotes += issuer_quotes + [date_quote]
        else:
            part["issuer"] = Todo("发文机关", self.candidates("局$|政府$|办公室$"))
            part["date"] = Todo("发文日期（落款）；没有就写 {unknown: 原因}")
        part["source"] = unique_quotes(quotes) or Todo("标题、文号、落款所在的原文")
        return part

    def _coverage(self, cover):
        """The cover period as stated; else the calendar year (城乡居民医保 runs by 自然年度), marked for checking."""
        if cover and cover[1]:
            start, end, quote = cover
            return {"start": start, "end": end, "source": quote}
        if cover:
            start, _end, quote = cover
            reason = "通知只写了待遇开始日"
        else:
            naming = self.candidates("%s年度" % self.year, 1) if self.year else []
            if not naming:
                return Todo("保障期起止日期（待遇享受期）", self.candidates("待遇|保障期|保障年度"))
            start, quote, reason = datetime.date(self.year, 1, 1), whole(naming[0]), "通知没有写保障期起止日期"
        return {"#": ["核对：%s，按自然年度写了全年。" % reason], "start": start, "end": datetime.date(start.year, 12, 31),
                "source": quote,
                "derived": "%s；城乡居民医保按自然年度，%d年度即%d年1月1日至%d年12月31日。" % (reason, start.year, start.year, start.year)}

    # ---- windows and rules ----------------------------------------------------------------------

    def _year_of(self, sentence):
        years = []
        for other in self.sentences:
            if other is sentence:
                break
            if other.paragraph == sentence.paragraph:
                years += explicit_years(other.text)
        return years[-1] if years else None

    def _windows(self):
        signed_day = (self.signed[2], self.signed[3]) if self.signed else None
        cut = windows.cut_windows(windows.boundaries(self.sentences, self._year_of, signed_day), self.sentences)
        monthly = self._monthly()
        parts = []
        for index, window in enumerate(cut):
            label = window["label"] or ("缴费期（%d月%d日起）" % (window["from"].month, window["from"].day))
            part = {"id": _window_id(label, index, window.get("closed")), "label": label, "from": window["from"]}
            part["to"] = window["to"] if window["to"] else window.get("todo") or Todo(
                "缴费期到哪天；通知没写就写 {unknown: 原因}", self.candidates("截至|截止|%d月%d日" % (window["from"].month, window["from"].day)))
            if window.get("closed"):
                part["closed"] = True
                part["#"] = ["核对：前后两个缴费期之间的日子，通知没有说能缴费。"]
            if monthly:
                part["monthly"] = monthly
            if window.get("derived"):
                part["derived"] = window["derived"]
            part["source"] = window["quotes"] or _saying_quotes(window) or Todo("这个缴费期的原文")
            part["_quotes"], part["_open_start"] = window["quotes"], window["open_start"]
            parts.append(part)
        return parts

    def _monthly(self):
        for sentence in self.sentences:
            match = MONTHLY.search(sentence.text)
            if match and "缴费" in sentence.text:
                return {"first_day": int(match.group("first")), "last_day": int(match.group("last")),
                        "source": Quote(sentence, match.start(), match.end())}
        return None

    def _rules(self, window_list, has_continuity):
        if not window_list:
            return Todo("参保规则（每个缴费期至少一条）", self.candidates("等待期|享受.{0,6}待遇"))
        rules, carried = [], None
        for window in window_list:
            if window.get("closed"):
                continue
            rule, wait_quote = self._rule(window, window_list[0] is window, has_continuity, carried)
            if window["_open_start"] and wait_quote:
                carried = rule["waiting"], wait_quote
            rules.append(rule)
        for window in window_list:
            del window["_quotes"], window["_open_start"]
        return rules

    def _rule(self, window, first, has_continuity, carried):
        """`carried`: the wait of an earlier 「X起」「X后」 sentence, which holds for this later window too."""
        rule = {"id": window["id"], "label": window["label"], "when": {"window": [window["id"]]}}
        sentences = [quote.sentence for quote in window["_quotes"]]
        said = " ".join(sentence.text for sentence in sentences)
        quotes = list(window["_quotes"])
        if first:
            rule["price"] = "personal"
        elif "之和" in said:
            rule["price"] = "personal_plus_fiscal"
        else:
            rule["price"] = Todo("personal 或 personal_plus_fiscal", sentences)
        waits, wait_quote = [wait for wait in map(continuity.rule_wait, sentences) if wait], None
        if first and self.cover:
            rule["coverage_start"] = "coverage_year_start"
            quotes.append(self.cover[2])
        elif waits and not has_continuity:
            rule["waiting"], wait_quote = waits[0]
            quotes.append(wait_quote)
        elif waits and has_continuity:
            rule["waiting"] = "continuity"
        elif carried and not re.search("不设等待期", said):
            rule["waiting"], carried_quote = carried
            quotes.append(carried_quote)
        elif re.search("不设等待期", said) and re.search("从缴费之日(?:开始|起)享受", said):
            rule["coverage_start"] = "payment_date"
        else:
            rule["coverage_start"] = Todo("待遇从哪天开始（coverage_start 或 waiting）", sentences or self.candidates("等待期|享受.{0,6}待遇"))
        rule["source"] = unique_quotes(quotes) or Todo("这条规则的原文")
        return rule, wait_quote

    # ---- money ----------------------------------------------------------------------------------

    def _contribution(self):
        found = money.prices(self.sentences)
        part = {}
        if not found:
            part["prices"] = Todo("个人缴费标准", self.candidates("元"))
        else:
            part["prices"] = [self._price(price, index, len(found)) for index, price in enumerate(found)]
            tiers = [price for price in found if price.tier]
            if tiers:
                part["tiers"] = [{"value": price.tier, "label": "%s（%d元）" % (price.label, price.amount), "source": price.quote}
                                 for price in tiers]
        fiscal = money.fiscal_subsidy(self.sentences)
        if fiscal:
            amount, at_least, quote = fiscal
            part["fiscal_subsidy"] = {"amount": amount, **({"at_least": True} if at_least else {}), "source": quote}
        else:
            part["fiscal_subsidy"] = Todo("财政补助标准；通知没写就写 {unknown: 原因}", self.candidates("财政"))
        return part

    def _price(self, price, index, count):
        part = {"id": "tier-%d" % price.tier if price.tier else "price-%d" % (index + 1), "label": price.label or "城乡居民"}
        if price.tier:
            part["when"] = {"tier": [price.tier]}
        elif count > 1:
            part["when"] = Todo("这一类别是谁（when）；不写表示其余所有人", [price.quote.sentence])
        part["amount"] = price.amount
        part["source"] = price.quote
        return part

    def _add_ons(self):
        return [{"id": "add-on-%d" % (index + 1), "name": name, "amount": amount, "source": quote}
                for index, (name, amount, quote) in enumerate(money.add_ons(self.sentences))]

    # ---- people ---------------------------------------------------------------------------------

    def _newborn(self):
        found = people.newborn(self.sentences)
        if not found:
            return None
        rule, quote = found
        return {"who": rule["who"] or Todo("谁算新生儿：born_on_or_after 或 younger_than_years", [quote.sentence]),
                "window": rule["window"], "source": quote}

    def _subsidies(self):
        found = subsidies.subsidies(self.sentences, self.vocabulary)
        if not found:
            return Todo("特殊群体的资助；通知没写就写 {unknown: 原因}", self.candidates("资助|补助|减免"))
        parts = []
        for index, subsidy in enumerate(found):
            names = "、".join(self.vocabulary[group]["name"] for group in subsidy.groups)
            part = {"#": ["核对：通知里的群体名称已按 groups.yaml 对上，请核对有没有漏掉或多出的；年龄等条件要手工补上。"],
                    "id": "subsidy-%d" % (index + 1), "label": names, "when": {"groups_any": subsidy.groups}, "kind": subsidy.kind}
            part.update(subsidy.figures)
            part["source"] = subsidy.quote
            parts.append(part)
        return parts

    def _continuity(self, window_list, builds_on):
        """The 2025+ waits the notice states; a notice building on a layer names its concentrated windows even
        where it states no wait of its own (the layer's waits hang on them)."""
        if not self.year or self.year < NATIONAL_RULES_FROM:
            return None
        fixed, variable = continuity.fixed_wait(self.sentences), continuity.variable_wait(self.sentences)
        if not (fixed or variable or builds_on):
            return None
        concentrated = [window["id"] for window in window_list if window["id"] == "concentrated"]
        part = {"concentrated_windows": concentrated or Todo("哪些缴费期是集中缴费期（缴费期的 id 列表）",
                                                             self.candidates("集中缴费期|集中征缴期|集中参保"))}
        if fixed:
            months, applies_to, quotes = fixed
            part["fixed"] = {"months": months, "applies_to": applies_to or Todo("late 和/或 missed", [quote.sentence for quote in quotes]),
                             "source": unique_quotes(quotes)}
        if variable:
            months, quote = variable
            part["variable"] = {"months_per_missed_year": months, "source": quote}
        return part


def _saying_quotes(window):
    """A window known only from what the notice says of paying after the last stated one cites those words."""
    todo = window.get("todo")
    return [whole(sentence) for sentence in todo.candidates[:1]] if todo else []


def _window_id(label, index, closed):
    if "集中" in label and "非集中" not in label and index == 0:
        return "concentrated"
    return ("gap-%d" if closed else "window-%d") % (index + 1)
