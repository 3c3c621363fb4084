"""The registry's example people (county pages, the policy checks and the bundle are built on them) and the
small wordings readers share, pinned where mutation testing found them free to change."""
import datetime

from calculator.core.conditions import STUDENT_AGES, example_member, first_tier
from calculator.core.roster import explanation
from calculator.core.values import Unknown
from calculator.core.waiting import wait_length

PAID_ON = datetime.date(2025, 11, 1)


def age_on(member, day):
    born = datetime.date.fromisoformat(member["birth_date"])
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_a_student_example_is_of_the_age_of_that_status_unless_an_age_or_a_birth_is_given():
    for status, age in STUDENT_AGES.items():
        member = example_member(PAID_ON, {"student": [status]})
        assert (member["student"], age_on(member, PAID_ON)) == (status, age)
    assert age_on(example_member(PAID_ON, {"student": ["college"]}, age=30), PAID_ON) == 30
    assert example_member(PAID_ON, {"student": ["enrolled"]}, born_days_before=10)["birth_date"] == "2025-10-22"
    older_student = example_member(PAID_ON, {"student": ["college"], "age_at_least": 25})
    assert (older_student["student"], age_on(older_student, PAID_ON) >= 25) == ("college", True)


def test_an_example_meets_its_rule_on_the_payment_day():
    assert example_member(PAID_ON, {"groups_any": ["dibao"]})["groups"] == ["dibao"]
    assert age_on(example_member(PAID_ON, {"age_at_least": 60}), PAID_ON) >= 60
    assert age_on(example_member(PAID_ON, {"age_under": 18}), PAID_ON) < 18


def test_the_example_adult_pays_on_the_notices_first_tier():
    assert first_tier({"contribution": {"tiers": [{"value": 1}, {"value": 2}]}}) == {"tier": 1}
    assert first_tier({"contribution": {}}) == {}


def test_a_wait_the_notice_does_not_give_has_no_length():
    unknown = {"unknown": "本通知未写明"}
    assert wait_length({"applied": {"waiting": {"months": unknown}}, "waiting_days": unknown}) is None
    assert wait_length({"applied": {"waiting": {"months": 3}}, "waiting_days": 92}) == "3个月"
    assert wait_length({"applied": {"waiting": {"months": 0}}, "waiting_days": 60}) == "60天"


def test_unknowns_are_equal_when_their_reasons_are():
    assert Unknown("本通知未写明") == Unknown("本通知未写明")
    assert Unknown("本通知未写明") != Unknown("另一个理由")


def test_a_roster_row_says_why_a_repaid_year_or_an_add_on_has_no_price():
    member = {"accepted": True, "add_ons": [{"name": "意外伤害保险", "price": {"unknown": "没写保费"}}],
              "repair": {"years": 1, "per_year": {"unknown": "没写补缴标准"}, "amount": {"unknown": "没写补缴标准"}},
              "applied": {"rule": {"label": "集中缴费期内缴费"}, "subsidy": None, "surcharge": None,
                          "waiting": {"says": "不设等待期"}},
              "pays": {"unknown": "没写补缴标准"}, "subsidy": 0, "reimbursed_later": 0,
              "coverage_start": "2025-01-01", "waiting_days": 0}
    assert explanation(member) == ("集中缴费期内缴费；含补缴 1 年（每年 未写明（没写补缴标准））共 未写明（没写补缴标准）；"
                                   "含意外伤害保险 未写明（没写保费）；不设等待期")
