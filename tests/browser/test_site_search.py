"""Chinese search in a real browser: each query residents type finds the pages that answer it.

Material's search matches the beginning of indexed words only; build_scripts/search_terms.py makes
jieba cut these words out of compounds such as 城乡居民 and 医疗保险.  A county page is one search
entry: its title, table of contents and the special groups it names.
"""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

PLACEHOLDER = "键入以开始搜索"
COUNTY_PAGES = ["counties/%s/" % policy_id for policy_id in
                ("nanan-2023", "jinjiang-lingyuan-2022", "yantai-fushan-2022", "sixian-shantou-2022", "youxi-2022")]

EXPECTED = {
    "保险": ["counties/youxi-2022/"],
    "居民": COUNTY_PAGES,
    "新生儿": ["counties/nanan-2023/", "counties/youxi-2022/"],
    "低保": ["counties/nanan-2023/", "counties/sixian-shantou-2022/"],
    "补缴": ["counties/nanan-2023/"],
    "等待期": ["counties/nanan-2023/"],
    "南安": ["counties/nanan-2023/"],
    "学生": ["counties/nanan-2023/"],
}


def search(page, query):
    """Type `query` into Material's search box; the result links as site paths with their fragment."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    box.fill("")
    box.press("End")  # Material searches on key events, which fill() does not send
    expect(meta).to_have_text(PLACEHOLDER)
    box.fill(query)
    box.press("End")
    expect(meta).not_to_have_text(PLACEHOLDER)
    hrefs = page.eval_on_selector_all(".md-search-result__list a", "links => links.map(link => link.href)")
    return {site_path(href) for href in hrefs}


def site_path(href):
    parts = urlsplit(href)
    return parts.path.lstrip("/") + ("#" + parts.fragment if parts.fragment else "")


@pytest.fixture
def search_page(phone_page, site_url):
    phone_page.goto(site_url)
    phone_page.locator("label.md-header__button[for=__search]").click()
    return phone_page


@pytest.mark.parametrize("query", EXPECTED)
def test_query_finds_the_pages_that_answer_it(search_page, query):
    found = search(search_page, query)
    missing = [path for path in EXPECTED[query] if path not in found]
    assert not missing, "「%s」 did not find %s; found %s" % (query, missing, sorted(found))


def test_a_word_absent_from_the_site_finds_nothing(search_page):
    assert search(search_page, "火星") == set()
