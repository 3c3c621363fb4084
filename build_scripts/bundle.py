"""The calculator bundle: what the browser needs to run the fee core, written into site/calculator/.

    site/calculator/manifest.json                      what to load (read by the form; not cached long)
    site/calculator/runtime/pyodide-<ver>-<hash>/      pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm
    site/calculator/runtime/stdlib-<hash>.zip          the stdlib modules the core needs, as .pyc, stored
    site/calculator/runtime/core-<hash>.zip            calculator/core/ and calculator/drafting/ as .pyc
    site/calculator/policies/<id>-<hash>.json          one compiled policy each
    site/sw.js                                         service worker (at the root so its scope is the site)

Every file but manifest.json and sw.js has its content hash in its path, so it never changes under
its URL and the service worker may keep it forever. Big files get .gz and .br siblings.
"""
import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from build_scripts import build_cache, county_facts, pyodide_runtime
from calculator.core import conditions, facts
from calculator.core.scenario import MAX_MEMBERS
from calculator.policyfile import load_vocabulary

ROOT = pyodide_runtime.ROOT
ASSETS = ROOT / "docs" / "assets" / "calculator"
COMPRESS_CACHE = ROOT / ".cache" / "compressed"
COMPRESS_MIN_BYTES = 10_000
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MANIFEST_VERSION = 1
EXERCISED_POLICIES = 50  # policies whose households trace the core's stdlib use (its paths don't grow with counties)
EXERCISE_KIND = "exercise"  # build_cache entries: one policy's calls


def write_bundle(site_dir, policies):
    """Called by the MkDocs hook after the site is built, with the compiled policies of the site."""
    build(Path(site_dir), ROOT, policies)


def build(site_dir, core_root, policies):
    """core_root holds calculator/core/; the policies' example people exercise the core."""
    calc = site_dir / "calculator"
    policy_files = {p["id"]: policy_json(p) for p in policies}
    compiled = pyodide_runtime.compile_core(core_source_zip(core_root), exercise_calls(policies))
    manifest = {
        "version": MANIFEST_VERSION,
        "pyodide": _write_pyodide(calc),
        "stdlib": _write_hashed(calc, "runtime/stdlib-{}.zip", stored_zip(compiled / "stdlib")),
        "core": _write_hashed(calc, "runtime/core-{}.zip", stored_zip(compiled / "core")),
        "policies": [_policy_entry(calc, p, policy_files[p["id"]]) for p in policies],
        "registry": dict(facts.registry_json(), max_members=MAX_MEMBERS),
        "groups": drafting_vocabulary(),
    }
    manifest["download_bytes"] = _download_bytes(calc, manifest)
    (calc / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    _install_service_worker(site_dir)
    compress_tree(calc / "runtime")


def drafting_vocabulary():
    """The special groups' names and aliases (policies/groups.yaml), which the staff page's drafter matches."""
    vocabulary, _problems = load_vocabulary(ROOT / "policies" / "groups.yaml")  # `validate` reports them
    return {group_id: {"name": group["name"], "aliases": group.get("aliases", [])} for group_id, group in vocabulary.items()}


def policy_json(policy):
    return json.dumps(policy, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def core_source_zip(core_root):
    """core_root's calculator/core/**.py, this repository's calculator/drafting/**.py (the staff page's notice
    drafter, which core-session.mjs imports too) and an empty calculator/__init__.py: the CPython-only rest stays out."""
    files = {"calculator/__init__.py": b""}
    for root, package in ((core_root, "core"), (ROOT, "drafting")):
        for f in sorted((root / "calculator" / package).rglob("*.py")):
            files[f.relative_to(root).as_posix()] = f.read_bytes()
    return _zip_bytes(files)


def stored_zip(folder):
    """A zip of every file under folder, uncompressed (zipimport reads it without inflating; the
    transfer is compressed anyway) and byte-for-byte reproducible."""
    return _zip_bytes({f.relative_to(folder).as_posix(): f.read_bytes()
                       for f in sorted(folder.rglob("*")) if f.is_file()})


def _zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
    return buf.getvalue()


def exercise_calls(policies):
    """[policy_json, scenario_json] pairs that walk the core's paths: per policy one household with a
    member for each age band, group, student status, tier, add-on, asked fact and rule condition (made by
    the registry, `conditions.example_member`), on the first and last payment day; plus inputs the core must
    reject. Nothing here comes from tests/: what ships is derived from policies/ alone."""
    # The core's code paths do not grow with the number of counties: a sample walks them all.
    calls = [call for p in policies[:EXERCISED_POLICIES] for call in _policy_calls(policy_json(p))]
    build_cache.prune(EXERCISE_KIND)
    return calls


def _policy_calls(policy_text):
    """One policy's calls, made once for the same policy and code (build_cache)."""
    entry_key = build_cache.key(policy_text)
    calls = build_cache.load(EXERCISE_KIND, entry_key)
    if calls is None:
        p = json.loads(policy_text)
        period = p["form"]["payment_period"]
        calls = [[policy_text, json.dumps({"policy": p["id"], "paid_on": day,
                                           "members": _exercise_members(p, datetime.date.fromisoformat(day))},
                                          ensure_ascii=False)]
                 for day in (period["first"], period["last"])]
        calls += [[policy_text, bad] for bad in _bad_scenarios(p["id"], period["first"])]
        build_cache.store(EXERCISE_KIND, entry_key, calls)
    return calls


def _exercise_members(policy, day):
    """A 40-year-old on the notice's first tier, as the form sends them, changed one answer at a time."""
    form = policy["form"]
    tier = conditions.first_tier(policy)
    members = [conditions.example_member(day, born_days_before=30, **tier)]
    members += [conditions.example_member(day, age=age, **tier) for age in (conditions.CHILD_AGE, conditions.ADULT_AGE, 70)]
    members += [conditions.example_member(day, {"groups_any": [g["id"]]}, **tier) for g in form.get("groups", [])]
    members += [conditions.example_member(day, student=s["value"], **tier) for s in form.get("student_statuses", [])]
    members += [conditions.example_member(day, tier=t["value"]) for t in form.get("tiers", [])]
    members += [conditions.example_member(day, add_ons=[a["id"]], **tier) for a in form.get("add_ons", [])]
    members += [conditions.example_member(day, **dict(tier, **_sample_answer(facts.FACTS[key], day))) for key in form.get("asks", [])]
    members += [conditions.example_member(day, when, **tier) for when in conditions.whens(policy)]
    return [dict(m, id=f"m{i}") for i, m in enumerate(members)]


def _sample_answer(fact, day):
    """An answer to `fact` other than its default (the registry says how)."""
    value = {"date": day.isoformat(), "flag": True, "integer": 1, "enum": (fact.values or [(None, "")])[-1][0],
             "employment": {"stopped_on": day.isoformat(), "continuous_years": 3}}[fact.kind]
    answer = {fact.key: value}
    if fact.at_most:
        answer[fact.at_most] = value
    return answer


def _bad_scenarios(policy_id, day):
    return ["not json", "{}", json.dumps({"policy": policy_id, "paid_on": "2023-02-30", "members": []}),
            json.dumps({"policy": policy_id, "paid_on": day, "members": [{"id": "a", "birth_date": "x"}]}),
            json.dumps({"policy": policy_id, "paid_on": day, "members": [{"id": "a", "birth_date": "2999-01-01"}]})]


def _write_pyodide(calc):
    pkg = pyodide_runtime.package_dir()
    files = {name: pyodide_runtime.shipped_file(pkg, name) for name in pyodide_runtime.SHIPPED_FILES}
    folder = f"runtime/pyodide-{pyodide_runtime.pin()['version']}-{pyodide_runtime.content_hash(*files.values())}/"
    for name, data in files.items():
        _write(calc / folder / name, data)
    return {"indexURL": folder, "lock": pyodide_runtime.lock_info(pkg)}


def _policy_entry(calc, policy, text):
    j = policy["jurisdiction"]
    return {"id": policy["id"], "name": policy["name"], "province": j["province"], "city": j["city"],
            "county": j["county"], "coverage_year": policy["coverage_year"],
            # the picker says where each period stands today (as the county page does), and the form offers
            # the notice whose period covers a payment day another one does not
            "windows": county_facts.browser_windows(policy),
            "url": _write_hashed(calc, f"policies/{policy['id']}-{{}}.json", text.encode())}


def _write_hashed(calc, pattern, data):
    rel = pattern.format(pyodide_runtime.content_hash(data))
    _write(calc / rel, data)
    return rel


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _download_bytes(calc, manifest):
    """Uncompressed bytes the worker fetches (the scripts it imports are not counted) before the
    first result: drives the progress bar."""
    wasm = manifest["pyodide"]["indexURL"] + "pyodide.asm.wasm"
    return sum((calc / rel).stat().st_size for rel in (wasm, manifest["stdlib"], manifest["core"]))


def _install_service_worker(site_dir):
    # MkDocs copies docs/assets/calculator/sw.js next to the other assets, where its scope would be
    # that folder only; the worker must control the pages, so it lives at the site root instead.
    shutil.copyfile(ASSETS / "sw.js", site_dir / "sw.js")
    (site_dir / "assets" / "calculator" / "sw.js").unlink(missing_ok=True)


def compress_tree(folder):
    for f in sorted(folder.rglob("*")):
        if f.is_file() and f.suffix not in (".gz", ".br") and f.stat().st_size >= COMPRESS_MIN_BYTES:
            data = f.read_bytes()
            f.with_name(f.name + ".gz").write_bytes(compressed(data, ".gz", gzip_best))
            f.with_name(f.name + ".br").write_bytes(compressed(data, ".br", brotli))


def compressed(data, suffix, compress):
    """compress(data), cached by content: the files are the same from one build to the next, and the
    10 MB wasm takes seconds to gzip and about 30 s to brotli."""
    cached = COMPRESS_CACHE / (hashlib.sha256(data).hexdigest() + suffix)
    if not cached.exists():
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}")
        _write(tmp, compress(data))
        tmp.replace(cached)
    return cached.read_bytes()


def gzip_best(data):
    return gzip.compress(data, 9, mtime=0)


def brotli(data):
    """Brotli at the highest quality through Node's zlib (no extra package)."""
    run = subprocess.run(["node", str(Path(__file__).with_name("pyodide_brotli.mjs"))], input=data, capture_output=True)
    if run.returncode != 0:
        raise pyodide_runtime.PyodideError(f"brotli failed: {run.stderr.decode()}")
    return run.stdout
