"""calculator.policyfile.check_policies, each policy compiled once for the same inputs (build_scripts.build_cache).

A policy's compiled form depends on its YAML, the notice text it cites, the shared vocabulary
(groups.yaml) and the compiled layers (national and provincial documents); all of them are in its key.
Only policies that compile without problems are kept, so every build reports every problem as before.
"""
import pickle
import re
from pathlib import Path

from build_scripts import build_cache
from calculator import policyfile

KIND = "compiled"
NOTICE_LINE = re.compile(rb"^notice:\s*['\"]?([^'\"\s#]+)", re.M)


def check_policies(directory):
    """(compiled policies, problems) as policyfile.check_policies returns them."""
    directory = Path(directory)
    vocabulary_path = directory / "groups.yaml"
    vocabulary, errors = policyfile.load_vocabulary(vocabulary_path)
    layers, layer_errors = policyfile.check_layers(directory, vocabulary)
    errors += layer_errors
    shared = pickle.dumps((vocabulary, layers), protocol=pickle.HIGHEST_PROTOCOL)
    paths = [path for path in sorted(directory.glob("*.yaml")) if path.name != vocabulary_path.name]
    keys = {path: policy_key(path, shared) for path in paths}
    found = {path: build_cache.load(KIND, keys[path]) for path in paths}
    missing = [path for path in paths if found[path] is None]
    for path, (policy, problems) in zip(missing, policyfile.check_policy_files(missing, vocabulary, layers)):
        errors += problems
        if policy:
            build_cache.store(KIND, keys[path], policy)
            found[path] = policy
    if missing:
        build_cache.prune(KIND)
    return [found[path] for path in paths if found[path] is not None], errors


def policy_key(path, shared):
    """The policy file's bytes, its notice's (all notices' when the file does not plainly name one) and `shared`."""
    text = path.read_bytes()
    notices = policyfile.notices_dir(path)
    named = NOTICE_LINE.search(text)
    notice_files = [notices / named.group(1).decode()] if named else sorted(notices.glob("*"))
    return build_cache.key(path.name, text, shared, *(read_or_empty(notice) for notice in notice_files))


def read_or_empty(path):
    try:
        return path.read_bytes()
    except OSError:  # a missing notice is the policy's problem, reported when it compiles
        return b""
