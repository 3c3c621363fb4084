"""The calculator bundle as shipped: the pinned Pyodide, the trimmed precompiled stdlib, the core zip.

The golden cases run through the shipped files under Node (Pyodide from the same npm tarball) and
must give exactly what CPython's quote_json gives: a stdlib zip missing a module the core needs
fails here with ModuleNotFoundError, not on a resident's phone.
"""
import json
import re
import shutil
import subprocess
import zipfile

import pytest

from build_scripts import bundle, pyodide_runtime
from calculator.cases import case_scenarios
from calculator.core import facts, quote_json
from calculator.core.scenario import MAX_MEMBERS

RUN = pyodide_runtime.HERE / "pyodide_run.mjs"
CASES = pyodide_runtime.ROOT / "tests" / "cases"
THIRD_PARTY_URL = re.compile(rb"https?://(?!127\.0\.0\.1|localhost)[a-z0-9.-]+\.[a-z]{2,}", re.I)


def make_site(folder, core_root, policies):
    """What mkdocs + the hook produce for the calculator: assets copied, then the bundle."""
    shutil.copytree(bundle.ASSETS, folder / "assets" / "calculator")
    bundle.build(folder, core_root, policies)
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory, policies):
    return make_site(tmp_path_factory.mktemp("site"), bundle.ROOT, list(policies.values()))


def manifest(site):
    return json.loads((site / "calculator" / "manifest.json").read_text())


def run_in_pyodide(site, calls):
    run = subprocess.run(["node", str(RUN), str(site / "calculator")], input=json.dumps(calls),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_every_case_gives_in_the_shipped_pyodide_what_it_gives_in_cpython(site, policies):
    cases = case_scenarios(CASES)
    assert len(cases) >= 45
    calls = [[s["policy"], json.dumps(s, ensure_ascii=False)] for _name, s in cases]
    calls.append(["nanan-2023", '{"paid_on": "2023-02-30", "members": []}'])  # an error travels too
    got = run_in_pyodide(site, calls)
    for (policy_id, scenario_json), answer in zip(calls, got):
        expected = quote_json(bundle.policy_json(policies[policy_id]), scenario_json)
        assert json.loads(answer) == json.loads(expected), scenario_json


def test_stdlib_zip_is_stored_pyc_only(site):
    with zipfile.ZipFile(site / "calculator" / manifest(site)["stdlib"]) as z:
        infos = z.infolist()
    names = {i.filename for i in infos}
    assert {"json/__init__.pyc", "decimal.pyc", "datetime.pyc", "encodings/__init__.pyc"} <= names
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
    assert all(n.endswith(".pyc") for n in names)
    assert "unittest/__init__.pyc" not in names and "sqlite3/__init__.pyc" not in names


def test_core_zip_holds_the_core_only_as_pyc(site):
    with zipfile.ZipFile(site / "calculator" / manifest(site)["core"]) as z:
        names = set(z.namelist())
    assert {"calculator/__init__.pyc", "calculator/core/__init__.pyc", "calculator/core/quote.pyc"} <= names
    assert not any(n.startswith("calculator/policyfile") or n.endswith(".py") for n in names)


def test_lock_file_lists_no_packages_and_the_runtime_abi(site):
    lock = manifest(site)["pyodide"]["lock"]
    package_lock = json.loads((pyodide_runtime.package_dir() / "pyodide-lock.json").read_text())
    assert lock == package_lock["info"]
    assert "packages" not in lock


def test_no_third_party_url_in_shipped_text(site):
    for f in (site / "calculator").rglob("*"):
        if f.suffix in (".mjs", ".js") or f.name == "manifest.json":
            assert not THIRD_PARTY_URL.search(f.read_bytes()), f
    assert THIRD_PARTY_URL.search((pyodide_runtime.package_dir() / "pyodide.mjs").read_bytes())


def test_big_files_have_compressed_siblings_that_decompress_to_them(site):
    import gzip
    wasm = next((site / "calculator" / "runtime").rglob("pyodide.asm.wasm"))
    assert gzip.decompress(wasm.with_name(wasm.name + ".gz").read_bytes()) == wasm.read_bytes()
    brotli = wasm.with_name(wasm.name + ".br")
    run = subprocess.run(["node", "-e", "process.stdout.write(require('zlib').brotliDecompressSync("
                          "require('fs').readFileSync(process.argv[1])))", str(brotli)], capture_output=True)
    assert run.stdout == wasm.read_bytes()


def test_hashed_names_change_with_content_and_the_service_worker_sits_at_the_root(site):
    m = manifest(site)
    for rel in [m["stdlib"], m["core"]] + [p["url"] for p in m["policies"]]:
        digest = re.search(r"-([0-9a-f]{12})\.", rel).group(1)
        assert pyodide_runtime.content_hash((site / "calculator" / rel).read_bytes()) == digest
    assert (site / "sw.js").exists() and not (site / "assets" / "calculator" / "sw.js").exists()


def test_the_manifest_carries_the_registry_of_member_facts(site):
    registry = json.loads(json.dumps(dict(facts.registry_json(), max_members=MAX_MEMBERS)))
    assert manifest(site)["registry"] == registry


def test_the_core_is_exercised_with_every_asked_fact_and_every_rule_met(policies):
    for policy in policies.values():
        members = json.loads(bundle.exercise_calls([policy])[0][1])["members"]
        answered = {key for member in members for key in member}
        assert set(policy["form"]["asks"]) <= answered, policy["id"]
        result = json.loads(quote_json(bundle.policy_json(policy), json.dumps(
            {"policy": policy["id"], "paid_on": policy["form"]["payment_period"]["first"], "members": members})))
        assert "error" not in result, (policy["id"], result)


def test_a_module_the_core_starts_to_import_is_shipped(tmp_path, policies):
    """The stdlib list is derived by running the core, so a new import (even a lazy one) ships."""
    core = tmp_path / "core_root" / "calculator" / "core"
    shutil.copytree(bundle.ROOT / "calculator" / "core", core)
    quote_py = core / "quote.py"
    quote_py.write_text(quote_py.read_text().replace(
        "def quote_json(policy_json, scenario_json):\n",
        "def quote_json(policy_json, scenario_json):\n    import fractions  # noqa\n", 1))
    site = make_site(tmp_path / "site", tmp_path / "core_root", [policies["nanan-2023"]])
    with zipfile.ZipFile(site / "calculator" / manifest(site)["stdlib"]) as z:
        assert "fractions.pyc" in z.namelist()


def test_a_tarball_that_does_not_match_the_pin_is_refused(tmp_path, monkeypatch):
    pin = dict(pyodide_runtime.pin(), integrity="sha512-" + "A" * 86 + "==")
    tarball = pyodide_runtime.CACHE / f"pyodide-{pin['version']}.tgz"
    pyodide_runtime.package_dir()  # make sure the real tarball is cached
    copy = tmp_path / "cache"
    copy.mkdir()
    shutil.copy(tarball, copy / tarball.name)
    monkeypatch.setattr(pyodide_runtime, "CACHE", copy)
    with pytest.raises(pyodide_runtime.PyodideError, match="sha512"):
        pyodide_runtime._verified_tarball(pin)
    assert not (copy / tarball.name).exists()


def test_the_cdn_default_is_patched_out_of_the_loader():
    shipped = pyodide_runtime.shipped_file(pyodide_runtime.package_dir(), "pyodide.mjs")
    assert not THIRD_PARTY_URL.search(shipped)
    assert b"e.cdnUrl=k(e.packageBaseUrl??t)" in shipped
