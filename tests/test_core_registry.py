"""The registry of member facts and rule conditions (calculator/core/facts.py) keeps its promises:
meeting a `when` makes its member conditions hold, the generated schema refuses what no condition
means, and the registry the browser receives says what each fact is."""
import datetime

import pytest

from calculator.core.conditions import CONDITIONS, holds, meet_all
from calculator.core.facts import EMPLOYMENT_YEARS, FACTS, Facts, ScenarioError, registry_json
from calculator.core.scenario import Scenario
from calculator.core.values import age_on
from calculator.policyfile import StrictValidator, load_policies, policy_schema

POLICIES = load_policies()
ADULT_BIRTH = "1983-06-15"


def member_part(when):
    """The conditions of `when` that meet_all makes true (payment conditions are the payment day's)."""
    part = {key: value for key, value in when.items() if CONDITIONS[key].meet and key != "any_of"}
    if "any_of" in when:
        part["any_of"] = [member_part(when["any_of"][0])]
    return part


def facts_of(member, day, window_id, policy):
    scenario = Scenario({"paid_on": day.isoformat(), "members": [dict(member, id="a")]})
    return Facts(scenario.members[0], day, window_id, policy)


def parts_with_when(policy):
    items = policy["rules"] + policy["contribution"]["prices"] + policy["subsidies"]
    items += (policy.get("continuity") or {}).get("exemptions", [])
    return [item for item in items if item.get("when")]


@pytest.mark.parametrize("policy", POLICIES, ids=[policy["id"] for policy in POLICIES])
def test_meeting_each_when_of_a_policy_makes_its_member_conditions_hold(policy):
    tier = {"tier": policy["form"]["tiers"][0]["value"]} if policy["form"]["tiers"] else {}
    for window in policy["windows"]:
        ends = [window["from"], window["to"]]
        for day in {datetime.date.fromisoformat(end) for end in ends if isinstance(end, str)}:  # an end may be {unknown}
            for item in parts_with_when(policy):
                member = dict({"birth_date": ADULT_BIRTH}, **tier)
                meet_all(item["when"], member, day)
                assert holds(member_part(item["when"]), facts_of(member, day, window["id"], policy)), (item["id"], day, member)


DAY = datetime.date(2024, 2, 29)


@pytest.mark.parametrize("when, facts", [
    ({"age_at_least": 60}, {"age": 65}),
    ({"age_at_least": 18}, {"age": 40}),
    ({"age_under": 18}, {"age": 13}),
    ({"age_under": 1}, {"age": 0}),
    ({"age_under": 60}, {"age": 40}),
    ({"born_before": "1962-01-01"}, {"birth_date": "1961-12-31"}),
    ({"born_before": "2000-01-01"}, {"birth_date": ADULT_BIRTH}),
    ({"groups_any": ["dibao", "tekun"]}, {"groups": ["dibao"]}),
    ({"groups_any": ["disability"]}, {"groups": ["disability"], "disability_grade": 3}),
    ({"groups_any": ["severe_disability"]}, {"groups": ["severe_disability"], "disability_grade": 1}),
    ({"disability_grade_in": [3, 4]}, {"disability_grade": 3}),
    ({"disability_kind_in": ["intellectual", "mental"]}, {"disability_kind": "intellectual"}),
    ({"residence": ["rural"]}, {"residence": "rural"}),
    ({"student": ["college", "enrolled"]}, {"student": "college"}),
    ({"family_role": ["child"]}, {"family_role": "child"}),
    ({"tier": [2, 1]}, {"tier": 2}),
    ({"missed_years_at_least": 2}, {"missed_years": 2}),
    ({"migrant_worker": True}, {"migrant_worker": True}),
    ({"born_in_old_revolutionary_village": True}, {"born_in_old_revolutionary_village": True}),
    ({"employee_transfer": {}}, {"employee_insurance": {"stopped_on": "2024-01-29", "continuous_years": 1}}),
    ({"employee_transfer": {"min_continuous_years": 2, "stopped_within_months": 3}},
     {"employee_insurance": {"stopped_on": "2024-01-29", "continuous_years": 2}}),
    ({"employee_transfer": {"stopped_more_than_months": 3}}, {"employee_insurance": {"stopped_on": "2023-10-29", "continuous_years": 1}}),
    ({"any_of": [{"groups_any": ["orphan"]}, {"age_at_least": 60}]}, {"groups": ["orphan"]}),
    ({"groups_any": ["dibao"], "age_under": 18}, {"groups": ["dibao"], "age": 13}),
])
def test_meet_all_makes_the_plainest_member_that_meets_a_condition(when, facts):
    earlier_groups = ["low_income_family"] if "groups_any" in when else []
    member = {"birth_date": ADULT_BIRTH, "groups": list(earlier_groups)}
    meet_all(when, member, DAY)
    for key, value in facts.items():
        got = age_on(datetime.date.fromisoformat(member["birth_date"]), DAY) if key == "age" else member[key]
        expected = earlier_groups + value if key == "groups" else value
        assert got == expected, (key, member)
    assert holds(member_part(when), facts_of(member, DAY, "w", {"windows": []}))


RURAL_INTELLECTUAL_GRADE_3 = {"groups_any": ["disability"], "disability_grade_in": [3],
                              "disability_kind_in": ["intellectual", "mental"], "residence": ["rural"]}


@pytest.mark.parametrize("when, member, meets", [
    ({"disability_kind_in": ["intellectual", "mental"]}, {"disability_kind": "mental"}, True),
    ({"disability_kind_in": ["intellectual", "mental"]}, {"disability_kind": "physical"}, False),
    ({"disability_kind_in": ["intellectual", "mental"]}, {"groups": ["disability"], "disability_grade": 3}, False),
    ({"residence": ["rural"]}, {"residence": "rural"}, True),
    ({"residence": ["rural"]}, {"residence": "urban"}, False),
    ({"residence": ["rural"]}, {}, False),
    (RURAL_INTELLECTUAL_GRADE_3, {"groups": ["disability"], "disability_grade": 3, "disability_kind": "intellectual", "residence": "rural"}, True),
    (RURAL_INTELLECTUAL_GRADE_3, {"groups": ["disability"], "disability_grade": 3, "disability_kind": "intellectual", "residence": "urban"}, False),
    (RURAL_INTELLECTUAL_GRADE_3, {"groups": ["disability"], "disability_grade": 3, "disability_kind": "hearing", "residence": "rural"}, False),
    (RURAL_INTELLECTUAL_GRADE_3, {"groups": ["disability"], "disability_grade": 3}, False),
], ids=["kind named", "another kind", "kind unanswered", "rural", "urban", "residence unanswered",
        "hongta rural intellectual", "hongta urban", "hongta hearing", "hongta unanswered"])
def test_disability_kind_and_residence_hold_only_for_what_the_member_said(when, member, meets):
    """An unanswered kind or residence meets no value: the form asks it wherever a notice tests it."""
    assert holds(when, facts_of(dict(member, birth_date=ADULT_BIRTH), DAY, "w", {"windows": []})) == meets


def test_meeting_a_when_leaves_payment_conditions_and_an_older_member_alone():
    member = {"birth_date": "1950-01-01"}
    meet_all({"window": ["late"], "paid_on_or_before": "2024-03-01", "age_at_least": 60, "born_before": "1962-01-01"}, member, DAY)
    assert member == {"birth_date": "1950-01-01"}


def when_validator():
    """Built in the test, not at import: the schema is generated from the registry as it is now."""
    return StrictValidator({"$defs": policy_schema()["$defs"], "$ref": "#/$defs/when"})


@pytest.mark.parametrize("when", [
    {"window": []}, {"window": ["Late!"]}, {"student": ["pupil"]}, {"student": []},
    {"employee_transfer": {"years": 1}}, {"employee_transfer": {"min_continuous_years": -1}},
    {"employee_transfer": {"stopped_within_months": 0}}, {"employee_transfer": {"stopped_more_than_months": 0}},
    {"employee_transfer": {"min_continuous_years": 1, "stopped_within_months": 3, "stopped_more_than_months": 3}},
    {"age_under": 0}, {"age_at_least": -1}, {"age_under": 1.5}, {"disability_grade_in": [5]}, {"disability_grade_in": []},
    {"tier": ["two"]}, {"tier": []}, {"missed_years_at_least": 0}, {"any_of": [{"age_under": 18}]}, {"any_of": {"age_under": 18}},
    {"disability_kind_in": ["blind"]}, {"disability_kind_in": []}, {"disability_kind_in": "mental"},
    {"residence": "rural"}, {"residence": ["village"]}, {"residence": []},
    {"newborn": "soon"}, {"family_role": ["uncle"]}, {"migrant_worker": "yes"}, {"newly_identified": 1},
    {"born_in_old_revolutionary_village": None}, {"born_before": "1962"}, {"paid_on_or_before": "2023/03/01"},
    {"paid_on_or_after": 20230301}, {"groups_any": []}, {"groups_any": ["Dibao"]}, {"favourite_colour": "red"}, [],
])
def test_the_generated_schema_refuses_a_when_no_condition_means(when):
    assert list(when_validator().iter_errors(when))


@pytest.mark.parametrize("policy", POLICIES, ids=[policy["id"] for policy in POLICIES])
def test_the_generated_schema_accepts_every_when_of_a_shipped_policy(policy):
    validator = when_validator()
    for item in parts_with_when(policy):
        assert not list(validator.iter_errors(item["when"])), item["id"]


def test_the_registry_for_the_browser_says_what_each_fact_is():
    registry = registry_json()
    assert [fact["key"] for fact in registry["facts"]] == list(FACTS)
    for shipped, fact in zip(registry["facts"], FACTS.values()):
        assert {key: shipped[key] for key in ("kind", "label", "help", "required", "default")} == {
            "kind": fact.kind, "label": fact.label, "help": fact.help, "required": fact.required, "default": fact.default}
        assert shipped.get("values") == ([{"value": value, "label": label} for value, label in fact.values] or None)
        assert (shipped.get("minimum"), shipped.get("maximum")) == (fact.minimum, fact.maximum)
        for key in ("ask_if", "gate", "at_most"):
            assert shipped.get(key) == getattr(fact, key)
    assert registry["employment_years"] == EMPLOYMENT_YEARS.to_json()
    assert registry["employment_years"]["maximum"] >= 40


def test_only_the_birth_date_is_required_and_every_kind_has_a_reader():
    assert [key for key, fact in FACTS.items() if fact.required] == ["birth_date"]
    assert {fact.kind for fact in FACTS.values()} <= {"date", "flag", "integer", "enum", "id_list", "employment"}


@pytest.mark.parametrize("when, read", [
    ({}, set()), (None, set()),
    ({"window": ["late"], "paid_on_or_before": "2024-01-01"}, set()),
    ({"groups_any": ["dibao"], "any_of": [{"age_under": 18}, {"family_role": ["parent"]}]}, {"groups", "birth_date", "family_role"}),
    ({"employee_transfer": {}, "missed_years_at_least": 1}, {"employee_insurance", "missed_years"}),
    (RURAL_INTELLECTUAL_GRADE_3, {"groups", "disability_grade", "disability_kind", "residence"}),
], ids=["empty", "none", "payment only", "any_of", "history", "disability kind and residence"])
def test_the_facts_a_when_reads_are_the_ones_the_form_must_ask(when, read):
    from calculator.core.conditions import facts_read
    assert facts_read(when) == read


def test_an_age_already_met_is_left_alone_and_an_age_at_the_line_is_moved():
    member = {"birth_date": "1964-02-29"}  # exactly 60 on DAY
    meet_all({"age_at_least": 60}, dict(member), DAY)
    kept = dict(member)
    meet_all({"age_at_least": 60}, kept, DAY)
    assert kept == member
    moved = {"birth_date": "2006-02-28"}  # exactly 18 on DAY: not under 18
    meet_all({"age_under": 18}, moved, DAY)
    assert age_on(datetime.date.fromisoformat(moved["birth_date"]), DAY) == 13
    baby = {"birth_date": ADULT_BIRTH}
    meet_all({"age_under": 2}, baby, DAY)
    assert age_on(datetime.date.fromisoformat(baby["birth_date"]), DAY) == 1


def test_the_sums_are_named_as_the_result_page_and_the_roster_name_them():
    assert registry_json()["money_words"] == {"pays": "个人应缴", "subsidy": "政府资助", "reimbursed_later": "事后补助"}


def test_the_form_asks_each_fact_by_the_words_residents_read():
    assert {key: fact.label for key, fact in FACTS.items()} == {
        "birth_date": "出生日期", "groups": "特殊身份", "student": "学生身份", "tier": "缴费档次", "disability_grade": "残疾等级",
        "disability_kind": "残疾类别", "residence": "户口在农村还是城镇", "add_ons": "自愿加购的保险",
        "employee_insurance": "以前参加过职工医保，已经停保", "migrant_worker": "是返乡农民工",
        "born_in_old_revolutionary_village": "户籍在革命老区（基点）村", "newly_identified": "今年新认定的救助对象",
        "family_role": "在计生家庭中的身份", "missed_years": "连续几年没参保", "repair_years": "这次补缴几年"}
    assert [key for key, fact in FACTS.items() if fact.always] == ["birth_date"]
    assert [key for key, fact in FACTS.items() if not fact.help] == ["birth_date", "student", "tier", "add_ons", "migrant_worker",
                                                                     "born_in_old_revolutionary_village"]


def test_an_input_error_reads_field_then_message_where_a_build_stops_on_it():
    assert str(ScenarioError("members[0].birth_date", "请填写出生日期")) == "members[0].birth_date: 请填写出生日期"
