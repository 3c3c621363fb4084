"""Browser fixtures shared by the site and calculator tests.

- site_dir: the site, built once per session by a plain `mkdocs build --strict` into a temp dir.
- site_url: that folder served on 127.0.0.1 with the MIME types a real host sends.
- browser: Debian's chromium driven by Playwright (fails, never skips, when chromium is missing).
- phone_page: a fresh 390×844 touch page that can reach nothing but 127.0.0.1, without the site's
  service worker (Playwright's routes do not see what a service worker fetches); tests of offline
  use make a context of their own with PHONE.
- page_requests: every URL the phone page asked for, blocked ones included.
"""
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from bench import local_site
from bench.local_site import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOST, PHONE, REPO_ROOT, serve  # noqa: F401  the tests import PHONE, REPO_ROOT from here


def build_site(out_dir):
    """`mkdocs build --strict` into out_dir; the test fails with MkDocs' own output if it does."""
    try:
        return local_site.build_site(out_dir)
    except local_site.SiteBuildError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def site_url(site_dir):
    server = serve(site_dir)
    yield "http://%s:%d/" % server.server_address
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing at %s: run `bash scripts/setup-browser.sh`" % CHROMIUM, pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone_context(browser):
    context = browser.new_context(**PHONE, service_workers="block")
    context.requested_urls = []
    context.on("request", lambda request: context.requested_urls.append(request.url))
    context.route("**/*", _local_only)
    yield context
    context.close()


def _local_only(route):
    if urlsplit(route.request.url).hostname == LOCAL_HOST:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def phone_page(phone_context):
    return phone_context.new_page()


@pytest.fixture
def page_requests(phone_context):
    """The URLs every page of this test's phone context requested (the list grows as the test runs)."""
    return phone_context.requested_urls


def wait_until(page, async_predicate, timeout_ms=20_000, step_ms=100):
    """page.wait_for_function takes a returned Promise for a truthy value: poll the awaited one."""
    for _ in range(timeout_ms // step_ms):
        if page.evaluate(async_predicate):
            return
        page.wait_for_timeout(step_ms)
    pytest.fail("still false after %d ms: %s" % (timeout_ms, async_predicate))


def hold_runtime(page):
    """Holds the calculator runtime's downloads on `page` (its tools are not ready meanwhile); returns the
    function that lets them through, which checks that some were held."""
    held, released = [], []
    page.route("**/calculator/runtime/**", lambda route: route.continue_() if released else held.append(route))

    def release():
        assert held, "the runtime was not requested through the page"
        expect(page.locator(".yb-ready")).to_have_count(0)
        released.append(True)
        for route in held:
            route.continue_()
    return release
