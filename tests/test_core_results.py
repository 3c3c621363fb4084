"""What a result says besides the figures, checked the way a reviewer would: each step of the trace cites
the sentence of the part it names, refusals say why, the 2025+ wait and repair are spelled out, and input
errors name exactly the field. (Found by mutation testing: these parts changed without a test noticing.)"""
import copy
import datetime
from pathlib import Path

import pytest

from calculator.cases import load_cases, scenario_of
from calculator.core import ScenarioError, quote
from calculator.core.conditions import meet_all
from calculator.core.facts import FACTS, Fact
from calculator.core.windows import window_on
from calculator.policyfile import load_policies

POLICIES = {policy["id"]: policy for policy in load_policies()}
CASES = [case for path in sorted((Path(__file__).parent / "cases").glob("*.yaml")) for case, _ in load_cases(path)]


def parts_by_step(policy, paid_on, member):
    """{trace step id: the policy part whose sentence that step must cite}."""
    applied = member["applied"]
    window = window_on(policy, datetime.date.fromisoformat(paid_on))
    parts = {"window": window} if window else {}
    if applied.get("rule"):
        parts[applied["rule"]["id"]] = next(rule for rule in policy["rules"] if rule["id"] == applied["rule"]["id"])
    if applied.get("price"):
        parts["price"] = next(price for price in policy["contribution"]["prices"] if price["id"] == applied["price"]["id"])
    if applied.get("subsidy") and applied["subsidy"]["kind"] != "unstated":
        subsidy = next(item for item in policy["subsidies"] if item["id"] == applied["subsidy"]["id"])
        parts[subsidy["id"]] = subsidy
        if subsidy.get("enrolled_by_government"):
            parts["enrolled-by-government"] = subsidy
    rule = parts.get(applied["rule"]["id"]) if applied.get("rule") else None
    if rule and rule.get("price") == "personal_plus_fiscal" and policy["contribution"]["fiscal_subsidy"].get("sources"):
        parts["fiscal-surcharge"] = policy["contribution"]["fiscal_subsidy"]
    for add_on in member.get("add_ons", []):
        parts["add-on-" + add_on["id"]] = next(item for item in policy["add_ons"] if item["id"] == add_on["id"])
    return parts


@pytest.mark.parametrize("policy_id", sorted(POLICIES))
def test_each_step_cites_the_sentence_of_the_part_it_names(policy_id):
    policy = POLICIES[policy_id]
    for case in (case for case in CASES if case["policy"] == policy_id):
        for member in quote(policy, scenario_of(case))["members"]:
            steps = {step["rule"]: step for step in member["trace"]}
            for step_id, part in parts_by_step(policy, str(case["paid_on"]), member).items():
                assert steps[step_id].get("sources") == part["sources"], (case["name"], step_id)
            if member["accepted"]:
                applied = member["applied"]
                assert applied["price"] is None or set(applied["price"]) == {"id", "label", "amount"}
                assert {"days", "anchor", "exempt", "says"} <= set(applied["waiting"])
                rule = member["applied"]["rule"]
                assert steps[rule["id"]]["says"] == rule["label"]
                assert steps["waiting"]["says"] == member["applied"]["waiting"]["says"]
                assert steps["waiting"].get("sources") == member["applied"]["waiting"].get("sources"), case["name"]
                assert steps["coverage"]["says"]


def one(policy_id, paid_on, **facts):
    scenario = {"paid_on": paid_on, "members": [dict({"id": "a", "birth_date": "1980-05-01"}, **facts)]}
    return quote(POLICIES[policy_id], scenario)["members"][0]


def says(member, step_id):
    return next(step["says"] for step in member["trace"] if step["rule"] == step_id)


def test_a_refusal_gives_the_rule_s_words():
    member = one("sixian-shantou-2022", "2022-01-10")
    assert member["accepted"] is False and member["reason"] == member["applied"]["rule"]["label"]


def test_no_rule_for_a_person_is_said_so():
    policy = copy.deepcopy(POLICIES["nanan-2023"])
    policy["rules"] = [rule for rule in policy["rules"] if rule["when"] != {"window": ["concentrated"]}]
    member = quote(policy, {"paid_on": "2022-10-01", "members": [{"id": "a", "birth_date": "1980-05-01"}]})["members"][0]
    assert (member["accepted"], member["reason"], member["applied"]["rule"]) == (False, "本通知没有为这种情况规定参保缴费办法", None)


def test_a_closed_window_says_no_payment_is_possible_then():
    policy = copy.deepcopy(POLICIES["nanan-2023"])
    policy["windows"][1]["closed"] = True
    member = quote(policy, {"paid_on": "2023-01-05", "members": [{"id": "a", "birth_date": "1980-05-01"}]})["members"][0]
    assert (member["accepted"], member["closed"], member["reason"]) == (False, True, "%s：这段时间不能缴费" % policy["windows"][1]["label"])


def test_a_subsidy_step_states_the_amount():
    member = one("sixian-shantou-2022", "2021-10-01", groups=["dibao"])
    assert says(member, "dibao-fixed") == "低保对象定额资助280元，个人缴费40元：政府补助 280元"
    refused = one("yantai-fushan-2022", "2021-11-01", tier=1, groups=["disability"], disability_grade=3)
    assert says(refused, "disabled-adult-tier-1") == "残疾人（3-4级）成年居民选择一档缴费不补助"


def test_a_subsidy_of_unknown_amount_loses_to_one_that_is_known():
    member = one("nanan-2023", "2022-10-01", birth_date="1955-05-01", groups=["only_son_family", "low_income_family"], family_role="parent")
    assert (member["applied"]["subsidy"]["id"], member["pays"]) == ("low-income-share", 108)


def test_repair_is_spelled_out_and_its_wait_parts_are_given():
    member = one("weifang-2025", "2024-11-15", tier=1, missed_years=2, repair_years=1)
    assert says(member, "repair") == "缴费修复：补缴1年，每年400元，共400元"
    assert member["repair"]["amount"] == 400 and member["pays"] == 800
    waiting = member["applied"]["waiting"]
    assert (waiting["months"], waiting["fixed_months"], waiting["variable_months"], waiting["repaired_months"]) == (3, 3, 1, 1)


def test_an_exempt_member_is_named_with_the_exemption():
    member = one("weifang-2025", "2025-03-01", birth_date="2025-01-10")
    exempt = member["applied"]["waiting"]["exempt"]
    assert exempt and set(exempt) == {"id", "label"}


def test_an_unknown_payment_keeps_its_reason_when_repair_is_added():
    member = one("weifang-2025", "2024-11-15", tier=1, groups=["dibao"], missed_years=2, repair_years=1)
    assert member["pays"] == {"unknown": member["subsidy"]["unknown"]}


def test_benefit_rewards_from_the_national_layer_are_listed_with_their_figures():
    member = one("weifang-2025", "2024-11-15", tier=1, missed_years=1)
    rewards = member.get("benefit_rewards") or []
    assert rewards and all(set(reward) == {"id", "label", "figures"} for reward in rewards)
    for reward in rewards:
        figures = reward["figures"]["unknown"] if isinstance(reward["figures"], dict) else reward["figures"]
        assert says(member, "reward-" + reward["id"]) == "%s（%s）" % (reward["label"], figures)


@pytest.mark.parametrize("facts, field, message", [
    ({"missed_years": 61}, "members[0].missed_years", "连续几年没参保应在 0 至 60 之间"),
    ({"missed_years": 2, "repair_years": 3}, "members[0].repair_years", "补缴年数不能超过连续没参保的年数（2年）"),
    ({"groups": "dibao"}, "members[0].groups", "应为名称列表"),
    ({"employee_insurance": {"stopped_on": "2022-01-01", "b": 1, "a": 2}}, "members[0].employee_insurance.a", "不认识的字段"),
], ids=["too many years", "more repaired than missed", "groups not a list", "unknown employment key"])
def test_an_input_error_names_exactly_its_field(facts, field, message):
    with pytest.raises(ScenarioError) as raised:
        one("weifang-2025", "2024-11-15", tier=1, **facts)
    assert (raised.value.field, raised.value.message) == (field, message)


def test_the_largest_number_of_years_is_accepted():
    assert one("weifang-2025", "2024-11-15", tier=1, missed_years=FACTS["missed_years"].maximum)["accepted"]


def test_a_household_too_large_or_a_member_not_an_object_is_named():
    for members, field, message in (([{"birth_date": "1980-01-01"}] * 101, "members", "一户最多 100 位成员；人数更多请用村居名单（花名册）批量计算"),
                                    (["a"], "members[0]", "每位成员应为一个对象")):
        with pytest.raises(ScenarioError) as raised:
            quote(POLICIES["nanan-2023"], {"paid_on": "2022-10-01", "members": members})
        assert (raised.value.field, raised.value.message) == (field, message)


def test_a_fact_keeps_its_values_in_order():
    assert Fact("x", "enum", "某项", values=[("b", "乙"), ("a", "甲")]).values == (("b", "乙"), ("a", "甲"))


def test_an_age_is_met_by_being_born_a_month_before_the_birthday():
    member = {"birth_date": "1990-06-15"}
    meet_all({"age_at_least": 60}, member, datetime.date(2024, 2, 29))
    assert member["birth_date"] == "1959-01-29"


def weifang_with(**continuity):
    policy = copy.deepcopy(POLICIES["weifang-2025"])
    policy["continuity"].update(continuity)
    return policy


def repaired(policy, missed, repair):
    scenario = {"paid_on": "2024-11-15", "members": [{"id": "a", "birth_date": "1980-05-01", "tier": 1,
                                                      "missed_years": missed, "repair_years": repair}]}
    return quote(policy, scenario)["members"][0]


def test_a_firm_floor_lifts_a_repaired_wait_and_says_so():
    policy = weifang_with(floor={"from_missed_years": 4, "months": 6, "sources": []})
    member = repaired(policy, 5, 4)
    waiting = member["applied"]["waiting"]
    assert (waiting["months"], waiting["floor_months"]) == (6, 3)
    assert waiting["says"] == ("固定等待期3个月（上一年度未参保）＋连续断保5年，增加变动等待期4个月"
                               "－补缴4年，减少4个月＋连续断保4年及以上，等待期合计不少于6个月（补缴的年份中有3年没有缩短等待期）＝6个月，2025年7月1日起享受")
    assert repaired(policy, 3, 2)["applied"]["waiting"]["months"] == 3


def test_a_repair_the_notice_leaves_open_is_unknown_with_its_reason():
    policy = weifang_with(repair={"unknown": "本通知没有写补缴怎么算", "sources": []})
    member = repaired(policy, 2, 1)
    assert member["repair"]["per_year"] == member["repair"]["amount"] == {"unknown": "本通知没有写补缴怎么算"}
    assert member["pays"] == {"unknown": "本通知没有写补缴怎么算"}
    assert says(member, "repair") == "缴费修复：补缴1年，每年本通知未写明，共本通知未写明"


def test_repairing_a_single_missed_year_is_said_to_shorten_nothing():
    member = repaired(POLICIES["weifang-2025"], 1, 1)
    assert member["applied"]["waiting"]["says"] == (
        "固定等待期3个月（上一年度未参保）＝3个月，2025年4月1日起享受；补缴1年不缩短等待期（断保1年只有固定等待期，固定等待期不能修复）")


@pytest.mark.parametrize("facts, field, message", [
    ({"migrant_worker": "yes"}, "members[0].migrant_worker", "应为 true 或 false"),
    ({"employee_insurance": {"continuous_years": 2}}, "members[0].employee_insurance", "应写明职工医保停保日期 stopped_on"),
    ({"employee_insurance": {"stopped_on": "2022-01-01", "continuous_years": 99}}, "members[0].employee_insurance.continuous_years",
     "连续参加职工医保的年数应在 0 至 60 之间"),
    ({"employee_insurance": {"stopped_on": "2022-1-1"}}, "members[0].employee_insurance.stopped_on",
     "日期格式应为 年-月-日，例如 2023-03-01，收到的是 '2022-1-1'"),
], ids=["flag", "no stop day", "years out of range", "stop day format"])
def test_a_member_fact_error_says_exactly_what_is_wrong(facts, field, message):
    with pytest.raises(ScenarioError) as raised:
        one("nanan-2023", "2022-10-01", **facts)
    assert (raised.value.field, raised.value.message) == (field, message)


def test_employment_years_default_to_none_continuous():
    """No years given: 0, so a rule asking for 2 continuous years does not apply (山头镇)."""
    member = one("sixian-shantou-2022", "2022-02-01", employee_insurance={"stopped_on": "2022-01-15"})
    assert member["accepted"] is False


def test_quote_json_keeps_chinese_readable():
    import json

    from calculator.core import quote_json
    text = quote_json(json.dumps(POLICIES["nanan-2023"]), json.dumps({"paid_on": "2022-10-01", "members": [{"birth_date": "1980-05-01"}]}))
    assert "城乡居民" in text


def test_a_share_is_rounded_half_up_to_the_fen():
    from decimal import Decimal

    from calculator.core.values import percent_of
    assert (percent_of(Decimal("0.05"), 50), percent_of(Decimal("0.15"), 50), percent_of(Decimal("333"), 70)) == (
        Decimal("0.03"), Decimal("0.08"), Decimal("233.10"))


def test_the_window_and_wait_are_said_in_full():
    member = one("nanan-2023", "2023-03-01")
    assert says(member, "window") == "缴费日 2023-03-01 属于「补缴期（3月1日起，设等待期）」（2023-03-01 至 2023-06-30）"
    assert says(member, "waiting") == "等待期60天（从缴费之日算起），2023年4月30日起享受"
    assert one("nanan-2023", "2022-10-01")["applied"]["waiting"]["says"] == "不设等待期，2023年1月1日起享受"


def test_the_most_favourable_subsidy_wins_wherever_it_is_listed():
    member = one("nanan-2023", "2022-10-01", birth_date="1955-05-01", groups=["low_income_family", "severe_disability"])
    assert (member["applied"]["subsidy"]["id"], member["pays"]) == ("disability-full", 0)


def test_a_personal_share_and_a_fixed_refund_leave_nothing_else_to_hand_back():
    share = one("jinjiang-lingyuan-2022", "2021-11-15", birth_date="1955-05-01", groups=["low_income_family"])
    assert (share["pays"], share["reimbursed_later"]) == (99, 0)
    policy = copy.deepcopy(POLICIES["nanan-2023"])
    next(item for item in policy["subsidies"] if item["id"] == "pneumoconiosis-reimbursed")["amount"] = 100
    member = quote(policy, {"paid_on": "2022-10-01", "members": [{"id": "a", "birth_date": "1980-05-01", "groups": ["pneumoconiosis"]}]})
    member = member["members"][0]
    assert (member["pays"], member["reimbursed_later"]) == (360, 100)
    assert says(member, "pneumoconiosis-reimbursed").endswith("：先缴后补，事后发放 100元")


def test_an_adult_of_a_family_planning_household_counts_as_one_of_the_couple_from_18():
    member = one("jinjiang-lingyuan-2022", "2021-11-15", birth_date="2003-11-15", groups=["only_daughter_family"])
    assert member["applied"]["subsidy"]["id"] == "family-planning-daughters"


def test_a_member_without_a_label_is_numbered():
    result = quote(POLICIES["nanan-2023"], {"paid_on": "2022-10-01", "members": [{"birth_date": "1980-05-01"}]})
    assert result["members"][0]["id"] == "成员1"


@pytest.mark.parametrize("members, field, message", [
    ([{"id": ["a"], "birth_date": "1980-05-01"}], "members[0].id", "成员标签应为文字"),
    ([{"id": "a", "birth_date": "1980-05-01", "name": "张三"}], "members[0].name", "不认识的字段"),
    ([{"id": "a", "birth_date": "1980-05-01"}, {"id": "a", "birth_date": "1981-05-01"}], "members[1].id", "成员标签“a”重复"),
    ([{"id": "a"}], "members[0].birth_date", "请填写出生日期"),
    ([{"id": "a", "birth_date": "1980-05-01", "missed_years": 1, "repair_years": 1}], "members[0].repair_years",
     "本通知没有缴费修复（补缴断保年度）的规定"),
], ids=["label not text", "unknown key", "label twice", "no birth date", "repair without a rule"])
def test_a_household_error_says_exactly_what_is_wrong(members, field, message):
    with pytest.raises(ScenarioError) as raised:
        quote(POLICIES["nanan-2023"], {"paid_on": "2022-10-01", "members": members})
    assert (raised.value.field, raised.value.message) == (field, message)


def test_a_missing_disability_grade_is_asked_for_exactly():
    with pytest.raises(ScenarioError) as raised:
        one("yantai-fushan-2022", "2021-11-01", tier=2, groups=["disability"])
    assert raised.value.message == "本通知按残疾等级区分补助，请填写残疾等级（1至4级）"


@pytest.mark.parametrize("part, value, missed, paid_on", [
    ("fixed", [{"unknown": "本通知没有写这一部分", "sources": []}], 0, "2025-02-10"),
    ("variable", {"unknown": "本通知没有写这一部分", "sources": []}, 2, "2024-11-15")])
def test_a_wait_part_the_notice_leaves_open_makes_the_wait_unknown_with_its_reason(part, value, missed, paid_on):
    policy = weifang_with(**{part: value})
    scenario = {"paid_on": paid_on, "members": [{"id": "a", "birth_date": "1980-05-01", "tier": 1, "missed_years": missed}]}
    member = quote(policy, scenario)["members"][0]
    assert member["applied"]["waiting"]["says"] == "等待期：本通知没有写这一部分"
    assert member["waiting_days"] == {"unknown": "本通知没有写这一部分"}


def test_a_floor_only_in_principle_applies_labelled_as_the_national_rule():
    member = repaired(POLICIES["weifang-2025"], 5, 4)
    assert member["applied"]["waiting"]["says"] == (
        "固定等待期3个月（上一年度未参保）＋连续断保5年，增加变动等待期4个月－补缴4年，减少4个月＋"
        "连续断保4年及以上，等待期合计不少于6个月（国家规定原则上如此，以当地为准）（补缴的年份中有3年没有缩短等待期）＝6个月，2025年7月1日起享受")
