"""Properties over random households and payment dates on every policy: the core never crashes,
never goes negative, and its figures add up — without a single expected amount written down."""
import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from calculator.core import ScenarioError, quote
from calculator.core.facts import FACTS
from calculator.policyfile import load_policies

POLICIES = {policy["id"]: policy for policy in load_policies()}
DISABILITY_GROUPS = {"disability", "severe_disability"}


def day(text):
    return datetime.date.fromisoformat(text)


@st.composite
def members(draw, policy, paid_on):
    form = policy["form"]
    groups = draw(st.lists(st.sampled_from(sorted(policy["vocabulary"])), max_size=3, unique=True))
    member = {
        "birth_date": draw(st.dates(datetime.date(1925, 1, 1), paid_on)).isoformat(),
        "groups": groups,
        "student": draw(st.sampled_from([status["value"] for status in form["student_statuses"]] or ["none"])),
        "migrant_worker": draw(st.booleans()),
        "born_in_old_revolutionary_village": draw(st.booleans()),
        "add_ons": draw(st.lists(st.sampled_from([item["id"] for item in form["add_ons"]]), unique=True)) if form["add_ons"] else [],
    }
    if form["tiers"]:
        member["tier"] = draw(st.sampled_from([tier["value"] for tier in form["tiers"]]))
    asks = form["asks"]
    if "family_role" in asks and draw(st.booleans()):
        member["family_role"] = draw(st.sampled_from(["parent", "child"]))
    if "missed_years" in asks:
        member["missed_years"] = draw(st.integers(0, 8))
        if "repair_years" in asks:
            member["repair_years"] = draw(st.integers(0, member["missed_years"]))
    if DISABILITY_GROUPS & set(groups) or draw(st.booleans()):
        member["disability_grade"] = draw(st.integers(1, 4))
    for key in ("disability_kind", "residence"):
        if key in asks and draw(st.booleans()):
            member[key] = draw(st.sampled_from([value for value, _label in FACTS[key].values]))
    if draw(st.booleans()):
        member["employee_insurance"] = {
            "stopped_on": draw(st.dates(paid_on - datetime.timedelta(days=400), paid_on)).isoformat(),
            "continuous_years": draw(st.integers(0, 10)),
        }
    return member


@st.composite
def scenarios(draw):
    policy = POLICIES[draw(st.sampled_from(sorted(POLICIES)))]
    known_days = [end for window in policy["windows"] for end in (window["from"], window["to"]) if isinstance(end, str)]
    paid_on = draw(st.dates(day(min(known_days)), day(max(known_days))))  # a last window may end {unknown}
    household = draw(st.lists(members(policy, paid_on), min_size=1, max_size=4))
    for index, member in enumerate(household):
        member["id"] = "m%d" % index
    return policy, {"policy": policy["id"], "paid_on": paid_on.isoformat(), "members": household}


CHOSEN_BY_PAYMENT = ("payment_date", "day_after_payment")


def applied_rule(policy, member):
    return next(rule for rule in policy["rules"] if rule["id"] == member["applied"]["rule"]["id"])


def known(value):
    return not isinstance(value, dict)


def money(value):
    return Decimal(str(value))


@given(scenarios())
def test_figures_are_never_negative_and_add_up(drawn):
    policy, scenario = drawn
    result = quote(policy, scenario)
    for member in (m for m in result["members"] if m["accepted"]):
        amounts = [member[field] for field in ("price", "contribution", "subsidy", "reimbursed_later", "pays")]
        assert all(money(amount) >= 0 for amount in amounts if known(amount))
        if all(known(amount) for amount in amounts[:3]):
            assert money(member["contribution"]) + money(member["subsidy"]) == money(member["price"])
        repair = member.get("repair", {}).get("amount", 0)
        if known(member["contribution"]) and known(repair) and known(member["pays"]):
            assert money(member["pays"]) == money(member["contribution"]) + money(repair)
        if known(member["pays"]) and known(member["reimbursed_later"]):
            assert money(member["reimbursed_later"]) <= money(member["pays"])
    for field in ("pays", "subsidy", "reimbursed_later"):
        values = [member[field] for member in result["members"] if member["accepted"]]
        if all(known(value) for value in values):
            assert money(result["household"][field]) == sum(map(money, values), Decimal(0))
        else:
            assert not known(result["household"][field])


@given(scenarios())
def test_cover_never_starts_before_the_window_allows(drawn):
    policy, scenario = drawn
    result = quote(policy, scenario)
    paid_on = day(scenario["paid_on"])
    first_window = policy["windows"][0]
    late = paid_on > day(first_window["to"])
    births = {member["id"]: day(member["birth_date"]) for member in scenario["members"]}
    for member in (m for m in result["members"] if m["accepted"] and known(m["coverage_start"])):
        start = day(member["coverage_start"])
        assert start >= births[member["id"]]
        if late:
            # After the concentrated window cover starts with payment, or from birth but not before
            # the year starts, unless the rule names a date the notice fixes.
            kind = applied_rule(policy, member).get("coverage_start", "payment_date")
            if kind in CHOSEN_BY_PAYMENT:
                assert start >= paid_on
            if kind == "birth_date":
                assert start >= day(policy["coverage"]["start"])
        if member["waiting_days"]:
            # Counted from the payment day, or from the first day of the year for an early payer who must wait.
            anchor = day(member["applied"]["waiting"]["anchor"])
            assert anchor in (paid_on, day(policy["coverage"]["start"]))
            assert (start - anchor).days == member["waiting_days"]


@given(scenarios())
def test_every_answer_carries_its_reasons(drawn):
    policy, scenario = drawn
    result = quote(policy, scenario)
    documents = {document["id"] for document in policy["documents"]}
    for member in result["members"]:
        assert member["trace"], "a result without a trace"
        for step in member["trace"]:
            for source in step.get("sources", []):
                assert source["notice"] in documents and source["line"] >= 1
        if not member["accepted"]:
            assert member["reason"]
        for field in ("pays", "subsidy", "reimbursed_later", "coverage_start", "waiting_days"):
            value = member.get(field)
            if isinstance(value, dict):
                assert value["unknown"], "an unknown without a reason"


# Labels as households give them: none, empty, a number (0 too), the core's own 成员N, the same label twice.
LABELS = st.one_of(st.none(), st.just(""), st.integers(0, 2), st.sampled_from(["成员1", "成员2", "爸爸", "1"]))


def answer(policy, scenario):
    try:
        return quote(policy, scenario)
    except ScenarioError:
        return None


@given(scenarios(), st.data())
def test_answers_do_not_depend_on_the_order_of_members(drawn, data):
    """The same household entered in another order: the same members refused or accepted, each with the same
    answer, and the same household totals (reasons included) — on every policy."""
    policy, scenario = drawn
    for member in scenario["members"]:
        label = data.draw(LABELS)
        if label is None:
            del member["id"]
        else:
            member["id"] = label
    order = data.draw(st.permutations(range(len(scenario["members"]))))
    first = answer(policy, scenario)
    second = answer(policy, dict(scenario, members=[scenario["members"][index] for index in order]))
    assert (first is None) == (second is None)
    if first is None:
        return
    labelled = all(member.get("id") not in (None, "") for member in scenario["members"])
    for position, index in enumerate(order):
        one, other = dict(first["members"][index]), dict(second["members"][position])
        if labelled:
            assert one["id"] == other["id"] == str(scenario["members"][index]["id"])
        del one["id"], other["id"]
        assert one == other
    if labelled:
        assert first["household"] == second["household"]
    else:  # a reason may name a member numbered by position
        assert {key: known(value) and value for key, value in first["household"].items()} == {
            key: known(value) and value for key, value in second["household"].items()}
