"""Input that makes no sense is refused with the field named, never answered with a wrong number."""
import json

import pytest

from calculator.core import ScenarioError, quote, quote_json


def household(policy="nanan-2023", paid_on="2022-11-01", **member):
    return {"policy": policy, "paid_on": paid_on, "members": [dict({"id": "a", "birth_date": "1980-01-01"}, **member)]}


@pytest.mark.parametrize("scenario, field, words", [
    (household(paid_on="2022/11/01"), "paid_on", "格式为 年-月-日"),
    (household(birth_date="2023-01-01"), "members[0].birth_date", "出生日期晚于缴费日期"),
    (household(birth_date="1980-02-30"), "members[0].birth_date", "日期格式应为"),
    (household(groups=["nobody"]), "members[0].groups", "不认识的群体“nobody”"),
    (household(tier=2), "members[0].tier", "本通知不分缴费档次"),
    (household(policy="yantai-fushan-2022", tier=3), "members[0].tier", "只有 1、2"),
    (household(policy="yantai-fushan-2022"), "members[0].tier", "须选择缴费档次"),
    (household(policy="yantai-fushan-2022", tier=2, groups=["disability"]), "members[0].disability_grade", "请填写残疾等级"),
    (household(add_ons=["accident"]), "members[0].add_ons", "没有附加保险“accident”"),
    (household(student="pupil"), "members[0].student", "学生身份应为"),
    (household(disability_grade=5), "members[0].disability_grade", "残疾等级应为 1（一级）"),
    (household(name="张三"), "members[0].name", "不认识的字段"),
    (household(employee_insurance={"stopped_on": "2022-12-01"}), "members[0].employee_insurance.stopped_on", "晚于缴费日期"),
    (household(employee_insurance={"continuous_years": 2}), "members[0].employee_insurance", "stopped_on"),
    (household(migrant_worker="yes"), "members[0].migrant_worker", "true 或 false"),
    ({"policy": "nanan-2023", "paid_on": "2022-11-01", "members": []}, "members", "至少要有一位"),
])
def test_bad_input_names_the_field(scenario, field, words, policies):
    with pytest.raises(ScenarioError) as raised:
        quote(policies[scenario["policy"]], scenario)
    assert raised.value.field == field
    assert words in raised.value.message


def test_a_scenario_for_another_policy_is_refused(policies):
    with pytest.raises(ScenarioError) as raised:
        quote(policies["nanan-2023"], household(policy="youxi-2022"))
    assert raised.value.field == "policy"


def test_duplicate_member_labels_are_refused(policies):
    scenario = household()
    scenario["members"].append({"id": "a", "birth_date": "1990-01-01"})
    with pytest.raises(ScenarioError, match="重复"):
        quote(policies["nanan-2023"], scenario)


@pytest.mark.parametrize("paid_on, reason", [
    ("2022-08-31", "本通知（2023年度）的缴费从2022年9月1日开始，2022年8月31日还不能缴费"),
    ("2024-01-01", "本通知（2023年度）的缴费期到2023年12月31日已结束"),
])
def test_a_day_outside_every_window_is_answered_not_an_error(paid_on, reason, policies):
    """「还能不能缴？」 is a real question: before the first window and after the last, nobody can pay."""
    member = quote(policies["nanan-2023"], household(paid_on=paid_on))["members"][0]
    assert member["accepted"] is False and member["closed"] is True and member["reason"] == reason


def test_quote_json_returns_the_error_instead_of_raising(policies):
    answer = json.loads(quote_json(json.dumps(policies["nanan-2023"]), json.dumps(household(paid_on="2030/01/01"))))
    assert answer == {"error": {"field": "paid_on", "message": "请填写缴费日期，格式为 年-月-日"}}
    assert json.loads(quote_json("{}", "not json")) == {"error": {"field": "scenario", "message": "输入不是有效的 JSON"}}


def test_a_group_the_notice_does_not_name_is_said_so_in_the_trace(policies):
    result = quote(policies["youxi-2022"], household(policy="youxi-2022", groups=["dibao"]))
    says = [step["says"] for step in result["members"][0]["trace"]]
    assert "本通知没有提到“低保对象”的缴费减免，按普通居民计算" in says
