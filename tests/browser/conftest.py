"""Browser fixtures shared by the site and calculator tests.

- site_dir: the site, built once per session by a plain `mkdocs build --strict` into a temp dir.
- site_url: that folder served on 127.0.0.1 with the MIME types a real host sends.
- browser: Debian's chromium driven by Playwright (fails, never skips, when chromium is missing).
- phone_page: a fresh 390×844 touch page that can reach nothing but 127.0.0.1, without the site's
  service worker (Playwright's routes do not see what a service worker fetches); tests of offline
  use make a context of their own with PHONE.
- page_requests: every URL the phone page asked for, blocked ones included.
"""
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1, "locale": "zh-CN"}
LOCAL_HOST = "127.0.0.1"
MIME_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
              ".json": "application/json", ".css": "text/css", ".html": "text/html; charset=utf-8",
              ".xml": "application/xml", ".zip": "application/zip", ".txt": "text/plain; charset=utf-8",
              ".yaml": "text/plain; charset=utf-8"}


def build_site(out_dir):
    """`mkdocs build --strict` into out_dir; the test fails with MkDocs' own output if it does."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out_dir)],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        pytest.fail("mkdocs build --strict failed:\n" + run.stdout + run.stderr, pytrace=False)
    return Path(out_dir)


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, *args):
        pass


def serve(directory):
    """A threaded static server for `directory` on an ephemeral 127.0.0.1 port; call .shutdown()."""
    handler = lambda *args, **kwargs: StaticHandler(*args, directory=str(directory), **kwargs)  # noqa: E731
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


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
