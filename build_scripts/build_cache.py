"""Content-hash cache of the work done once per policy (its compiled form, its generated files), in
.cache/build/ (git-ignored; $YIBAO_BUILD_CACHE moves it, as the bench does for a cold build).

A key is a hash of everything the result is made from: the input files' bytes and `code_version()`, the
code and templates that make it. An entry is never updated, only written under a new key, so a build
that reads an old entry reads exactly what the same inputs made before; old entries are pruned by age.
"""
import datetime
import functools
import hashlib
import os
import pickle
import sys
import time
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "YIBAO_BUILD_CACHE"
# What makes the outputs besides the policy folder: the loader and core, the page code, the templates, the
# policy schema (the repository's, whichever folder the policies come from) and the pinned packages.
CODE_FOLDERS = ("calculator", "build_scripts", "templates")
CODE_SUFFIXES = (".py", ".j2", ".html", ".json", ".mjs", ".css", ".js")
CODE_FILES = ("policies/schema.json", "requirements.txt")
KEEP_DAYS = 14
# mutmut switches a mutant on through this variable, in unchanged source files: a cached result would hide it.
MUTANT_ENV = "MUTANT_UNDER_TEST"


def cache_dir():
    return Path(os.environ.get(CACHE_ENV) or ROOT / ".cache" / "build")


@functools.cache
def code_version():
    """A hash of the Python version and of every source file that shapes a compiled policy or a page."""
    digest = hashlib.sha256(sys.version.encode())
    sources = [path for folder in CODE_FOLDERS for path in sorted((ROOT / folder).rglob("*"))
               if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts]
    for path in sources + [ROOT / name for name in CODE_FILES]:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_day():
    """Pages and calendars say whether a period was over when the site was built, and calendars carry the build
    time (county_sentences.build_time): a cached file is good for the day it was made, or for one
    SOURCE_DATE_EPOCH (then every build of those inputs is the same, byte for byte)."""
    return os.environ.get("SOURCE_DATE_EPOCH") or datetime.datetime.now(datetime.UTC).date().isoformat()


def key(*parts):
    """A hash of the parts (bytes or str) and of code_version()."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(hashlib.sha256(part.encode() if isinstance(part, str) else part).digest())
    return digest.hexdigest()


def load(kind, entry_key):
    """The value stored under (kind, entry_key), or None."""
    path = cache_dir() / kind / entry_key
    if os.environ.get(MUTANT_ENV):
        return None
    try:
        value = pickle.loads(path.read_bytes())
    except (FileNotFoundError, EOFError, pickle.UnpicklingError):
        return None
    os.utime(path)  # still in use: prune() keeps it
    return value


def store(kind, entry_key, value):
    if os.environ.get(MUTANT_ENV):
        return
    path = cache_dir() / kind / entry_key
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name("%s.%d" % (entry_key, os.getpid()))
    partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)  # atomic: a build running beside this one never reads half an entry


def template_bytecode():
    """Jinja's cache of compiled templates (each keyed by its name and the hash of its source)."""
    folder = cache_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def prune(kind):
    """Drops the entries of `kind` no build has used for KEEP_DAYS (edits leave their old keys behind)."""
    folder = cache_dir() / kind
    if not folder.is_dir():
        return
    oldest = time.time() - KEEP_DAYS * 86400
    for path in folder.iterdir():
        if path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
