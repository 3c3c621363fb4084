"""Small HTML pieces a county page repeats a hundred times, as Jinja filters.

Written in Python rather than as Jinja macros: a macro call costs ten times as much, and county pages
are rendered by the thousand.  Every piece escapes its text; links are relative to counties/<id>/.
"""
from jinja2 import pass_context
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from build_scripts import provenance
from build_scripts.zh_format import full_date, is_unstated, wait_words, yuan


def cite(policy, sources, readings=True):
    """The basis of a statement, from the sources it rests on (build_scripts.provenance): links to this
    notice's lines (原文第29行 → notice.html#L29), to a layer's (国办发〔2024〕38号第33行 → that document's
    page beside the county page), and 「本站的理解」 where a part cited carries the site's reading, linking
    to it in the list of the site's readings (#reading-…). The links carry no class: site.css knows a
    citation by its target, a line (…html#L29) or a reading. A run of this notice's own lines may be
    folded under one 「原文」 button (pages.group_citations), a layer's or the site's never. Each line
    once; "" without sources."""
    if not sources:
        return Markup("")
    who = provenance.of(policy)
    seen, links = set(), []
    for source in sources:
        page = source.get("page", "notice.html")
        if (page, source["line"]) in seen:
            continue
        seen.add((page, source["line"]))
        lines = str(source["line"])
        if source["end_line"] != source["line"]:
            lines += "—%d" % source["end_line"]
        document = who.document_of(source)
        if document is None:
            links.append('<a href="notice.html#L%d">原文第%s行</a>' % (source["line"], lines))
        else:
            links.append('<a href="%s#L%d">%s第%s行</a>' % (
                escape(page), source["line"], escape(provenance.document_name(document)), lines))
    reading_keys = who.readings_of(sources) if readings else []
    for number, key in enumerate(reading_keys, start=1):
        words = provenance.READING_WORDS + (str(number) if len(reading_keys) > 1 else "")
        links.append('<a href="#%s">%s</a>' % (provenance.anchor(key), words))
    return Markup("".join(links))


@pass_context
def cite_filter(context, sources):
    return cite(context["policy"], sources)


@pass_context
def basis_filter(context, parts):
    """The basis of a statement about whole parts of the policy (a window, a rule …): their sources."""
    parts = parts if isinstance(parts, (list, tuple)) else [parts]
    return cite(context["policy"], [source for part in parts if part for source in part.get("sources", [])])


@pass_context
def whose_filter(context, sources):
    """For print: （国办发〔2024〕38号）, （本站的理解）, or nothing for this notice's own words."""
    return provenance.of(context["policy"]).whose_words(sources)


@pass_context
def quotes(context, items):
    """Sentences quoted from the notice, as a list, each with its line."""
    rows = "".join("<li>%s %s</li>\n" % (escape(item["quote"]), cite(context["policy"], [item])) for item in items)
    return Markup('<ul>\n%s</ul>' % rows)


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
    return escape(wait_words(result))


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
    return Markup('<b>%s</b>') % yuan(value)


INTERPRETATION_WORDS = "本站的理解："


def interpretation(text):
    """The site's reading of a sentence, said once even where the policy file starts with the same words."""
    if not text:
        return Markup("")
    return Markup('<p class="interpretation">%s%s</p>') % (INTERPRETATION_WORDS, text.removeprefix(INTERPRETATION_WORDS))


@pass_context
def readings_list(context, readings):
    """The list of the site's readings (build_scripts.provenance.Provenance.readings), each with the
    anchor the 「本站的理解」 links of the page lead to, and the lines it reads."""
    policy = context["policy"]
    rows = []
    for reading in readings:
        whose = "（%s）" % reading["whose"] if reading["whose"] else ""
        words = "".join(text.removeprefix(INTERPRETATION_WORDS) for text in (reading["derived"], reading["interpretation"]) if text)
        rows.append(Markup('<li id="%s"><p><strong>%s</strong>%s：%s %s</p></li>\n') % (
            reading["anchor"], reading["name"], whose, words, cite(policy, reading["sources"], readings=False)))
    return Markup('<ol>\n%s</ol>') % Markup("").join(rows)


def attribute_json(value):
    """JSON for a single-quoted attribute that a script reads (data-yb-period, data-yb-now): as short as
    JSON gets, Chinese as it is; <, >, & and ' escaped, as Jinja's tojson does."""
    return htmlsafe_json_dumps(value, ensure_ascii=False, separators=(",", ":"))


def document_line(document):
    """《标题》（文号，发文机关 日期）, saying so where the notice leaves one out."""
    title = "《%s》" % document["title"] if document.get("title") else "通知（原文无标题）"
    number = document.get("number") or "无文号"
    date = full_date(document["date"]) if document.get("date") else "日期未写明"
    return "%s（%s，%s %s）" % (title, number, document["issuer"], date)


FILTERS = {
    "attribute_json": attribute_json,
    "document_line": document_line,
    "cite": cite_filter,
    "basis": basis_filter,
    "whose": whose_filter,
    "quotes": quotes,
    "cover": cover,
    "wait": wait,
    "payment": payment,
    "outcome": outcome,
    "money": money,
    "interpretation": interpretation,
    "readings_list": readings_list,
    "layer_name": provenance.document_name,
}
