"""Pages a resident has read stay readable offline (the service worker every theme page registers,
docs/assets/site/offline.js and sw.js): home, county, notice and poster pages; a page never read
gives a Chinese offline page that lists what can be read. Service workers need a context without
request routing: each test makes its own.
"""
import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, wait_until

# The page under its path alone, every stylesheet and script, and every file of this site its scripts
# have fetched so far (the home picker's index) are in the worker's caches.
KEPT = """async () => {
  const fetched = performance.getEntriesByType("resource").filter((entry) => entry.initiatorType === "fetch")
    .map((entry) => entry.name).filter((url) => new URL(url).origin === location.origin && !new URL(url).search);
  const files = [location.origin + location.pathname,
    ...[...document.querySelectorAll("link[rel=stylesheet], script[src]")].map((el) => el.href || el.src), ...fetched];
  const kept = await Promise.all(files.map((url) => caches.match(url)));
  return Boolean(navigator.serviceWorker.controller) && kept.every(Boolean);
}"""
CACHE_KEYS = """async () => (await Promise.all((await caches.keys()).map(
  async (name) => (await (await caches.open(name)).keys()).map((request) => request.url)))).flat()"""


@pytest.fixture
def county(policies):
    """The county page of the notice with the latest coverage year."""
    return "counties/%s/" % max(policies.values(), key=lambda p: p["coverage_year"])["id"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def read_online(page, url):
    page.goto(url)
    wait_until(page, KEPT)
    return content(page)


CONTENT = "(document.querySelector('article') ?? document.body).innerText"


def content(page):
    """What the page says (its article; the theme's search box says other things offline)."""
    return page.evaluate(CONTENT)


def wait_for_content(page, text):
    """Scripts fill parts of a page after it loads (the home picker, from its index): wait for them."""
    wait_until(page, "() => %s === %s" % (CONTENT, json.dumps(text)), timeout_ms=10_000)


def test_pages_read_online_open_offline_with_their_styles(phone, site_url, county):
    page = phone.new_page()
    # a first visit: handed over by the page (#price opens that section: the text read has it open)
    online = {county + "?from=wechat#price": read_online(page, site_url + county + "?from=wechat#price")}
    for later in (county, "", county + "notice.html", county + "print/"):  # later visits: kept by the worker as they pass
        online[later] = read_online(page, site_url + later)
    phone.set_offline(True)
    for path, text in online.items():
        page.goto(site_url + path)
        wait_for_content(page, text)
    page.goto(site_url + county)
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    page.reload()
    wait_for_content(page, online[county])
    page.goto(site_url + county + "print/")
    expect(page.locator(".poster")).to_be_visible()  # fitted by its script, from the copy
    keys = page.evaluate(CACHE_KEYS)
    assert [url for url in keys if urlsplit(url).query or urlsplit(url).fragment] == []


@pytest.mark.parametrize("page_path", ["notice.html", "print/"])
def test_a_notice_or_poster_opened_first_stays_readable_offline(phone, site_url, county, page_path):
    page = phone.new_page()
    online = read_online(page, site_url + county + page_path)
    phone.set_offline(True)
    page.reload()
    wait_for_content(page, online)


def test_a_page_never_read_says_so_in_chinese_and_lists_what_can_be_read(phone, site_url, county):
    page = phone.new_page()
    read_online(page, site_url + county)
    heading = page.locator("h1").inner_text()
    phone.set_offline(True)
    page.goto(site_url + "about/")
    expect(page.locator("h1")).to_have_text("现在没有网络")
    expect(page.locator("body")).to_contain_text("这个页面您还没有在这台手机上打开过")
    page.locator("a[href$='/%s']" % county).first.click()
    expect(page.locator("h1")).to_have_text(heading)


PROBE_RULE = "\n.yb-refresh-probe { order: 7; }\n"
# After the refresh, the page asks for the site's stylesheet again, under a query of its own (the
# browser's memory cache cannot answer it; the worker keys its copies by path alone), and applies it.
PROBE_IN_PAGE = """() => [...document.styleSheets].filter((sheet) => sheet.href?.endsWith("/assets/site/site.css"))
  .some((sheet) => [...sheet.cssRules].some((rule) => rule.selectorText === ".yb-refresh-probe"))"""
PROBE_ORDER = """async (href) => {
  const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
  await new Promise((loaded) => { link.onload = loaded; document.head.append(link); });
  const el = Object.assign(document.createElement("i"), { className: "yb-refresh-probe" });
  document.body.append(el);
  return getComputedStyle(el).order;
}"""


def test_a_visit_the_worker_serves_uses_its_copies_and_refreshes_them_for_the_next(phone, site_dir, site_url):
    """The site's scripts and styles come from the worker's copies at once (no wait on the network),
    and are fetched again once the page is idle: a change on the server shows on the visit after."""
    stylesheet = site_dir / "assets" / "site" / "site.css"
    original = stylesheet.read_text(encoding="utf-8")
    page = phone.new_page()
    read_online(page, site_url)  # a first visit: handed over
    try:
        stylesheet.write_text(original + PROBE_RULE, encoding="utf-8")
        page.goto(site_url)  # the page's own stylesheet, loaded before the page is idle: the kept copy
        assert not page.evaluate(PROBE_IN_PAGE)
        wait_until(page, """async () => (await (await caches.match("%s")).text()).includes(".yb-refresh-probe")"""
                   % (site_url + "assets/site/site.css"))
        page.goto(site_url)
        assert page.evaluate(PROBE_ORDER, "assets/site/site.css?visit=3") == "7"
    finally:
        stylesheet.write_text(original, encoding="utf-8")


# The search's list of pages and a file of the index it read (the worker's reads are not in the
# page's Resource Timing list: look in the caches).
SEARCH_FILES_KEPT = """async () => (await Promise.all((await caches.keys()).map(
  async (name) => (await (await caches.open(name)).keys()).map((request) => request.url)))).flat()
  .filter((url) => url.includes("/search/shards/")).length >= 2"""


def search(page, query):
    page.locator("input.md-search__input").fill(query)
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_contain_text(re.compile("找到|联网"), timeout=10_000)
    return meta.text_content()


def test_a_search_made_online_answers_offline_and_a_new_one_says_it_needs_the_network(phone, site_url):
    page = phone.new_page()
    page.goto(site_url)
    page.locator("label.md-header__button[for=__search]").click()
    online = search(page, "补缴")
    assert "找到" in online
    wait_until(page, SEARCH_FILES_KEPT)  # the files the worker read, handed over by the page
    phone.set_offline(True)
    page.reload()
    page.locator("label.md-header__button[for=__search]").click()
    assert search(page, "补缴") == online
    assert "联网" in search(page, "南安")  # its character's file was never read on this phone
