"""What a county page says, computed by the fee core for representative people.

No figure is typed into a template: each price, subsidy and date on a county page is what
`calculator.core.quote` answers for a typical person (an adult of 40, a child of 10, a student, a
baby, a member of each special group), together with the notice sentences the answer rests on.

The page never interprets a rule's conditions: an example person for a rule or subsidy is made by the
core's own registry (`conditions.example_member`), and what applied to them is read from the result's `applied`
fields (rule, price, subsidy, surcharge, waiting), never from the trace.
"""
import datetime
import json
import re

from build_scripts import county_sentences, provenance
from build_scripts.zh_format import full_date, is_unstated
from calculator import policyfile
from calculator.core import ScenarioError, quote
from calculator.core import windows as payment_windows
from calculator.core.conditions import ADULT_AGE, CHILD_AGE, STUDENT_AGES, conditions_of, example_member, first_tier, whens
from calculator.core.facts import FACTS
from calculator.core.values import age_on, parse_date

LATE_EXAMPLE_COUNT = 3
LATE_EXAMPLE_OFFSET_DAYS = 9
BABY_BORN_DAYS_INTO_YEAR = 45
BABY_PAYS_AFTER_DAYS = 10
MISSED_YEARS_EXAMPLES = (1, 2, 4)


class Person:
    """A representative resident, as the registry makes them (`conditions.example_member`): an age on the
    payment day (or a birth a number of days before it, for babies), facts given directly (student,
    tier, …) and a rule's `when` made true for them."""

    def __init__(self, age=None, when=None, born_days_before=None, **facts):
        self.age, self.when, self.born_days_before, self.facts = age, when or {}, born_days_before, facts
        self._key = json.dumps([age, self.when, born_days_before, facts], sort_keys=True, default=str)

    def __eq__(self, other):
        return isinstance(other, Person) and other._key == self._key

    def __hash__(self):
        return hash(self._key)

    def member(self, paid_on):
        """The scenario member for a payment on `paid_on`."""
        return dict(example_member(paid_on, self.when, self.age, self.born_days_before, **self.facts), id="p")


def quote_person(policy, person, paid_on):
    """The core's answer for one person paying on `paid_on` (a member result dict).

    The sections of a page ask about the same people on the same days: answers are kept."""
    answers = _kept(policy, "answers", dict)
    key = (person, paid_on)
    if key not in answers:
        answers[key] = _quote_member(policy, person.member(paid_on), paid_on)
    return answers[key]


_KEPT = {"policy": None, "values": {}}


def _kept(policy, name, compute):
    """`compute()`, computed once per policy (the very object: a test's variant of a policy keeps its id).
    Only the policy being worked on is kept: pages are built one policy after another, and thousands of
    them would not fit in memory."""
    if _KEPT["policy"] is not policy:
        _KEPT["policy"], _KEPT["values"] = policy, {}
    values = _KEPT["values"]
    if name not in values:
        values[name] = compute()
    return values[name]


def _quote_member(policy, member, paid_on):
    """The core's answer; where the core needs a tier the example has not chosen (an adult whose
    subsidy does not cover the whole contribution), the first tier is chosen, as a resident would."""
    try:
        return _quote(policy, member, paid_on)
    except ScenarioError as error:
        if not error.field.endswith(".tier") or "tier" in member or not first_tier(policy):
            raise
        return _quote(policy, dict(member, **first_tier(policy)), paid_on)


def _quote(policy, member, paid_on):
    scenario = {"policy": policy["id"], "paid_on": paid_on.isoformat(), "members": [member]}
    return dict(quote(policy, scenario)["members"][0], member=member)


# ---- who is typical -----------------------------------------------------------------------------

def typical_people(policy):
    """(label, person): adults in each tier, a child, each kind of student, then a person for each
    price category none of them falls in."""
    return _kept(policy, "typical_people", lambda: _typical_people(policy))


def _typical_people(policy):
    tier = first_tier(policy)
    tiers = policy["contribution"].get("tiers", [])
    people = [("成年居民（%s）" % item["label"], Person(age=ADULT_AGE, tier=item["value"])) for item in tiers]
    people = people or [("成年居民", Person(age=ADULT_AGE))]
    people.append(("未成年人", Person(age=CHILD_AGE, **tier)))
    for status in policy["form"]["student_statuses"]:
        if status["value"] != "none":
            people.append((status["label"], Person(age=STUDENT_AGES[status["value"]], student=status["value"], **tier)))
    reached = _categories_reached(policy, [person for _, person in people])
    for price in policy["contribution"]["prices"]:
        if price["id"] not in reached:
            people.append((price["label"], Person(when=price.get("when"))))
    return people


def _categories_reached(policy, people):
    """Ids of the price categories the core puts any of `people` in, on the first day of each
    window they may pay in (the days of the price table)."""
    reached = set()
    flips = rule_date_flips(policy)
    for person in people:
        for window in policy["windows"]:
            result, _ = first_accepted(policy, person, payment_days_in(policy, window, flips))
            price = (result.get("applied") or {}).get("price")
            if price:
                reached.add(price["id"])
    return reached


def person_label(member, paid_on, policy):
    """"62岁（1959年9月1日出生）、低保对象、夫妻本人": the example person's age and birth date and
    every fact they were given, in the words of the core's fact registry."""
    birth = parse_date(member["birth_date"])
    parts = ["%d岁（%s出生）" % (age_on(birth, paid_on), full_date(birth))]
    for key, value in member.items():
        if key in ("id", "birth_date") or value in (None, False, [], (), 0, "none"):
            continue
        parts.append(_fact_words(key, value, policy))
    return "、".join(parts)


def tier_label(policy, value):
    """二档（520元）: a tier as the notice's tiers name it."""
    return next((tier["label"] for tier in policy["contribution"]["tiers"] if tier["value"] == value), str(value))


def _fact_words(key, value, policy):
    fact = FACTS[key]
    if key == "groups":
        return "、".join(policy["vocabulary"][group] for group in value)
    if key == "tier":
        return tier_label(policy, value)
    if key == "employee_insurance":
        return "%s停止职工医保（此前连续参保%d年）" % (full_date(value["stopped_on"]), value["continuous_years"])
    if key == "add_ons":
        return "加购" + "、".join(item["name"] for item in policy.get("add_ons", []) if item["id"] in value)
    if fact.kind == "flag":
        return fact.label
    if fact.values:
        words = dict(fact.values)[value]
        return fact.label + words if len(words) <= 2 else words
    return "%s：%s" % (fact.label, value)


def payment_days(policy):
    """Every day on which paying may change the answer, in two rounds: each window's first day and
    each date a condition of a rule, price or subsidy names; then a few days into each window, its
    middle and its last day (most examples are found in the first round)."""
    return _kept(policy, "payment_days", lambda: _payment_days(policy))


def _payment_days(policy):
    flips = rule_date_flips(policy)
    firsts = sorted({day for window in policy["windows"] for day in payment_days_in(policy, window, flips)})
    later = set()
    for window in policy["windows"]:
        days = open_days(policy, window)
        if days:
            later.update([a_few_days_into(policy, window), days[len(days) // 2], days[-1]])
    return [firsts, sorted(later - set(firsts))]


# ---- the days a window takes payments ----------------------------------------------------------------
# Read through the core (calculator.core.windows), never from a window's `to`: a window may have no
# stated end (the core then takes payments up to the coverage year's last day, which the site never
# shows as a deadline), a monthly pattern (兴县: only the 1st–25th of each month) or be closed.

def open_days(policy, window):
    """Every day of `window` on which a payment is taken, in order ([] for a closed window)."""
    kept = _kept(policy, "open_days", dict)
    if window["id"] not in kept:
        kept[window["id"]] = [first + datetime.timedelta(days=offset)
                              for first, last, is_open in payment_windows.spans(policy, window) if is_open
                              for offset in range((last - first).days + 1)]
    return kept[window["id"]]


def last_day(policy, window):
    """The window's last day as the core counts it (the coverage year's end where the notice gives none)."""
    return payment_windows.last_day(policy, window)


def browser_windows(policy):
    """The windows as the phone's script (docs/assets/site/period.js) reads them, on county pages, the
    picker's index and the calculator's manifest: {id, label, from, to, last, closed?, monthly?}. `to` is
    the notice's end or {"unknown": reason}; `last` is the core's last payment day (where the notice
    gives no end, the coverage year's last day: the phone says the period is over after it, and never
    counts down to it)."""
    windows = []
    for window in policy["windows"]:
        item = {"id": window["id"], "label": window["label"], "from": window["from"], "to": window["to"],
                "last": last_day(policy, window).isoformat()}
        if window.get("closed"):
            item["closed"] = True
        if window.get("monthly"):
            item["monthly"] = {key: window["monthly"][key] for key in ("first_day", "last_day")}
        windows.append(item)
    return windows


def first_open_on_or_after(policy, window, day):
    """The first payment day of `window` on or after `day`; None if none is left."""
    return next((open_day for open_day in open_days(policy, window) if open_day >= day), None)


def previous_payment_day(policy, day):
    """The last day before `day` on which any window takes a payment; None before the first."""
    spans = [(first, min(last, day - datetime.timedelta(days=1))) for first, last in _payment_spans(policy) if first < day]
    return spans[-1][1] if spans else None


def next_payment_day(policy, day):
    """The first day on or after `day` on which any window takes a payment; None after the last."""
    return next((max(first, day) for first, last in _payment_spans(policy) if last >= day), None)


def _payment_spans(policy):
    """payment_windows.payment_days(policy), worked out once: the calendar asks around each day something changes."""
    return _kept(policy, "payment_spans", lambda: payment_windows.payment_days(policy))


def rule_date_flips(policy):
    """Days on which a paid_on_or_before / paid_on_or_after condition changes."""
    return _kept(policy, "rule_date_flips", lambda: _rule_date_flips(policy))


def _rule_date_flips(policy):
    flips = set()
    parts = [policy["rules"], policy["subsidies"], policy["contribution"]["prices"]]
    for key, value in (condition for when in whens(parts) for condition in conditions_of(when)):
        if key == "paid_on_or_before":
            flips.add(parse_date(value) + datetime.timedelta(days=1))
        elif key == "paid_on_or_after":
            flips.add(parse_date(value))
    return flips


def payment_days_in(policy, window, flips):
    """The window's first payment day, then the first payment day from each of the flips inside it
    (a closed window: its first day, on which the core says why nobody can pay)."""
    days = open_days(policy, window)
    if not days:
        return [parse_date(window["from"])]
    later = {first_open_on_or_after(policy, window, day) for day in flips if days[0] < day <= days[-1]}
    return [days[0]] + sorted(later - {None, days[0]})


def a_few_days_into(policy, window):
    """A payment day inside the window but past its first day, where "from the payment day" and
    "from the window's start" differ (the first payment day from then on; a closed window: a day in it)."""
    wanted = parse_date(window["from"]) + datetime.timedelta(days=LATE_EXAMPLE_OFFSET_DAYS)
    days = open_days(policy, window)
    if not days:
        return min(wanted, last_day(policy, window))
    return first_open_on_or_after(policy, window, wanted) or days[-1]


def first_example(policy, people, rounds, applies):
    """(result, day) for the first person and day, round after round of days, whose result
    `applies(result)`; (None, None) if none."""
    for days in rounds:
        for person in people:
            for day in days:
                try:
                    result = quote_person(policy, person, day)
                except ScenarioError:  # a combination of facts the notice does not allow: not an example
                    continue
                if applies(result):
                    return result, day
    return None, None


def first_accepted(policy, person, days):
    """(result, day) for the first day the person may pay; the first day's refusal if none."""
    result, day = first_example(policy, [person], [days], lambda result: result["accepted"])
    if result is None:
        return quote_person(policy, person, days[0]), days[0]
    return result, day


def babies(policy):
    """Babies born shortly before the payment, and after the notice's newborn period."""
    newborn = policy.get("newborn") or {}
    period = newborn.get("window")
    ages = [BABY_PAYS_AFTER_DAYS]
    if period:
        ages.append((period.get("days") or period.get("months", 0) * 31) + BABY_PAYS_AFTER_DAYS)
    return [Person(born_days_before=days) for days in ages]


# ---- what applied, and the sentences it rests on ---------------------------------------------------

def _by_id(items):
    return {item["id"]: item for item in items}


def applied_rule(result, policy):
    """The policy's rule that decided `result` (None for a closed window)."""
    rule = (result.get("applied") or {}).get("rule")
    return _by_id(policy["rules"]).get(rule["id"]) if rule else None


def explained(result, policy):
    """What the page says about one result: the rule's label, its sources and interpretation."""
    rule = applied_rule(result, policy) or {}
    return {"result": result, "rule": rule.get("label", result.get("reason", "")),
            "sources": rule.get("sources", []), "interpretation": rule.get("interpretation")}


def price_category_row(result, policy):
    """What one price category pays in a window. Where the rule gives no price (红塔 after the concentrated
    period), the row cites the rule, not the category's price or the government's part: neither applies."""
    applied = result["applied"]
    if is_unstated(result["pays"]) and is_unstated(applied.get("surcharge")):
        return {"category": result["category"], "pays": result["pays"], "pays_fiscal_part": None,
                "sources": list(explained(result, policy)["sources"])}
    sources = list(_by_id(policy["contribution"]["prices"])[applied["price"]["id"]]["sources"]) if applied["price"] else []
    surcharged = applied.get("surcharge") is not None
    if surcharged:
        sources += policy["contribution"]["fiscal_subsidy"].get("sources", [])
    return {"category": result["category"], "pays": result["pays"], "pays_fiscal_part": surcharged, "sources": sources}


# ---- the page's sections ---------------------------------------------------------------------------

def facts(policy, built_on=None, newer=None):
    """Everything the county page, poster, card, share text and calendar of `policy` show, each answer asked
    of the core afresh; `says` holds the sentences more than one of them says (build_scripts.county_sentences),
    worded for the build date `built_on` (default: county_sentences.build_date()) and the place's newer
    notice on the site, `newer` (None where there is none). The answers stay kept for the poster and the
    calendar made from this view next, which ask the same people about the same days."""
    _forget()
    view = _facts(policy)
    view["says"] = county_sentences.sentences(policy, view, built_on or county_sentences.build_date(), newer)
    return view


def _forget():
    _KEPT["policy"], _KEPT["values"] = None, {}


def _facts(policy):
    continuity = continuity_examples(policy)
    return {
        "glance": glance(policy, continuity),
        "adult_age": ADULT_AGE,
        "fiscal": policy["contribution"]["fiscal_subsidy"],
        "price_windows": price_windows(policy),
        "timeline": timeline(policy),
        "late_examples": late_examples(policy),
        "rules": rule_examples(policy),
        "subsidies": subsidy_examples(policy),
        "group_names": group_names(policy),
        "special_groups": special_groups(policy),
        "late_changes": late_changes(policy),
        "late_change_words": late_change_words(late_changes(policy)),
        "exceptions": rule_exceptions(policy),
        "readings": provenance.of(policy).readings(),
        "newborn": newborn_examples(policy),
        "students": student_tables(policy),
        "continuity": continuity,
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
        days = payment_days_in(policy, window, flips)
        rows, refused = {}, {}
        for label, person in people:
            result, paid_on = first_accepted(policy, person, days)
            if not result["accepted"]:
                refused.setdefault(result["reason"], (label, explained(result, policy)["sources"]))
            elif result["category"] not in rows:
                rows[result["category"]] = dict(price_category_row(result, policy), paid_on=paid_on, late_start=paid_on != days[0])
                if paid_on != days[0]:  # cite the rule that turned them away on the first day too
                    rows[result["category"]]["sources"] += explained(quote_person(policy, person, days[0]), policy)["sources"]
        ordered = sorted(rows.values(), key=lambda row: _position(category_order, row["category"]))
        windows.append({"window": window, "rows": ordered,
                        "refused": [{"who": who, "reason": reason, "sources": sources} for reason, (who, sources) in refused.items()]})
    return windows


def _position(order, label):
    return order.index(label) if label in order else len(order)


def timeline(policy):
    """Each payment window with what an ordinary adult who pays a few days into it gets."""
    adult = typical_people(policy)[0][1]
    return [dict(window=window, paid_on=a_few_days_into(policy, window),
                 **explained(quote_person(policy, adult, a_few_days_into(policy, window)), policy))
            for window in policy["windows"]]


def late_examples(policy):
    """An ordinary adult paying a few days into each window after the first in which anyone may pay (up to three)."""
    return [item for item in timeline(policy)[1:] if not item["window"].get("closed")][:LATE_EXAMPLE_COUNT]


LATE_CHANGES = (("refused", "不能再缴"), ("pays", "要缴的钱不一样"), ("pays_unknown", "要缴多少通知未写明"),
                ("later", "能报销的日子推迟"))


def late_changes(policy):
    """What changes for an ordinary adult paying after the first window (a few days into each later
    window) rather than in it, in the order of LATE_CHANGES: "refused" (may not pay), "pays" (pays another
    amount: 福山 adds the government's part; 潍坊 does not), "pays_unknown" (the notice does not say how
    much), "later" (cover starts later). A page says only what this notice makes true."""
    window = policy["windows"][0]
    first, _ = first_accepted(policy, typical_people(policy)[0][1], payment_days_in(policy, window, rule_date_flips(policy)))
    found = set()
    for item in timeline(policy)[1:]:
        if item["window"].get("closed"):
            continue
        result = item["result"]
        if not result["accepted"]:
            found.add("refused")
            continue
        if is_unstated(result["pays"]):
            found.add("pays_unknown")
        elif not first["accepted"] or str(result["pays"]) != str(first["pays"]):
            found.add("pays")
        if result.get("waiting_days") or result["coverage_start"] != first.get("coverage_start"):
            found.add("later")
    return [key for key, _ in LATE_CHANGES if key in found]


def late_change_words(changes):
    """要缴的钱不一样、能报销的日子推迟: the changes in words, in their order."""
    return "、".join(words for key, words in LATE_CHANGES if key in changes)


EXCEPTION_WORDS = (("newborn", "新生儿"), ("student", "学生"), ("employee_transfer", "职工医保转入人员"),
                   ("groups_any", "特殊人群"), ("migrant_worker", "返乡务工人员"),
                   ("newly_identified", "新认定的救助对象"), ("missed_years_at_least", "断保人员"))


def rule_exceptions(policy):
    """The kinds of people this notice's rules treat apart from everyone paying in a window, in words,
    from the conditions of its rules (never a list written once for every notice)."""
    keys = {key for when in whens(policy["rules"]) for key, _ in conditions_of(when)}
    return [words for key, words in EXCEPTION_WORDS if key in keys]


def rule_examples(policy):
    """Every rule of the notice, in its order, with a person it decides for and the core's answer
    (None where no example person reaches it)."""
    def people(rule):
        first, *in_tiers = people_meeting(rule.get("when"), policy)
        return [first] + babies(policy) + in_tiers
    return _examples(policy, "rule", policy["rules"], people, _decided_by)


def _examples(policy, key, parts, people_of, applies):
    """For each part (a rule, a subsidy): the first of `people_of(part)` and payment day for whom
    `applies(result, part)`, with the core's answer and who they are."""
    days = payment_days(policy)
    examples = []
    for part in parts:
        result, paid_on = first_example(policy, people_of(part), days, lambda result, part=part: applies(result, part))
        examples.append({key: part, "paid_on": paid_on, "result": result,
                         "who": person_label(result["member"], paid_on, policy) if result else None})
    return examples


def people_meeting(when, policy):
    """People the core's registry makes meet `when`: as they are (the core picks a tier where one is
    needed), then in each tier."""
    return [Person(when=when)] + [Person(when=when, tier=tier["value"]) for tier in policy["contribution"].get("tiers", [])]


def _decided_by(result, rule):
    applied = result.get("applied") or {}
    return (applied.get("rule") or {}).get("id") == rule["id"]


def subsidy_examples(policy):
    """Each subsidy with the core's figures for a person it applies to (None when no example reaches it)."""
    return _examples(policy, "subsidy", policy["subsidies"], lambda subsidy: people_meeting(subsidy.get("when"), policy), _subsidised_by)


def _subsidised_by(result, subsidy):
    applied = result.get("applied") or {}
    return result["accepted"] and (applied.get("subsidy") or {}).get("id") == subsidy["id"]


def group_names(policy):
    """Names of the groups the subsidies name in the notice's own words, in the order it lists them."""
    return special_groups(policy)["notice"]


def special_groups(policy):
    """The groups of the subsidies, by whose words they are: {"notice": names the notice uses (or a
    subsidy read without any reading of the site), "reading": names only the site's reading puts there
    (潍坊: 「低收入困难群众」 read as 特困人员、低保对象 …), "sources": the sentences so read}."""
    notice, reading, sources = [], [], []
    for subsidy in policy["subsidies"]:
        said = "".join(source.get("quote", "") for source in subsidy.get("sources", []))
        read = False
        for key, value in conditions_of(subsidy.get("when")):
            if key != "groups_any":
                continue
            for group in value:
                name = policy["vocabulary"][group]
                ours = provenance.has_reading(subsidy) and name not in said
                read = read or ours
                target = reading if ours else notice
                if name not in target:
                    target.append(name)
        if read:
            sources += subsidy["sources"]
    return {"notice": notice, "reading": [name for name in reading if name not in notice], "sources": sources}


def newborn_examples(policy):
    """A baby born early in the coverage year, paying soon after birth and after the newborn period."""
    newborn = policy.get("newborn")
    if not newborn:
        return None
    birth = parse_date(policy["coverage"]["start"]) + datetime.timedelta(days=BABY_BORN_DAYS_INTO_YEAR)
    pay_days = [birth + datetime.timedelta(days=BABY_PAYS_AFTER_DAYS)]
    if "window" in newborn:
        period_days = newborn["window"].get("days") or newborn["window"]["months"] * 31
        pay_days.append(birth + datetime.timedelta(days=period_days + BABY_PAYS_AFTER_DAYS))
    examples = []
    for wanted in pay_days:
        paid_on = next_payment_day(policy, wanted)  # a day the notice takes payments (兴县: not the 26th–31st)
        if paid_on is not None:
            result = _quote_member(policy, {"id": "baby", "birth_date": birth.isoformat()}, paid_on)
            examples.append(dict(paid_on=paid_on, **explained(result, policy)))
    return {"rule": newborn, "birth": birth, "examples": examples}


def student_tables(policy):
    """For each kind of student the notice names: the windows where paying a few days in gives a
    student something other than an ordinary adult (the rest is in the price table and timeline)."""
    tier = first_tier(policy)
    adult = typical_people(policy)[0][1]
    tables = []
    for status in policy["form"]["student_statuses"]:
        if status["value"] == "none":
            continue
        student = Person(age=STUDENT_AGES[status["value"]], student=status["value"], **tier)
        rows = []
        for window in policy["windows"]:
            paid_on = a_few_days_into(policy, window)
            result = quote_person(policy, student, paid_on)
            if outcome(result) != outcome(quote_person(policy, adult, paid_on)):
                rows.append(dict(window=window, paid_on=paid_on, **explained(result, policy)))
        tables.append({"label": status["label"], "rows": rows})
    return tables


def outcome(result):
    """What a resident would notice of a result: whether, how much, and from when."""
    return tuple(result.get(key) for key in ("accepted", "pays", "coverage_start", "waiting_days"))


# ---- 一页看懂: the summary at the top of the page ------------------------------------------------------

def glance(policy, continuity):
    """What the summary says beyond the notice's own prices and windows: for an ordinary adult, the
    wait in each window after the first (and the day from which paying there buys no cover this
    year); for a 2025+ notice, the wait after 1, 2 and 4 missed years when paying on time."""
    adult = typical_people(policy)[0][1]
    late = [dict(item, too_late_from=first_day_too_late(policy, adult, item["window"])) for item in timeline(policy)[1:]]
    missed = [row for row in continuity["windows"][0]["rows"] if not row["repaired"]] if continuity else []
    missed_sources = [source for row in missed for source in (row["waiting"] or {}).get("sources", [])]
    return {"late": late, "missed": missed, "missed_sources": missed_sources}


def first_day_too_late(policy, person, window):
    """The first payment day of `window` on which paying leaves `person` no cover in the coverage year
    (the wait ends after it), or None. Paying later never shortens the wait, so the days are bisected."""
    days = open_days(policy, window)
    if not days or not _too_late(quote_person(policy, person, days[-1])):
        return None
    low, high = 0, len(days) - 1
    while low < high:
        middle = (low + high) // 2
        if _too_late(quote_person(policy, person, days[middle])):
            high = middle
        else:
            low = middle + 1
    return days[low]


def _too_late(result):
    return result["accepted"] and bool(result.get("starts_after_year_end"))


# ---- 2025+: missed years and paying them back ----------------------------------------------------------

def continuity_examples(policy):
    """For a notice with the 2025+ waiting periods: an adult who missed 1, 2 and 4 years, with and
    without paying missed years back, paying in and after the concentrated period; each row is the
    core's answer (its wait in words, cover start, what is paid now and for the missed years)."""
    continuity = policy.get("continuity")
    if not continuity:
        return None
    adult = typical_people(policy)[0][1]
    windows = []
    for window in _inside_and_outside(policy, continuity):
        paid_on = a_few_days_into(policy, window)
        rows = []
        for missed, repaired in _missed_and_repaired(continuity, window, continuity["concentrated_windows"]):
            person = Person(age=adult.age, when=adult.when, **dict(adult.facts, missed_years=missed, repair_years=repaired))
            result = quote_person(policy, person, paid_on)
            rows.append({"window": window, "paid_on": paid_on, "missed": missed, "repaired": repaired,
                         "result": result, "waiting": (result.get("applied") or {}).get("waiting")})
        windows.append({"window": window, "paid_on": paid_on, "rows": rows,
                        "concentrated": window["id"] in continuity["concentrated_windows"]})
    return {"continuity": continuity, "windows": windows, "rows": [row for group in windows for row in group["rows"]],
            "rules": continuity_rules(policy, continuity),
            "exemptions": [dict(exemption, whose=whose_words(policy, exemption.get("document")))
                           for exemption in continuity.get("exemptions", [])],
            "fixed_cases": list(dict.fromkeys(FIXED_CASES[case] for part in continuity.get("fixed", []) if "unknown" not in part
                                              for case in part["applies_to"])),
            "fixed_sources": [source for part in continuity.get("fixed", []) for source in part.get("sources", [])],
            "rewards": [dict(reward, whose=whose_words(policy, reward.get("document")),
                             in_principle_words=in_principle_words(policy, reward.get("document")) if reward.get("in_principle") else None)
                        for reward in policy.get("benefit_rewards", [])]}


FIXED_CASES = {"late": "集中缴费期后才缴费的", "missed": "上一年度没参保（断保）的"}
CONTINUITY_PARTS = (
    ("variable", "每多断保一年", lambda item: "增加%d个月" % item["months_per_missed_year"]),
    ("repair", "缴费修复（补缴断保年度）",
     lambda item: "每补缴1年，减少%d个月变动等待期（固定等待期不能减少）" % item["months_per_year"]),
    ("floor", "断保多年后的最短等待期", lambda item: "连续断保%d年及以上的，不少于%d个月" % (item["from_missed_years"], item["months"])),
)


def continuity_rules(policy, continuity):
    """The waiting-period rules in force, grouped by whose words they are: [{document, name, parts}], this
    notice's own first, then each layer's (国办发〔2024〕38号, a provincial document) for what the notice
    does not state. A part is {name, words, sources, interpretation, in_principle (the label, or None)}."""
    parts = []
    for item in continuity.get("fixed", []):
        cases = list(FIXED_CASES) if "unknown" in item else item["applies_to"]
        parts.append(_continuity_part(policy, "固定等待期（%s）" % "、".join(FIXED_CASES[case] for case in cases),
                                      item, None if "unknown" in item else "%d个月" % item["months"]))
    for key, name, words in CONTINUITY_PARTS:
        item = continuity.get(key)
        if item:
            parts.append(_continuity_part(policy, name, item, None if "unknown" in item else words(item)))
    groups = []
    for document in policy["documents"]:
        own = document["level"] == "county"
        chosen = [part for part in parts if part["document"] == (None if own else document["id"])]
        if chosen:
            groups.append({"document": document, "own": own, "name": _document_words(document), "parts": chosen})
    return groups


def _continuity_part(policy, name, item, words):
    return {"name": name, "words": words or item["unknown"], "sources": item.get("sources", []),
            "interpretation": item.get("interpretation"), "document": item.get("document"),
            "in_principle": in_principle_words(policy, item.get("document")) if item.get("in_principle") else None}


def _document(policy, document_id):
    return next(document for document in policy["documents"] if document["id"] == document_id)


def _document_words(document):
    """《标题》（文号）, or what is known of it."""
    title = "《%s》" % document["title"] if document.get("title") else document.get("issuer") or ""
    return "%s（%s）" % (title, document["number"]) if document.get("number") else title


def whose_words(policy, document_id):
    """Whose rule a part of a layered block is: None for this notice's own, else the document's 文号 (or title)."""
    if document_id is None:
        return None
    document = _document(policy, document_id)
    return document.get("number") or _document_words(document)


def in_principle_words(policy, document_id):
    """How a figure a document states only 「原则上」 is labelled: the national rule, 以当地为准."""
    level = _document(policy, document_id)["level"] if document_id else "county"
    return {"national": "国家规定（原则上），以当地为准", "province": "省级规定（原则上），以当地为准"}.get(
        level, "本通知写的是“原则上”，以当地为准")


def _inside_and_outside(policy, continuity):
    """The first concentrated window and the first window after it that is not one (and is open)."""
    inside = [window for window in policy["windows"] if window["id"] in continuity["concentrated_windows"]]
    outside = [window for window in policy["windows"]
               if window["id"] not in continuity["concentrated_windows"] and not window.get("closed")]
    return inside[:1] + outside[:1]


def _missed_and_repaired(continuity, window, concentrated):
    """(missed years, years paid back): insured last year (only when paying late), then 1, 2, 4 missed
    years, each also with all but one of them (at least one) paid back where the notice allows repair."""
    pairs = [] if window["id"] in concentrated else [(0, 0)]
    for missed in MISSED_YEARS_EXAMPLES:
        pairs.append((missed, 0))
        if "repair" in continuity:
            pairs.append((missed, max(1, missed - 1)))
    return pairs


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
