"""What a resident's first search costs a phone on a built site: for each query, in a fresh browser
(nothing cached), the search index bytes fetched once the search is opened (compressed, as a host serves
them) and parsed (uncompressed), the time from the query typed (a second after opening the search) to the
result line saying what was found (timed in the page), unthrottled and on a CPU 4× slower, and whether the first result opens the section that
answers the query (the table of tests/browser/test_site_search.py).

Measures the site's own search (docs/assets/site/search.js) and, when the `pagefind` package is
importable (`pip install 'pagefind[extended]'`, in this Python or in $PAGEFIND_PYTHON), Pagefind on an index of the same pages.
Called by bench/bench_site.py; alone:  .venv/bin/python bench/search_cost.py SITE_DIR
"""
import gzip
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.local_site import CHROMIUM, CHROMIUM_ARGS, PHONE, serve  # noqa: E402

CPU_SLOWDOWN = 4  # a cheap phone, as bench/bench_calculator.py throttles it
TYPING_MS = 1000  # from opening the search to the query typed: a resident's two characters on a phone take longer
# Timed in the page, from the query's input event to the result line saying what was found: the browser's
# clock, not this process's polling of a throttled page.
STOPWATCH = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  const typed = () => (window.searchTypedAt = performance.now());
  document.querySelector("input.md-search__input").addEventListener("input", typed, { capture: true, once: true });
  new MutationObserver((_, observer) => {
    if (/找到/.test(meta.textContent)) (window.searchShownAt = performance.now()), observer.disconnect();
  }).observe(meta, { childList: true, characterData: true, subtree: true });
}"""
GOAL_FETCHED = 200 * 1024
GOAL_PARSED = 1024 * 1024
# The resident queries of issue 21 and where the first result must land: a county page's top, or one of its sections.
QUERIES = {"保险": "top", "居民": "top", "新生儿": "newborn", "低保": "groups", "补缴": "late", "等待期": "late",
           "南安": "top", "学生": "students", "大学生": "students", "断缴": ("continuity", "late"),
           "断保": ("continuity", "late"), "多少钱": "price", "交多少钱": "price", "什么时候交": "dates", "残疾人": "groups"}
# The index split by character (build_scripts/site_hooks/search_shards.py): a query fetches a few of its files.
OUR_INDEX = "search/shards/"
# Pagefind indexes the pages our search indexes: the hand-written ones and the county pages.
PAGEFIND_GLOB = "{index.html,about/index.html,calculator/index.html,roster/index.html,counties/index.html,counties/*/index.html}"
PAGEFIND_DATA = ("pf_meta", "pf_index", "pf_fragment")
SEARCH_TIMEOUT_MS = 120_000
# The Python that has `pagefind` (not a dependency of the site unless it wins): $PAGEFIND_PYTHON, else this one.
PAGEFIND_PYTHON = os.environ.get("PAGEFIND_PYTHON", sys.executable)


def measure(site_dir):
    """{engine: {query: {fetched, parsed, seconds, first, lands}}}; Pagefind's entry also has its index time."""
    site_dir = Path(site_dir)
    server = serve(site_dir)
    url = "http://%s:%d/" % server.server_address
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            results = {"ours": {query: dict(ours(browser, url, site_dir, query),
                                            seconds_slow=ours(browser, url, site_dir, query, CPU_SLOWDOWN)["seconds"])
                                for query in QUERIES}}
            indexed = pagefind_index(site_dir)
            if indexed is not None:
                results["pagefind"] = {query: pagefind(browser, url, site_dir, query) for query in QUERIES}
                results["pagefind_index_seconds"] = indexed
            browser.close()
    finally:
        server.shutdown()
    return results


def fresh_page(browser, fetched):
    context = browser.new_context(**PHONE, service_workers="block")
    context.on("requestfinished", lambda request: fetched.append(urlsplit(request.url).path.lstrip("/")))
    return context, context.new_page()


def ours(browser, url, site_dir, query, slowdown=1):
    """The site's search box, as a resident uses it (on a CPU `slowdown` times slower)."""
    fetched = []
    context, page = fresh_page(browser, fetched)
    page.goto(url)
    if slowdown > 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    fetched.clear()
    page.locator("label.md-header__button[for=__search]").click()
    page.wait_for_timeout(TYPING_MS)
    page.evaluate(STOPWATCH)
    page.locator("input.md-search__input").fill(query)
    page.wait_for_function("window.searchShownAt", timeout=SEARCH_TIMEOUT_MS)
    seconds = page.evaluate("(window.searchShownAt - window.searchTypedAt) / 1000")
    links = page.eval_on_selector_all(".md-search-result__list a", "links => links.map(link => link.href)")
    context.close()
    first = site_path(links[0]) if links else None
    index_files = [site_dir / path for path in fetched if path.startswith(OUR_INDEX)]
    return {"fetched": sum(gzipped_size(path) for path in index_files),
            "parsed": sum(path.stat().st_size for path in index_files),
            "seconds": seconds, "first": first, "lands": lands(first, QUERIES[query])}


def pagefind_index(site_dir):
    """Seconds Pagefind took to index the site into site_dir/pagefind/, or None without Pagefind."""
    if subprocess.run([PAGEFIND_PYTHON, "-c", "import pagefind"], capture_output=True).returncode != 0:
        return None
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([PAGEFIND_PYTHON, "-m", "pagefind", "--site", str(site_dir), "--glob", PAGEFIND_GLOB],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def pagefind(browser, url, site_dir, query):
    """Pagefind's own JS API from the site (what its default UI calls): the first result's data."""
    fetched = []
    context, page = fresh_page(browser, fetched)
    page.goto(url)
    fetched.clear()
    started = time.perf_counter()
    first = page.evaluate("""async (query) => {
        const pagefind = await import("/pagefind/pagefind.js");
        const search = await pagefind.search(query);
        if (!search.results.length) return null;
        const data = await search.results[0].data();
        // the section with the best-scored hits, as a resident reading the results would tap
        const score = (sub) => (sub.weighted_locations || []).reduce((sum, hit) => sum + hit.balanced_score, 0);
        const best = (data.sub_results || []).reduce((a, b) => (b && (!a || score(b) > score(a)) ? b : a), null);
        return (best || data).url;
    }""", query)
    seconds = time.perf_counter() - started
    context.close()
    first = site_path(url.rstrip("/") + first) if first else None
    data_files = [site_dir / path for path in fetched if Path(path).suffix.lstrip('.') in PAGEFIND_DATA]
    return {"fetched": sum(path.stat().st_size for path in data_files),  # Pagefind's files are gzipped already
            "parsed": sum(len(gzip.decompress(path.read_bytes())) for path in data_files),
            "seconds": seconds, "first": first, "lands": lands(first, QUERIES[query])}


def site_path(href):
    parts = urlsplit(href)
    return parts.path.lstrip("/").removesuffix("index.html") + ("#" + parts.fragment if parts.fragment else "")


def lands(first, wanted):
    if not first or not first.startswith("counties/"):
        return False
    section = first.partition("#")[2]
    return section == "" if wanted == "top" else section in ((wanted,) if isinstance(wanted, str) else wanted)


def gzipped_size(path):
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def report(count, results):
    for engine in ("ours", "pagefind"):
        if engine not in results:
            print("N=%5d  search %-8s not measured (pagefind is not installed)" % (count, engine))
            continue
        rows = results[engine]
        extra = " (indexing took %.1f s)" % results["pagefind_index_seconds"] if engine == "pagefind" else ""
        slow = " (CPU %d× slower: median %.2f s)" % (CPU_SLOWDOWN, median(rows, "seconds_slow")) if engine == "ours" else ""
        print("N=%5d  search %-8s per query: fetched max %.0f KB, parsed max %.0f KB, first result median %.2f s%s; "
              "lands on its section %d of %d%s" % (
                  count, engine, max(row["fetched"] for row in rows.values()) / 1024,
                  max(row["parsed"] for row in rows.values()) / 1024, median(rows, "seconds"), slow,
                  sum(row["lands"] for row in rows.values()), len(rows), extra))
        for query, row in rows.items():
            print("         %-6s fetched %7.1f KB  parsed %8.1f KB  first result %.2f s%s  %s %s" % (
                query, row["fetched"] / 1024, row["parsed"] / 1024, row["seconds"],
                " (%d×: %.2f s)" % (CPU_SLOWDOWN, row["seconds_slow"]) if "seconds_slow" in row else "",
                "lands" if row["lands"] else "MISSES", row["first"]))


def median(rows, key):
    return sorted(row[key] for row in rows.values())[len(rows) // 2]


if __name__ == "__main__":
    report(0, measure(sys.argv[1]))
