"""How `mkdocs build` scales with the number of county pages, and what a search costs a phone.

Writes N synthetic policies into a temporary folder (never under policies/, never published): each is
a copy of a real policy YAML with a made-up id and jurisdiction (测试省/测试市/测试县…), citing the
same real notice text.  Points YIBAO_POLICIES_DIR at that folder and times a plain `mkdocs build`:

- cold: an empty build cache (YIBAO_BUILD_CACHE points at a new folder; the Pyodide runtime's own
  caches under .cache/ are kept, as on any machine that built the site once);
- one policy changed: the same build again after one county's file is edited (its name), with the
  cache the cold build left;
- up to 100 counties, `mkdocs serve`: from saving another policy to its page served anew (bench/serve_reload.py).

    .venv/bin/python bench/bench_site.py              # N = 100, 1000, 3000
    .venv/bin/python bench/bench_site.py 100 500

Prints per N: build seconds (and how much of it went to compiling the policies, rendering the pages
and writing the calculator bundle, as the hook logs them),
output size, HTML bytes per county page, the compressed weight of one county page (HTML + CSS + JS
with the modules it imports, the calculator runtime excepted), and the search index, fetched only
when a resident searches; then for the resident queries (bench/search_cost.py) the index bytes a
first search fetches (compressed) and parses.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_cost  # noqa: E402
import serve_reload  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent


DEFAULT_COUNTS = (100, 1000, 3000)
GOAL_SECONDS_FOR_3000 = 20
GOAL_REBUILD_SECONDS = 2
SERVE_UP_TO = 100  # counties: the goal for `mkdocs serve` is set at a province's size
GOAL_HTML_BYTES = 30 * 1024
GOAL_PAGE_WEIGHT = 120 * 1024
PROVINCES = 30
CITIES_PER_PROVINCE = 10
PHASE = re.compile(r"yibao: (compiled policies|rendered county pages|wrote the calculator bundle) in ([0-9.]+) s")
ASSET_REFERENCE = re.compile(r"""<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)\"""")
MODULE_IMPORT = re.compile(r"""^import [^"]* from "(\.[^"]+)";""", re.M)


def synthetic_policies(count, folder):
    """Write `count` renamed copies of the real policies (round robin) into `folder`."""
    real = sorted(path for path in (REPO_ROOT / "policies").glob("*.yaml") if path.name != "groups.yaml")
    shutil.copy(REPO_ROOT / "policies" / "groups.yaml", folder / "groups.yaml")
    shutil.copytree(REPO_ROOT / "policies" / "notices", folder / "notices")
    for layers in ("national", "provinces"):  # the documents county notices build on
        if (REPO_ROOT / "policies" / layers).is_dir():
            shutil.copytree(REPO_ROOT / "policies" / layers, folder / layers)
    documents = [yaml.load(path.read_text(encoding="utf-8"), Loader=TextDates) for path in real]
    for number in range(count):
        document = dict(documents[number % len(documents)])
        province, city = number % PROVINCES, (number // PROVINCES) % CITIES_PER_PROVINCE
        document["id"] = "synthetic%04d-%d" % (number, document["coverage_year"])
        document["name"] = "测试县%04d %d年度（合成数据）" % (number, document["coverage_year"])
        document["jurisdiction"] = {"province": "测试省%02d" % province, "city": "测试市%02d%02d" % (province, city),
                                    "county": "测试县%04d" % number}
        (folder / (document["id"] + ".yaml")).write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


class TextDates(yaml.SafeLoader):
    """Dates stay as written, as the policy loader keeps them."""


TextDates.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


def build(policies_dir, site_dir, cache_dir):
    """(seconds, {phase: seconds}) of a plain `mkdocs build`; the phases are those the hook logs."""
    env = dict(os.environ, YIBAO_POLICIES_DIR=str(policies_dir), YIBAO_BUILD_CACHE=str(cache_dir), NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit("mkdocs build failed:\n" + run.stdout + run.stderr)
    return seconds, {phase: float(value) for phase, value in PHASE.findall(run.stdout + run.stderr)}


def synthetic_policy(policies_dir, number):
    return next(policies_dir.glob("synthetic%04d-*.yaml" % number))


def edit_one_policy(policies_dir, count):
    """Renames the county in the middle of the list, as a staff member correcting one file would."""
    path = synthetic_policy(policies_dir, count // 2)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^name: (.*)$", r"name: \1（修订）", text, count=1, flags=re.M), encoding="utf-8")


def folder_bytes(folder):
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def gzipped(path):
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def page_weight(page):
    """Compressed bytes of a page with its stylesheets and scripts (and the modules they import),
    calculator runtime excepted."""
    html = page.read_text(encoding="utf-8")
    assets = {(page.parent / reference).resolve() for reference in ASSET_REFERENCE.findall(html)
              if "/calculator/" not in reference}
    return gzipped(page) + sum(gzipped(path) for path in sorted(assets | imported_modules(assets)))


def imported_modules(scripts):
    """The JavaScript modules `scripts` import, directly or not."""
    found, pending = set(), [path for path in scripts if path.suffix == ".js"]
    while pending:
        script = pending.pop()
        for reference in MODULE_IMPORT.findall(script.read_text(encoding="utf-8")):
            module = (script.parent / reference).resolve()
            if module not in found:
                found.add(module)
                pending.append(module)
    return found


def measure(count, work):
    policies_dir, site_dir, cache_dir = (work / ("%s-%d" % (name, count)) for name in ("policies", "site", "cache"))
    policies_dir.mkdir()
    synthetic_policies(count, policies_dir)
    seconds, phases = build(policies_dir, site_dir, cache_dir)
    edit_one_policy(policies_dir, count)
    rebuild_seconds, rebuild_phases = build(policies_dir, site_dir, cache_dir)
    county_pages = sorted(site_dir.glob("counties/*/index.html"))
    html_sizes = [path.stat().st_size for path in county_pages]
    search_index = site_dir / "search" / "search_index.json"
    return {
        "count": count, "cold": timings(seconds, phases), "rebuild": timings(rebuild_seconds, rebuild_phases),
        "site_bytes": folder_bytes(site_dir), "county_pages": len(county_pages),
        "html_mean": sum(html_sizes) / len(html_sizes), "html_max": max(html_sizes),
        "weight": page_weight(county_pages[0]),
        "search_index": search_index.stat().st_size, "search_index_gz": gzipped(search_index),
        "search": search_cost.measure(site_dir),
        "serve_reload": serve_reload_seconds(policies_dir, cache_dir, count) if count <= SERVE_UP_TO else None,
    }


def serve_reload_seconds(policies_dir, cache_dir, count):
    policy = synthetic_policy(policies_dir, count // 3)
    return serve_reload.reload_seconds(policies_dir, cache_dir, policy, "counties/%s/" % policy.stem)


def timings(seconds, phases):
    compile_, render, bundle = (phases[name] for name in ("compiled policies", "rendered county pages", "wrote the calculator bundle"))
    return {"seconds": seconds, "compile": compile_, "render": render, "bundle": bundle,
            "mkdocs": seconds - compile_ - render - bundle}


def report(row):
    for label, key in (("cold", "cold"), ("one policy changed", "rebuild")):
        print("N=%5d  %-18s %6.1f s (compile policies %5.1f s, render pages %5.1f s, calculator bundle %5.1f s, "
              "the rest of MkDocs %5.1f s)" % ((row["count"], label) + tuple(row[key][part] for part in (
                  "seconds", "compile", "render", "bundle", "mkdocs"))), flush=True)
    print("N=%(count)5d  site %(site_mb)6.1f MB  county HTML mean %(html_kb).1f KB max %(html_max_kb).1f KB  "
          "page weight %(weight_kb).1f KB gz  search index (on searching) %(index_kb).0f KB (%(index_gz_kb).0f KB gz)" % dict(
              row, site_mb=row["site_bytes"] / 1e6, html_kb=row["html_mean"] / 1024,
              html_max_kb=row["html_max"] / 1024, weight_kb=row["weight"] / 1024,
              index_kb=row["search_index"] / 1024, index_gz_kb=row["search_index_gz"] / 1024), flush=True)
    if row["serve_reload"] is not None:
        print("N=%5d  mkdocs serve: one policy saved → its page updated in %.1f s" % (row["count"], row["serve_reload"]))
    search_cost.report(row["count"], row["search"])


def main(counts):
    rows = []
    for count in counts:  # each reported as soon as measured: 3,000 counties take minutes
        work = Path(tempfile.mkdtemp(prefix="yibao-bench-site-"))
        try:
            rows.append(measure(count, work))
        finally:
            shutil.rmtree(work)
        report(rows[-1])
    per_page = [row["cold"]["seconds"] / row["count"] * 1000 for row in rows]
    print("ms per county page, cold: " + ", ".join("%.1f" % value for value in per_page))
    print("goals: 3,000 pages cold ≤ %d s, one policy changed ≤ %d s, ≤ %d KB HTML per county page, ≤ %d KB page weight, "
          "search ≤ %d KB fetched and ≤ %d KB parsed per query"
          % (GOAL_SECONDS_FOR_3000, GOAL_REBUILD_SECONDS, GOAL_HTML_BYTES // 1024, GOAL_PAGE_WEIGHT // 1024,
             search_cost.GOAL_FETCHED // 1024, search_cost.GOAL_PARSED // 1024))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or DEFAULT_COUNTS)
