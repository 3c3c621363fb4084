"""Small HTML pieces a county page repeats a hundred times, as Jinja filters.

Written in Python rather than as Jinja macros: a macro call costs ten times as much, and county pages
are rendered by the thousand.  Every piece escapes its text; links are relative to counties/<id>/.
"""
from markupsafe import Markup, escape

from build_scripts.zh_format import full_date, is_unstated, yuan


def cite(sources):
    """Links to the notice lines a figure rests on: 原文第29行 → notice.html#L29 (each line once)."""
    seen, links = set(), []
    for source in sources:
        if (source.get("page"), source["line"]) in seen:
            continue
        seen.add((source.get("page"), source["line"]))
        lines = str(source["line"])
        if source["end_line"] != source["line"]:
            lines += "—%d" % source["end_line"]
        links.append('<a class="cite" href="%s#L%d">%s第%s行</a>' % (
            source.get("page", "notice.html"), source["line"], "国家文件" if "page" in source else "原文", lines))
    return Markup("".join(links))


def quotes(items):
    """Sentences quoted from the notice, as a list, each with its line."""
    rows = "".join("<li>%s %s</li>\n" % (escape(item["quote"]), cite([item])) for item in items)
    return Markup('<ul class="quotes">\n%s</ul>' % rows)


def refusal(result):
    return Markup('<span class="refused">不能缴费</span>：%s') % result["reason"]


def cover(result):
    """From which day a result's member is covered (may claim medical costs)."""
    if not result["accepted"]:
        return refusal(result)
    start = result["coverage_start"]
    if isinstance(start, dict):
        return escape("通知未写明从哪天起可以报销（%s）" % start["unknown"])
    text = "%s起可以报销" % full_date(start)
    if result["waiting_days"]:
        text = "等待期%d天，%s" % (result["waiting_days"], text)
    if start > result["coverage_end"]:
        text += "（等待期结束时本保障年度已过，这一年报销不了）"
    return escape(text)


def wait(result):
    """How long a member waits for cover after paying: 等待期3个月, 等待期60天, 不设等待期."""
    if not result["accepted"]:
        return refusal(result)
    if is_unstated(result["coverage_start"]):
        return escape("从哪天起可以报销，通知未写明")
    months = (result["applied"]["waiting"] or {}).get("months")
    if months:
        return escape("等待期%d个月" % months)
    if result["waiting_days"]:
        return escape("等待期%d天" % result["waiting_days"])
    return escape("不设等待期")


def payment(result):
    """What a member pays, with the government's share and any later refund."""
    if not result["accepted"]:
        return refusal(result)
    if is_unstated(result["pays"]):
        parts = [escape("要缴多少，通知未写明")]
    else:
        parts = [Markup("本人缴 %s") % money(result["pays"])]
    if result["subsidy"]:
        parts.append(Markup("政府补 %s") % money(result["subsidy"]))
    if result["reimbursed_later"]:
        parts.append(Markup("缴费后再发还 %s") % money(result["reimbursed_later"]))
    return Markup("，").join(parts)


def outcome(result):
    """Payment and cover in one sentence part: 本人缴 360元；等待期60天，2023年5月9日起可以报销."""
    if not result["accepted"]:
        return refusal(result)
    return Markup("%s；%s") % (payment(result), cover(result))


def money(value):
    return Markup('<strong class="money">%s</strong>') % yuan(value)


INTERPRETATION_WORDS = "本站的理解："


def interpretation(text):
    """The site's reading of a sentence, said once even where the policy file starts with the same words."""
    if not text:
        return Markup("")
    return Markup('<p class="interpretation">%s%s</p>') % (INTERPRETATION_WORDS, text.removeprefix(INTERPRETATION_WORDS))


def document_line(document):
    """《标题》（文号，发文机关 日期）, saying so where the notice leaves one out."""
    title = "《%s》" % document["title"] if document.get("title") else "通知（原文无标题）"
    number = document.get("number") or "无文号"
    date = full_date(document["date"]) if document.get("date") else "日期未写明"
    return "%s（%s，%s %s）" % (title, number, document["issuer"], date)


FILTERS = {
    "document_line": document_line,
    "cite": cite,
    "quotes": quotes,
    "cover": cover,
    "wait": wait,
    "payment": payment,
    "outcome": outcome,
    "money": money,
    "interpretation": interpretation,
}
