"""Make jieba cut the words residents search for as words of their own.

Material's in-browser search matches a query only against the beginning of an
indexed word.  jieba keeps compounds such as 城乡居民 or 医疗保险 whole, so the
query 居民 or 保险 found nothing.  `tune_jieba` splits every dictionary word
that hides a search term after its first character, and makes each search term
a word of its own, before Material's search plugin segments the pages.

The browser also cuts the query itself, at the longest word of the index that begins it: with 补 in
the index (政府补多少), the query 补缴 became 补* and found every 补助.  No word of the index may
therefore be the beginning of a search term (`cut_keeping_terms_whole`).
"""
import functools
import html
import re

import jieba

# Words residents type into the search box.  Place names come from the policies.
# A compound of two terms (集中缴费期) is left out: jieba cuts it into its terms,
# and Material's search cuts such a query into the words of the index.
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

TERM_WEIGHT = 100
PLACE_SUFFIXES = ("自治县", "自治州", "街道", "地区", "省", "市", "县", "区", "镇", "乡")


def short_place_name(name):
    """南安市 → 南安; names that would shrink to one character stay whole (泗县)."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def place_terms(jurisdictions):
    """Full and short names of every place in the given jurisdiction dicts."""
    terms = set()
    for jurisdiction in jurisdictions:
        for name in jurisdiction.values():
            if name:
                terms.update((name, short_place_name(name)))
    return terms


def tune_jieba(extra_terms=()):
    """Split every word that hides a term after its first character, make each term a word of its
    own, and keep the beginnings of terms out of what jieba.cut returns."""
    terms = set(SEARCH_TERMS) | set(extra_terms)
    terms_by_first_char = {}
    for term in sorted(terms, key=len, reverse=True):
        terms_by_first_char.setdefault(term[0], []).append(term)
    jieba.initialize()
    words = [word for word, freq in jieba.dt.FREQ.items() if freq and len(word) > 2]
    for word in words + sorted(terms):
        if word in terms:
            continue  # a term stays whole, even one that holds another (大学生, 学生)
        split_at = hidden_term_position(word, terms_by_first_char)
        if split_at:
            jieba.suggest_freq((word[:split_at], word[split_at:]), tune=True)
    # Each term weighs well above what keeps it whole on its own, so that it also stays whole beside
    # a word that would take its last character (待遇等待期内: not 等待/期内); a longer term is
    # weighed after the terms it holds (大学生 after 学生).
    for term in sorted(terms, key=len):
        jieba.add_word(term, jieba.suggest_freq(term, tune=False) * TERM_WEIGHT)
    # Material's search plugin segments every page with jieba.cut.
    jieba.cut = functools.partial(cut_keeping_terms_whole, terms=tuple(sorted(terms)), beginnings=term_beginnings(terms))


_JIEBA_CUT = jieba.dt.cut  # what jieba.cut is before tune_jieba replaces it


def term_beginnings(terms):
    """Every proper beginning of the terms that is not a term itself: 补 of 补缴, 多 and 多少 of
    多少钱 (学 of 学生, but not 学生 of 学生证 were it a term: 学生 must still start a word)."""
    return frozenset(term[:end] for term in terms for end in range(1, len(term))) - set(terms)


def cut_keeping_terms_whole(sentence, *args, terms, beginnings, **kwargs):
    """jieba.cut, each word that begins a term joined to the word after it (政府/补/多少 →
    政府/补多少), or to the word before where the word after starts a term itself."""
    words = []
    for word in _JIEBA_CUT(sentence, *args, **kwargs):
        if words and words[-1] in beginnings and not word.startswith(terms):
            words[-1] += word
        else:
            words.append(word)
    joined = words[:1]
    for word in words[1:]:
        if word in beginnings:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def hidden_term_position(word, terms_by_first_char):
    """Where the first term inside `word` (not at its start) begins, or None."""
    for position in range(1, len(word) - 1):
        for term in terms_by_first_char.get(word[position], ()):
            if word.startswith(term, position):
                return position
    return None


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
