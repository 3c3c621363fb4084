"""Listed first under mkdocs.yml `hooks:`: makes the repository's packages importable by the hooks after it.

MkDocs puts only a hook's own folder on sys.path while it loads the hook, and restores sys.path after; the
packages imported here stay in sys.modules, so `from build_scripts import …` in the later hooks finds them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import build_scripts.site_build  # noqa: E402, F401
import calculator.policyfile  # noqa: E402, F401
