"""A 5,000-row village roster (代缴名单), priced on this machine: by the command line (CPython) and in
headless chromium's Pyodide worker, both the worker's answer alone and the page (choose file → table
shown). Target: ≤ 5 s in the browser worker. One synthetic roster per policy: every form option the
notice has (groups written by full and short names, student statuses, tiers, the history columns it
asks), ages 0–95, and one bad row in a hundred.

    .venv/bin/python bench/bench_roster.py            # builds the site into bench/out/ first
    .venv/bin/python bench/bench_roster.py --site DIR # an already built site
    .venv/bin/python bench/bench_roster.py --policy nanan-2023   # one policy only
"""
import argparse
import csv
import datetime
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calculator.core.roster import SHORT_GROUP_NAMES, price_roster  # noqa: E402
from calculator.policyfile import load_policies  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, build_site, serve  # noqa: E402

OUT = ROOT / "bench" / "out"
ROWS = 5000
TARGET_S = 5.0
BOOT_MS = 120_000
COLUMNS = ["姓名", "出生日期", "特殊身份", "学生", "档次", "残疾等级", "断保年数", "补缴年数", "备注"]

# Times one roster message to a freshly booted worker (the page's own worker is left alone).
WORKER_ROSTER = """async ([policyId, csv, paidOn]) => {
  const base = new URL("../calculator/", location.href).href;
  const manifest = await (await fetch(base + "manifest.json")).json();
  const entry = manifest.policies.find((p) => p.id === policyId);
  const policyJson = await (await fetch(base + entry.url)).text();
  const worker = new Worker(new URL("../assets/calculator/worker.js", base), { type: "module" });
  const next = () => new Promise((resolve) => { worker.onmessage = ({ data }) => data.type !== "progress" && resolve(data); });
  const ready = next();
  worker.postMessage({ type: "boot", base, manifest });
  await ready;
  const answer = next();
  const started = performance.now();
  worker.postMessage({ type: "roster", id: 1, policyJson, requestJson: JSON.stringify({ paid_on: paidOn, csv, encoding: "UTF-8" }) });
  const { json } = await answer;
  const seconds = (performance.now() - started) / 1000;
  worker.terminate();
  return { seconds, summary: JSON.parse(json).summary };
}"""


def synthetic_roster(policy, paid_on, rows=ROWS, seed=11):
    """CSV text of `rows` people, deterministic for a seed."""
    rng = random.Random(seed)
    form = policy["form"]
    day = datetime.date.fromisoformat(paid_on)
    short = {group_id: word for word, group_id in SHORT_GROUP_NAMES.items()}
    group_words = [g["name"] for g in form["groups"]] + [short[g["id"]] for g in form["groups"] if g["id"] in short]
    asks_history = "missed_years" in form.get("asks", [])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number in range(rows):
        born = day - datetime.timedelta(days=rng.randrange(40, 95 * 365))
        groups = rng.choice(group_words) if group_words and rng.random() < 0.2 else ""
        student = rng.choice(["在校学生", "新生", "大学生"]) if day.year - born.year < 22 and rng.random() < 0.5 else ""
        tier = str(rng.choice(form["tiers"])["value"]) if form.get("tiers") else ""
        missed = rng.choice(["", "0", "1", "3"]) if asks_history else ""
        repair = "1" if missed in ("1", "3") and rng.random() < 0.5 else ""
        birth = born.isoformat() if number % 100 else "%d-13-01" % born.year
        writer.writerow(["居民%d" % number, birth, groups, student, tier, "2" if groups else "", missed, repair, ""])
    return buffer.getvalue()


def cli_seconds(policy, paid_on, text):
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "名单.csv"
        roster.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "calculator", "roster", "--policy", policy["id"], "--paid-on", paid_on,
                               str(roster), "--out", str(Path(tmp) / "out.csv")], cwd=ROOT, capture_output=True)
        elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode())
    return elapsed


def core_seconds(policy, paid_on, text):
    """(wall, CPU) seconds of price_roster in this process, and its summary. CPU time barely moves with
    the machine's load; wall time does (this machine is shared)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = price_roster(policy, paid_on, text)
    return time.perf_counter() - started, time.process_time() - cpu, result["summary"]


def page_seconds(page, url, policy, paid_on, text):
    """From the click on 计算 to the table on screen (decoding, the worker, the table of 5,000 rows)."""
    page.goto(url + "roster/")
    page.locator(".yb-ready").wait_for(timeout=BOOT_MS)
    page.select_option("[data-yb-roster] select", policy["id"])
    page.fill("[data-yb-roster] input[type=date]", paid_on)
    page.set_input_files("[data-yb-roster] input[type=file]",
                         files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    started = time.perf_counter()
    page.click("text=计算整份名单")
    page.locator(".yb-roster-table tfoot").wait_for(timeout=60_000)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="an already built site (default: build into bench/out/site)")
    parser.add_argument("--policy", action="append", help="only this policy id (repeatable; default: every policy)")
    args = parser.parse_args()
    site = Path(args.site) if args.site else build_site(OUT / "site")
    server = serve(site)
    url = "http://%s:%d/" % server.server_address
    print("%d rows per roster; target: <= %.0f s in the browser worker; load average %.1f on %d cores" % (
        ROWS, TARGET_S, os.getloadavg()[0], os.cpu_count()))
    print("%-24s %7s %7s %7s %7s %9s %9s %7s" % ("policy", "priced", "errors", "cli s", "core s", "core cpu", "worker s", "page s"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for policy in [p for p in load_policies() if not args.policy or p["id"] in args.policy]:
            paid_on = policy["windows"][0]["to"]  # the last day of the first (concentrated) period
            text = synthetic_roster(policy, paid_on)
            core, core_cpu, summary = core_seconds(policy, paid_on, text)
            cli = cli_seconds(policy, paid_on, text)
            page.goto(url + "roster/")
            worker = page.evaluate(WORKER_ROSTER, [policy["id"], text, paid_on])
            shown = page_seconds(page, url, policy, paid_on, text)
            print("%-24s %7d %7d %7.2f %7.2f %9.2f %9.2f %7.2f" % (
                policy["id"], summary["priced"], summary["errors"], cli, core, core_cpu, worker["seconds"], shown))
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
