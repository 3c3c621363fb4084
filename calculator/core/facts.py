"""The one registry of what a member can be asked (facts) and what a rule can test (conditions).

Everything else is generated from it or checked against it: the scenario parser (`scenario.py`), the
condition evaluator (`conditions.py`), the `when` part of the policy JSON Schema (`when_schema`), the
calculator form and the share-link checker in the browser (`registry_json`, shipped in the bundle's
manifest), and the representative people on county pages (`example_member`).

Adding a member fact is one `Fact` entry (and, if rules are to test it, one `Condition`).
"""
import datetime

from .values import add_months, age_on, parse_date

MAX_YEARS = 60


class ScenarioError(ValueError):
    """Input that makes no sense. `field` is a path such as `members[1].birth_date`; `message` is Chinese."""

    def __init__(self, field, message):
        super().__init__("%s: %s" % (field, message))
        self.field = field
        self.message = message


class Fact:
    """One thing a household can tell about a member.

    kind: date | flag | integer | enum | id_list | employment (the employee-insurance history object).
    `asked_by` lists the condition keys (or policy features) that make the form ask it; `always` facts
    are asked on every form. For the form only: `ask_if` narrows whom it is asked of (`{"groups": [...]}`:
    a member who ticked one of them, where the notice offers one; `{"min_age": N}`: N years old on the
    payment day), `gate` is a yes/no question whose "是" means the default, and `at_most` names the fact
    whose value bounds this one."""

    def __init__(self, key, kind, label, help="", values=(), minimum=None, maximum=None, default=None,
                 always=False, required=False, ask_if=None, gate=None, at_most=None):
        self.key, self.kind, self.label, self.help = key, kind, label, help
        self.values = tuple(values)
        self.minimum, self.maximum, self.default = minimum, maximum, default
        self.always, self.required = always, required
        self.ask_if, self.gate, self.at_most = ask_if, gate, at_most

    def to_json(self):
        data = {"key": self.key, "kind": self.kind, "label": self.label, "help": self.help,
                "required": self.required, "default": self.default}
        if self.values:
            data["values"] = [{"value": value, "label": label} for value, label in self.values]
        if self.minimum is not None:
            data["minimum"] = self.minimum
        if self.maximum is not None:
            data["maximum"] = self.maximum
        for key in ("ask_if", "gate", "at_most"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    def parse(self, value, field):
        """The member's value, checked; raises ScenarioError naming `field` in Chinese."""
        if value is None:
            if self.required:
                raise ScenarioError(field, "请填写%s" % self.label)
            return self.default() if callable(self.default) else self.default
        return PARSERS[self.kind](self, value, field)


def _parse_date(fact, value, field):
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        raise ScenarioError(field, "日期格式应为 年-月-日，例如 2023-03-01，收到的是 %r" % (value,))


def _parse_flag(fact, value, field):
    if not isinstance(value, bool):
        raise ScenarioError(field, "应为 true 或 false")
    return value


def _parse_integer(fact, value, field):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(field, "%s应为整数" % fact.label)
    if (fact.minimum is not None and value < fact.minimum) or (fact.maximum is not None and value > fact.maximum):
        raise ScenarioError(field, "%s应在 %s 至 %s 之间" % (fact.label, fact.minimum, fact.maximum))
    return value


def _parse_enum(fact, value, field):
    # Of the same type as an option: 1.0 is no 残疾等级 (as 2.0 is no 缴费档次), True is no 1.
    allowed = [option for option, _label in fact.values if type(option) is type(value)]
    if value not in allowed:
        options = "、".join("%s（%s）" % (option, label) for option, label in fact.values)
        raise ScenarioError(field, "%s应为 %s 之一，收到的是 %r" % (fact.label, options, value))
    return value


def _parse_id_list(fact, value, field):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScenarioError(field, "应为名称列表")
    if len(set(value)) != len(value):
        raise ScenarioError(field, "%s中有重复的项" % fact.label)
    return tuple(value)


def _parse_employment(fact, value, field):
    if not isinstance(value, dict) or "stopped_on" not in value:
        raise ScenarioError(field, "应写明职工医保停保日期 stopped_on")
    unknown = sorted(set(value) - {"stopped_on", "continuous_years"})
    if unknown:
        raise ScenarioError("%s.%s" % (field, unknown[0]), "不认识的字段")
    years = _parse_integer(EMPLOYMENT_YEARS, value.get("continuous_years", 0), field + ".continuous_years")
    stopped_on = _parse_date(fact, value["stopped_on"], field + ".stopped_on")
    return {"stopped_on": stopped_on, "continuous_years": years}


PARSERS = {"date": _parse_date, "flag": _parse_flag, "integer": _parse_integer, "enum": _parse_enum,
           "id_list": _parse_id_list, "employment": _parse_employment}
EMPLOYMENT_YEARS = Fact("continuous_years", "integer", "连续参加职工医保的年数", minimum=0, maximum=MAX_YEARS, default=0)

STUDENT_VALUES = (
    ("none", "不是学生"),
    ("enrolled", "在校学生（中小学、幼儿园等）"),
    ("new_enrollee", "今年9月入学新生"),
    ("college", "大中专、全日制高校学生"),
)

DISABILITY_GROUPS = ("disability", "severe_disability")
DISABILITY_KINDS = (
    ("physical", "肢体残疾"),
    ("visual", "视力残疾"),
    ("hearing", "听力残疾"),
    ("speech", "言语残疾"),
    ("intellectual", "智力残疾"),
    ("mental", "精神残疾"),
    ("multiple", "多重残疾"),
)
RESIDENCES = (("rural", "农村居民"), ("urban", "城镇居民"))
FAMILY_PLANNING_GROUPS = ("only_son_family", "only_daughter_family", "family_planning_special")
WORKING_AGE = 16  # 劳动法: the youngest age at which one can have been employed (and insured as an employee)

FACTS = {fact.key: fact for fact in [
    Fact("birth_date", "date", "出生日期", required=True, always=True),
    Fact("groups", "id_list", "特殊身份", "低保、特困、残疾等由政府部门认定的身份；没有就不用选", default=()),
    Fact("student", "enum", "学生身份", values=STUDENT_VALUES, default="none"),
    Fact("tier", "integer", "缴费档次", minimum=0, maximum=99),
    Fact("disability_grade", "enum", "残疾等级", "残疾人证上写的等级", values=[(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")],
         ask_if={"groups": list(DISABILITY_GROUPS)}),
    Fact("disability_kind", "enum", "残疾类别", "残疾人证上写的类别", values=DISABILITY_KINDS,
         ask_if={"groups": list(DISABILITY_GROUPS)}),
    Fact("residence", "enum", "户口在农村还是城镇", "户籍（或居住地）在农村（村）还是城镇（社区）", values=RESIDENCES),
    Fact("add_ons", "id_list", "自愿加购的保险", default=()),
    Fact("employee_insurance", "employment", "以前参加过职工医保，已经停保",
         "停保日期和停保前连续参加职工医保的年数", ask_if={"min_age": WORKING_AGE}),
    Fact("migrant_worker", "flag", "是返乡农民工", default=False),
    Fact("born_in_old_revolutionary_village", "flag", "户籍在革命老区（基点）村", default=False),
    Fact("newly_identified", "flag", "今年新认定的救助对象",
         "本保障年度内新认定（动态新增）为特困、低保、医疗救助等对象的，选“是”", default=False),
    Fact("family_role", "enum", "在计生家庭中的身份",
         "独生子女户、纯女户等计生家庭：夫妻本人选“夫妻”，孩子选“子女”；不填时，未满18周岁的算子女，成年人算夫妻",
         values=[("parent", "夫妻本人"), ("child", "子女")], ask_if={"groups": list(FAMILY_PLANNING_GROUPS)}),
    Fact("missed_years", "integer", "连续几年没参保",
         "从上一年度往前数，连续几个年度没有参加基本医保；上一年度参加了就填0",
         minimum=0, maximum=MAX_YEARS, default=0, gate="上一年度参加居民医保了吗？"),
    Fact("repair_years", "integer", "这次补缴几年",
         "缴费修复：为没参保的年度补缴个人缴费，每补缴1年可缩短1个月变动等待期；不能超过没参保的年数",
         minimum=0, maximum=MAX_YEARS, default=0, at_most="missed_years"),
]}
MEMBER_KEYS = frozenset(FACTS) | {"id"}


def family_role_of(member, paid_on):
    """The member's role in a family-planning household; absent: under 18 on the payment day is a child."""
    if member.family_role is not None:
        return member.family_role
    return "child" if age_on(member.birth_date, paid_on) < 18 else "parent"


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


def facts_read(when):
    """The member facts a `when` reads, any_of included."""
    read = set()
    for key, value in (when or {}).items():
        if key == "any_of":
            for option in value:
                read |= facts_read(option)
        elif CONDITIONS[key].reads:
            read.add(CONDITIONS[key].reads)
    return read


def when_schema():
    """The JSON Schema of a `when` mapping, for policies/schema.json's `$defs.when`."""
    return {"type": "object", "additionalProperties": False,
            "properties": {key: condition.schema for key, condition in CONDITIONS.items()}}


# One word for each sum of money wherever it is read (the calculator's result, the roster's columns):
# what the member pays, what the government pays of the personal contribution, what is paid first and
# given back later. The county page's 财政补助 is another sum (the state's share of every member's fee).
MONEY_WORDS = {"pays": "个人应缴", "subsidy": "政府资助", "reimbursed_later": "事后补助"}


def registry_json():
    """What the browser needs to build the form, check a share link and name the sums of a result."""
    return {"facts": [fact.to_json() for fact in FACTS.values()], "employment_years": EMPLOYMENT_YEARS.to_json(),
            "money_words": MONEY_WORDS}
