"""What the browser receives is what CPython computes: every case's result survives quote_json as JSON."""
import json
from pathlib import Path

import pytest

from calculator.cases import load_cases, scenario_of
from calculator.core import quote, quote_json

CASE_FILES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
CASES = [case for path in CASE_FILES for case, _where in load_cases(path)]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_result_is_plain_json(case, policies):
    policy, scenario = policies[case["policy"]], scenario_of(case)
    through_json = json.loads(quote_json(json.dumps(policy), json.dumps(scenario, default=str)))
    assert "error" not in through_json
    assert through_json == json.loads(json.dumps(quote(policy, scenario)))
