"""The registry of member facts (calculator/core/facts.py) and everything made from it agree, fact by fact:
the policy JSON Schema's `when`, the scenario parser, and the share-link checker the browser runs
(docs/assets/calculator/share.js, run here under Node with the registry the bundle ships). The form's
side (one control per fact, by kind) is tested in Chromium (tests/browser/test_calculator.py)."""
import json
import subprocess

import pytest

from build_scripts import bundle
from calculator.core import conditions, facts
from calculator.core.facts import ScenarioError
from calculator.core.scenario import MAX_MEMBERS, Scenario
from calculator.policyfile import policy_schema

SHARE_JS = bundle.ASSETS / "share.js"
REGISTRY = dict(facts.registry_json(), max_members=MAX_MEMBERS)
PAID_ON = "2030-06-01"
BIRTH = "1980-01-01"

def run_share_js(registry, scenarios, prelude=""):
    """For each scenario: whether share.js accepts it, and what it gives back after a share link round trip."""
    script = prelude + """
import { checkScenario, decodeShare, encodeShare } from %s;
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { registry, scenarios } = JSON.parse(input);
const answers = [];
for (const scenario of scenarios) {
  try {
    checkScenario(scenario, registry);
  } catch (error) {
    answers.push({ accepted: false, message: error.message });
    continue;
  }
  const link = await encodeShare(scenario, registry);
  answers.push({ accepted: true, link, back: await decodeShare(link, registry) });
}
console.log(JSON.stringify(answers));
""" % json.dumps(SHARE_JS.as_uri())
    run = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True,
                         input=json.dumps({"registry": registry, "scenarios": scenarios}), timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def python_accepts(scenario):
    try:
        Scenario(scenario)
    except ScenarioError:
        return False
    return True


def values_for(fact):
    """(valid, invalid) values of a fact, from what the registry says of it."""
    kind = fact.kind
    if kind == "date":
        return ["2023-03-01", "2024-02-29"], ["2023-02-30", "2023-13-01", "x", 20230301, True, [], "2023-3-1"]
    if kind == "flag":
        return [True, False], [1, 0, "true", []]
    if kind == "integer":
        low, high = fact.minimum, fact.maximum
        return [low, high, (low + high) // 2], [low - 1, high + 1, 1.5, "1", True, [1]]
    if kind == "enum":
        values = [value for value, _label in fact.values]
        numeric = isinstance(values[0], int)
        return values, ["no-such-value", 99, True, [values[0]]] + ([str(values[0])] if numeric else [])
    if kind == "id_list":
        return [[], ["dibao", "tekun"]], [["dibao", "dibao"], [1], "dibao", {}]
    if kind == "employment":
        years = facts.EMPLOYMENT_YEARS
        day = "2023-01-01"
        return ([{"stopped_on": day}, {"stopped_on": day, "continuous_years": years.minimum},
                 {"stopped_on": day, "continuous_years": years.maximum}],
                [{}, {"stopped_on": "x"}, {"stopped_on": day, "continuous_years": years.minimum - 1},
                 {"stopped_on": day, "continuous_years": years.maximum + 1}, {"stopped_on": day, "extra": 1},
                 {"stopped_on": day, "continuous_years": None}, day])
    raise AssertionError("a fact kind without test values: %s" % kind)


def member_with(fact, value):
    member = {"birth_date": BIRTH, fact.key: value}
    if fact.at_most and isinstance(value, int) and not isinstance(value, bool):
        member[fact.at_most] = facts.FACTS[fact.at_most].maximum  # the bound allows any valid value
    return member


def fact_cases():
    cases = []
    for fact in facts.FACTS.values():
        valid, invalid = values_for(fact)
        cases += [(fact.key, value, True) for value in valid] + [(fact.key, value, False) for value in invalid]
        cases.append((fact.key, None, not fact.required))
    return cases


CASES = fact_cases()


@pytest.fixture(scope="module")
def share_answers():
    scenarios = [{"policy": "nanan-2023", "paid_on": PAID_ON, "members": [member_with(facts.FACTS[key], value)]}
                 for key, value, _valid in CASES]
    return run_share_js(REGISTRY, scenarios)


@pytest.mark.parametrize("index", range(len(CASES)), ids=["%s=%r" % (key, value) for key, value, _ in CASES])
def test_the_share_checker_accepts_what_the_core_accepts_fact_by_fact(index, share_answers):
    key, value, valid = CASES[index]
    scenario = {"policy": "nanan-2023", "paid_on": PAID_ON, "members": [member_with(facts.FACTS[key], value)]}
    assert python_accepts(scenario) == valid, "the test's idea of valid is not the parser's"
    answer = share_answers[index]
    assert answer["accepted"] == valid, answer
    if valid:
        shared = answer["back"]["members"][0]
        assert python_accepts(dict(scenario, members=[{k: v for k, v in shared.items() if k != "id"}]))
        assert Scenario(dict(scenario, members=[shared])).members[0].__dict__ == \
            Scenario(dict(scenario, members=[dict(scenario["members"][0], id="成员1")])).members[0].__dict__
    else:
        facts_label = facts.FACTS[key].label
        assert facts_label in answer["message"] or "成员1" in answer["message"], answer


def test_checks_across_facts_and_members_agree():
    bounded = [fact for fact in facts.FACTS.values() if fact.at_most]
    assert bounded, "the registry bounds no fact by another: this test has nothing to check"
    members = [
        [{"birth_date": BIRTH, fact.at_most: 1, fact.key: 2} for fact in bounded],
        [{"birth_date": BIRTH, fact.at_most: 2, fact.key: 2} for fact in bounded],
        [{"birth_date": BIRTH, "no_such_fact": 1}],
        [],
        [{"birth_date": BIRTH}] * MAX_MEMBERS,
        [{"birth_date": BIRTH}] * (MAX_MEMBERS + 1),
    ]
    scenarios = [{"policy": "nanan-2023", "paid_on": PAID_ON, "members": m} for m in members]
    for scenario, answer in zip(scenarios, run_share_js(REGISTRY, scenarios)):
        assert answer["accepted"] == python_accepts(scenario), (scenario["members"][:2], answer)


def test_the_largest_household_fits_a_share_link():
    """Every member different (birth date, a group, history): still a link phones and chat apps take."""
    members = [{"birth_date": "19%02d-%02d-%02d" % (30 + i % 70, 1 + i % 12, 1 + i % 28),
                "groups": [["dibao"], ["tekun", "disability"], []][i % 3], "disability_grade": 1 + i % 4,
                "student": ["none", "enrolled", "college"][i % 3], "missed_years": i % 5, "repair_years": min(i % 3, i % 5)}
               for i in range(MAX_MEMBERS)]
    scenario = {"policy": "weifang-2025", "paid_on": PAID_ON, "members": members}
    assert python_accepts(scenario)
    (answer,) = run_share_js(REGISTRY, [scenario])
    assert answer["accepted"]
    print("share link for %d members: %d characters" % (MAX_MEMBERS, len(answer["link"])))
    assert len(answer["link"]) < 8000
    back = [{k: v for k, v in m.items() if k != "id"} for m in answer["back"]["members"]]
    defaults = {fact["key"]: fact["default"] for fact in json.loads(json.dumps(REGISTRY))["facts"]}
    expected = [{k: v for k, v in m.items() if v != defaults[k]} for m in members]
    assert back == expected


def test_the_schema_when_is_the_registrys_and_conditions_read_registered_facts():
    assert policy_schema()["$defs"]["when"] == conditions.when_schema()
    for condition in conditions.CONDITIONS.values():
        if condition.reads:
            assert condition.reads in facts.FACTS, condition.key
            fact = facts.FACTS[condition.reads]
            allowed = condition.schema.get("items", {}).get("enum")
            if allowed and fact.values:
                assert set(allowed) <= {value for value, _label in fact.values}, condition.key


def test_a_browser_without_compression_streams_shares_plain_links_that_open_anywhere():
    scenario = {"policy": "nanan-2023", "paid_on": PAID_ON, "members": [{"birth_date": BIRTH, "groups": ["dibao"]}]}
    (answer,) = run_share_js(REGISTRY, [scenario], prelude="delete globalThis.CompressionStream;")
    assert answer["link"].startswith("#v1=")
    assert answer["back"]["members"] == [dict(scenario["members"][0], id="成员1")]
