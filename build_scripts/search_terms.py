"""What the search index keeps of a county page: per section, its heading and the words residents
search for that it answers, so that a query opens the section that answers it (补缴 → 补缴和等待期),
and the index a phone downloads to search stays small with thousands of counties.  The search itself
(docs/assets/site/search-worker.js) matches words as substrings: Chinese needs no segmenting.
"""
import dataclasses
import html
import re

from material.plugins.search.plugin import SearchIndex

from build_scripts import county_shell

# Words residents type into the search box (place names are in every county page's title).
SEARCH_TERMS = (
    "补缴", "续保", "退费",
    "等待期", "新生儿", "婴儿", "学生", "幼儿园", "低保", "特困", "孤儿", "残疾人", "残疾",
    "脱贫", "低收入", "监测", "优抚", "老人", "老年人", "独生子女", "计生",
    "退役军人", "五保", "流动人口", "居住证", "户口", "农民工", "职工", "灵活就业",
    "意外", "大病", "附加险", "补助", "资助", "减免", "待遇", "人群",
    "大学生", "断缴", "断保", "多少钱",
)
# Words about the whole page (the insurance, the notice): a query of one of these opens the page at
# its top (the summary that answers it), not a section that happens to use the word.  Listed in the
# page's own entry as 「本页关键词」; sections never list them.
PAGE_TERMS = ("城乡居民医疗保险", "医保", "居民医保", "参保缴费", "明白纸", "缴费通知")

# Words residents use for what a county page section answers, when the section itself says it
# otherwise (断缴 for 补缴, 大学生 for 大中专、全日制高校学生), and the spoken forms they type: 交 is
# written 缴 here (the search treats them as one character, search-worker.js), 啥 as 什么, 咋 as 怎么.
# Keys are the sections' ids.
SECTION_SYNONYMS = {
    "price": ("多少钱", "缴多少钱", "缴多少", "缴钱", "一年缴多少", "医保费", "保费", "保险费", "费用", "缴费标准",
              "个人缴费", "政府补助", "收费标准", "价格"),
    "dates": ("什么时候缴", "什么时候", "几号截止", "截止", "几号", "哪天", "到哪天", "几月", "缴费时间", "截止日期",
              "集中缴费期", "缴费期", "开始缴费", "最晚"),
    "late": ("补缴", "断缴", "断保", "漏缴", "晚缴", "没缴", "忘了缴", "错过", "过期", "等待期", "什么时候能报销"),
    "continuity": ("缴费修复", "连续参保"),
    "groups": ("减免", "资助", "低保", "特困", "残疾人", "困难户", "贫困户", "不用缴", "免缴"),
    "newborn": ("新生儿", "婴儿", "出生", "宝宝", "刚出生", "生孩子"),
    "students": ("学生", "大学生", "中小学生", "幼儿园", "上学", "读书", "学校"),
    "how": ("怎么缴", "在哪缴", "在哪里缴", "哪里缴", "去哪缴", "材料", "带什么", "缴费渠道", "微信", "支付宝",
            "手机缴", "网上缴", "办理"),
}
# A synonym is the answer of one section per page: the first of these the page has, else the section
# listing it above.  Other sections that mention the word leave it out of their entries, so that
# the query opens that section first (补缴: the late-payment section, not the price table's 补缴期).
PREFERRED_SECTIONS = {"断保": ("continuity", "late"), "断缴": ("continuity", "late")}
# Sections that answer no resident's question: found by their heading only.
UNSEARCHED_SECTIONS = {"glance", "source"}
# County pages come before the site's own pages (about, calculator) in search results.
COUNTY_PAGE_SEARCH = {"boost": 5}

SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>(.*?)(?=<h2 |\Z)', re.S)
TAG = re.compile(r"<[^>]+>")


def section_entries(block):
    """What the search index keeps of a county page's block: its one-line summary, then each section
    as its heading and the search terms it answers, so that a hit opens that section (#late) and the
    index stays small.  `block` is the page's prerendered HTML."""
    entries = re.findall(r'<p class="summary">.*?</p>', block, re.S)
    if entries:
        entries.append("<p>本页关键词：%s</p>" % "、".join(PAGE_TERMS))
    sections = SECTION.findall(block)
    answers = answering_sections([section_id for section_id, _, _ in sections])
    for section_id, heading, body in sections:
        text = plain_text(heading + " " + body)
        found = [term for term in SEARCH_TERMS if term in text] if section_id not in UNSEARCHED_SECTIONS else []
        words = [word for word in found if answers.get(word, section_id) == section_id]
        words = dict.fromkeys(words + [word for word, answer in answers.items() if answer == section_id])
        entries.append('<h2 id="%s">%s</h2>' % (section_id, heading))
        if words:
            entries.append("<p>本节讲到：%s</p>" % "、".join(words))
    return "\n".join(entries)


def answering_sections(section_ids):
    """{synonym: the id of the section that answers it on a page with these sections}."""
    answers = {}
    for section_id, words in SECTION_SYNONYMS.items():
        for word in words:
            preferred = [answer for answer in PREFERRED_SECTIONS.get(word, (section_id,)) if answer in section_ids]
            if preferred:
                answers.setdefault(word, preferred[0])
    return answers


@dataclasses.dataclass
class SearchedPage:
    """What Material's search plugin reads of a page."""
    url: str
    title: str
    meta: dict
    content: str
    toc: object


def county_entries(url, page):
    """The search index's entries of a county page (a county_shell.CountyPage at `url`), made as the search
    plugin makes them of a MkDocs page whose content is the heading and what section_entries keeps of the
    body. Made with the page, in the build's worker processes and its cache, not once per build."""
    searched = dataclasses.replace(page, body=section_entries(page.body))
    index = SearchIndex()
    index.add_entry_from_context(SearchedPage(
        url=url, title=page.title, meta={"title": page.title, "search": COUNTY_PAGE_SEARCH}, content=searched.content(),
        toc=county_shell.heading_toc(page.heading_id(), page.heading)))
    return index.entries


def plain_text(fragment):
    return html.unescape(TAG.sub(" ", fragment))


# Pages for the people who write policy files, not for residents: kept out of the search.
DEVELOPER_PAGES = {"schema.md", "draft.md"}


def page_search_settings(src_uri):
    """Material's per-page `search` settings of MkDocs' pages: developer pages excluded (county pages:
    COUNTY_PAGE_SEARCH, site_hooks/county_pages.py)."""
    return {"exclude": True} if src_uri in DEVELOPER_PAGES else {}
