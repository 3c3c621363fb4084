"""What the search index keeps of a county page: per section, its heading and the words residents
search for that it answers, so that a query opens the section that answers it (补缴 → 补缴和等待期),
and the index a phone downloads to search stays small with thousands of counties.  The search itself
(docs/assets/site/search-worker.js) matches words as substrings: Chinese needs no segmenting.
"""
import html
import re

# Words residents type into the search box (place names are in every county page's title).
SEARCH_TERMS = (
    "保险", "医保", "医疗", "居民", "城乡", "参保", "缴费", "补缴", "续保", "退费",
    "等待期", "新生儿", "婴儿", "学生", "幼儿园", "低保", "特困", "孤儿", "残疾",
    "脱贫", "低收入", "监测", "优抚", "老人", "老年人", "独生子女", "计生",
    "退役军人", "五保", "流动人口", "居住证", "户口", "农民工", "职工", "灵活就业",
    "意外", "大病", "附加险", "补助", "资助", "减免", "待遇", "人群",
    "大学生", "断缴", "断保", "多少钱",
)

# Words residents use for what a county page section answers, when the section itself says it
# otherwise (断缴 for 补缴, 大学生 for 大中专、全日制高校学生).  Keys are the sections' ids.
SECTION_SYNONYMS = {
    "price": ("多少钱", "缴费标准", "个人缴费", "政府补助", "保险费"),
    "dates": ("缴费时间", "截止日期", "集中缴费期"),
    "late": ("补缴", "断缴", "断保", "漏缴", "等待期"),
    "continuity": ("缴费修复",),
    "groups": ("减免", "资助", "低保", "特困"),
    "newborn": ("新生儿", "婴儿", "出生"),
    "students": ("学生", "大学生", "中小学生", "幼儿园"),
    "how": ("怎么缴", "材料", "缴费渠道"),
}
# A synonym is the answer of one section per page: the first of these the page has, else the section
# listing it above.  Other sections that mention the word leave it out of their entries, so that
# the query opens that section first (补缴: the late-payment section, not the price table's 补缴期).
PREFERRED_SECTIONS = {"断保": ("continuity", "late"), "断缴": ("continuity", "late")}
# Sections that answer no resident's question: found by their heading only.
UNSEARCHED_SECTIONS = {"glance", "source"}
# County pages come before the site's own pages (about, calculator) in search results.
COUNTY_PAGE_BOOST = 5

SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>(.*?)(?=<h2 |\Z)', re.S)
TAG = re.compile(r"<[^>]+>")


def section_entries(block):
    """What the search index keeps of a county page's block: its one-line summary, then each section
    as its heading and the search terms it answers, so that a hit opens that section (#late) and the
    index stays small.  `block` is the page's prerendered HTML."""
    entries = re.findall(r'<p class="summary">.*?</p>', block, re.S)
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


def plain_text(fragment):
    return html.unescape(TAG.sub(" ", fragment))


# Pages for the people who write policy files, not for residents: kept out of the search.
DEVELOPER_PAGES = {"schema.md"}


def page_search_settings(src_uri):
    """Material's per-page `search` settings: developer pages excluded, county pages boosted."""
    if src_uri in DEVELOPER_PAGES:
        return {"exclude": True}
    if src_uri.startswith("counties/") and src_uri != "counties/index.md":
        return {"boost": COUNTY_PAGE_BOOST}
    return {}
