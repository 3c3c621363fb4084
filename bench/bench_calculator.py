"""Time to the first calculator result in headless chromium on an emulated phone: 4G (10 Mbit/s,
40 ms per request, shaped by the server) and the CPU throttled 4x (DevTools; it slows the main
thread only, so worker timings are optimistic for real phones). Cold (empty cache) and warm (second
visit), for our build and, in the same run, for a stock setup: the same Pyodide with its full
standard library, default lock file, and on the main thread. Also: the longest main-thread block
from navigation to the first result, the bytes sent for the runtime, the engine alone (an empty
page that starts the worker at once: the floor under the warm figure on this machine), the phases
of a warm visit (the page's User Timing marks and the worker's, docs/assets/calculator/phases.js),
and the village-roster page's longest block while booting and while pricing a roster.

    .venv/bin/python bench/bench_calculator.py            # builds the site into bench/out/ first
    .venv/bin/python bench/bench_calculator.py --site DIR # an already built site
"""
import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_calculator_server import Link, serve  # noqa: E402
from bench.local_site import PHONE  # noqa: E402  the phone every browser test uses
from build_scripts import bundle, pyodide_runtime  # noqa: E402

OUT = ROOT / "bench" / "out"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
LINK_4G = {"latency_s": 0.040, "bytes_per_s": 10_000_000 / 8}
CPU_SLOWDOWN = 4
RUNS = 3
ROSTER_ROWS = 5000
HOUSEHOLD = {"policy": "nanan-2023", "paid_on": "2023-03-01", "members": [
    {"birth_date": "1950-06-01", "groups": ["dibao"], "student": "none"},
    {"birth_date": "1985-06-01", "groups": ["pneumoconiosis"], "student": "none"},
    {"birth_date": "2012-06-01", "student": "enrolled"}]}
GOALS = "goals: cold <= 0.5x stock, warm <= 1.5 s, main-thread block <= 100 ms, runtime <= 4 MB compressed"

# Marks when the boot starts (the progress bar appears; for the stock page, at once), when it is
# ready, and the first result, which it also logs (waiting for that costs the page nothing, where
# polling from Playwright would run on its main thread); keeps every main-thread task over 50 ms
# (Long Tasks API).
FIRST_RESULT = "bench: first result"
PROBE = """
window.__tasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
}).observe({ type: "longtask", buffered: true });
new MutationObserver(() => {
  const now = performance.now();
  if (!window.__bootStart && document.querySelector(".yb-status progress, script[type=module]:not([src])")) window.__bootStart = now;
  if (!window.__ready && document.querySelector(".yb-ready, #stock-result")) window.__ready = now;
  if (!window.__firstResult && document.querySelector(".yb-result, #stock-result")) {
    window.__firstResult = now;
    console.log("%s");
  }
  if (!window.__rendered && document.querySelector(".yb-result:not([aria-busy]), #stock-result")) window.__rendered = now;
}).observe(document, { childList: true, subtree: true, attributeFilter: ["aria-busy"] });
""" % FIRST_RESULT

STOCK_PAGE = """<!doctype html><meta charset="utf-8"><title>stock</title>
<script type="module">
import { loadPyodide } from "./pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: new URL("./", location.href).href });
pyodide.unpackArchive(new Uint8Array(await (await fetch("core-src.zip")).arrayBuffer()), "zip",
                      { extractDir: "/home/pyodide/yibao" });
pyodide.pyimport("sys").path.insert(0, "/home/pyodide/yibao");
const core = pyodide.pyimport("calculator.core");
const out = core.quote_json(await (await fetch("policy.json")).text(), SCENARIO);
const p = document.createElement("pre");
p.id = "stock-result";
p.textContent = out;
document.body.append(p);
</script>"""


# The floor under the warm figure: an empty page of the site that starts the calculator's worker at
# once (it boots by itself from the kept snapshot, as on the calculator page), with no page to lay out
# and nothing to show. Logs when the worker is ready.
ENGINE_ALONE = "bench: engine ready"
ENGINE_ALONE_PAGE = """<!doctype html><meta charset="utf-8"><title>engine alone</title>
<script>
const worker = new Worker("../assets/calculator/worker.js", { type: "module" });
worker.onmessage = ({ data }) => data.type === "ready" && console.log("%s " + performance.now());
</script>""" % ENGINE_ALONE


def build_site():
    """`mkdocs build` (its hook writes the calculator bundle) into bench/out/site."""
    site = OUT / "site"
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True)
    return site


def add_stock(site):
    """site/stock/: the pinned package as published (full stdlib zip, its lock file), same core."""
    stock = site / "stock"
    pkg = pyodide_runtime.package_dir()
    stock.mkdir(exist_ok=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        shutil.copy(pkg / name, stock / name)
    (stock / "core-src.zip").write_bytes(bundle.core_source_zip(ROOT))
    (stock / "policy.json").write_text(policy_text(site, HOUSEHOLD["policy"]))
    scenario = {**HOUSEHOLD, "members": [{"id": f"成员{i + 1}", **m} for i, m in enumerate(HOUSEHOLD["members"])]}
    (stock / "index.html").write_text(STOCK_PAGE.replace("SCENARIO", json.dumps(json.dumps(scenario))))
    bundle.compress_tree(stock)


def add_engine_alone(site):
    (site / "calculator" / "engine-alone.html").write_text(ENGINE_ALONE_PAGE)


def policy_text(site, policy_id):
    manifest = json.loads((site / "calculator" / "manifest.json").read_text())
    entry = next(p for p in manifest["policies"] if p["id"] == policy_id)
    return (site / "calculator" / entry["url"]).read_text()


def our_url(base):
    fragment = base64.urlsafe_b64encode(json.dumps(HOUSEHOLD).encode()).decode().rstrip("=")
    return f"{base}calculator/?policy={HOUSEHOLD['policy']}#v1={fragment}"


# The page's phases (User Timing entries named "yb:…": docs/assets/calculator/phases.js) as
# [name, start, end] in ms from navigation; a mark has start == end.
PHASES = """() => [...performance.getEntriesByType("mark"), ...performance.getEntriesByType("measure")]
  .filter((e) => e.name.startsWith("yb:")).map((e) => [e.name.slice(3), e.startTime, e.startTime + e.duration])"""


def throttled_page(context):
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return page


def longest(tasks, start=0, end=float("inf")):
    """The longest main-thread task that started between start and end (ms), 0 when none was over 50 ms."""
    return max([d for at, d in tasks if start <= at <= end], default=0)


def visit(context, url, keep_offline_copy=False):
    page = throttled_page(context)
    with page.expect_console_message(lambda message: message.text == FIRST_RESULT, timeout=180_000):
        page.goto(url)
    page.wait_for_function("Boolean(window.__rendered)", timeout=60_000)
    t = page.evaluate("({start: window.__bootStart, ready: window.__ready, result: window.__firstResult,"
                      " rendered: window.__rendered, tasks: window.__tasks})")
    phases = page.evaluate(PHASES) + [["result rendered (every member's card)", t["rendered"], t["rendered"]]]
    asked = next((start for name, start, _ in phases if name == "quote asked"), t["result"])
    figures = {"ms": t["result"], "boot_block": longest(t["tasks"], t["start"], t["ready"]),
               "pricing_block": longest(t["tasks"], asked, t["rendered"]), "longest": longest(t["tasks"]),
               "phases": phases}
    if keep_offline_copy:  # the runtime and the booted interpreter's snapshot are stored before the next visit
        wait_until(page, """async () => Boolean(navigator.serviceWorker.controller) &&
            (await (await caches.open("yb-hashed-v1")).keys()).length >= 6 &&
            (await (await caches.open("yb-snapshot-v1")).keys()).length >= 1""")
    page.close()
    return figures


def engine_alone_ms(context, calculator_url):
    """Navigation to worker ready on the empty page, on a warm visit (same caches and snapshot)."""
    page = throttled_page(context)
    with page.expect_console_message(lambda message: message.text.startswith(ENGINE_ALONE), timeout=60_000) as ready:
        page.goto(calculator_url.split("?")[0] + "engine-alone.html")
    page.close()
    return float(ready.value.text.split()[-1])


def roster_csv(rows):
    header = "称呼,出生日期,特殊身份,学生\n"
    people = ["本人,1985-06-01,,", "母亲,1950-06-01,低保,", "儿子,2012-06-01,,在校学生"]
    return header + "".join(people[i % len(people)] + "\n" for i in range(rows))


def roster_visit(context, base):
    """The village-roster page on a warm visit: the longest main-thread blocks while its engine boots
    (navigation to ready) and while it prices ROSTER_ROWS rows (the click to the table shown)."""
    page = throttled_page(context)
    page.goto(f"{base}roster/?policy={HOUSEHOLD['policy']}")
    page.locator(".yb-ready").wait_for(timeout=60_000)
    page.fill("[data-yb-roster] input[type=date]", HOUSEHOLD["paid_on"])
    page.set_input_files("[data-yb-roster] input[type=file]", files=[
        {"name": "名单.csv", "mimeType": "text/csv", "buffer": roster_csv(ROSTER_ROWS).encode()}])
    clicked = page.evaluate("performance.now()")
    page.click("text=计算整份名单")
    page.locator(".yb-roster-table tfoot").wait_for(timeout=120_000)
    page.wait_for_timeout(500)  # the tasks that lay the table out
    t = page.evaluate("({ready: window.__ready, tasks: window.__tasks})")
    page.close()
    return {"boot_block": longest(t["tasks"], 0, t["ready"]), "pricing_block": longest(t["tasks"], clicked)}


def wait_until(page, async_predicate, timeout_s=60, step_ms=100):
    """Polls an async predicate (page.wait_for_function would take its Promise for a truthy value)."""
    for _ in range(timeout_s * 1000 // step_ms):
        if page.evaluate(async_predicate):
            return
        page.wait_for_timeout(step_ms)
    raise TimeoutError(async_predicate)


def measure(browser, server, url, is_ours):
    rows = []
    for _ in range(RUNS):
        context = browser.new_context(**PHONE)
        context.add_init_script(PROBE)
        server.sent.clear()
        cold = visit(context, url, keep_offline_copy=is_ours)
        runtime_bytes = sum(n for path, n in server.sent.items() if "/runtime/" in path or "/stock/" in path)
        warm = visit(context, url)
        if is_ours:
            warm["engine_alone"] = engine_alone_ms(context, url)
            warm["roster"] = roster_visit(context, url.split("calculator/")[0])
        rows.append((cold, warm, runtime_bytes))
        context.close()
    return {
        "phases": median_phases([r[1]["phases"] for r in rows]),
        "pricing_block_ms": max(max(r[0]["pricing_block"], r[1]["pricing_block"]) for r in rows),
        "roster_boot_block_ms": max(r[1].get("roster", {}).get("boot_block", 0) for r in rows),
        "roster_pricing_block_ms": max(r[1].get("roster", {}).get("pricing_block", 0) for r in rows),
        "engine_alone_s": statistics.median(r[1].get("engine_alone", 0) for r in rows) / 1000,
        "cold_s": statistics.median(r[0]["ms"] for r in rows) / 1000,
        "warm_s": statistics.median(r[1]["ms"] for r in rows) / 1000,
        "boot_block_ms": max(max(r[0]["boot_block"], r[1]["boot_block"]) for r in rows),
        "longest_block_ms": max(max(r[0]["longest"], r[1]["longest"]) for r in rows),
        "runtime_mb": statistics.median(r[2] for r in rows) / 1e6,
    }


def median_phases(runs):
    """Each phase's median start and end over the runs that have it, in order of start."""
    names = {name for phases in runs for name, _, _ in phases}
    spans = {name: [(start, end) for phases in runs for n, start, end in phases if n == name] for name in names}
    return sorted(((name, statistics.median(s for s, _ in v), statistics.median(e for _, e in v))
                   for name, v in spans.items()), key=lambda phase: (phase[1], phase[2]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into bench/out/site)")
    args = parser.parse_args()
    site = args.site or build_site()
    add_stock(site)
    add_engine_alone(site)
    server = serve(site, link=Link(**LINK_4G))
    base = "http://%s:%d/" % server.server_address
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        ours = measure(browser, server, our_url(base), is_ours=True)
        stock = measure(browser, server, base + "stock/", is_ours=False)
        theme_ms = theme_block_ms(browser, base)
        browser.close()
    server.shutdown()
    report(ours, stock, theme_ms)


def theme_block_ms(browser, base):
    """The longest main-thread task on the home page (no calculator): what the theme costs anyway."""
    longest = []
    for _ in range(RUNS):
        context = browser.new_context(**PHONE)
        context.add_init_script(PROBE)
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(base, wait_until="load")
        page.wait_for_timeout(1000)
        longest.append(max([d for _, d in page.evaluate("window.__tasks")], default=0))
        context.close()
    return max(longest)


def report(ours, stock, theme_ms):
    print(f"4G (10 Mbit/s, 40 ms) + CPU {CPU_SLOWDOWN}x, median of {RUNS} runs; seconds from navigation to first result")
    print(f"{'':7}{'cold s':>8}{'warm s':>8}{'block while booting ms':>24}{'longest block ms':>18}{'runtime MB sent':>17}")
    for name, r in (("ours", ours), ("stock", stock)):
        print(f"{name:7}{r['cold_s']:8.2f}{r['warm_s']:8.2f}{r['boot_block_ms']:24.0f}"
              f"{r['longest_block_ms']:18.0f}{r['runtime_mb']:17.2f}")
    print(f"cold ours/stock = {ours['cold_s'] / stock['cold_s']:.2f}")
    print(GOALS)
    print(f"the theme alone (home page, no calculator): longest main-thread block {theme_ms:.0f} ms")
    print(f"the engine alone (warm, an empty page starting the worker at once): ready after {ours['engine_alone_s']:.2f} s,"
          " the floor under the warm figure")
    print("(block while booting: longest main-thread task between the boot's start and Pyodide ready,"
          " the theme's own script included when it runs then; tasks under 50 ms are not seen)")
    print(f"longest main-thread block while pricing (quote asked to every card shown): {ours['pricing_block_ms']:.0f} ms")
    print(f"village roster page, warm: longest block while booting {ours['roster_boot_block_ms']:.0f} ms,"
          f" while pricing {ROSTER_ROWS} rows (click to table shown) {ours['roster_pricing_block_ms']:.0f} ms")
    print("phases of a warm visit (ours; ms from navigation, median of the runs; 'worker …' are the worker's own):")
    for name, start, end in ours["phases"]:
        print(f"  {start:7.0f} {'' if end == start else f'– {end:5.0f} ({end - start:4.0f})':>15}  {name}")


if __name__ == "__main__":
    main()
