"""Runs inside Pyodide (from pyodide_compile.mjs), never in CPython: compiles the loaded standard-library
modules and the fee core to .pyc with Pyodide's own compiler, and lists the modules."""
import ast
import importlib.util
import json
import marshal
import os
import sys


def stdlib_root():
    return next(p for p in sys.path if p.endswith(".zip")) + "/"


def pyc_bytes(source, filename, strip_docstrings):
    # Unchecked hash-based .pyc (PEP 552): the zips hold no sources, and equal input gives equal bytes.
    tree = without_docstrings(ast.parse(source, filename)) if strip_docstrings else source
    code = compile(tree, filename, "exec", dont_inherit=True)
    flags = (0b01).to_bytes(4, "little")
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)


def without_docstrings(tree):
    """Docstrings are 15% of the stdlib's bytecode and nothing the core runs reads them. Unlike
    optimize=2 this keeps assert statements, so the code behaves as in the stock runtime."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body[0] = ast.copy_location(ast.Pass(), first)
    return tree


def write_pyc(source, filename, target, strip_docstrings):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(pyc_bytes(source, filename, strip_docstrings))


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
            write_pyc(stdlib.read(rel), root + rel, f"{out}/stdlib/{rel}c", strip_docstrings=True)
    for rel in sorted(core_files(core_dir)):
        with open(f"{core_dir}/{rel}", "rb") as f:
            # The core keeps its docstrings: it must run exactly as in CPython.
            write_pyc(f.read(), f"{core_dir}/{rel}", f"{out}/core/{rel}c", strip_docstrings=False)
    with open(f"{out}/modules.json", "w") as f:
        json.dump({"python": sys.version.split()[0], "stdlib": modules}, f, indent=1)
