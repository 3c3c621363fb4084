"""The 2025+ waiting period (国办发〔2024〕38号): a fixed part for paying late or not being insured last year,
a variable part growing with consecutive missed years, shortened by paying missed years back (缴费修复),
and a floor after many missed years — each part as the policy's layers state it, or unknown.

`policy["continuity"]` is compiled from the county file and the national/provincial layers it builds on
(calculator/policyfile.py); a part no layer states firmly is `{"unknown": reason}`.
"""
from .conditions import holds
from .values import Unknown, add_months, chinese_date, is_unknown, money_to_json


class Wait:
    """The continuity wait of one member: months (or Unknown), its parts and the sentences they rest on."""

    def __init__(self):
        self.months, self.parts, self.items, self.exempt = 0, [], [], None
        self.fixed_months = self.variable_months = self.repaired_months = self.floor_months = 0

    def add(self, months, words, item):
        if is_unknown(self.months):
            return
        self.months = months if is_unknown(months) else self.months + months
        self.parts.append((months, words))
        self.items.append(item)


def continuity_wait(continuity, window_id, facts):
    """None where the 2025+ waiting period does not touch this member; else a Wait."""
    member = facts.member
    late = window_id not in continuity["concentrated_windows"]
    missed = member.missed_years
    if not late and missed == 0:
        return None
    wait = Wait()
    wait.exempt = next((item for item in continuity.get("exemptions", []) if holds(item.get("when"), facts)), None)
    if wait.exempt:
        return wait
    _fixed_part(wait, continuity["fixed"], late, missed)
    _variable_part(wait, continuity, missed, member.repair_years)
    _floor(wait, continuity.get("floor"), missed, continuity.get("repair"))
    return wait


def _fixed_part(wait, fixed_parts, late, missed):
    """One fixed wait for whichever cases apply (the parts share it, never add up): the longest part's months."""
    applying = [(part, words) for case, applies, words in (("late", late, "未在集中缴费期内缴费"), ("missed", missed > 0, "上一年度未参保"))
                if applies for part in fixed_parts if "unknown" in part or case in part["applies_to"]]
    if not applying:
        return
    unknown = next((part for part, _ in applying if "unknown" in part), None)
    if unknown:
        wait.add(Unknown(unknown["unknown"]), "", unknown)
        return
    longest = max((part for part, _ in applying), key=lambda part: part["months"])
    wait.fixed_months = longest["months"]
    reasons = "、".join(dict.fromkeys(words for _, words in applying))
    wait.add(longest["months"], "固定等待期%d个月（%s）%s" % (longest["months"], reasons, in_principle_words(longest)), longest)


def in_principle_words(item):
    """How a result marks a figure its document states only 「原则上」."""
    return "（国家规定原则上如此，以当地为准）" if item.get("in_principle") else ""


def _variable_part(wait, continuity, missed, repair_years):
    further_years = max(0, missed - 1)
    if further_years == 0:
        if repair_years and "repair" in continuity:
            wait.add(0, "补缴%d年不缩短等待期（断保1年只有固定等待期，固定等待期不能修复）" % repair_years, continuity["repair"])
        return
    variable = continuity["variable"]
    if "unknown" in variable:
        wait.add(Unknown(variable["unknown"]), "", variable)
        return
    wait.variable_months = further_years * variable["months_per_missed_year"]
    wait.add(wait.variable_months, "连续断保%d年，增加变动等待期%d个月%s" % (missed, wait.variable_months, in_principle_words(variable)), variable)
    if repair_years:
        repair = continuity["repair"]
        if "unknown" in repair:
            wait.add(Unknown(repair["unknown"]), "", repair)
            return
        wait.repaired_months = min(wait.variable_months, repair_years * repair["months_per_year"])
        words = "补缴%d年，减少%d个月%s" % (repair_years, wait.repaired_months, in_principle_words(repair))
        if repair_years * repair["months_per_year"] > wait.variable_months:
            words += "（固定等待期不能修复，多补缴的年份不再缩短等待期）"
        wait.add(-wait.repaired_months, words, repair)


def _floor(wait, floor, missed, repair):
    """After N missed years the repaired total stays at least M months: the years repaid below it shorten nothing."""
    if not floor or is_unknown(wait.months) or not wait.repaired_months:
        return
    if "unknown" in floor:
        wait.add(Unknown(floor["unknown"]), "", floor)
        return
    if missed < floor["from_missed_years"] or wait.months >= floor["months"]:
        return
    wait.floor_months = floor["months"] - wait.months
    useless_years = -(-wait.floor_months // repair["months_per_year"])  # rounded up
    wait.add(wait.floor_months, "连续断保%d年及以上，等待期合计不少于%d个月%s（补缴的年份中有%d年没有缩短等待期）" % (
        floor["from_missed_years"], floor["months"], in_principle_words(floor), useless_years), floor)


def wait_length(result):
    """A result's wait as the notice counts it, in the one wording every reader uses: 3个月 where the notice
    counts months (2025+), else 60天 (0天 for none); None where the notice does not say."""
    months = ((result.get("applied") or {}).get("waiting") or {}).get("months")
    if isinstance(months, int) and months:
        return "%d个月" % months
    if isinstance(result["waiting_days"], int):
        return "%d天" % result["waiting_days"]
    return None


def wait_start(wait, anchor):
    """The first day of cover after the wait, counted from `anchor` (same day of the month, 「3个月后」)."""
    if wait.months == 0:
        return anchor
    if is_unknown(wait.months):
        return wait.months
    return add_months(anchor, wait.months)


def wait_says(wait, start):
    if wait.exempt:
        return "%s，不设待遇等待期" % wait.exempt["label"]
    if is_unknown(wait.months):
        return "等待期：%s" % wait.months.reason
    sum_words = "".join(_joined(index, months, words) for index, (months, words) in enumerate(wait.parts) if months)
    notes = "".join("；" + words for months, words in wait.parts if not months)
    return "%s＝%d个月，%s起享受%s" % (sum_words, wait.months, chinese_date(start), notes)


def _joined(index, months, words):
    return words if index == 0 else ("＋" if months > 0 else "－") + words


def repair_price(continuity, member, base):
    """(years, price per year, amount) for the missed years the member pays back now; Decimal or Unknown."""
    years = member.repair_years
    repair = continuity["repair"]
    if "unknown" in repair:
        return years, Unknown(repair["unknown"]), Unknown(repair["unknown"])
    per_year = base  # 「缴费参照当年参保地的个人缴费标准」: this year's personal standard of the member's category
    amount = per_year if is_unknown(per_year) else per_year * years
    return years, per_year, amount


def repair_to_json(years, per_year, amount, item):
    return {"years": years, "per_year": money_to_json(per_year), "amount": money_to_json(amount),
            "sources": item.get("sources", [])}

