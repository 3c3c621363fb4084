"""Pages a resident has read stay readable offline (the service worker every theme page registers,
docs/assets/site/offline.js and sw.js): home, county, notice and poster pages; a page never read
gives a Chinese offline page that lists what can be read. Service workers need a context without
request routing: each test makes its own.
"""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, wait_until

COUNTY = "counties/weifang-2025/"

# The page under its path alone, and every stylesheet and script it loaded, are in the worker's caches.
KEPT = """async () => {
  const files = [location.origin + location.pathname,
    ...[...document.querySelectorAll("link[rel=stylesheet], script[src]")].map((el) => el.href || el.src)];
  const kept = await Promise.all(files.map((url) => caches.match(url)));
  return Boolean(navigator.serviceWorker.controller) && kept.every(Boolean);
}"""
CACHE_KEYS = """async () => (await Promise.all((await caches.keys()).map(
  async (name) => (await (await caches.open(name)).keys()).map((request) => request.url)))).flat()"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def read_online(page, url):
    page.goto(url)
    wait_until(page, KEPT)


def test_pages_read_online_open_offline_with_their_styles(phone, site_url):
    page = phone.new_page()
    read_online(page, site_url + COUNTY + "?from=wechat#price")  # a first visit: handed over by the page
    for later in ("", COUNTY + "notice.html", COUNTY + "print/"):  # later visits: kept by the worker as they pass
        read_online(page, site_url + later)
    phone.set_offline(True)
    page.goto(site_url + COUNTY)
    expect(page.locator("h1")).to_contain_text("潍坊市")
    expect(page.locator("article")).to_contain_text("成年居民低档 400元")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    page.reload()
    expect(page.locator("h1")).to_contain_text("潍坊市")
    page.goto(site_url)
    expect(page.get_by_role("link", name="看潍坊市2025年度明白纸")).to_be_visible()  # its picker, from the copy of its index
    page.goto(site_url + COUNTY + "notice.html")
    expect(page.locator("h1")).to_contain_text("潍坊市")
    page.goto(site_url + COUNTY + "print/")
    expect(page.locator(".poster")).to_contain_text("城乡居民基本医疗保险缴费明白纸")
    expect(page.locator(".poster")).to_be_visible()  # fitted by its script, from the copy
    keys = page.evaluate(CACHE_KEYS)
    assert [url for url in keys if urlsplit(url).query or urlsplit(url).fragment] == []


def test_a_page_never_read_says_so_in_chinese_and_lists_what_can_be_read(phone, site_url):
    page = phone.new_page()
    read_online(page, site_url + COUNTY)
    phone.set_offline(True)
    page.goto(site_url + "about/")
    expect(page.locator("h1")).to_have_text("现在没有网络")
    expect(page.locator("body")).to_contain_text("这个页面您还没有在这台手机上打开过")
    page.get_by_role("link", name="潍坊市2025年度城乡居民医保").click()
    expect(page.locator("h1")).to_contain_text("潍坊市")
