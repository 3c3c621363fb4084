"""The registry's first half: what a member can be asked (`Fact`, `FACTS`) and the facts one member brings
to the rules on the payment day (`Facts`). The second half, what a rule's `when` can test, is conditions.py.

Everything else is generated from the two or checked against them: the scenario parser (`scenario.py`),
the calculator form and the share-link checker in the browser (`registry_json`, shipped in the bundle's
manifest), the `when` part of the policy JSON Schema and the example people (conditions.py).

Adding a member fact is one `Fact` entry (and, if rules are to test it, one `Condition` in conditions.py),
plus its row in the staff guide's condition table (policies/README.md).
"""
from .values import age_on, parse_date, period_end_exclusive

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


def family_role_of(member, paid_on):
    """The member's role in a family-planning household; absent: under 18 on the payment day is a child."""
    if member.family_role is not None:
        return member.family_role
    return "child" if age_on(member.birth_date, paid_on) < 18 else "parent"


# One word for each sum of money wherever it is read (the calculator's result, the roster's columns):
# what the member pays, what the government pays of the personal contribution, what is paid first and
# given back later. The county page's 财政补助 is another sum (the state's share of every member's fee).
MONEY_WORDS = {"pays": "个人应缴", "subsidy": "政府资助", "reimbursed_later": "事后补助"}


def registry_json():
    """What the browser needs to build the form, check a share link and name the sums of a result."""
    return {"facts": [fact.to_json() for fact in FACTS.values()], "employment_years": EMPLOYMENT_YEARS.to_json(),
            "money_words": MONEY_WORDS}
