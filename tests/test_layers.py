"""The 2025+ waiting periods layered national → county: 龙陵's worked examples under a test policy, and
what a county inherits from the national layer (and what it must not)."""
import shutil
from pathlib import Path

import pytest

from calculator import policyfile
from calculator.cases import load_cases, run_case
from calculator.core import ScenarioError, quote

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "longling"
POLICIES = policyfile.POLICIES_DIR


def layers_with(folder, county):
    """The published layers and vocabulary plus one test policy (and its notice, if its own), in `folder`."""
    for layer_folder in policyfile.layers_module.LAYER_FOLDERS:
        shutil.copytree(POLICIES / layer_folder, folder / layer_folder)
    shutil.copy(POLICIES / "groups.yaml", folder)
    shutil.copytree(POLICIES / "notices", folder / "notices")
    for notice in (county.parent / "notices").glob("*.txt"):
        shutil.copy(notice, folder / "notices")
    shutil.copy(county, folder)
    return {policy["id"]: policy for policy in policyfile.load_policies(folder)}


@pytest.fixture(scope="module")
def longling(tmp_path_factory):
    return layers_with(tmp_path_factory.mktemp("policies"), FIXTURE / "longling-test-2027.yaml")


@pytest.fixture(scope="module")
def fujian(tmp_path_factory):
    return layers_with(tmp_path_factory.mktemp("policies"), FIXTURES / "fujian" / "fujian-test-2026.yaml")


CASES = load_cases(FIXTURE / "cases.yaml")
FUJIAN_CASES = load_cases(FIXTURES / "fujian" / "cases.yaml")


@pytest.mark.parametrize("case, where", FUJIAN_CASES, ids=["fujian-L" + where.rsplit(":", 1)[1] for _, where in FUJIAN_CASES])
def test_a_county_on_the_provincial_layer(case, where, fujian):
    outcome = run_case(case, where, fujian)
    assert outcome.passed, "\n".join(outcome.differences)


def test_a_provincial_layer_is_listed_nearest_first_and_the_national_waits_still_apply(fujian):
    policy = fujian["fujian-test-2026"]
    assert [(document["id"], document["level"]) for document in policy["documents"]] == [
        ("fujian-test-2026", "county"), ("fujian-sheng-2025", "province"), ("national-guobanfa-2024-38", "national")]
    assert policy["continuity"]["fixed"][0]["document"] == "national-guobanfa-2024-38"


def test_a_county_cannot_build_on_another_province_s_layer(tmp_path):
    shutil.copytree(POLICIES, tmp_path / "policies")
    county = tmp_path / "policies" / "weifang-2025.yaml"
    county.write_text(county.read_text(encoding="utf-8").replace(
        "builds_on: [national-guobanfa-2024-38]", "builds_on: [national-guobanfa-2024-38, fujian-sheng-2025]"), encoding="utf-8")
    _policies, errors = policyfile.check_policies(tmp_path / "policies")
    assert any(error.field == "builds_on[1]" and "福建省" in error.message and "山东省" in error.message for error in errors)


@pytest.mark.parametrize("case, where", CASES, ids=["cases.yaml-L" + where.rsplit(":", 1)[1] for _, where in CASES])
def test_longling_worked_examples(case, where, longling):
    outcome = run_case(case, where, longling)
    assert outcome.passed, "\n".join(outcome.differences)


def member(longling, paid_on, **facts):
    scenario = {"policy": "longling-test-2027", "paid_on": paid_on,
                "members": [dict({"id": "a", "birth_date": "1980-05-01"}, **facts)]}
    return quote(longling["longling-test-2027"], scenario)["members"][0]


def test_the_wait_is_explained_in_words(longling):
    answer = member(longling, "2026-12-10", missed_years=3, repair_years=1)
    assert answer["applied"]["waiting"]["says"] == (
        "固定等待期3个月（上一年度未参保）＋连续断保3年，增加变动等待期2个月－补缴1年，减少1个月＝4个月，2027年5月1日起享受")
    assert answer["repair"]["amount"] == 400 and answer["contribution"] == 400 and answer["pays"] == 800


def test_a_part_the_county_leaves_to_the_national_layer_cites_the_national_document(longling):
    floor = longling["longling-test-2027"]["continuity"]["floor"]
    assert floor["in_principle"] is True and floor["document"] == "national-guobanfa-2024-38"
    assert floor["sources"][0]["notice"] == "national-guobanfa-2024-38"


def test_a_figure_only_in_principle_applies_and_says_it_is_the_national_rule(longling):
    answer = member(longling, "2026-12-10", missed_years=5, repair_years=4)
    assert answer["coverage_start"] == "2027-07-01" and answer["applied"]["waiting"]["floor_months"] == 3
    assert "等待期合计不少于6个月（国家规定原则上如此，以当地为准）" in answer["applied"]["waiting"]["says"]


def test_national_exemptions_apply_alongside_the_county_s(longling):
    answer = member(longling, "2027-03-01", birth_date="2026-12-01")
    assert answer["applied"]["waiting"]["exempt"]["id"] == "national-newborn"
    assert "unknown" in answer["coverage_start"] and answer["waiting_days"] == 0


def test_repairing_more_years_than_were_missed_is_refused(longling):
    with pytest.raises(ScenarioError) as raised:
        member(longling, "2026-12-10", missed_years=1, repair_years=2)
    assert raised.value.field == "members[0].repair_years"


def test_a_policy_without_repair_refuses_repair_years(policies):
    old = next(policy for policy in policies.values() if not policy.get("continuity"))
    paid_on = old["windows"][0]["from"]
    scenario = {"policy": old["id"], "paid_on": paid_on,
                "members": [{"id": "a", "birth_date": "1980-05-01", "tier": 1, "missed_years": 2, "repair_years": 1}]}
    if not old["contribution"].get("tiers"):
        del scenario["members"][0]["tier"]
    with pytest.raises(ScenarioError, match="缴费修复"):
        quote(old, scenario)


def test_an_unknown_layer_is_a_validation_error(tmp_path):
    shutil.copytree(POLICIES, tmp_path / "policies")
    county = next(path for path in (tmp_path / "policies").glob("*.yaml")
                  if "builds_on" in path.read_text(encoding="utf-8"))
    county.write_text(county.read_text(encoding="utf-8").replace("builds_on: [", "builds_on: [no-such-layer, "), encoding="utf-8")
    _policies, errors = policyfile.check_policies(tmp_path / "policies")
    assert any(error.field == "builds_on[0]" and "no-such-layer" in error.message for error in errors)


def test_a_closed_window_says_no_payment_is_possible_then(tmp_path):
    """A real gap between payment periods is not a refusal of the person: the answer says so."""
    shutil.copytree(POLICIES, tmp_path / "policies")
    county = tmp_path / "policies" / "weifang-2025.yaml"
    text = county.read_text(encoding="utf-8")
    closed = ("  - id: pause\n    label: 系统切换，暂停缴费\n    closed: true\n    from: 2025-01-01\n    to: 2025-01-31\n"
              "    source: 征缴时间原则上截至2024年12月31日。\n    derived: 测试用：2025年1月1日至2025年1月31日暂停缴费。\n")
    text = text.replace("  - id: late\n", closed + "  - id: late\n", 1).replace(
        "    from: 2025-01-01\n    to:\n", "    from: 2025-02-01\n    to:\n", 1)
    text = text.replace("derived: 集中缴费期到2024年12月31日，之后从2025年1月1日起。", "derived: 测试用：从2025年2月1日起。")
    county.write_text(text, encoding="utf-8")
    weifang = {policy["id"]: policy for policy in policyfile.load_policies(tmp_path / "policies")}["weifang-2025"]
    answer = quote(weifang, {"paid_on": "2025-01-15", "members": [{"id": "a", "birth_date": "1980-01-01", "tier": 1}]})
    member = answer["members"][0]
    assert member["accepted"] is False and member["closed"] is True and "不能缴费" in member["reason"]
