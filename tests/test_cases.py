"""Every case in tests/cases/*.yaml (the golden cases and our own edges) through the CPython fee core."""
from pathlib import Path

import pytest

from calculator.cases import load_cases, run_case

CASE_FILES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
CASES = [(case, where) for path in CASE_FILES for case, where in load_cases(path)]


def test_the_golden_cases_are_all_here():
    golden = [case for case, where in CASES if "golden.yaml" in where]
    assert len(golden) == 45


@pytest.mark.parametrize("case, where", CASES, ids=[case["name"] for case, _ in CASES])
def test_case(case, where, policies):
    outcome = run_case(case, where, policies)
    assert outcome.passed, "\n".join(outcome.differences)
