"""Every case in tests/cases/*.yaml through the CPython fee core; the case files cover every policy part.

Cases live one file per policy (tests/cases/<policy id>.yaml, or <policy id>-<topic>.yaml), so a new
county adds a file and touches no other.
"""
from pathlib import Path

import pytest

from calculator.cases import load_cases, run_case, scenario_of
from calculator.core import quote
from calculator.policyfile import load_policies

CASE_FILES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
CASES = [(case, where) for path in CASE_FILES for case, where in load_cases(path)]
POLICIES = load_policies()
GOLDEN_CASES_IN_SHARED = 45  # ../shared/golden/cases.yaml, each copied into its policy's file marked `golden: true`


def test_the_golden_cases_are_all_here():
    assert sum(1 for case, _ in CASES if case.get("golden")) >= GOLDEN_CASES_IN_SHARED


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.name for path in CASE_FILES])
def test_a_case_file_holds_the_cases_of_the_policy_it_is_named_after(path):
    for case, where in load_cases(path):
        assert path.stem == case["policy"] or path.stem.startswith(case["policy"] + "-"), where


def case_id(where):
    """nanan-2023-L12: where the case is, in plain ASCII (the case's own name is in the failure message)."""
    path, line = where.rsplit(":", 1)
    return "%s-L%s" % (Path(path).stem, line)


@pytest.mark.parametrize("case, where", CASES, ids=[case_id(where) for _, where in CASES])
def test_case(case, where, policies):
    outcome = run_case(case, where, policies)
    assert outcome.passed, "\n".join([case["name"]] + outcome.differences)


def parts_applied(policy):
    """(kind, id) of every rule, price and subsidy some case of `policy` gets applied."""
    applied = set()
    for case, _ in CASES:
        if case["policy"] != policy["id"]:
            continue
        for member in quote(policy, scenario_of(case))["members"]:
            chosen = member.get("applied") or {}
            applied |= {(kind, chosen[key]["id"]) for key, kind in (("rule", "rules"), ("price", "prices"), ("subsidy", "subsidies"))
                        if chosen.get(key)}
    return applied


@pytest.mark.parametrize("policy", POLICIES, ids=[policy["id"] for policy in POLICIES])
def test_every_rule_price_and_subsidy_is_hit_by_a_case(policy):
    applied = parts_applied(policy)
    parts = [("rules", rule) for rule in policy["rules"]] + [("prices", price) for price in policy["contribution"]["prices"]] + [
        ("subsidies", subsidy) for subsidy in policy["subsidies"]]
    missed = ["%s %s（%s）" % (kind, part["id"], part["label"]) for kind, part in parts if (kind, part["id"]) not in applied]
    assert missed == [], "tests/cases/%s.yaml 里还没有案例用到：%s" % (policy["id"], "；".join(missed))
