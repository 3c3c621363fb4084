"""What a county page says, computed by the fee core for representative people.

No figure is typed into a template: each price, subsidy and date on a county page is what
`calculator.core.quote` answers for a typical person (an adult of 40, a child of 10, a student, a
baby, a member of each special group), together with the notice sentences the answer rests on.
"""
import dataclasses
import datetime
import re

from build_scripts.zh_format import as_date
from calculator import policyfile
from calculator.core import quote
from calculator.core.values import add_months

ADULT_AGE = 40
CHILD_AGE = 10
STUDENT_AGES = {"enrolled": 12, "new_enrollee": 15, "college": 19}
# The core asks for a grade whenever a disability group is given.
DISABILITY_GRADE_OF_GROUP = {"severe_disability": 1, "disability": 3}
LATE_EXAMPLE_COUNT = 3
LATE_EXAMPLE_OFFSET_DAYS = 9
BABY_BORN_DAYS_INTO_YEAR = 45
BABY_PAYS_AFTER_DAYS = 10


@dataclasses.dataclass(frozen=True)
class Person:
    """A representative resident; the birth date follows from the age on the payment day."""

    age: int = ADULT_AGE
    groups: tuple = ()
    student: str = "none"
    tier: object = None
    disability_grade: object = None
    migrant_worker: bool = False
    born_in_old_revolutionary_village: bool = False
    employee_insurance: tuple = ()  # (continuous years, months since it stopped)
    born_before: object = None
    paid_on_or_after: object = None
    paid_on_or_before: object = None
    windows: tuple = ()

    def member(self, paid_on):
        birth = add_months(paid_on, -12 * self.age) - datetime.timedelta(days=30)
        if self.born_before:
            birth = min(birth, as_date(self.born_before) - datetime.timedelta(days=1))
        member = {"id": "p", "birth_date": birth.isoformat(), "groups": list(self.groups),
                  "student": self.student, "migrant_worker": self.migrant_worker,
                  "born_in_old_revolutionary_village": self.born_in_old_revolutionary_village}
        if self.tier is not None:
            member["tier"] = self.tier
        if self.disability_grade is not None:
            member["disability_grade"] = self.disability_grade
        if self.employee_insurance:
            years, months_ago = self.employee_insurance
            member["employee_insurance"] = {"stopped_on": _months_before(paid_on, months_ago).isoformat(),
                                            "continuous_years": years}
        return member


def _months_before(day, months):
    month_index = day.year * 12 + day.month - 1 - months
    return datetime.date(month_index // 12, month_index % 12 + 1, min(day.day, 28))


def quote_person(policy, person, paid_on):
    """The core's answer for one person paying on `paid_on` (a member result dict).

    The sections of a page ask about the same people on the same days: answers are kept per policy."""
    answers = _answers.setdefault(policy["id"], {})
    key = (person, paid_on)
    if key not in answers:
        scenario = {"policy": policy["id"], "paid_on": paid_on.isoformat(), "members": [person.member(paid_on)]}
        answers[key] = quote(policy, scenario)["members"][0]
    return answers[key]


_answers = {}


# ---- who is typical -----------------------------------------------------------------------------

def default_tier(policy):
    tiers = policy["contribution"].get("tiers", [])
    return tiers[0]["value"] if tiers else None


def person_meeting(when, policy):
    """A person for whom the conditions of `when` hold (the first alternative of each any_of)."""
    fields = {"tier": default_tier(policy)}
    _meet(when or {}, fields)
    for group, grade in DISABILITY_GRADE_OF_GROUP.items():
        if group in fields.get("groups", ()):
            fields.setdefault("disability_grade", grade)
    return Person(**fields)


def _meet(when, fields):
    for key, value in when.items():
        if key == "any_of":
            _meet(value[0], fields)
        elif key == "groups_any":
            fields["groups"] = fields.get("groups", ()) + (value[0],)
        elif key == "student":
            fields["student"] = value[0]
            fields.setdefault("age", STUDENT_AGES.get(value[0], ADULT_AGE))
        elif key == "tier":
            fields["tier"] = value[0]
        elif key == "age_at_least":
            fields["age"] = max(fields.get("age", 0), value + 5)
        elif key == "age_under":
            fields["age"] = min(fields.get("age", ADULT_AGE), max(value - 5, value // 2))
        elif key == "disability_grade_in":
            fields["disability_grade"] = value[0]
        elif key in ("migrant_worker", "born_in_old_revolutionary_village"):
            fields[key] = value
        elif key == "employee_transfer":
            fields["employee_insurance"] = _employee_history(value)
        elif key in ("born_before", "paid_on_or_after", "paid_on_or_before"):
            fields[key] = value
        elif key == "window":
            fields["windows"] = tuple(value)


def _employee_history(spec):
    """(continuous years, months since it stopped) meeting an employee_transfer condition."""
    months_ago = spec["stopped_more_than_months"] + 1 if "stopped_more_than_months" in spec else 1
    return spec.get("min_continuous_years", 1), months_ago


def typical_people(policy):
    """(label, person): adults in each tier, a child, each kind of student, then whoever each price names."""
    tier = default_tier(policy)
    tiers = policy["contribution"].get("tiers", [])
    people = [("成年居民（%s）" % item["label"], Person(tier=item["value"])) for item in tiers]
    people = people or [("成年居民", Person())]
    people.append(("未成年人", Person(age=CHILD_AGE, tier=tier)))
    for status in policy["form"]["student_statuses"]:
        if status["value"] != "none":
            people.append((status["label"], Person(age=STUDENT_AGES[status["value"]], student=status["value"], tier=tier)))
    for price in policy["contribution"]["prices"]:
        people.append((price["label"], person_meeting(price.get("when"), policy)))
    return people


def payment_days_for(person, policy):
    """The days a payment may change the answer, within the person's own date and window conditions."""
    flips = rule_date_flips(policy)
    first = as_date(person.paid_on_or_after) if person.paid_on_or_after else datetime.date.min
    last = as_date(person.paid_on_or_before) if person.paid_on_or_before else datetime.date.max
    days = [max(day, first) for window in policy["windows"] if not person.windows or window["id"] in person.windows
            for day in payment_days_in(window, flips) if day <= last and as_date(window["to"]) >= first]
    return sorted(set(days)) or [as_date(policy["windows"][0]["from"])]


# ---- sources ------------------------------------------------------------------------------------

def trace_step(result, rule_id):
    return next((step for step in result["trace"] if step["rule"] == rule_id), None)


def entry_rule_step(result, policy):
    """The trace step of the entry rule that decided this result."""
    rule_ids = {rule["id"] for rule in policy["rules"]}
    return next((step for step in result["trace"] if step["rule"] in rule_ids), None)


def sources_of(result, *rule_ids):
    found = []
    for rule_id in rule_ids:
        step = trace_step(result, rule_id)
        if step:
            found += step.get("sources", [])
    return found


def explained(result, policy):
    """What the page says about one result: accepted, rule label and its sources, interpretation."""
    step = entry_rule_step(result, policy) or {}
    return {"result": result, "rule": step.get("says", result.get("reason", "")),
            "sources": step.get("sources", []), "interpretation": step.get("interpretation")}


# ---- the page's sections ---------------------------------------------------------------------------

def facts(policy):
    try:
        return _facts(policy)
    finally:
        _answers.pop(policy["id"], None)


def _facts(policy):
    return {
        "adult_age": ADULT_AGE,
        "fiscal": policy["contribution"]["fiscal_subsidy"],
        "price_windows": price_windows(policy),
        "timeline": timeline(policy),
        "late_examples": late_examples(policy),
        "subsidies": subsidy_examples(policy),
        "group_names": group_names(policy),
        "newborn": newborn_examples(policy),
        "students": student_tables(policy),
        "tables": [staff_table(table) for table in policy["tables"]],
        "school_registration": [item for item in policy["registration"] if re.search("学生|学校", item["quote"])],
        "refund_notes": [item for item in policy.get("notes", []) if "退" in item["quote"]],
        "enrolled_by_government": [item for item in policy["subsidies"] if item.get("enrolled_by_government")],
    }


def price_windows(policy):
    """For each payment window: one row per price category with what the person pays, and who cannot pay.

    A person refused on a window's first day (福山: adults' channel opens a month later) is tried
    again on each later day a rule's date condition changes within the window."""
    people = typical_people(policy)
    category_order = [price["label"] for price in policy["contribution"]["prices"]]
    windows = []
    flips = rule_date_flips(policy)
    for window in policy["windows"]:
        days = payment_days_in(window, flips)
        rows, refused = {}, {}
        for label, person in people:
            result, paid_on = first_accepted(policy, person, days)
            if not result["accepted"]:
                refused.setdefault(result["reason"], label)
            elif result["category"] not in rows:
                rows[result["category"]] = dict(price_row(result), paid_on=paid_on, late_start=paid_on != days[0])
        ordered = sorted(rows.values(), key=lambda row: _position(category_order, row["category"]))
        windows.append({"window": window, "rows": ordered,
                        "refused": [{"who": who, "reason": reason} for reason, who in refused.items()]})
    return windows


def rule_date_flips(policy):
    """Days on which an entry rule's paid_on_or_before / paid_on_or_after condition changes."""
    flips = set()
    for _, key, value in policyfile.walk(policy["rules"]):
        if key == "paid_on_or_before":
            flips.add(as_date(value) + datetime.timedelta(days=1))
        elif key == "paid_on_or_after":
            flips.add(as_date(value))
    return flips


def payment_days_in(window, flips):
    """The window's first day, then each of the flips inside it."""
    first, last = as_date(window["from"]), as_date(window["to"])
    return [first] + sorted(day for day in flips if first < day <= last)


def first_accepted(policy, person, days):
    """(result, day) for the first day the person may pay; the first day's refusal if none."""
    refusal = None
    for day in days:
        result = quote_person(policy, person, day)
        if result["accepted"]:
            return result, day
        refusal = refusal or (result, day)
    return refusal


def _position(order, label):
    return order.index(label) if label in order else len(order)


def price_row(result):
    surcharge = trace_step(result, "fiscal-surcharge")
    return {"category": result["category"], "pays": result["pays"], "pays_fiscal_part": surcharge is not None,
            "sources": sources_of(result, "price", "fiscal-surcharge")}


def timeline(policy):
    """Each payment window with what an ordinary adult who pays a few days into it gets."""
    adult = typical_people(policy)[0][1]
    return [dict(window=window, paid_on=a_few_days_into(window),
                 **explained(quote_person(policy, adult, a_few_days_into(window)), policy))
            for window in policy["windows"]]


def late_examples(policy):
    """An ordinary adult paying a few days into each window after the first (up to three)."""
    adult = typical_people(policy)[0][1]
    examples = []
    for window in policy["windows"][1:1 + LATE_EXAMPLE_COUNT]:
        paid_on = a_few_days_into(window)
        examples.append(dict(window=window, paid_on=paid_on, **explained(quote_person(policy, adult, paid_on), policy)))
    return examples


def a_few_days_into(window):
    """A payment day inside the window but past its first day, where "from the payment day" and
    "from the window's start" differ."""
    return min(as_date(window["from"]) + datetime.timedelta(days=LATE_EXAMPLE_OFFSET_DAYS), as_date(window["to"]))


def subsidy_examples(policy):
    """Each subsidy with the core's figures for a person it applies to (None when no example reaches it)."""
    examples = []
    for subsidy in policy["subsidies"]:
        person = person_meeting(subsidy.get("when"), policy)
        result, paid_on = first_accepted(policy, person, payment_days_for(person, policy))
        applies = result["accepted"] and trace_step(result, subsidy["id"]) is not None
        examples.append({"subsidy": subsidy, "paid_on": paid_on, "result": result if applies else None,
                         "person_age": person.age,
                         "person_groups": [policy["vocabulary"][group] for group in person.groups]})
    return examples


def group_names(policy):
    """Names of the groups the subsidies name, in the order the notice lists them."""
    ids = []
    for subsidy in policy["subsidies"]:
        for _, key, value in policyfile.walk(subsidy.get("when") or {}):
            if key == "groups_any":
                ids += [group for group in value if group not in ids]
    return [policy["vocabulary"][group] for group in ids]


def newborn_examples(policy):
    """A baby born early in the coverage year, paying soon after birth and after the newborn period."""
    newborn = policy.get("newborn")
    if not newborn:
        return None
    birth = as_date(policy["coverage"]["start"]) + datetime.timedelta(days=BABY_BORN_DAYS_INTO_YEAR)
    last_day = as_date(policy["windows"][-1]["to"])
    pay_days = [birth + datetime.timedelta(days=BABY_PAYS_AFTER_DAYS)]
    if "window" in newborn:
        period_days = newborn["window"].get("days") or newborn["window"]["months"] * 31
        pay_days.append(birth + datetime.timedelta(days=period_days + BABY_PAYS_AFTER_DAYS))
    examples = []
    for paid_on in pay_days:
        if paid_on <= last_day:
            scenario = {"policy": policy["id"], "paid_on": paid_on.isoformat(),
                        "members": [{"id": "baby", "birth_date": birth.isoformat()}]}
            result = quote(policy, scenario)["members"][0]
            examples.append(dict(paid_on=paid_on, **explained(result, policy)))
    return {"rule": newborn, "birth": birth, "examples": examples}


def student_tables(policy):
    """For each kind of student the notice names: the windows where paying a few days in gives a
    student something other than an ordinary adult (the rest is in the price table and timeline)."""
    tier = default_tier(policy)
    adult = typical_people(policy)[0][1]
    tables = []
    for status in policy["form"]["student_statuses"]:
        if status["value"] == "none":
            continue
        student = Person(age=STUDENT_AGES[status["value"]], student=status["value"], tier=tier)
        rows = []
        for window in policy["windows"]:
            paid_on = a_few_days_into(window)
            result = quote_person(policy, student, paid_on)
            if outcome(result) != outcome(quote_person(policy, adult, paid_on)):
                rows.append(dict(window=window, paid_on=paid_on, **explained(result, policy)))
        tables.append({"label": status["label"], "rows": rows})
    return tables


def outcome(result):
    """What a resident would notice of a result: whether, how much, and from when."""
    return tuple(result.get(key) for key in ("accepted", "pays", "coverage_start", "waiting_days"))


# ---- the notice's own tables, for staff ---------------------------------------------------------------

CHECK_WORDS = {"sum": "＋", "difference": "－", "percent_of": "÷"}


def staff_table(table):
    """The table as printed, its total row recomputed from the rows, and each check in words."""
    keys = [column["key"] for column in table["columns"]]
    labels = {column["key"]: column["label"] for column in table["columns"]}
    rows = [dict(zip(keys, row)) for row in table["rows"]]
    printed_total = dict(zip(keys, table["total"]))
    recomputed = dict(printed_total)
    for check in table["checks"]:
        column = check["column"]
        if check["kind"] == "column_total":
            recomputed[column] = sum(_cell_number(row[column]) for row in rows)
        else:
            recomputed[column] = policyfile.recompute_cell(check, printed_total)
    return {
        "table": table,
        "keys": keys,
        "recomputed_total": [recomputed[key] for key in keys],
        "differs": [recomputed[key] != printed_total[key] for key in keys],
        "checks": [check_in_words(check, labels) for check in table["checks"]],
    }


def _cell_number(cell):
    return 0 if cell is None else cell


def check_in_words(check, labels):
    column = labels[check["column"]]
    if check["kind"] == "column_total":
        return "合计行的“%s” = 各行相加" % column
    operands = [labels[key] for key in check.get("of", [])]
    if check["kind"] == "share_of":
        return "“%s” = “%s” × %d%%（四舍五入）" % (column, operands[0], check["percent"])
    if check["kind"] == "percent_of":
        return "“%s” = “%s” ÷ “%s”（百分数，保留两位小数）" % (column, operands[0], operands[1])
    return "“%s” = %s" % (column, (" %s " % CHECK_WORDS[check["kind"]]).join("“%s”" % name for name in operands))
