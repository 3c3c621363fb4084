"""Properties every compiled policy must have, whatever the notice says (Catala's "temporal coverage").

`validate` runs them on each policy: every payment day of every window with a few plain people, and on
the days where something changes (each window's first and last day, the days around each date a rule
tests) a person made to meet each rule, price and subsidy (`conditions.example_member`), each price with each
subsidy, babies of several ages and people with missed years. For each it asserts, without a single
expected figure: the rule table answers (first match, no input error, no crash), no amount is negative,
what is paid and what is subsidised add up to the price, cover never starts before birth, cover
starting after the coverage year ends is said so in the result, and every rule, price and subsidy is
applied to someone (one nobody gets is hidden behind another).
"""
import copy
import datetime
from decimal import Decimal
from pathlib import Path

from . import located_yaml
from .core import ScenarioError, quote
from .core import windows as payment_windows
from .core.conditions import CHILD_AGE, conditions_of, example_member, first_tier, meet_all, whens
from .core.scenario import MAX_MEMBERS
from .policyfile import PolicyError

BABY_AGES_DAYS = (0, 1, 30, 89, 90, 91, 180, 364, 365)
STEP_DAYS = (-1, 0, 1)
MONEY_FIELDS = ("price", "pays", "contribution", "subsidy", "reimbursed_later")
DATE_CONDITIONS = ("paid_on_or_before", "paid_on_or_after")


def property_errors(policies, directory):
    """PolicyError (file:line: field: message) for every property a compiled policy of `directory` breaks."""
    errors = []
    for policy in policies:
        problems = property_problems(policy)
        if problems:
            path = Path(directory) / (policy["id"] + ".yaml")
            document = located_yaml.load(located_yaml.read_text(path))
            errors += [PolicyError(path, located_yaml.line_of(document, where), located_yaml.field_name(where), message)
                       for where, message in problems]
    return errors


def property_problems(policy):
    """[(path in the policy file, message)], one per path and kind of failure."""
    found, applied = {}, set()
    turning = turning_days(policy)
    for day in payment_days(policy):
        people = plain_people(policy, day)
        if day in turning:
            people += made_people(policy, day)
        for (path, kind), message in check_day(policy, day, people, applied):
            found.setdefault((tuple(path), kind), (path, message))
    return list(found.values()) + unreached_parts(policy, applied)


PARTS = (("rule", "rules", "规则"), ("price", "prices", "缴费标准"), ("subsidy", "subsidies", "补助"))


def parts_of(policy):
    """(applied key, path, part) of every rule, price and subsidy."""
    for key, plural, _ in PARTS:
        items = policy["contribution"]["prices"] if key == "price" else policy[plural]
        path = ["contribution", "prices"] if key == "price" else [plural]
        for index, item in enumerate(items):
            yield key, path + [index], item


def unreached_parts(policy, applied):
    """A part nobody in the sweep gets, though someone was made to meet its `when`, is hidden by an earlier
    rule or price (first match wins), by a more favourable subsidy, or asks for what cannot be at once."""
    words = {key: word for key, _, word in PARTS}
    return [(path, "逐日试算中没有人用到这条%s“%s”：满足它条件的人都被前面的%s接走了（第一条成立的生效），或条件互相矛盾" % (
        words[key], part["id"], words[key])) for key, path, part in parts_of(policy) if (key, part["id"]) not in applied]


def payment_days(policy):
    day, last = _date(policy["windows"][0]["from"]), payment_windows.last_day(policy, policy["windows"][-1])
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def turning_days(policy):
    """Each window's first, middle and last day and the days around every payment date a condition tests."""
    days = set()
    for window in policy["windows"]:
        first, last = _date(window["from"]), payment_windows.last_day(policy, window)
        days |= {first, last, first + (last - first) // 2}
    for when in whens(policy):
        for key, value in conditions_of(when):
            if key in DATE_CONDITIONS:
                days |= {_date(value) + datetime.timedelta(days=step) for step in STEP_DAYS}
    return days


# ---- the people (made by the registry: facts.example_member) --------------------------------------

def plain_people(policy, day):
    """Every day: an adult (on each tier), a child, a baby born that day."""
    tiers = [{"tier": tier["value"]} for tier in policy["form"]["tiers"]] or [{}]
    people = [([], example_member(day, **tier)) for tier in tiers]
    people.append(([], example_member(day, age=CHILD_AGE)))
    people.append(([], example_member(day, born_days_before=0, **tiers[0])))
    return people


def made_people(policy, day):
    """On turning days: someone meeting each rule, price and subsidy, each price with each subsidy, babies,
    students and people with missed (and repaired) years."""
    tier = first_tier(policy)
    parts = [(["rules", index], rule) for index, rule in enumerate(policy["rules"])]
    prices = [(["contribution", "prices", index], price) for index, price in enumerate(policy["contribution"]["prices"])]
    subsidies = [(["subsidies", index], subsidy) for index, subsidy in enumerate(policy["subsidies"])]
    people = [(path, example_member(day, part.get("when"), **tier)) for path, part in parts + prices + subsidies]
    for _price_path, price in prices:
        for subsidy_path, subsidy in subsidies:
            member = example_member(day, price.get("when"), **tier)
            meet_all(subsidy.get("when"), member, day)
            people.append((subsidy_path, member))
    people += [(["newborn"] if "newborn" in policy else [], example_member(day, born_days_before=age, **tier))
               for age in BABY_AGES_DAYS]
    people += [([], example_member(day, student=status["value"], **tier)) for status in policy["form"]["student_statuses"]]
    people += history_people(policy, day, tier)
    return people


def history_people(policy, day, tier):
    if "missed_years" not in policy["form"]["asks"]:
        return []
    can_repair = "repair_years" in policy["form"]["asks"]
    people = []
    for missed in (1, 2, 4, 7):
        for repaired in sorted({0, 1, missed}) if can_repair else [0]:
            people.append((["continuity"], example_member(day, missed_years=missed, repair_years=repaired, **tier)))
    return people


# ---- the checks -------------------------------------------------------------------------------

def check_day(policy, day, people, applied):
    """((path, kind), message) for each property one of `people` breaks when paying on `day`; the parts
    of the policy their answers rest on are added to `applied`."""
    for start in range(0, len(people), MAX_MEMBERS):
        batch = people[start:start + MAX_MEMBERS]
        scenario = {"policy": policy["id"], "paid_on": day.isoformat(),
                    "members": [dict(member, id=str(index)) for index, (_, member) in enumerate(batch)]}
        try:
            result = quote(policy, copy.deepcopy(scenario))
        except Exception:  # noqa: BLE001 — find which person, one by one
            yield from _one_by_one(policy, day, batch, applied)
            continue
        for (origin, member), answer in zip(batch, result["members"]):
            _note_applied(applied, answer)
            yield from answer_problems(policy, day, origin, member, answer)


def _one_by_one(policy, day, batch, applied):
    for origin, member in batch:
        scenario = {"policy": policy["id"], "paid_on": day.isoformat(), "members": [dict(member, id="a")]}
        try:
            answer = quote(policy, scenario)["members"][0]
        except ScenarioError as error:
            yield (origin, "input"), "%s：计算器拒绝了这样的人（%s：%s）" % (_who(day, member), error.field, error.message)
            continue
        except Exception as error:  # noqa: BLE001 — a crash is what this check is for
            yield (origin, "crash"), "%s：计算出错（%s: %s）" % (_who(day, member), type(error).__name__, error)
            continue
        _note_applied(applied, answer)
        yield from answer_problems(policy, day, origin, member, answer)


def _note_applied(applied, answer):
    applied |= {(key, chosen["id"]) for key, chosen in (answer.get("applied") or {}).items() if isinstance(chosen, dict) and "id" in chosen}


def _who(day, member):
    facts = "，".join("%s=%s" % (key, value) for key, value in member.items() if key != "id")
    return "缴费日 %s，%s" % (day.isoformat(), facts)


def answer_problems(policy, day, origin, member, answer):
    if not answer["accepted"]:
        if not answer.get("reason"):
            yield (origin, "reason"), "%s：不能参保，但结果没有说明原因" % _who(day, member)
        return
    where = _applied_path(policy, answer, origin)
    money = {field: _money(answer.get(field)) for field in MONEY_FIELDS}
    repair = answer.get("repair")
    if repair:
        money["repair"] = _money(repair.get("amount"))
    negative = [field for field, value in money.items() if value is not None and value < 0]
    if negative:
        yield (where, "negative"), "%s：%s 为负数（%s）" % (
            _who(day, member), "、".join(negative), "，".join("%s=%s" % (field, answer.get(field)) for field in negative))
    if None not in (money["contribution"], money["subsidy"], money["price"]) and money["contribution"] + money["subsidy"] != money["price"]:
        yield (where, "sum"), "%s：本人缴 %s + 补助 %s ≠ 缴费标准 %s" % (
            _who(day, member), answer["contribution"], answer["subsidy"], answer["price"])
    yield from _cover_problems(day, member, answer, where)


def _cover_problems(day, member, answer, where):
    start, end = answer.get("coverage_start"), answer.get("coverage_end")
    if not isinstance(start, str):
        return
    if _date(start) < _date(member["birth_date"]):
        yield (where, "birth"), "%s：待遇从 %s 开始，早于出生日期" % (_who(day, member), start)
    if isinstance(end, str) and _date(start) > _date(end) and not answer.get("starts_after_year_end"):
        yield (where, "year-end"), "%s：待遇从 %s 开始，晚于保障期结束日 %s，结果却没有说明" % (_who(day, member), start, end)
    waiting = answer.get("waiting_days")
    if isinstance(waiting, int) and waiting < 0:
        yield (where, "waiting"), "%s：等待期为负数（%d 天）" % (_who(day, member), waiting)


def _applied_path(policy, answer, origin):
    """The part of the policy the answer rests on: its subsidy, else its rule, else the person's origin."""
    applied = answer.get("applied") or {}
    for key, items in (("subsidy", policy["subsidies"]), ("rule", policy["rules"])):
        chosen = applied.get(key)
        if chosen:
            index = next((i for i, item in enumerate(items) if item["id"] == chosen["id"]), None)
            if index is not None:
                return ["subsidies" if key == "subsidy" else "rules", index]
    return origin


def _money(value):
    if value is None or isinstance(value, dict):
        return None
    return Decimal(str(value))


def _date(text):
    return datetime.date.fromisoformat(text)
