"""The core's input contract, as the browser relies on it: `quote_json` answers every text with JSON and
never raises; `quote` raises nothing but ScenarioError naming the field; a date is written exactly
YYYY-MM-DD; a number that is not finite is an input error."""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator.core import ScenarioError, quote, quote_json
from calculator.core.facts import FACTS
from calculator.policyfile import load_policies

POLICIES = load_policies()
POLICY_JSON = {policy["id"]: json.dumps(policy, ensure_ascii=False) for policy in POLICIES}
A_POLICY = POLICIES[0]
PAID_ON = A_POLICY["windows"][0]["from"]


def answer(scenario_text, policy=A_POLICY):
    return json.loads(quote_json(POLICY_JSON[policy["id"]], scenario_text))


def household(**member):
    return {"paid_on": PAID_ON, "members": [dict({"id": "a", "birth_date": "1980-01-01"}, **member)]}


NOT_JSON = "输入不是有效的 JSON"
NOT_A_HOUSEHOLD = "应为一个对象，含 policy、paid_on、members"
TOO_DEEP = "输入嵌套太深，不是一个家庭的情形"


@pytest.mark.parametrize("text, message", [
    ("[" * 100_000 + "]" * 100_000, TOO_DEEP),
    ('{"a": ' * 50_000 + "1" + "}" * 50_000, TOO_DEEP),
    ('{"paid_on": "%s", "members": [{"birth_date": "1980-01-01", "tier": %s}]}' % (PAID_ON, "9" * 5000), NOT_JSON),
    ("5", NOT_A_HOUSEHOLD), ("null", NOT_A_HOUSEHOLD), ("[]", NOT_A_HOUSEHOLD), ('"text"', NOT_A_HOUSEHOLD),
    ("", NOT_JSON), ("{", NOT_JSON), ("NaN", NOT_A_HOUSEHOLD), ("\ud800", NOT_JSON),
], ids=["deep list", "deep object", "5,000-digit integer", "number", "null", "list", "string", "empty", "cut off", "NaN", "lone surrogate"])
def test_text_that_is_no_household_comes_back_as_an_error(text, message):
    assert answer(text) == {"error": {"field": "scenario", "message": message}}


@pytest.mark.parametrize("policy_text, field, message", [
    ("", "policy", NOT_JSON), ("[" * 10_000, "policy", TOO_DEEP), ("[]", "policy", "通知数据不完整，请刷新页面重试"),
    ('{"id": "x"}', "policy", "通知数据不完整，请刷新页面重试"), ('{"id": "x", "windows": []}', "policy", "通知数据不完整，请刷新页面重试"),
], ids=["empty", "deep", "list", "no windows", "empty windows"])
def test_a_broken_policy_text_is_an_error_too(policy_text, field, message):
    got = json.loads(quote_json(policy_text, json.dumps(household())))
    assert got == {"error": {"field": field, "message": message}}


def test_a_core_failure_comes_back_as_an_error_not_a_dead_worker():
    """A policy the validator never let through (a window without dates) still gets an answer."""
    policy = json.dumps({"id": "x", "windows": [{"id": "w"}]})
    got = json.loads(quote_json(policy, json.dumps(household())))
    assert got == {"error": {"field": "scenario", "message": "计算器内部错误（KeyError），请把这个情形报告给我们"}}


@pytest.mark.parametrize("field, value", [
    ("paid_on", "20230301"), ("paid_on", "2023W093"), ("paid_on", "2023-03-01T00:00"), ("paid_on", "2023-3-1"),
    ("paid_on", "２０２３-０３-０１"), ("paid_on", 20230301), ("paid_on", None),
], ids=["basic format", "week date", "with a time", "no zero padding", "full-width digits", "a number", "missing"])
def test_payment_day_not_written_yyyy_mm_dd_is_refused(field, value):
    scenario = dict(household(), paid_on=value)
    assert answer(json.dumps(scenario))["error"]["field"] == "paid_on"


@pytest.mark.parametrize("value", ["19800101", "1980W011", "1980-01-01 ", "1980-1-1", "1980-001"],
                         ids=["basic format", "week date", "trailing space", "no zero padding", "ordinal date"])
def test_birth_date_not_written_yyyy_mm_dd_is_refused(value):
    assert answer(json.dumps(household(birth_date=value)))["error"]["field"] == "members[0].birth_date"


def test_employee_insurance_stop_day_not_written_yyyy_mm_dd_is_refused():
    got = answer(json.dumps(household(employee_insurance={"stopped_on": "20220101", "continuous_years": 1})))
    assert got["error"]["field"] == "members[0].employee_insurance.stopped_on"


INTEGER_FACTS = [key for key, fact in FACTS.items() if fact.kind == "integer"]


@pytest.mark.parametrize("key", INTEGER_FACTS)
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "2.0"])
def test_a_number_that_is_not_a_whole_finite_number_names_its_field(key, number):
    text = json.dumps(household())[:-3] + ', "%s": %s}]}' % (key, number)
    assert answer(text)["error"]["field"] == "members[0].%s" % key


# The largest integers JSON can bring in: Python reads no more than 4,300 digits from text.
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(-10**4299, 10**4299),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                         st.sampled_from(["2023-03-01", "20230301", "2023W093", "1980-02-29", "0001-01-01", "9999-12-31", PAID_ON]))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)
MEMBER_KEYS = sorted(FACTS) + ["id", "name"]


def known_days(policy):
    return [end for window in policy["windows"] for end in (window["from"], window["to"]) if isinstance(end, str)]


@st.composite
def scenario_like(draw, policy=None):
    """Mostly the shape of a household for one of the shipped notices, with any JSON value where a fact goes."""
    policy = policy or draw(st.sampled_from(POLICIES))
    members = draw(st.lists(st.dictionaries(st.sampled_from(MEMBER_KEYS), JSON_VALUES, max_size=5), max_size=3))
    scenario = {"paid_on": draw(st.one_of(st.sampled_from(known_days(policy)), JSON_SCALARS)),
                "members": draw(st.one_of(st.just(members), JSON_VALUES))}
    if draw(st.booleans()):
        scenario["policy"] = draw(st.one_of(st.just(policy["id"]), JSON_SCALARS))
    return scenario


POLICY_AND_SCENARIO = st.sampled_from(POLICIES).flatmap(lambda policy: st.tuples(st.just(policy), scenario_like(policy)))


@given(POLICY_AND_SCENARIO)
def test_quote_refuses_nonsense_only_with_a_scenario_error(drawn):
    policy, scenario = drawn
    try:
        quote(policy, scenario)
    except ScenarioError as error:
        assert error.field and error.message


@given(st.sampled_from(POLICIES), st.one_of(JSON_VALUES, scenario_like()))
def test_quote_json_answers_any_json_with_json(policy, value):
    got = json.loads(quote_json(POLICY_JSON[policy["id"]], json.dumps(value)))
    assert "error" in got or got["members"]
    if "error" in got:
        assert got["error"]["field"] and got["error"]["message"]
        assert "内部错误" not in got["error"]["message"], got


@given(st.text(max_size=200))
def test_quote_json_answers_any_text_with_json(text):
    got = json.loads(quote_json(POLICY_JSON[A_POLICY["id"]], text))
    assert "error" in got or got["members"]
