"""Runs case files (the ../shared/golden format): each case is a scenario plus what each member must get."""
from pathlib import Path

from . import located_yaml
from .core import ScenarioError, quote

# Keys of a case that are not part of the scenario: `golden` marks a case copied from ../shared/golden.
CASE_KEYS = ("name", "expect", "golden")


class CaseOutcome:
    def __init__(self, name, where, differences):
        self.name, self.where, self.differences = name, where, differences

    @property
    def passed(self):
        return not self.differences


def load_cases(path):
    document = located_yaml.load(Path(path).read_text(encoding="utf-8"))
    return [(case, "%s:%d" % (path, document.item_lines[index])) for index, case in enumerate(document)]


def scenario_of(case):
    return {key: located_yaml.plain(value) for key, value in case.items() if key not in CASE_KEYS}


def case_scenarios(folder):
    """(name, scenario) for every case in folder/*.yaml: the scenario is the case without name and
    expect, exactly what the form sends."""
    return [(case["name"], scenario_of(case)) for path in sorted(Path(folder).glob("*.yaml"))
            for case, _where in load_cases(path)]


def run_case(case, where, policies):
    name = case.get("name", "(unnamed)")
    policy = policies.get(case.get("policy"))
    if policy is None:
        return CaseOutcome(name, where, ["没有 id 为 %r 的政策" % case.get("policy")])
    try:
        result = quote(policy, scenario_of(case))
    except ScenarioError as error:
        return CaseOutcome(name, where, ["输入错误 %s: %s" % (error.field, error.message)])
    return CaseOutcome(name, where, differences(case.get("expect", {}), result))


def differences(expect, result):
    members = {member["id"]: member for member in result["members"]}
    found = []
    for member_id, wanted in expect.items():
        got = result["household"] if member_id == "household" else members.get(member_id)
        if got is None:
            found.append("%s: 结果中没有这位成员" % member_id)
            continue
        for field, wanted_value in wanted.items():
            got_value = got.get(field, "(无：%s)" % got.get("reason", "未参保")) if field != "accepted" else got["accepted"]
            if not same(wanted_value, got_value):
                found.append("%s.%s: 应为 %s，算得 %s" % (member_id, field, wanted_value, describe(got_value)))
    return found


def same(wanted, got):
    if wanted == "unknown":
        return isinstance(got, dict) and "unknown" in got
    return wanted == got and type(wanted) is type(got)


def describe(value):
    if isinstance(value, dict) and "unknown" in value:
        return "unknown（%s）" % value["unknown"]
    return value
