"""What a result says, word for word, on real households of the shipped notices: the reasons a payment is
refused, each step of the 为什么 list (window, price, subsidy, surcharge, wait, cover), the household
totals' reasons, and the error answers of `quote_json`. A resident reads these sentences; a change to any
of them should be a decision, not an accident."""
import copy
import json
import math

import pytest

from calculator.core import ScenarioError, quote, quote_json
from calculator.policyfile import load_policies

POLICIES = {policy["id"]: policy for policy in load_policies()}


def one(policy_id, paid_on, **facts):
    scenario = {"paid_on": paid_on, "members": [dict({"id": "a", "birth_date": "1980-05-01"}, **facts)]}
    return quote(POLICIES[policy_id], scenario)["members"][0]


def steps(member):
    return {step["rule"]: step["says"] for step in member["trace"]}


XINGXIAN_AFTER = "集中征缴期后（保存的文本没有写到）"
XINGXIAN_PRICE = "保存的通知文本没有写到集中征缴期后缴费的标准"
XINGXIAN_GROUPS = "特殊群体的资助：保存的通知文本在“其中个人缴费”处断开，没有写到低保、特困、残疾人等特殊群体的参保资助"


# (policy, payment day, member facts, what the answer's steps say, by step id)
SAYS = [
    ("xingxian-2026", "2026-03-05", {}, {
        "window": "缴费日 2026-03-05 属于「%s」（2026-02-26 至 本通知未写明截止日期，每月1日至25日可以缴费）" % XINGXIAN_AFTER,
        "window-unstated": "本通知（保存的部分）没有写到这段时间能否缴费；下面是按已有规定算出的结果，缴费前请向当地医保部门确认",
        "unknown-price": "这个时间缴费要缴多少：本通知未写明（%s）" % XINGXIAN_PRICE,
        "waiting": "固定等待期3个月（未在集中缴费期内缴费）＝3个月，2026年6月5日起享受",
        "coverage": "从 2026年6月5日 起享受待遇，至 2026年12月31日"}),
    ("xingxian-2026", "2026-03-05", {"groups": ["dibao"]}, {"unstated": XINGXIAN_GROUPS}),
    ("hongta-2026", "2026-03-02", {"missed_years": 3, "repair_years": 1}, {
        "window": "缴费日 2026-03-02 属于「非集中缴费期（设待遇等待期3个月）」（2026-03-01 至 本通知未写明截止日期）",
        "waiting": "固定等待期3个月（未在集中缴费期内缴费、上一年度未参保）＋连续断保3年，增加变动等待期2个月"
                   "（国家规定原则上如此，以当地为准）－补缴1年，减少1个月＝4个月，2026年7月2日起享受",
        "repair": "缴费修复：补缴1年，每年400元，共400元",
        "coverage": "从 2026年7月2日 起享受待遇，至 2026年12月31日"}),
    ("weifang-2025", "2025-03-01", {"tier": 1, "missed_years": 1, "repair_years": 1}, {
        "waiting": "固定等待期3个月（未在集中缴费期内缴费、上一年度未参保）＝3个月，2025年6月1日起享受；"
                   "补缴1年不缩短等待期（断保1年只有固定等待期，固定等待期不能修复）"}),
    ("weifang-2025", "2025-12-20", {"tier": 1, "missed_years": 5}, {
        "waiting": "固定等待期3个月（未在集中缴费期内缴费、上一年度未参保）＋连续断保5年，增加变动等待期4个月＝7个月，2026年7月20日起享受",
        "coverage": "注意：等待期到 2026年7月20日 才结束，而本保障年度 2025年12月31日 已结束，本年度缴费享受不到待遇"}),
    ("weifang-2025", "2024-11-15", {"tier": 1}, {
        "window": "缴费日 2024-11-15 属于「集中缴费期」（2024-10-17 至 2024-12-31）",
        "price": "个人缴费标准（成年居民低档）：400元",
        "waiting": "不设等待期，2025年1月1日起享受",
        "coverage": "从 2025年1月1日 起享受待遇，至 2025年12月31日"}),
    ("weifang-2025", "2025-03-01", {"tier": 1, "missed_years": 1, "birth_date": "2025-01-10"}, {
        "waiting": "新生儿，不设待遇等待期",
        "coverage": "何时开始享受待遇：国办发〔2024〕38号规定新生儿不设待遇等待期，但没有写新生儿从哪天起享受待遇；本通知也没有写"}),
    ("henan-2026", "2025-10-01", {"student": "college"}, {
        "waiting": "等待期：本通知（保存的部分）没有写到大中专院校、全日制高校学生怎样参保、待遇从哪天起享受",
        "coverage": "何时开始享受待遇：本通知（保存的部分）没有写到大中专院校、全日制高校学生怎样参保、待遇从哪天起享受"}),
    ("yantai-fushan-2022", "2022-03-01", {"tier": 2}, {
        "fiscal-surcharge": "按个人缴费与财政补助之和缴费，加财政补助部分：本通知未写明金额",
        "waiting": "等待期3个月（从缴费之日算起），2022年6月1日起享受"}),
    ("yantai-fushan-2022", "2021-11-01", {"tier": 2, "groups": ["dibao"]}, {
        "special-groups-full": "建档立卡贫困人口、低保对象、特困人员、重度残疾人（1-2级）、孤儿、60年代精减退职老职工、重点优抚对象、"
                               "建国前老党员，由区政府全额补助，个人不缴费：政府补助 520元",
        "enrolled-by-government": "由政府部门统一办理参保缴费，本人不要自己缴费"}),
    ("yantai-fushan-2022", "2021-11-01", {"groups": ["dibao"]}, {
        "special-groups-full": "建档立卡贫困人口、低保对象、特困人员、重度残疾人（1-2级）、孤儿、60年代精减退职老职工、重点优抚对象、"
                               "建国前老党员，由区政府全额补助，个人不缴费：政府补助金额本通知未写明"}),
    ("nanan-2023", "2023-07-05", {}, {
        "fiscal-surcharge": "按个人缴费与财政补助之和缴费，加财政补助部分：610元",
        "waiting": "等待期60天（从缴费之日算起），2023年9月3日起享受"}),
    ("nanan-2023", "2022-10-01", {"missed_years": 2}, {
        "waiting": "不设等待期，2023年1月1日起享受（本通知没有按断保年数设置等待期的规定）"}),
    ("nanan-2023", "2022-10-01", {"groups": ["only_son_family"]}, {
        "only-son-reimbursed": "农村独生子家庭（夫妻和未满18周岁儿子）先缴费，再由卫健部门发放补助：先缴后补，补助金额本通知未写明"}),
    ("nanan-2023", "2022-10-01", {"groups": ["pneumoconiosis"]}, {
        "pneumoconiosis-reimbursed": "符合资助条件的尘肺病患者先缴费，再由卫健部门全额发放补助：先缴后补，事后发放 360元"}),
    ("nanan-2023", "2023-07-05", {"groups": ["low_income_family"], "birth_date": "1950-01-01"}, {
        "low-income-share": "低收入家庭中的残疾人、60周岁以上老人、未满18周岁未成年人，政府补助个人缴费的70%：政府补助 252元"}),
    ("jinjiang-lingyuan-2022", "2022-08-01", {"groups": ["low_income_family"]}, {
        "waiting": "不设等待期，2022年8月1日起享受"}),
    ("youxi-2022", "2021-10-01", {"add_ons": ["accident"]}, {
        "add-on-accident": "自愿加购城乡居民基本医疗补充意外伤害保险：30元"}),
    ("sixian-shantou-2022", "2022-03-05", {"employee_insurance": {"stopped_on": "2021-06-01", "continuous_years": 3}}, {
        "waiting": "等待期6个月（从缴费之日算起），2022年9月5日起享受"}),
    ("sixian-shantou-2022", "2022-02-01", {"birth_date": "2022-01-20"}, {
        "waiting": "不设等待期，2022年1月20日起享受",
        "coverage": "从 2022年1月20日 起享受待遇，至 2022年12月31日"}),
]


@pytest.mark.parametrize("policy_id, paid_on, facts, said", SAYS, ids=["%s-%s-%d" % (case[0], case[1], index) for index, case in enumerate(SAYS)])
def test_each_step_says_what_a_resident_reads(policy_id, paid_on, facts, said):
    member = one(policy_id, paid_on, **facts)
    assert member["accepted"] is True
    got = steps(member)
    assert {step: got.get(step) for step in said} == said
    assert member["applied"]["waiting"]["says"] == got["waiting"]


@pytest.mark.parametrize("policy_id, paid_on, reason", [
    ("xingxian-2026", "2025-10-26", "集中征缴期：每月1日至25日可以缴费，2025年10月26日不在其中，这一天不能缴费"),
    ("xingxian-2026", "2027-01-01", "2026年度已经结束（2026年12月31日），这一年的缴费享受不到待遇；本通知未写明最后缴费日期"),
    ("xingxian-2026", "2025-10-16", "本通知（2026年度）的缴费从2025年10月17日开始，2025年10月16日还不能缴费"),
    ("hongta-2026", "2026-02-27", "集中缴费期结束后、非集中缴费期开始前：这段时间不能缴费"),
    ("nanan-2023", "2024-01-01", "本通知（2023年度）的缴费期到2023年12月31日已结束"),
], ids=["monthly closed day", "after the year, no end given", "before the first day", "closed gap", "after the last day"])
def test_a_day_no_one_can_pay_says_why_and_nothing_else(policy_id, paid_on, reason):
    member = one(policy_id, paid_on)
    assert (member["accepted"], member["closed"], member["reason"]) == (False, True, reason)
    assert "pays" not in member and member["applied"] == {"rule": None}
    assert [step["rule"] for step in member["trace"]] == ["window"]


def test_a_step_carries_the_reading_of_the_part_it_rests_on():
    """Where the notice needed reading, the step says so with our words (derived, interpretation), marked as ours."""
    policy = POLICIES["xingxian-2026"]
    member = one("xingxian-2026", "2026-03-05")
    window = next(window for window in policy["windows"] if window["id"] == "after")
    rule = next(rule for rule in policy["rules"] if rule["id"] == member["applied"]["rule"]["id"])
    by_step = {step["rule"]: step for step in member["trace"]}
    assert by_step["window"]["derived"] == by_step["window-unstated"]["derived"] == window["derived"]
    assert by_step[rule["id"]]["interpretation"] == rule["interpretation"]
    assert "derived" not in by_step["price"] and "interpretation" not in by_step["waiting"]


def test_a_refusal_by_the_notice_is_not_a_closed_day():
    member = one("sixian-shantou-2022", "2022-03-05")
    assert member["reason"] == "集中缴费期已过：本通知只为新生儿、职工医保转入、当年退役军人和动态新增的困难群体规定了补办参保办法"
    assert "closed" not in member and member["applied"]["rule"]["id"] == "after-concentrated-others"


def test_a_surcharge_on_a_subsidised_member_is_unknown_with_its_reason():
    member = one("jinjiang-lingyuan-2022", "2022-08-01", groups=["low_income_family"], birth_date="1950-01-01")
    reason = "本通知未写明：减免对象须按“个人缴费与财政补助之和”补缴时，补缴的财政补助部分由谁承担"
    assert member["pays"] == member["subsidy"] == {"unknown": reason}
    assert (member["price"], member["applied"]["surcharge"]) == (910, 580)


def test_a_fully_subsidised_member_without_a_tier_pays_nothing_of_an_unknown_price():
    member = one("yantai-fushan-2022", "2021-11-01", groups=["dibao"])
    assert (member["category"], member["pays"], member["subsidy"]) == ("全额补助对象", 0, {"unknown": "本通知未写明全额补助对象按哪一档参保"})
    assert member["applied"]["price"] is None and "price" not in steps(member)


def test_the_ceiling_rewards_concern_only_those_they_name():
    """「断保后再参保的，可降低大病保险最高支付限额」 is said to a member who missed a year, never to one who did not."""
    def rewards(**facts):
        return [reward["id"] for reward in one("weifang-2025", "2024-11-15", tier=1, **facts)["benefit_rewards"]]
    assert "break-lowers-ceiling" not in rewards(missed_years=0)
    assert "break-lowers-ceiling" in rewards(missed_years=1)
    assert "continuous-enrollment" in rewards(missed_years=0)


def test_a_reward_without_figures_says_so():
    policy = copy.deepcopy(POLICIES["weifang-2025"])
    policy["benefit_rewards"] = [{"id": "r", "label": "某项奖励", "when": {}}]
    member = quote(policy, {"paid_on": "2024-11-15", "members": [{"id": "a", "birth_date": "1980-05-01", "tier": 1}]})["members"][0]
    assert member["benefit_rewards"] == [{"id": "r", "label": "某项奖励", "figures": {"unknown": "本通知未写明具体标准"}}]
    assert steps(member)["reward-r"] == "某项奖励（本通知未写明具体标准）"
    policy["benefit_rewards"][0]["figures"] = "每年提高1000元"
    member = quote(policy, {"paid_on": "2024-11-15", "members": [{"id": "a", "birth_date": "1980-05-01", "tier": 1}]})["members"][0]
    assert steps(member)["reward-r"] == "某项奖励（每年提高1000元）"


# ---- the household ----

def household(policy_id, paid_on, members):
    return quote(POLICIES[policy_id], {"paid_on": paid_on, "members": members})


def test_an_unknown_household_total_names_every_member_it_waits_on_in_label_order():
    members = [{"id": "成员10", "birth_date": "1980-01-01"}, {"id": "爸爸", "birth_date": "1950-01-01", "groups": ["dibao"]},
               {"id": "成员2", "birth_date": "1990-01-01"}, {"birth_date": "1990-01-01"}]
    result = household("xingxian-2026", "2026-03-05", members)
    assert [member["id"] for member in result["members"]] == ["成员10", "爸爸", "成员2", "成员4"]
    assert result["household"] == {
        "pays": {"unknown": "爸爸：%s；成员2、成员4、成员10：%s" % (XINGXIAN_GROUPS, XINGXIAN_PRICE)},
        "subsidy": {"unknown": "爸爸：%s" % XINGXIAN_GROUPS},
        "reimbursed_later": 0}
    assert household("xingxian-2026", "2026-03-05", members[::-1])["household"]["subsidy"] == result["household"]["subsidy"]


def test_household_totals_add_the_accepted_members_only():
    members = [{"id": "a", "birth_date": "1980-05-01", "groups": ["pneumoconiosis"]}, {"id": "b", "birth_date": "1960-05-01"},
               {"id": "c", "birth_date": "1950-01-01", "groups": ["low_income_family"]}]
    assert household("nanan-2023", "2022-10-01", members)["household"] == {"pays": 828, "subsidy": 252, "reimbursed_later": 360}
    refused = household("sixian-shantou-2022", "2022-03-05", [{"id": "a", "birth_date": "1980-05-01"}])
    assert refused["household"] == {"pays": 0, "subsidy": 0, "reimbursed_later": 0}


# ---- labels ----

@pytest.mark.parametrize("members, labels", [
    ([{"id": "成员1"}, {"id": ""}], ["成员1", "成员2"]),
    ([{"id": ""}, {"id": "成员1"}], ["成员2", "成员1"]),
    ([{}, {"id": "成员1"}, {}], ["成员2", "成员1", "成员3"]),
    ([{"id": 0}, {}], ["0", "成员2"]),
    ([{"id": 7}, {"id": "爸爸"}], ["7", "爸爸"]),
], ids=["empty after", "empty before", "two unlabelled around", "zero", "number"])
def test_a_member_without_a_label_gets_a_free_number_in_any_order(members, labels):
    members = [dict(member, birth_date="1980-05-01") for member in members]
    assert [member["id"] for member in household("nanan-2023", "2022-10-01", members)["members"]] == labels


@pytest.mark.parametrize("members", [[{"id": 0}, {"id": "0"}], [{"id": "成员1"}, {"id": 0}, {"id": "成员1"}]], ids=["0 twice", "label twice"])
def test_the_same_label_twice_is_refused_in_either_order(members):
    members = [dict(member, birth_date="1980-05-01") for member in members]
    for order in (members, members[::-1]):
        with pytest.raises(ScenarioError, match="成员标签“(0|成员1)”重复"):
            household("nanan-2023", "2022-10-01", order)


@pytest.mark.parametrize("value", [1.0, 2.0, True, "1"], ids=["1.0", "2.0", "true", "text"])
def test_a_disability_grade_is_a_whole_number_as_every_number_fact(value):
    with pytest.raises(ScenarioError) as raised:
        one("yantai-fushan-2022", "2021-11-01", tier=2, groups=["disability"], disability_grade=value)
    assert raised.value.field == "members[0].disability_grade"
    assert raised.value.message == "残疾等级应为 1（一级）、2（二级）、3（三级）、4（四级） 之一，收到的是 %r" % (value,)


# ---- quote_json ----

def through_json(policy, scenario):
    return json.loads(quote_json(json.dumps(policy, ensure_ascii=False), json.dumps(scenario, ensure_ascii=False)))


def test_an_answer_that_cannot_be_written_as_json_comes_back_as_an_error():
    """A figure JavaScript's JSON.parse refuses (NaN) never reaches the page: the page gets an error it can show."""
    policy = copy.deepcopy(POLICIES["weifang-2025"])
    policy["benefit_rewards"] = [{"id": "r", "label": "某项奖励", "when": {}, "figures": math.nan}]
    got = through_json(policy, {"paid_on": "2024-11-15", "members": [{"birth_date": "1980-05-01", "tier": 1}]})
    assert got == {"error": {"field": "scenario", "message": "计算器内部错误（ValueError），请把这个情形报告给我们"}}


def test_a_scenario_for_another_notice_says_both():
    got = through_json(POLICIES["nanan-2023"], {"policy": "youxi-2022", "paid_on": "2022-10-01", "members": [{"birth_date": "1980-05-01"}]})
    assert got == {"error": {"field": "policy", "message": "情形写的是 youxi-2022，而计算用的通知是 nanan-2023"}}


def test_quote_json_answers_what_quote_answers():
    scenario = {"policy": "nanan-2023", "paid_on": "2022-10-01", "members": [{"birth_date": "1980-05-01", "groups": ["dibao"]}]}
    assert through_json(POLICIES["nanan-2023"], scenario) == json.loads(json.dumps(quote(POLICIES["nanan-2023"], scenario)))
