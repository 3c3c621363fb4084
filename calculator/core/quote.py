"""The fee core: a compiled policy and a household → what each member pays, gets and when cover starts.

Each step appends to the member's trace the sentence of the notice it rests on, so a resident (and a
reviewer) can check every figure against the notice.
"""
import json
from decimal import Decimal

from .conditions import holds
from .facts import Facts, ScenarioError
from .scenario import Scenario
from .values import (
    Unknown,
    add,
    add_days,
    chinese_date,
    date_to_json,
    from_json,
    is_unknown,
    money_to_json,
    money_words,
    parse_date,
    percent_of,
    period_end_exclusive,
    subtract,
)
from .waiting import continuity_wait, repair_price, repair_to_json, wait_says, wait_start
from .windows import closed_reason, end_is_known, monthly_words, outside_reason, window_on

PAID_IN_FULL_NOW = ("none", "reimbursed_later")
SURCHARGED_SUBSIDY = "本通知未写明：减免对象须按“个人缴费与财政补助之和”补缴时，补缴的财政补助部分由谁承担"


class Trace:
    def __init__(self):
        self.steps = []

    def add(self, rule_id, says, item=None):
        step = {"rule": rule_id, "says": says}
        if item and item.get("sources"):
            step["sources"] = item["sources"]
        for reading in ("derived", "interpretation"):  # our reading of the notice, shown as ours
            if item and item.get(reading):
                step[reading] = item[reading]
        self.steps.append(step)


def quote_json(policy_json, scenario_json):
    """JSON in, JSON out: the browser's entry point. It never raises, whatever the text: bad input comes
    back as {"error": {field, message}} naming the field, and any other failure, writing the answer out
    included, as an internal error."""
    try:
        scenario = _json_value(scenario_json, "scenario")
        return json.dumps(quote(_policy_from_json(policy_json), scenario), ensure_ascii=False, allow_nan=False)
    except ScenarioError as error:
        result = {"error": {"field": error.field, "message": error.message}}
    except Exception as error:  # noqa: BLE001 — the page shows a message instead of hanging on a dead worker
        result = {"error": {"field": "scenario", "message": "计算器内部错误（%s），请把这个情形报告给我们" % type(error).__name__}}
    return json.dumps(result, ensure_ascii=False)


def _json_value(text, field):
    try:
        return json.loads(text)
    except RecursionError:
        raise ScenarioError(field, "输入嵌套太深，不是一个家庭的情形")
    except (TypeError, ValueError):  # JSONDecodeError, and integers of more than 4,300 digits
        raise ScenarioError(field, "输入不是有效的 JSON")


def _policy_from_json(text):
    policy = _json_value(text, "policy")
    if not isinstance(policy, dict) or not isinstance(policy.get("windows"), list) or not policy["windows"]:
        raise ScenarioError("policy", "通知数据不完整，请刷新页面重试")
    return policy


def quote(policy, scenario_data):
    scenario = Scenario(scenario_data)
    if scenario.policy_id not in (None, policy["id"]):
        raise ScenarioError("policy", "情形写的是 %s，而计算用的通知是 %s" % (scenario.policy_id, policy["id"]))
    window = window_on(policy, scenario.paid_on)
    members = [quote_member(policy, window, scenario.paid_on, member) for member in scenario.members]
    return {
        "policy": policy["id"],
        "paid_on": scenario.paid_on.isoformat(),
        "members": members,
        "household": household_totals(members),
    }


def window_words(policy, window):
    end = window["to"] if end_is_known(window) else "本通知未写明截止日期"
    monthly = "，每月%s" % monthly_words(window["monthly"]) if window.get("monthly") else ""
    return "%s 至 %s%s" % (window["from"], end, monthly)


def quote_member(policy, window, paid_on, member):
    check_member_against_policy(policy, member)
    trace = Trace()
    if window is None:
        reason = outside_reason(policy, paid_on)
        trace.add("window", reason)
        return refused(member, reason, None, trace, closed=True)
    trace.add("window", "缴费日 %s 属于「%s」（%s）" % (paid_on.isoformat(), window["label"], window_words(policy, window)), window)
    closed = closed_reason(window, paid_on)
    if closed:
        return refused(member, closed, None, trace, closed=True)
    if window.get("unstated"):
        trace.add("window-unstated", "本通知（保存的部分）没有写到这段时间能否缴费；下面是按已有规定算出的结果，缴费前请向当地医保部门确认", window)
    facts = Facts(member, paid_on, window["id"], policy)
    note_groups_the_notice_ignores(policy, member, trace)
    rule = next((rule for rule in policy["rules"] if holds(rule.get("when"), facts)), None)
    if rule is None or rule.get("accepted") is False:
        reason = rule["label"] if rule else "本通知没有为这种情况规定参保缴费办法"
        trace.add(rule["id"] if rule else "no-rule", reason, rule)
        return refused(member, reason, rule, trace)
    trace.add(rule["id"], rule["label"], rule)
    return accepted(policy, rule, facts, trace)


def refused(member, reason, rule, trace, closed=False):
    result = {"id": member.id, "accepted": False, "reason": reason,
              "applied": {"rule": _applied(rule) if rule else None}, "trace": trace.steps}
    if closed:
        result["closed"] = True
    return result


def accepted(policy, rule, facts, trace):
    money, applied, base = price_and_subsidy(policy, rule, facts, trace)
    applied["rule"] = _applied(rule)
    coverage_start, applied["waiting"] = coverage_start_and_wait(policy, rule, facts)
    trace.add("waiting", applied["waiting"]["says"], applied["waiting"])
    repair = quote_repair(policy, facts.member, money, base, trace)
    coverage_end = parse_date(rule.get("coverage_end") or policy["coverage"]["end"])
    trace.add("coverage", coverage_says(coverage_start, coverage_end))
    result = dict({"id": facts.member.id, "accepted": True}, **money)
    if repair:
        result["repair"] = repair
    result.update(applied=applied, coverage_start=date_to_json(coverage_start), coverage_end=date_to_json(coverage_end),
                  waiting_days=applied["waiting"]["days"])
    if not is_unknown(coverage_start) and coverage_start > coverage_end:
        result["starts_after_year_end"] = True
    result["benefit_rewards"] = benefit_rewards(policy, facts, trace)
    result["trace"] = trace.steps
    return result


def benefit_rewards(policy, facts, trace):
    """The 大病保险 ceiling rewards and reductions that concern this member: information, not money paid."""
    rewards = []
    for item in policy.get("benefit_rewards", []):
        if holds(item.get("when"), facts):
            figures = item.get("figures", {"unknown": "本通知未写明具体标准"})
            rewards.append({"id": item["id"], "label": item["label"], "figures": figures})
            trace.add("reward-" + item["id"], "%s（%s）" % (item["label"], figures["unknown"] if isinstance(figures, dict) else figures), item)
    return rewards


def _applied(item):
    return {"id": item["id"], "label": item["label"]}


def quote_repair(policy, member, money, base, trace):
    """Paying missed years back (缴费修复): its own amount, added to what the member pays now."""
    if not member.repair_years:
        return None
    continuity = policy.get("continuity") or {}
    if "repair" not in continuity:
        raise ScenarioError(member.field("repair_years"), "本通知没有缴费修复（补缴断保年度）的规定")
    years, per_year, amount = repair_price(continuity, member, base)
    money["pays"] = money_to_json(add(from_json(money["pays"]), amount))
    trace.add("repair", "缴费修复：补缴%d年，每年%s，共%s" % (
        years, money_words(per_year), money_words(amount)), continuity["repair"])
    return repair_to_json(years, per_year, amount, continuity["repair"])


def check_member_against_policy(policy, member):
    vocabulary = policy["vocabulary"]
    for group in member.groups:
        if group not in vocabulary:
            raise ScenarioError(member.field("groups"), "不认识的群体“%s”；可选的群体见 policies/groups.yaml" % group)
    tiers = [tier["value"] for tier in policy["contribution"].get("tiers", [])]
    if member.tier is not None and member.tier not in tiers:
        message = "本通知的缴费档次只有 %s" % "、".join(map(str, tiers)) if tiers else "本通知不分缴费档次"
        raise ScenarioError(member.field("tier"), message)
    offered = {add_on["id"] for add_on in policy.get("add_ons", [])}
    for add_on in member.add_ons:
        if add_on not in offered:
            raise ScenarioError(member.field("add_ons"), "本通知没有附加保险“%s”" % add_on)


def note_groups_the_notice_ignores(policy, member, trace):
    if policy.get("subsidies_unknown"):
        return
    for group in member.groups:
        if group not in policy["groups_named"]:
            trace.add("group-not-named", "本通知没有提到“%s”的缴费减免，按普通居民计算" % policy["vocabulary"][group])


def price_and_subsidy(policy, rule, facts, trace):
    category = next((item for item in policy["contribution"]["prices"] if holds(item.get("when"), facts)), None)
    subsidy = choose_subsidy(policy, facts, category)
    base = Decimal(category["amount"]) if category else Unknown("本通知未写明全额补助对象按哪一档参保")
    if category:
        trace.add("price", "个人缴费标准（%s）：%s元" % (category["label"], category["amount"]), category)
    surcharge = rule_surcharge(policy, rule, trace)
    subsidy_amount, reimbursed = subsidy_on(subsidy, base)
    # Under a full subsidy the person pays nothing of the personal part, even where its amount is unknown.
    own_share = Decimal(0) if subsidy and subsidy["kind"] == "full" else subtract(base, subsidy_amount)
    if subsidy is not None:
        trace.add(subsidy["id"], subsidy_says(subsidy, subsidy_amount, reimbursed), subsidy)
        if subsidy.get("enrolled_by_government"):
            trace.add("enrolled-by-government", "由政府部门统一办理参保缴费，本人不要自己缴费", subsidy)
    if surcharge and not is_unknown(surcharge) and subsidy is not None and subsidy["kind"] not in PAID_IN_FULL_NOW:
        subsidy_amount = own_share = Unknown(SURCHARGED_SUBSIDY)
    add_on_items = chosen_add_ons(policy, facts.member, trace)
    add_on_total = sum((Decimal(item["price"]) for item in add_on_items), Decimal(0))
    price = add(base, surcharge, add_on_total)
    pays = add(own_share, surcharge, add_on_total)
    money = {
        "category": category["label"] if category else "全额补助对象",
        "price": money_to_json(price),
        "contribution": money_to_json(pays),
        "pays": money_to_json(pays),
        "subsidy": money_to_json(subsidy_amount),
        "reimbursed_later": money_to_json(reimbursed),
        "add_ons": add_on_items,
    }
    applied = {
        "price": dict(_applied(category), amount=category["amount"]) if category else None,
        "subsidy": dict(_applied(subsidy), kind=subsidy["kind"]) if subsidy else None,
        "surcharge": None if rule.get("price") == "personal" else money_to_json(surcharge),
    }
    return money, applied, base


def rule_surcharge(policy, rule, trace):
    """What a rule adds to the personal contribution: the fiscal part (补缴按个人缴费与财政补助之和), or unknown."""
    if rule.get("price") == "personal_plus_fiscal":
        return fiscal_surcharge(policy, trace)
    if isinstance(rule.get("price"), dict):
        # The category's standard above may be another period's: say that this period's price is not given.
        trace.add("unknown-price", "这个时间缴费要缴多少：本通知未写明（%s）" % rule["price"]["unknown"], rule)
        return Unknown(rule["price"]["unknown"])
    return Decimal(0)


def fiscal_surcharge(policy, trace):
    fiscal = policy["contribution"]["fiscal_subsidy"]
    amount = Unknown(fiscal["unknown"]) if "unknown" in fiscal else Decimal(fiscal["amount"])
    says = "按个人缴费与财政补助之和缴费，加财政补助部分：%s" % (
        "本通知未写明金额" if is_unknown(amount) else "%s元" % fiscal["amount"])
    trace.add("fiscal-surcharge", says, fiscal)
    return amount


def choose_subsidy(policy, facts, category):
    """The most favourable subsidy the member qualifies for: one only (福山 says so; the others are silent)."""
    if policy.get("subsidies_unknown") and facts.member.groups:
        return {"id": "unstated", "label": "特殊群体的资助：%s" % policy["subsidies_unknown"], "kind": "unstated"}
    candidates = [item for item in policy["subsidies"] if holds(item.get("when"), facts)]
    if category is None:
        full = [item for item in candidates if item["kind"] == "full"]
        if not full:
            raise ScenarioError(facts.member.field("tier"), "本通知的成年居民须选择缴费档次")
        return full[0]
    base = Decimal(category["amount"])

    def own_cost(item):
        subsidy_amount, reimbursed = subsidy_on(item, base)
        cost = subtract(subtract(base, subsidy_amount), reimbursed)
        return Decimal("Infinity") if is_unknown(cost) else cost

    return min(candidates, key=own_cost, default=None)


def subsidy_on(subsidy, base):
    """(government pays at payment, handed back later) for a personal contribution of `base`."""
    kind = subsidy["kind"] if subsidy else "none"
    if kind == "full":
        return base, Decimal(0)
    if kind == "share" and "government_percent" in subsidy:
        return percent_of(base, subsidy["government_percent"]), Decimal(0)
    if kind == "share":
        return base - percent_of(base, subsidy["personal_percent"]), Decimal(0)
    if kind in ("fixed_amount", "personal_amount") and isinstance(subsidy["amount"], dict):
        return Unknown(subsidy["amount"]["unknown"]), Decimal(0)
    if kind == "fixed_amount":
        return min(Decimal(subsidy["amount"]), base), Decimal(0)
    if kind == "personal_amount":
        return base - Decimal(subsidy["amount"]), Decimal(0)
    if kind == "unstated":
        return Unknown(subsidy["label"]), Decimal(0)
    if kind == "reimbursed_later":
        amount = subsidy["amount"]
        if amount == "full":
            return Decimal(0), base
        return Decimal(0), Unknown(amount["unknown"]) if isinstance(amount, dict) else Decimal(amount)
    return Decimal(0), Decimal(0)


def subsidy_says(subsidy, subsidy_amount, reimbursed):
    details = []
    if is_unknown(subsidy_amount):
        if subsidy["kind"] != "unstated":  # its label is the reason already
            details.append("政府补助金额本通知未写明")
    elif subsidy_amount:
        details.append("政府补助 %s元" % money_to_json(subsidy_amount))
    if is_unknown(reimbursed):
        details.append("先缴后补，补助金额本通知未写明")
    elif reimbursed:
        details.append("先缴后补，事后发放 %s元" % money_to_json(reimbursed))
    return "：".join([subsidy["label"], "，".join(details)]) if details else subsidy["label"]


def chosen_add_ons(policy, member, trace):
    items = []
    for add_on in policy.get("add_ons", []):
        if add_on["id"] in member.add_ons:
            items.append({"id": add_on["id"], "name": add_on["name"], "price": add_on["amount"]})
            trace.add("add-on-" + add_on["id"], "自愿加购%s：%s元" % (add_on["name"], add_on["amount"]), add_on)
    return items


def coverage_start_and_wait(policy, rule, facts):
    """(first day of cover, the `waiting` dict of the result): the rule's own start or wait, and the
    2025+ continuity wait where the policy has one; the later start wins."""
    start, waiting = rule_start_and_wait(policy, rule, facts)
    continuity = policy.get("continuity")
    if not continuity and facts.member.missed_years:
        waiting = dict(waiting, says=waiting["says"] + "（本通知没有按断保年数设置等待期的规定）")
    wait = continuity_wait(continuity, facts.window_id, facts) if continuity else None
    if wait is None or is_unknown(start):
        return start, waiting
    anchor = max(facts.paid_on, parse_date(policy["coverage"]["start"]))
    if wait.exempt:
        # No wait. Where the rule's start is only the end of the continuity wait, the exemption may leave
        # the first day of cover unstated (国办发: 新生儿不设等待期, but not from which day).
        if rule.get("waiting") == "continuity" and "coverage_start" in wait.exempt:
            start = Unknown(wait.exempt["coverage_start"]["unknown"])
        return start, continuity_waiting(wait, start, anchor)
    wait_day = wait_start(wait, anchor)
    if not is_unknown(wait_day) and wait_day <= start:
        return start, waiting
    return wait_day, continuity_waiting(wait, wait_day, anchor)


def rule_start_and_wait(policy, rule, facts):
    if rule.get("waiting") == "continuity":
        # The continuity wait decides; without it (not late, not missed, or exempt) cover starts on the anchor.
        day = max(facts.paid_on, parse_date(policy["coverage"]["start"]))
        return day, {"days": 0, "anchor": day.isoformat(), "exempt": None, "says": "不设等待期，%s起享受" % chinese_date(day)}
    if "waiting" in rule:
        waiting = rule["waiting"]
        if "unknown" in waiting:
            return Unknown(waiting["unknown"]), _unknown_waiting(waiting["unknown"], waiting)
        start = period_end_exclusive(facts.paid_on, waiting)
        days = (start - facts.paid_on).days
        unit = "%d天" % waiting["days"] if "days" in waiting else "%d个月" % waiting["months"]
        says = "等待期%s（从缴费之日算起），%s起享受" % (unit, chinese_date(start))
        return start, dict({"days": days, "anchor": facts.paid_on.isoformat(), "exempt": None, "says": says},
                           **({"months": waiting["months"]} if "months" in waiting else {}))
    start = rule["coverage_start"]
    if isinstance(start, dict):
        return Unknown(start["unknown"]), _unknown_waiting(start["unknown"], start)
    day = coverage_start_day(policy, start, facts)
    return day, {"days": 0, "anchor": day.isoformat(), "exempt": None, "says": "不设等待期，%s起享受" % chinese_date(day)}


def _unknown_waiting(reason, item):
    return {"days": {"unknown": reason}, "anchor": None, "exempt": None, "says": "等待期：%s" % reason}


def continuity_waiting(wait, start, anchor):
    days = 0 if wait.exempt else date_to_json(start) if is_unknown(start) else (start - anchor).days
    waiting = {"days": days, "anchor": anchor.isoformat(),
               "exempt": _applied(wait.exempt) if wait.exempt else None,
               "says": wait_says(wait, start), "sources": [source for item in ([wait.exempt] if wait.exempt else wait.items)
                                                           for source in item.get("sources", [])]}
    if not wait.exempt and not is_unknown(wait.months):
        waiting.update(months=wait.months, fixed_months=wait.fixed_months, variable_months=wait.variable_months,
                       repaired_months=wait.repaired_months, floor_months=wait.floor_months)
    return waiting


def coverage_start_day(policy, start, facts):
    year_start = parse_date(policy["coverage"]["start"])
    if start == "coverage_year_start":
        # A concentrated period that runs into the coverage year (红塔, 兴县: to February) can enrol a baby born
        # in January: cover from birth, never before it.
        return max(year_start, facts.member.birth_date)
    if start == "payment_date":
        return facts.paid_on
    if start == "day_after_payment":
        return add_days(facts.paid_on, 1)
    if start == "birth_date":
        # Cover from birth, but this policy's year starts on its first day: earlier days belong to last year's.
        return max(facts.member.birth_date, year_start)
    # A fixed start (a school year) cannot cover anyone before they were born.
    return max(parse_date(start), facts.member.birth_date)


def coverage_says(start, end):
    if is_unknown(start):
        return "何时开始享受待遇：%s" % start.reason
    if start > end:
        return "注意：等待期到 %s 才结束，而本保障年度 %s 已结束，本年度缴费享受不到待遇" % (chinese_date(start), chinese_date(end))
    return "从 %s 起享受待遇，至 %s" % (chinese_date(start), chinese_date(end))


def household_totals(members):
    """The household's sums. One unknown member's sum makes the total unknown; its reason names every such
    member, the same whatever the order the members were entered in."""
    totals = {}
    for field in ("pays", "subsidy", "reimbursed_later"):
        accepted = [member for member in members if member["accepted"]]
        unknown = [member for member in accepted if isinstance(member[field], dict)]
        if unknown:
            totals[field] = {"unknown": unknown_total_reason(unknown, field)}
        else:
            totals[field] = money_to_json(sum((Decimal(member[field]) for member in accepted), Decimal(0)))
    return totals


def unknown_total_reason(unknown, field):
    """「成员1、成员3：reason；成员2：another reason」: each reason once, its members in label order."""
    by_reason = {}
    for member in sorted(unknown, key=label_order):
        by_reason.setdefault(member[field]["unknown"], []).append(member["id"])
    return "；".join("%s：%s" % ("、".join(ids), reason) for reason, ids in by_reason.items())


def label_order(member):
    """成员2 before 成员10: shorter labels first, then by their characters."""
    return len(member["id"]), member["id"]
