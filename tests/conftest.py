import os

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


@pytest.fixture(scope="session")
def policies():
    """Every shipped policy, compiled, by id."""
    return {policy["id"]: policy for policy in load_policies()}
