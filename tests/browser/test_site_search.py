"""Chinese search in a real browser: each query residents type opens the section that answers it.

The site's search (docs/assets/site/search.js, search-worker.js) matches words as substrings, inside
compounds such as 城乡居民 and 医疗保险; build_scripts/search_terms.py gives each section of a county
page an entry of its heading and the terms it answers (synonyms such as 断缴 included).
"""
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

READY = "输入要找的词"  # how the result line begins before anything is typed

# Words residents type, and the section of a county page that answers each: the first of these
# sections the page has (断保: 断保了怎么办 on a 2025+ notice, else 补缴和等待期).
SECTIONS_FOR_QUERY = {
    "新生儿": ("newborn",),
    "补缴": ("late",),
    "断缴": ("continuity", "late"),
    "断保": ("continuity", "late"),
    "等待期": ("late",),
    "低保": ("groups",),
    "学生": ("students",),
    "大学生": ("students",),
    "多少钱": ("price",),
    "残疾人": ("groups",),
    # as residents say it: 交 for 缴, 啥 for 什么, the words of a question
    "交多少钱": ("price",),
    "交钱": ("price",),
    "医保费": ("price",),
    "什么时候交": ("dates",),
    "啥时候": ("dates",),
    "几号截止": ("dates",),
    "在哪交": ("how",),
    "带什么": ("how",),
}
# Words that every county page answers somewhere.
COUNTY_QUERIES = ["保险", "居民"]


def search(page, query):
    """Type `query` into the search box; every result link (all shown), in order, as site paths with
    their fragment."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    box.fill("")
    expect(meta).to_contain_text(READY)
    box.fill(query)
    expect(meta).to_have_text(re.compile("找到|没有找到"))
    more = page.locator(".yb-search-more")
    while more.count():
        more.click()
    hrefs = page.eval_on_selector_all(".md-search-result__list a", "links => links.map(link => link.href)")
    return [site_path(href) for href in hrefs]


def site_path(href):
    parts = urlsplit(href)
    return parts.path.lstrip("/") + ("#" + parts.fragment if parts.fragment else "")


@pytest.fixture
def search_page(phone_page, site_url):
    phone_page.goto(site_url)
    phone_page.locator("label.md-header__button[for=__search]").click()
    return phone_page


def section_ids(site_dir, policy_id):
    page = (site_dir / "counties" / policy_id / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<h2 id="([^"]+)"', page))


def first_section_of_each_page(found):
    """{page: the first of its sections in the results}: what a resident taps under each page's title."""
    first = {}
    for link in found:
        page, _, section = link.partition("#")
        if section:
            first.setdefault(page, section)
    return first


@pytest.mark.parametrize("query", SECTIONS_FOR_QUERY)
def test_query_opens_first_the_section_that_answers_it(search_page, site_dir, policies, query):
    found = search(search_page, query)
    assert found and found[0].startswith("counties/"), "「%s」 should list county pages first; found %s" % (query, found)
    first = first_section_of_each_page(found)
    expected = {}
    for policy_id in policies:
        answering = [section for section in SECTIONS_FOR_QUERY[query] if section in section_ids(site_dir, policy_id)]
        if answering:
            expected["counties/%s/" % policy_id] = answering[0]
    assert expected, "no county page has a section for 「%s」" % query
    assert {page: first.get(page) for page in expected} == expected, "「%s」 found %s" % (query, found)


@pytest.mark.parametrize("query", COUNTY_QUERIES)
def test_query_finds_every_county_page(search_page, policies, query):
    found = search(search_page, query)
    assert found[0].startswith("counties/")
    missing = [page for page in ("counties/%s/" % policy_id for policy_id in policies) if page not in found]
    assert not missing, "「%s」 did not find %s" % (query, missing)


def test_a_place_name_finds_its_county_first(search_page, policies):
    """As residents type it: 南安 for 南安市."""
    policy = next(iter(policies.values()))
    place = policy["jurisdiction"]["county"] or policy["jurisdiction"]["city"] or policy["jurisdiction"]["province"]
    found = search(search_page, place[:-1] if len(place) > 2 else place)
    assert found[0] == "counties/%s/" % policy["id"]


def test_developer_pages_are_not_searched(search_page):
    assert not [link for link in search(search_page, "政策文件") if link.startswith("schema/")]


def test_the_search_dialog_has_a_name(search_page):
    assert search_page.locator(".md-search[role=dialog]").get_attribute("aria-label")


def test_a_word_absent_from_the_site_finds_nothing(search_page):
    assert search(search_page, "火星") == []


def test_a_result_opens_its_section_and_closes_the_search(search_page, policies):
    found = search(search_page, "补缴")
    section = found[0]  # the first result's own link: the section that answers, not the page's top
    assert section.startswith("counties/") and "#" in section, found
    search_page.locator(".md-search-result__list a[href$='%s']" % section).first.click()
    search_page.wait_for_url("**/" + section)
    assert not search_page.locator("#__search").is_checked()
    anchor = section.partition("#")[2]
    expect(search_page.locator("details.section:has(#%s)" % anchor)).to_have_attribute("open", "")
    expect(search_page.locator("#" + anchor)).to_be_in_viewport()


# The 15 queries of issue 21 and where each must land: the first result's link — a county page's top
# for a word about the whole page or a place, else the section that answers it.
ISSUE_QUERIES = {"保险": "top", "居民": "top", "新生儿": "newborn", "低保": "groups", "补缴": "late", "等待期": "late",
                 "南安": "top", "学生": "students", "大学生": "students", "断缴": ("continuity", "late"),
                 "断保": ("continuity", "late"), "多少钱": "price", "交多少钱": "price", "什么时候交": "dates",
                 "残疾人": "groups"}


def lands(found, wanted):
    if not found or not found[0].startswith("counties/"):
        return False
    page, _, section = found[0].partition("#")
    return section == "" if wanted == "top" else section in ((wanted,) if isinstance(wanted, str) else wanted)


def test_the_issues_queries_land_where_they_are_answered(search_page):
    table = {query: search(search_page, query)[:1] for query in ISSUE_QUERIES}
    landed = [query for query, found in table.items() if lands(found, ISSUE_QUERIES[query])]
    assert len(landed) >= 14, table
    assert len(landed) == len(ISSUE_QUERIES), table  # all 15 today


def test_a_query_with_a_place_and_a_question_opens_that_place_at_the_answer(search_page, policies):
    found = search(search_page, "南安交多少钱")
    assert found[0] == "counties/nanan-2023/#price", found


def test_offline_the_search_says_it_needs_the_network_instead_of_waiting(phone_page, site_url):
    phone_page.goto(site_url)
    phone_page.route("**/search/shards/**", lambda route: route.abort("internetdisconnected"))
    phone_page.locator("label.md-header__button[for=__search]").click()
    phone_page.locator("input.md-search__input").fill("补缴")
    expect(phone_page.locator(".md-search-result__meta")).to_contain_text("联网", timeout=10_000)
    phone_page.unroute("**/search/shards/**")
    phone_page.locator("input.md-search__input").fill("低保")  # online again: the next query searches
    expect(phone_page.locator(".md-search-result__meta")).to_contain_text("找到")


def test_a_search_worker_that_cannot_start_is_said_not_waited_for(phone_page, site_url):
    phone_page.route("**/search-worker.js", lambda route: route.abort("internetdisconnected"))
    phone_page.goto(site_url)
    phone_page.locator("label.md-header__button[for=__search]").click()
    phone_page.locator("input.md-search__input").fill("补缴")
    expect(phone_page.locator(".md-search-result__meta")).to_contain_text("联网", timeout=10_000)


def test_escape_closes_the_search_where_the_page_was(phone_page, site_url, policies):
    phone_page.goto(site_url + "counties/%s/" % next(iter(policies)))
    phone_page.evaluate("document.querySelectorAll('details.section').forEach((d) => (d.open = true))")  # room to be down the page
    phone_page.evaluate("window.scrollTo(0, 1500)")
    phone_page.locator("label.md-header__button[for=__search]").click()
    expect(phone_page.locator("input.md-search__input")).to_be_focused()
    search(phone_page, "低保")
    phone_page.keyboard.press("Escape")
    assert not phone_page.locator("#__search").is_checked()
    assert phone_page.evaluate("window.scrollY") == 1500


def test_the_results_fit_the_phone(search_page):
    search(search_page, "补缴")
    # once the theme's box has slid in (it starts 5% to the right)
    search_page.wait_for_function("document.querySelector('.md-search__inner').getBoundingClientRect().left === 0")
    widths = search_page.eval_on_selector_all(".md-search-result__article", "items => items.map(i => i.getBoundingClientRect().right)")
    assert widths and max(widths) <= search_page.viewport_size["width"]


def test_the_index_is_read_when_the_search_opens_and_not_before(phone_page, page_requests, site_url):
    """A page read without searching fetches nothing of the index; opening the search starts reading it, while
    the resident types."""
    phone_page.goto(site_url)
    phone_page.wait_for_load_state("networkidle")
    assert not [url for url in page_requests if "/search/" in url or "search-worker" in url]
    phone_page.locator("label.md-header__button[for=__search]").click()
    expect(phone_page.locator(".md-search-result__meta")).to_contain_text(READY)
    for _ in range(100):
        if any(url.endswith("/search/shards/index.json") for url in page_requests):
            return
        phone_page.wait_for_timeout(100)
    pytest.fail("the index's list of pages was not read within 10 s of opening the search")
