"""The acceptance oracle itself: every case file in ../shared/golden passes as it is, unchanged."""
from pathlib import Path

import pytest

from calculator.cases import load_cases, run_case

SHARED_GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "golden"
CASES = [(case, where) for path in sorted(SHARED_GOLDEN.glob("*.yaml")) for case, where in load_cases(path)]


def test_the_shared_golden_cases_are_beside_the_repository():
    assert CASES, "没有找到 %s/*.yaml（CI 把 shared/ 放在仓库旁边）" % SHARED_GOLDEN


@pytest.mark.parametrize("case, where", CASES, ids=[where for _, where in CASES])
def test_shared_golden_case(case, where, policies):
    outcome = run_case(case, where, policies)
    assert outcome.passed, "\n".join(outcome.differences)
