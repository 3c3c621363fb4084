"""Runs inside Pyodide (from pyodide_compile.mjs), never in CPython: compiles the loaded standard-library
modules and the fee core to .pyc with Pyodide's own compiler, and lists the modules."""
import importlib.util
import json
import marshal
import os
import sys


def stdlib_root():
    return next(p for p in sys.path if p.endswith(".zip")) + "/"


def pyc_bytes(source, filename):
    # Unchecked hash-based .pyc (PEP 552): the zips hold no sources, and equal input gives equal bytes.
    code = compile(source, filename, "exec", dont_inherit=True)
    flags = (0b01).to_bytes(4, "little")
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def write_pyc(source, filename, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(pyc_bytes(source, filename))


def stdlib_files(loaded_files):
    root = stdlib_root()
    return sorted(f[len(root):] for f in loaded_files if f.startswith(root) and f.endswith(".py"))


def core_files(core_dir):
    for folder, _dirs, files in os.walk(core_dir):
        for name in files:
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), core_dir)


def write_pycs(loaded_files, core_dir, out):
    import zipfile
    root = stdlib_root()
    modules = stdlib_files(loaded_files)
    with zipfile.ZipFile(root.rstrip("/")) as stdlib:
        for rel in modules:
            write_pyc(stdlib.read(rel), root + rel, f"{out}/stdlib/{rel}c")
    for rel in sorted(core_files(core_dir)):
        with open(f"{core_dir}/{rel}", "rb") as f:
            write_pyc(f.read(), f"{core_dir}/{rel}", f"{out}/core/{rel}c")
    with open(f"{out}/modules.json", "w") as f:
        json.dump({"python": sys.version.split()[0], "stdlib": modules}, f, indent=1)
