"""The condition language of policy files: a `when` mapping is true when every key in it holds.

The same language selects entry rules, price categories and subsidies, so a policy author learns it once.
"""
from .scenario import ScenarioError
from .values import add_months, age_on, parse_date, period_end_exclusive

DISABILITY_GROUPS = ("disability", "severe_disability")


class Facts:
    """What the rules may ask about one member on the payment day."""

    def __init__(self, member, paid_on, window_id, policy):
        self.member = member
        self.paid_on = paid_on
        self.window_id = window_id
        self.age = age_on(member.birth_date, paid_on)
        self.newborn = newborn_status(member, paid_on, policy.get("newborn"))


def newborn_status(member, paid_on, newborn_rule):
    """`within_window`, `after_window`, `no_window` (the notice sets none), or None: not a newborn here."""
    if not newborn_rule:
        return None
    who = newborn_rule["who"]
    if "born_on_or_after" in who and member.birth_date < parse_date(who["born_on_or_after"]):
        return None
    if "younger_than_years" in who and age_on(member.birth_date, paid_on) >= who["younger_than_years"]:
        return None
    if "window" not in newborn_rule:
        return "no_window"
    # The day of birth is day 1 of the window, as the waiting period counts the payment day as day 1.
    window_end = period_end_exclusive(member.birth_date, newborn_rule["window"])
    return "within_window" if paid_on < window_end else "after_window"


def holds(when, facts):
    return all(CONDITIONS[key](value, facts) for key, value in (when or {}).items())


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


def _disability_grade_in(grades, facts):
    member = facts.member
    if member.disability_grade is None:
        if any(group in DISABILITY_GROUPS for group in member.groups):
            raise ScenarioError(member.field("disability_grade"), "本通知按残疾等级区分补助，请填写残疾等级（1至4级）")
        return False
    return member.disability_grade in grades


CONDITIONS = {
    "window": lambda ids, facts: facts.window_id in ids,
    "newborn": lambda status, facts: facts.newborn is not None if status == "any" else facts.newborn == status,
    "student": lambda statuses, facts: facts.member.student in statuses,
    "employee_transfer": _employee_transfer,
    "groups_any": lambda groups, facts: any(group in groups for group in facts.member.groups),
    "migrant_worker": lambda flag, facts: facts.member.migrant_worker == flag,
    "born_in_old_revolutionary_village": lambda flag, facts: facts.member.born_in_old_revolutionary_village == flag,
    "age_at_least": lambda years, facts: facts.age >= years,
    "age_under": lambda years, facts: facts.age < years,
    "born_before": lambda day, facts: facts.member.birth_date < parse_date(day),
    "disability_grade_in": _disability_grade_in,
    "tier": lambda tiers, facts: facts.member.tier in tiers,
    "paid_on_or_before": lambda day, facts: facts.paid_on <= parse_date(day),
    "paid_on_or_after": lambda day, facts: facts.paid_on >= parse_date(day),
    "any_of": lambda options, facts: any(holds(option, facts) for option in options),
}
