"""The registry's second half: the condition language of a rule's `when`. Each `Condition` gives the JSON
Schema of its value, the member fact it reads, how to test it against one member's `Facts` on the payment
day (`holds`), and how to make an example member meet it (`meet_all`, `example_member`: the one builder of
the example people on county pages, in the policy checks and in the bundle's exercise). `conditions_of`
and `whens` are the one walker over the language. The member facts themselves are in facts.py.
"""
import datetime

from .facts import DISABILITY_GROUPS, DISABILITY_KINDS, RESIDENCES, STUDENT_VALUES, ScenarioError, family_role_of
from .values import add_months, age_on, parse_date


class Condition:
    """A key of a rule's `when`: the JSON Schema of its value, the fact it reads, how to test it, and
    how to make a member meet it (for the representative people on county pages)."""

    def __init__(self, key, schema, test, reads=None, meet=None):
        self.key, self.schema, self.test, self.reads, self.meet = key, schema, test, reads, meet


def _ids(items=None):
    return {"type": "array", "minItems": 1, "items": items or {"$ref": "#/$defs/id"}}


DATE = {"$ref": "#/$defs/date"}


def _employee_transfer(spec, facts):
    insurance = facts.member.employee_insurance
    if insurance is None or insurance["continuous_years"] < spec.get("min_continuous_years", 0):
        return False
    stopped_on = insurance["stopped_on"]
    if "stopped_within_months" in spec:
        return facts.paid_on <= add_months(stopped_on, spec["stopped_within_months"])
    if "stopped_more_than_months" in spec:
        return facts.paid_on > add_months(stopped_on, spec["stopped_more_than_months"])
    return True


def _meet_employee_transfer(spec, member, paid_on):
    months_ago = spec["stopped_more_than_months"] + 1 if "stopped_more_than_months" in spec else 1
    stopped = add_months(paid_on, -months_ago)
    member["employee_insurance"] = {"stopped_on": stopped.isoformat(), "continuous_years": max(1, spec.get("min_continuous_years", 1))}


def _disability_grade_in(grades, facts):
    member = facts.member
    if member.disability_grade is None:
        if any(group in DISABILITY_GROUPS for group in member.groups):
            raise ScenarioError(member.field("disability_grade"), "本通知按残疾等级区分补助，请填写残疾等级（1至4级）")
        return False
    return member.disability_grade in grades


def _birth_for_age(member, paid_on, age):
    """A birth date giving `age` full years on `paid_on` (born a month before that birthday)."""
    member["birth_date"] = (add_months(paid_on, -12 * age) - datetime.timedelta(days=30)).isoformat()


def _current_age(member, paid_on):
    return age_on(parse_date(member["birth_date"]), paid_on)


def _meet_age_at_least(years, member, paid_on):
    if _current_age(member, paid_on) < years:
        _birth_for_age(member, paid_on, years + 5)


def _meet_age_under(years, member, paid_on):
    if _current_age(member, paid_on) >= years:
        _birth_for_age(member, paid_on, max(years - 5, years // 2))


def _meet_born_before(day, member, paid_on):
    line = parse_date(day) - datetime.timedelta(days=1)
    member["birth_date"] = min(parse_date(member["birth_date"]), line).isoformat()


def _set(key, pick=lambda value: value):
    def meet(value, member, paid_on):
        member[key] = pick(value)
    return meet


def _add_group(groups, member, paid_on):
    member["groups"] = list(member.get("groups", [])) + [groups[0]]
    if groups[0] in DISABILITY_GROUPS:
        member.setdefault("disability_grade", 1 if groups[0] == "severe_disability" else 3)


def _meet_any_of(options, member, paid_on):
    meet_all(options[0], member, paid_on)


def meet_all(when, member, paid_on):
    """Change the member dict so that the member facts of `when` hold (payment conditions are left)."""
    for key, value in (when or {}).items():
        meet = CONDITIONS[key].meet
        if meet:
            meet(value, member, paid_on)


# The ages of the example people on pages, in the policy checks and in the bundle's exercise: an adult,
# a child, and a student of each status (a pupil, a new entrant to 高中, a college student).
ADULT_AGE = 40
CHILD_AGE = 10
STUDENT_AGES = {"enrolled": 12, "new_enrollee": 15, "college": 19}


def first_tier(policy):
    """The tier an example adult pays on (the notice's first), as member facts: {} where it has no tiers."""
    tiers = policy["contribution"].get("tiers", [])
    return {"tier": tiers[0]["value"]} if tiers else {}


def example_member(paid_on, when=None, age=None, born_days_before=None, **facts):
    """The scenario member of an example person paying on `paid_on`: `age` full years old that day (born a
    month before that birthday) or born `born_days_before` days before it, with `facts`, then changed so
    that `when` holds. Without an age or a birth, a student is of their status's age, anyone else an adult."""
    member = dict(facts)
    if born_days_before is not None:
        member["birth_date"] = (paid_on - datetime.timedelta(days=born_days_before)).isoformat()
    else:
        _birth_for_age(member, paid_on, ADULT_AGE if age is None else age)
    meet_all(when, member, paid_on)
    if age is None and born_days_before is None and member.get("student", "none") != "none":
        _birth_for_age(member, paid_on, STUDENT_AGES[member["student"]])
        meet_all(when, member, paid_on)
    return member


CONDITIONS = {condition.key: condition for condition in [
    Condition("window", _ids(), lambda ids, facts: facts.window_id in ids),
    Condition("newborn", {"enum": ["within_window", "after_window", "any"]},
              lambda status, facts: facts.newborn is not None if status == "any" else facts.newborn == status),
    Condition("student", _ids({"enum": [value for value, _label in STUDENT_VALUES]}),
              lambda statuses, facts: facts.member.student in statuses, "student", _set("student", lambda v: v[0])),
    Condition("employee_transfer",
              {"type": "object", "additionalProperties": False, "maxProperties": 2,
               "properties": {"min_continuous_years": {"type": "integer", "minimum": 0},
                              "stopped_within_months": {"type": "integer", "minimum": 1},
                              "stopped_more_than_months": {"type": "integer", "minimum": 1}}},
              _employee_transfer, "employee_insurance", _meet_employee_transfer),
    Condition("groups_any", _ids(), lambda groups, facts: any(group in groups for group in facts.member.groups),
              "groups", _add_group),
    Condition("migrant_worker", {"type": "boolean"}, lambda flag, facts: facts.member.migrant_worker == flag,
              "migrant_worker", _set("migrant_worker")),
    Condition("born_in_old_revolutionary_village", {"type": "boolean"},
              lambda flag, facts: facts.member.born_in_old_revolutionary_village == flag,
              "born_in_old_revolutionary_village", _set("born_in_old_revolutionary_village")),
    Condition("newly_identified", {"type": "boolean"}, lambda flag, facts: facts.member.newly_identified == flag,
              "newly_identified", _set("newly_identified")),
    Condition("family_role", _ids({"enum": ["parent", "child"]}),
              lambda roles, facts: family_role_of(facts.member, facts.paid_on) in roles,
              "family_role", _set("family_role", lambda v: v[0])),
    Condition("age_at_least", {"type": "integer", "minimum": 0}, lambda years, facts: facts.age >= years,
              "birth_date", _meet_age_at_least),
    Condition("age_under", {"type": "integer", "minimum": 1}, lambda years, facts: facts.age < years,
              "birth_date", _meet_age_under),
    Condition("born_before", DATE, lambda day, facts: facts.member.birth_date < parse_date(day),
              "birth_date", _meet_born_before),
    Condition("disability_grade_in", _ids({"enum": [1, 2, 3, 4]}), _disability_grade_in,
              "disability_grade", _set("disability_grade", lambda v: v[0])),
    Condition("disability_kind_in", _ids({"enum": [kind for kind, _label in DISABILITY_KINDS]}),
              lambda kinds, facts: facts.member.disability_kind in kinds, "disability_kind", _set("disability_kind", lambda v: v[0])),
    Condition("residence", _ids({"enum": [place for place, _label in RESIDENCES]}),
              lambda places, facts: facts.member.residence in places, "residence", _set("residence", lambda v: v[0])),
    Condition("tier", _ids({"type": "integer"}), lambda tiers, facts: facts.member.tier in tiers,
              "tier", _set("tier", lambda v: v[0])),
    Condition("missed_years_at_least", {"type": "integer", "minimum": 1},
              lambda years, facts: facts.member.missed_years >= years, "missed_years", _set("missed_years")),
    Condition("paid_on_or_before", DATE, lambda day, facts: facts.paid_on <= parse_date(day)),
    Condition("paid_on_or_after", DATE, lambda day, facts: facts.paid_on >= parse_date(day)),
    Condition("any_of", {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/when"}},
              lambda options, facts: any(holds(option, facts) for option in options), meet=_meet_any_of),
]}


def holds(when, facts):
    return all(CONDITIONS[key].test(value, facts) for key, value in (when or {}).items())


def conditions_of(when):
    """Every (key, value) a `when` tests, the options of any_of included (after any_of itself)."""
    for key, value in (when or {}).items():
        yield key, value
        if key == "any_of":
            for option in value:
                yield from conditions_of(option)


def whens(node):
    """Every `when` mapping in a policy or a part of one (rules, prices, subsidies, exemptions, rewards)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "when" and isinstance(value, dict):
                yield value
            else:
                yield from whens(value)
    elif isinstance(node, list):
        for item in node:
            yield from whens(item)


def facts_read(when):
    """The member facts a `when` reads, any_of included."""
    return {CONDITIONS[key].reads for key, _value in conditions_of(when) if CONDITIONS[key].reads}


def when_schema():
    """The JSON Schema of a `when` mapping, for policies/schema.json's `$defs.when`."""
    return {"type": "object", "additionalProperties": False,
            "properties": {key: condition.schema for key, condition in CONDITIONS.items()}}
