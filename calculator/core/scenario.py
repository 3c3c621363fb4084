"""Reads a scenario (one household, one payment date) and rejects what makes no sense, naming the field.

Each member fact is parsed as `facts.FACTS` declares it; only the checks across facts live here."""
from .facts import FACTS, MEMBER_KEYS, ScenarioError
from .values import parse_date

MAX_MEMBERS = 100


class Member:
    """One person of the household: every fact of the registry, defaults filled in. `id` is the label
    given (a number is read as its digits, 0 included), or None where none is (absent or empty); the
    Scenario then numbers the member."""

    def __init__(self, index, data):
        self.field_prefix = "members[%d]" % index
        raw_id = data.get("id")
        if raw_id is not None and not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
            raise ScenarioError(self.field("id"), "成员标签应为文字")
        self.id = None if raw_id in (None, "") else str(raw_id)
        for key, fact in FACTS.items():
            setattr(self, key, fact.parse(data.get(key), self.field(key)))

    def field(self, name):
        return "%s.%s" % (self.field_prefix, name)


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
        if len(members) > MAX_MEMBERS:
            raise ScenarioError("members", "一户最多 %d 位成员；人数更多请用村居名单（花名册）批量计算" % MAX_MEMBERS)
        for index, member in enumerate(members):
            if not isinstance(member, dict):
                raise ScenarioError("members[%d]" % index, "每位成员应为一个对象")
            unknown_keys = sorted(set(member) - MEMBER_KEYS, key=str)
            if unknown_keys:
                raise ScenarioError("members[%d].%s" % (index, unknown_keys[0]), "不认识的字段")
        self.members = [Member(index, member) for index, member in enumerate(members)]
        self._check_members()
        self._number_unlabelled()

    def _check_members(self):
        seen = set()
        for member in self.members:
            if member.id is not None and member.id in seen:
                raise ScenarioError(member.field("id"), "成员标签“%s”重复" % member.id)
            seen.add(member.id)
            if member.birth_date > self.paid_on:
                raise ScenarioError(member.field("birth_date"), "出生日期晚于缴费日期")
            insurance = member.employee_insurance
            if insurance and insurance["stopped_on"] > self.paid_on:
                raise ScenarioError(member.field("employee_insurance.stopped_on"), "职工医保停保日期晚于缴费日期")
            if member.repair_years > member.missed_years:
                raise ScenarioError(member.field("repair_years"), "补缴年数不能超过连续没参保的年数（%d年）" % member.missed_years)

    def _number_unlabelled(self):
        """成员N for the N-th member, given no label; the next free number where a given label is 成员N. Only
        given labels can clash, so a household is refused or accepted the same in any order."""
        taken = {member.id for member in self.members}
        for index, member in enumerate(self.members):
            if member.id is None:
                number = index + 1
                while "成员%d" % number in taken:
                    number += 1
                member.id = "成员%d" % number
                taken.add(member.id)
