"""Reads a scenario (one household, one payment date) and rejects what makes no sense, naming the field."""
from .values import parse_date

STUDENT_STATUSES = ("none", "enrolled", "new_enrollee", "college")
MEMBER_KEYS = {
    "id", "birth_date", "groups", "student", "tier", "disability_grade", "add_ons",
    "employee_insurance", "migrant_worker", "born_in_old_revolutionary_village",
}


class ScenarioError(ValueError):
    """Input that makes no sense. `field` is a path such as `members[1].birth_date`; `message` is Chinese."""

    def __init__(self, field, message):
        super().__init__("%s: %s" % (field, message))
        self.field = field
        self.message = message


class Member:
    """One person of the household, with defaults filled in."""

    def __init__(self, index, data):
        self.field_prefix = "members[%d]" % index
        self.id = str(data.get("id") or "成员%d" % (index + 1))
        self.birth_date = self._date(data.get("birth_date"), "birth_date")
        self.groups = tuple(self._list(data, "groups"))
        self.student = data.get("student") or "none"
        self.tier = data.get("tier")
        self.disability_grade = data.get("disability_grade")
        self.add_ons = tuple(self._list(data, "add_ons"))
        self.employee_insurance = self._employee_insurance(data.get("employee_insurance"))
        self.migrant_worker = self._flag(data, "migrant_worker")
        self.born_in_old_revolutionary_village = self._flag(data, "born_in_old_revolutionary_village")
        self._check_enums()

    def field(self, name):
        return "%s.%s" % (self.field_prefix, name)

    def _date(self, value, name):
        if value is None:
            raise ScenarioError(self.field(name), "请填写日期")
        try:
            return parse_date(value)
        except (TypeError, ValueError):
            raise ScenarioError(self.field(name), "日期格式应为 年-月-日，例如 2023-03-01，收到的是 %r" % (value,))

    def _list(self, data, name):
        value = data.get(name) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ScenarioError(self.field(name), "应为名称列表")
        return value

    def _flag(self, data, name):
        value = data.get(name, False)
        if not isinstance(value, bool):
            raise ScenarioError(self.field(name), "应为 true 或 false")
        return value

    def _employee_insurance(self, value):
        if value is None:
            return None
        if not isinstance(value, dict) or "stopped_on" not in value:
            raise ScenarioError(self.field("employee_insurance"), "应写明职工医保停保日期 stopped_on")
        years = value.get("continuous_years", 0)
        if isinstance(years, bool) or not isinstance(years, (int, float)) or years < 0:
            raise ScenarioError(self.field("employee_insurance.continuous_years"), "连续参保年数应为不小于0的数")
        stopped_on = self._date(value["stopped_on"], "employee_insurance.stopped_on")
        return {"stopped_on": stopped_on, "continuous_years": years}

    def _check_enums(self):
        if self.student not in STUDENT_STATUSES:
            raise ScenarioError(self.field("student"), "学生身份应为 %s 之一" % "、".join(STUDENT_STATUSES))
        if self.tier is not None and (isinstance(self.tier, bool) or not isinstance(self.tier, int)):
            raise ScenarioError(self.field("tier"), "缴费档次应为整数")
        grade = self.disability_grade
        if grade is not None and (isinstance(grade, bool) or grade not in (1, 2, 3, 4)):
            raise ScenarioError(self.field("disability_grade"), "残疾等级应为 1 至 4")


class Scenario:
    def __init__(self, data):
        if not isinstance(data, dict):
            raise ScenarioError("scenario", "应为一个对象，含 policy、paid_on、members")
        self.policy_id = data.get("policy")
        try:
            self.paid_on = parse_date(data.get("paid_on") or "")
        except (TypeError, ValueError):
            raise ScenarioError("paid_on", "请填写缴费日期，格式为 年-月-日")
        members = data.get("members")
        if not isinstance(members, list) or not members:
            raise ScenarioError("members", "至少要有一位家庭成员")
        for index, member in enumerate(members):
            if not isinstance(member, dict):
                raise ScenarioError("members[%d]" % index, "每位成员应为一个对象")
            unknown_keys = sorted(set(member) - MEMBER_KEYS)
            if unknown_keys:
                raise ScenarioError("members[%d].%s" % (index, unknown_keys[0]), "不认识的字段")
        self.members = [Member(index, member) for index, member in enumerate(members)]
        self._check_members()

    def _check_members(self):
        seen = set()
        for member in self.members:
            if member.id in seen:
                raise ScenarioError(member.field("id"), "成员标签“%s”重复" % member.id)
            seen.add(member.id)
            if member.birth_date > self.paid_on:
                raise ScenarioError(member.field("birth_date"), "出生日期晚于缴费日期")
            insurance = member.employee_insurance
            if insurance and insurance["stopped_on"] > self.paid_on:
                raise ScenarioError(member.field("employee_insurance.stopped_on"), "职工医保停保日期晚于缴费日期")
