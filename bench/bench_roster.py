"""Village rosters (代缴名单) of 5,000, 20,000 (the page's limit) and 200,000 rows, priced on this
machine: by the command line (CPython, streaming) and in headless chromium, both a Pyodide worker's
answer alone and the page (choose file → table shown, or the limit's message above it). Prints the
time and peak memory of each. Targets: ≤ 5 s in the browser for 5,000 rows; the command line under
300 MB for 200,000. One synthetic roster per policy and size: every form option the notice has (groups
written by full and short names, student statuses, tiers, the history columns it asks), ages 0–95,
and one bad row in a hundred.

    .venv/bin/python bench/bench_roster.py            # builds the site into bench/out/ first
    .venv/bin/python bench/bench_roster.py --site DIR # an already built site
    .venv/bin/python bench/bench_roster.py --policy nanan-2023 --rows 5000   # one policy, one size
"""
import argparse
import csv
import datetime
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.local_site import CHROMIUM, CHROMIUM_ARGS, build_site, serve  # noqa: E402
from calculator.policyfile import load_policies  # noqa: E402

OUT = ROOT / "bench" / "out"
SIZES = (5000, 20000, 200000)
PAGE_ROW_LIMIT = int(re.search(r"const ROW_LIMIT = (\d+);", (ROOT / "docs/assets/calculator/roster.js").read_text()).group(1))
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
  await ready;
  const answer = next();
  const started = performance.now();
  worker.postMessage({ type: "roster", id: 1, policyJson, requestJson: JSON.stringify({ paid_on: paidOn, csv, encoding: "UTF-8" }) });
  const { json } = await answer;
  const seconds = (performance.now() - started) / 1000;
  worker.terminate();
  return { seconds, summary: JSON.parse(json).summary };
}"""


def synthetic_roster(policy, paid_on, rows, seed=11):
    """CSV text of `rows` people, deterministic for a seed."""
    rng = random.Random(seed)
    form = policy["form"]
    day = datetime.date.fromisoformat(paid_on)
    short = {group_id: word for word, group_id in policy["group_aliases"].items()}
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


def cli_run(policy, paid_on, text):
    """(wall seconds, CPU seconds, peak MB, rows in error) of `python -m calculator roster` on the roster."""
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "名单.csv"
        roster.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "calculator", "roster", "--policy", policy["id"], "--paid-on", paid_on,
                                    str(roster), "--out", str(Path(tmp) / "out.csv")],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stderr = process.stderr.read().decode()
        process.stderr.close()
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(stderr)
    errors = int(re.search(r"出错 (\d+) 行", stderr).group(1))
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, errors


def worker_seconds(page, url, policy, paid_on, text):
    page.goto(url + "roster/")
    return page.evaluate(WORKER_ROSTER, [policy["id"], text, paid_on])["seconds"]


def page_seconds(page, url, policy, paid_on, text):
    """From the click on 计算 to the table on screen (decoding, the worker, the table), or to the message
    of the page's row limit."""
    page.goto(url + "roster/")
    page.locator(".yb-ready").wait_for(timeout=BOOT_MS)
    page.select_option("[data-yb-roster] select", policy["id"])
    page.fill("[data-yb-roster] input[type=date]", paid_on)
    page.set_input_files("[data-yb-roster] input[type=file]",
                         files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    started = time.perf_counter()
    page.click("text=计算整份名单")
    page.locator(".yb-roster-table tfoot, [data-yb-roster] p.yb-error[role=alert]:visible").first.wait_for(timeout=300_000)
    return time.perf_counter() - started


def chromium_peak_mb():
    """The largest peak resident size (VmHWM) among the chromium processes this script started: the
    renderer that runs the page and its worker."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("Name", "").strip().startswith("chrom") and descends_from_me(status.parent.name):
            peaks.append(int(fields.get("VmHWM", "0 kB").split()[0]) / 1024)
    return max(peaks, default=0.0)


def descends_from_me(pid):
    me = str(os.getpid())
    while pid not in ("0", "1", me):
        try:
            pid = Path("/proc", pid, "stat").read_text().rsplit(")", 1)[1].split()[1]
        except OSError:
            return False
    return pid == me


def browser_run(playwright, url, policy, paid_on, text, rows):
    """(worker seconds or None above the page's limit, page seconds, peak MB) in a fresh chromium."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    page = browser.new_page()
    worker = worker_seconds(page, url, policy, paid_on, text) if rows <= PAGE_ROW_LIMIT else None
    shown = page_seconds(page, url, policy, paid_on, text)
    peak = chromium_peak_mb()
    browser.close()
    return worker, shown, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="an already built site (default: build into bench/out/site)")
    parser.add_argument("--policy", action="append", help="only this policy id (repeatable; default: nanan-2023)")
    parser.add_argument("--rows", action="append", type=int, help="only this many rows (repeatable; default: %s)" % (SIZES,))
    args = parser.parse_args()
    site = Path(args.site) if args.site else build_site(OUT / "site")
    server = serve(site)
    url = "http://%s:%d/" % server.server_address
    print("target: <= %.0f s in the browser for 5,000 rows; the page refuses more than %d rows; load average %.1f on %d cores" % (
        TARGET_S, PAGE_ROW_LIMIT, os.getloadavg()[0], os.cpu_count()))
    print("%-16s %7s %7s %7s %7s %7s %9s %7s %10s" % (
        "policy", "rows", "errors", "cli s", "cli cpu", "cli MB", "worker s", "page s", "browser MB"))
    wanted = args.policy or ["nanan-2023"]
    with sync_playwright() as playwright:
        for policy in [p for p in load_policies() if p["id"] in wanted]:
            paid_on = policy["windows"][0]["to"]  # the last day of the first (concentrated) period
            for rows in args.rows or SIZES:
                text = synthetic_roster(policy, paid_on, rows)
                cli, cli_cpu, cli_mb, errors = cli_run(policy, paid_on, text)
                worker, shown, browser_mb = browser_run(playwright, url, policy, paid_on, text, rows)
                print("%-16s %7d %7d %7.2f %7.2f %7.0f %9s %7.2f %10.0f" % (
                    policy["id"], rows, errors, cli, cli_cpu, cli_mb,
                    "%.2f" % worker if worker is not None else "refused", shown, browser_mb), flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
