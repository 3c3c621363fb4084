import pytest

from calculator.policyfile import load_policies


@pytest.fixture(scope="session")
def policies():
    """Every shipped policy, compiled, by id."""
    return {policy["id"]: policy for policy in load_policies()}
