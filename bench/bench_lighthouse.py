"""Lighthouse (mobile, its default simulated slow 4G and 4x CPU) on each page type of a built site,
served as bench_calculator_server serves it (compressed, content-hashed files cached). Prints the
four category scores and the cumulative layout shift per page type.

    .venv/bin/python bench/bench_lighthouse.py              # builds the site into bench/out/ first
    .venv/bin/python bench/bench_lighthouse.py --site DIR   # an already built site

Needs Lighthouse 12 (`npm install --prefix /tmp/lh lighthouse@12.2.3`; $LIGHTHOUSE names another
executable) and Debian chromium ($CHROME_PATH, default /usr/bin/chromium).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_calculator import build_site  # noqa: E402
from bench.bench_calculator_server import serve  # noqa: E402

LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "/tmp/lh/node_modules/.bin/lighthouse")
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOAL_CLS = 0.1
# A static host answers a missing address with 404.html; the local server sends its own 404, so the
# page is opened under its own name.
PAGE_TYPES = {
    "home": "",
    "county page": "counties/weifang-2025/",
    "notice page": "counties/weifang-2025/notice.html",
    "calculator": "calculator/?policy=weifang-2025",
    "poster": "counties/weifang-2025/print/",
    "roster": "roster/",
    "about": "about/",
    "404": "404.html",
}


def lighthouse(url, out_dir):
    """The Lighthouse report (a dict) of one URL."""
    report = Path(out_dir) / "report.json"
    subprocess.run([LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
                   env=dict(os.environ, CHROME_PATH=CHROME_PATH), check=True)
    return json.loads(report.read_text())


def figures(report):
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
    failed = [audit_id for name in ("accessibility", "best-practices", "seo")
              for audit_id in failing_audits(report, name)]
    return {**scores, "cls": cls, "failed": failed}


def failing_audits(report, category):
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            yield ref["id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into bench/out/site)")
    args = parser.parse_args()
    site = args.site or build_site()
    server = serve(site)
    base = "http://%s:%d/" % server.server_address
    print(f"{'page type':13}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'CLS':>7}  failing audits (a11y, best practices, SEO)")
    with tempfile.TemporaryDirectory() as out_dir:
        for name, path in PAGE_TYPES.items():
            row = figures(lighthouse(base + path, out_dir))
            print(f"{name:13}{row['performance']:6}{row['accessibility']:6}{row['best-practices']:6}{row['seo']:6}"
                  f"{row['cls']:7.3f}  {' '.join(row['failed']) or '-'}")
    server.shutdown()
    print(f"goal: CLS < {GOAL_CLS} on every page type")


if __name__ == "__main__":
    main()
