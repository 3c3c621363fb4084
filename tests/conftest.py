import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from calculator.policyfile import load_policies

# The property tests (hypothesis) take their number of examples from here, never from their decorator:
# in CI each runs PROPERTY_EXAMPLES random households; under mutmut (scripts/mutation.sh), where they run
# once for each mutant that survives the quicker tests, a few dozen, the same ones every time.
PROPERTY_EXAMPLES = 400
settings.register_profile("ci", max_examples=PROPERTY_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("mutation", settings.get_profile("ci"), max_examples=30, derandomize=True, database=None,
                          phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False)  # a failure kills: no shrinking
settings.load_profile("mutation" if "MUTANT_UNDER_TEST" in os.environ else "ci")


def pytest_collection_modifyitems(config, items):
    """Under mutmut, leave out the tests that read the built site: building it compiles the mutated core for
    Pyodide, which cannot import mutmut's trampolines (setup.cfg, [mutmut])."""
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    built = [item for item in items if "site" in getattr(item, "fixturenames", ())]
    if built:
        config.hook.pytest_deselected(items=built)
        items[:] = [item for item in items if item not in built]


@pytest.fixture(scope="session")
def policies():
    """Every shipped policy, compiled, by id."""
    return {policy["id"]: policy for policy in load_policies()}


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site as `mkdocs build --strict` makes it, built once for the whole run."""
    out = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=Path(__file__).resolve().parent.parent,
                         env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return out
