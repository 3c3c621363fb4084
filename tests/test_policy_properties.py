"""The per-policy properties `validate` runs (calculator/policy_properties.py), and what a new county
needs: a renamed copy of any policy passes validate, the properties sweep, its cases and the page build."""
import copy
import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.cases import load_cases, run_case
from calculator.policy_properties import answer_problems, property_errors, property_problems
from calculator.policyfile import POLICIES_DIR, check_policies, load_policies

ROOT = Path(__file__).resolve().parent.parent
POLICIES = load_policies()
CASE_FILES = sorted((ROOT / "tests" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("policy", POLICIES, ids=[policy["id"] for policy in POLICIES])
def test_every_payment_day_keeps_the_properties(policy):
    assert property_problems(policy) == []


def test_the_sweep_finds_a_subsidy_larger_than_the_price():
    policy = copy.deepcopy(POLICIES[0])
    highest = max(price["amount"] for price in policy["contribution"]["prices"])
    policy["subsidies"].append({"id": "too-much", "label": "本人只缴一个比缴费标准还高的数", "when": {},
                                "kind": "personal_amount", "amount": highest + 100})
    problems = property_problems(policy)
    assert any(path == ["subsidies", len(policy["subsidies"]) - 1] and "为负数" in message for path, message in problems), problems


def test_the_sweep_finds_a_rule_hidden_by_an_earlier_one():
    policy = copy.deepcopy(POLICIES[0])
    policy["rules"].append(dict(policy["rules"][-1], id="never-reached"))
    problems = property_problems(policy)
    assert [message for path, message in problems if path == ["rules", len(policy["rules"]) - 1]] == [
        "逐日试算中没有人用到这条规则“never-reached”：满足它条件的人都被前面的规则接走了（第一条成立的生效），或条件互相矛盾"]


ADULT = {"birth_date": "1980-01-01"}
A_DAY = datetime.date(2023, 3, 1)


def accepted(**answer):
    return dict({"accepted": True, "price": 100, "contribution": 100, "pays": 100, "subsidy": 0, "reimbursed_later": 0,
                 "coverage_start": "2023-01-01", "coverage_end": "2023-12-31", "waiting_days": 0}, **answer)


@pytest.mark.parametrize("member, answer, kind", [
    ({"birth_date": "2023-05-01"}, accepted(coverage_start="2023-01-01"), "早于出生日期"),
    (ADULT, accepted(coverage_start="2024-02-01"), "结果却没有说明"),
    (ADULT, accepted(subsidy=150, contribution=-50, pays=-50), "为负数"),
    (ADULT, accepted(subsidy=30), "≠ 缴费标准"),
    (ADULT, accepted(waiting_days=-3), "等待期为负数"),
    (ADULT, {"accepted": False}, "没有说明原因"),
])
def test_each_property_can_fail(member, answer, kind):
    problems = list(answer_problems(POLICIES[0], A_DAY, [], member, answer))
    assert any(kind in message for _, message in problems), problems


def test_cover_after_the_year_is_fine_when_the_result_says_so():
    answer = accepted(coverage_start="2024-02-01", starts_after_year_end=True)
    assert list(answer_problems(POLICIES[0], A_DAY, [], ADULT, answer)) == []


def policy_files():
    return sorted(path for path in POLICIES_DIR.glob("*.yaml") if path.name != "groups.yaml")


def renamed_copy(directory, path):
    """policies/<id>.yaml copied as copy-<id>.yaml with its id changed: a new county, as staff would start one."""
    new_id = "copy-" + path.stem
    text = re.sub(r"(?m)^id: %s$" % re.escape(path.stem), "id: " + new_id, path.read_text(encoding="utf-8"), count=1)
    assert "id: " + new_id in text
    (directory / (new_id + ".yaml")).write_text(text, encoding="utf-8")
    return new_id


@pytest.fixture
def policy_dir(tmp_path):
    target = tmp_path / "policies"
    shutil.copytree(POLICIES_DIR, target)
    return target


@pytest.mark.parametrize("path", policy_files(), ids=[path.stem for path in policy_files()])
def test_a_renamed_copy_passes_validate_the_sweep_and_the_cases(policy_dir, path):
    new_id = renamed_copy(policy_dir, path)
    policies, errors = check_policies(policy_dir)
    assert [str(error) for error in errors] == []
    assert len(policies) == len(POLICIES) + 1
    by_id = {policy["id"]: policy for policy in policies}
    assert property_errors([by_id[new_id]], policy_dir) == []
    cases = [(dict(case, policy=new_id), where) for case_file in CASE_FILES for case, where in load_cases(case_file)
             if case["policy"] == path.stem]
    assert cases, "every policy has cases in tests/cases/"
    failed = [(where, outcome.differences) for case, where in cases if not (outcome := run_case(case, where, by_id)).passed]
    assert failed == []


def test_county_pages_build_with_a_renamed_copy_of_every_policy(policy_dir, tmp_path):
    new_ids = [renamed_copy(policy_dir, path) for path in policy_files()]
    run = subprocess.run([sys.executable, "-m", "build_scripts.pages", "--out", str(tmp_path / "out")], cwd=ROOT,
                         env=dict(os.environ, YIBAO_POLICIES_DIR=str(policy_dir)), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    for new_id in new_ids:
        assert (tmp_path / "out" / "counties" / new_id / "index.html").exists()
