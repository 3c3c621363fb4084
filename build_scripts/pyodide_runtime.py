"""Pyodide for the browser calculator, self-hosted.

The npm tarball of the version pinned in pyodide_pin.json is fetched once with `npm pack`, checked
against the pinned sha512 and unpacked under .cache/pyodide/. The build then runs that same Pyodide
under Node (pyodide_compile.mjs) to learn which standard-library modules the fee core needs and to
compile them, and the core, to .pyc. Results are cached by the hash of everything they depend on (of the
exercise, the modules it makes the core import: modules_imported).
"""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PIN_FILE = HERE / "pyodide_pin.json"
CACHE = ROOT / ".cache" / "pyodide"
CORE_SESSION = ROOT / "docs" / "assets" / "calculator" / "core-session.mjs"
COMPILE_INPUTS = (HERE / "pyodide_compile.mjs", HERE / "pyodide_compile.py", CORE_SESSION)
KEEP_COMPILED = 5
KEEP_TRACES = 5000  # small files, one per policy's calls (edits leave old ones)

# The files the browser loads from the package; the stdlib zip and the lock file are our own.
SHIPPED_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# pyodide.mjs names a CDN as the default place for packages. We load none, so the default becomes
# indexURL (the local `t` at that point of the minified file) and no third-party URL reaches the site.
CDN_DEFAULT = re.compile(rb"`https://[^`]+/v\$\{U\}/full/`")
CDN_REPLACEMENT = b"t"


class PyodideError(Exception):
    """The pinned Pyodide could not be fetched, verified or run."""


def pin():
    return json.loads(PIN_FILE.read_text())


def package_dir():
    """The unpacked npm package of the pinned version; fetched and verified on first use."""
    p = pin()
    target = CACHE / p["version"]
    marker = target / ".integrity"
    if not (marker.exists() and marker.read_text() == p["integrity"]):
        _unpack(_verified_tarball(p), target)
        marker.write_text(p["integrity"])
    return target / "package"


def _verified_tarball(p):
    tarball = CACHE / f"{p['package']}-{p['version']}.tgz"
    if not tarball.exists():
        _npm_pack(p, tarball)
    actual = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if actual != p["integrity"]:
        tarball.unlink()
        raise PyodideError(f"{tarball.name}: sha512 is {actual}, {PIN_FILE.name} pins {p['integrity']}")
    return tarball


def _npm_pack(p, tarball):
    tarball.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tarball.parent) as tmp:
        spec = f"{p['package']}@{p['version']}"
        run = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", tmp],
                             capture_output=True, text=True)
        packed = Path(tmp) / f"{p['package']}-{p['version']}.tgz"
        if run.returncode != 0 or not packed.exists():
            raise PyodideError(f"npm pack {spec} failed: {run.stderr.strip()}")
        packed.replace(tarball)


def _unpack(tarball, target):
    shutil.rmtree(target, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(dir=CACHE))
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp, filter="data")
    tmp.replace(target)


def lock_info(pkg):
    """The `info` block of the package's lock file: its ABI tag is all Pyodide checks."""
    return json.loads((pkg / "pyodide-lock.json").read_text())["info"]


def shipped_file(pkg, name):
    data = (pkg / name).read_bytes()
    if name != "pyodide.mjs":
        return data
    patched, count = CDN_DEFAULT.subn(CDN_REPLACEMENT, data)
    if count != 1:
        raise PyodideError(f"{name}: expected the CDN default once; re-check the patch for this version")
    return patched


def compile_core(core_zip, exercise):
    """Runs pyodide_compile.mjs; returns the folder with stdlib/, core/ (.pyc files) and modules.json.

    core_zip: bytes of a zip with the core's .py files; exercise: [[policy_json, scenario_json], ...].
    """
    pkg = package_dir()
    exercise_bytes = json.dumps(exercise, ensure_ascii=False, sort_keys=True).encode()
    key = content_hash(pin()["integrity"].encode(), core_zip, modules_imported(core_zip, exercise),
                       *[f.read_bytes() for f in COMPILE_INPUTS])
    out = CACHE / "compiled" / key
    if (out / "modules.json").exists():
        return out
    _run_compile(pkg, core_zip, exercise_bytes, out)
    _prune(out.parent)
    return out


# Runs each policy's calls of the exercise on the core zip in a CPython of its own, forked after the core is
# imported, and prints per policy the modules loaded by then (a JSON list per line). `posix`, not `os`: the
# trace must import nothing the core does not (posix is loaded at start-up).
TRACE_IMPORTS = """
import json, posix, sys
sys.path.insert(0, sys.argv[1])
from calculator.core import quote_json
for calls in json.load(sys.stdin):
    read, write = posix.pipe()
    if posix.fork() == 0:
        for policy_json, scenario_json in calls:
            quote_json(policy_json, scenario_json)
        data = json.dumps(sorted(sys.modules)).encode()
        while data:
            data = data[posix.write(write, data):]
        posix._exit(0)
    posix.close(write)
    chunks = []
    while chunk := posix.read(read, 65536):
        chunks.append(chunk)
    posix.close(read)
    posix.wait()
    print(b"".join(chunks).decode())
"""


def modules_imported(core_zip, exercise):
    """What the exercise makes the core import, traced in this CPython (a second or so, where Pyodide takes
    ten): the compiled stdlib follows the code paths the exercise walks, not the policies' names and
    figures, so an edit that walks no new path reuses the compiled runtime. The trace runs the same
    source as Pyodide does; tests/test_bundle.py runs every case against the zip that ships.

    Traced and cached per policy (its calls, run in a fresh interpreter each): after an edit only that
    policy's calls run again. Imports only add up, so the union is what the whole exercise imports."""
    groups = {}
    for call in exercise:
        groups.setdefault(call[0], []).append(call)
    keys = {policy: content_hash(core_zip, json.dumps(calls, ensure_ascii=False).encode()) for policy, calls in groups.items()}
    folder = CACHE / "imports"
    missing = [policy for policy in groups if not (folder / keys[policy]).exists()]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        for policy, modules in zip(missing, _trace_imports(core_zip, [groups[policy] for policy in missing])):
            partial = folder / f"{keys[policy]}.{os.getpid()}"
            partial.write_text(json.dumps(modules))
            partial.replace(folder / keys[policy])
        for old in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_TRACES:]:
            old.unlink(missing_ok=True)
    modules = set()
    for policy in groups:
        modules.update(json.loads((folder / keys[policy]).read_text()))
    return "\n".join(sorted(modules)).encode()


def _trace_imports(core_zip, call_groups):
    """[modules imported by running each group of calls], one fresh interpreter per group."""
    with tempfile.TemporaryDirectory() as tmp:
        zip_path = Path(tmp) / "core.zip"
        zip_path.write_bytes(core_zip)
        run = subprocess.run([sys.executable, "-I", "-S", "-c", TRACE_IMPORTS, str(zip_path)],
                             input=json.dumps(call_groups, ensure_ascii=False).encode(), capture_output=True)
    traced = [json.loads(line) for line in run.stdout.decode().splitlines() if line]
    if run.returncode != 0 or len(traced) != len(call_groups):
        raise PyodideError(f"tracing the core's imports failed:\n{run.stderr.decode()}")
    return traced


def _run_compile(pkg, core_zip, exercise_bytes, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        tmp = Path(tmp)
        (tmp / "core.zip").write_bytes(core_zip)
        (tmp / "exercise.json").write_bytes(exercise_bytes)
        (tmp / "out").mkdir()
        run = subprocess.run(["node", str(HERE / "pyodide_compile.mjs"), str(pkg), str(tmp / "core.zip"),
                              str(tmp / "exercise.json"), str(tmp / "out")], capture_output=True, text=True)
        if run.returncode != 0:
            raise PyodideError(f"pyodide_compile.mjs failed:\n{run.stdout}{run.stderr}")
        shutil.rmtree(out, ignore_errors=True)
        (tmp / "out").replace(out)


def _prune(folder):
    entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_COMPILED:]:
        shutil.rmtree(old, ignore_errors=True)


def content_hash(*parts):
    """12 hex digits of a hash over the parts (bytes), for names that change whenever a part does."""
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:12]
