"""How much of each committed policy the draft (`python -m calculator draft`) reaches, and how often it is wrong.

For every notice in policies/notices/ with a policy file: the dates and amounts of the compiled policy (its own
parts; what a layer supplies is not in the notice) against the draft's. Recall: the share of the policy's values
the draft filled with the same value and a quote `validate` accepts. Error rate: the share of the draft's filled
values that no value of the policy matches, or whose quote `validate` rejects. Goals: recall ≥ 80 %, error ≤ 2 %.

    .venv/bin/python bench/bench_draft.py
"""
import collections
import datetime
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calculator.drafting import draft  # noqa: E402
from calculator.policyfile import NoticeText, load_policies, load_vocabulary, source_problems  # noqa: E402
from calculator.quoted_values import quoted_value_problems  # noqa: E402

POLICIES = ROOT / "policies"
RECALL_GOAL, ERROR_GOAL = 0.80, 0.02
ROW = "%-24s %4d/%-3d %3.0f%% %4d/%-3d %3.0f%%"


def values(policy):
    """[(kind, value, path)] of the dates and amounts a notice states, in a compiled policy or a draft."""
    found = []

    def add(kind, value, path):
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if isinstance(value, (int, str)) and not isinstance(value, bool) and (isinstance(value, int) or value[:2] in ("19", "20")):
            found.append((kind, value, path))

    document, coverage = policy.get("document") or {}, policy.get("coverage") or {}
    add("document.date", document.get("date"), ["document", "date"])
    for key in ("start", "end"):
        add("coverage." + key, coverage.get(key), ["coverage", key])
    for index, window in enumerate(_list(policy.get("windows"))):
        for key in ("from", "to"):
            add("window." + key, window.get(key), ["windows", index, key])
    contribution = policy.get("contribution") or {}
    for index, price in enumerate(_list(contribution.get("prices"))):
        add("price", price.get("amount"), ["contribution", "prices", index, "amount"])
    fiscal = contribution.get("fiscal_subsidy")
    if isinstance(fiscal, dict):
        add("fiscal_subsidy", fiscal.get("amount"), ["contribution", "fiscal_subsidy", "amount"])
    for index, subsidy in enumerate(_list(policy.get("subsidies"))):
        for key in ("amount", "personal_amount", "government_percent", "personal_percent"):
            add("subsidy." + key, subsidy.get(key), ["subsidies", index, key])
    for index, add_on in enumerate(_list(policy.get("add_ons"))):
        add("add_on", add_on.get("amount"), ["add_ons", index, "amount"])
    for unit, count in ((policy.get("newborn") or {}).get("window") or {}).items():
        add("newborn." + unit, count, ["newborn", "window", unit])
    for index, rule in enumerate(_list(policy.get("rules"))):
        for unit, count in (rule.get("waiting") or {}).items() if isinstance(rule.get("waiting"), dict) else ():
            add("rule.waiting." + unit, count, ["rules", index, "waiting", unit])
    found += _continuity_values(policy.get("continuity") or {}, policy["id"])
    return found


def _continuity_values(continuity, policy_id):
    fixed = continuity.get("fixed")
    parts = fixed if isinstance(fixed, list) else [fixed] if isinstance(fixed, dict) else []
    found = [("continuity.fixed", part["months"], ["continuity", "fixed", "months"]) for part in parts
             if isinstance(part.get("months"), int) and part.get("document", policy_id) == policy_id]
    variable = continuity.get("variable")
    if isinstance(variable, dict) and isinstance(variable.get("months_per_missed_year"), int) and variable.get("document", policy_id) == policy_id:
        found.append(("continuity.variable", variable["months_per_missed_year"], ["continuity", "variable", "months_per_missed_year"]))
    return found


def _list(value):
    return value if isinstance(value, list) else []


def rejected_paths(document, notice_text):
    """Paths of the draft's values whose part cites words not in the notice, or words not writing the value."""
    notice = NoticeText(notice_text)
    document = {key: [] if value is None else _without_holes(value) for key, value in document.items()}
    bad_parts = [path[:-1] if path[-1] == "source" else path[:path.index("source")] for path, _message in source_problems(document, notice)]
    bad_values = [path for path, _message in quoted_value_problems(document, document.get("coverage_year"))]
    return bad_parts, bad_values


def _without_holes(node):
    """The draft without its 待补 holes (null values), which cite nothing and state nothing."""
    if isinstance(node, dict):
        return {key: _without_holes(value) for key, value in node.items() if value is not None}
    if isinstance(node, list):
        return [_without_holes(item) for item in node]
    return node


def score(policy, notice_text, vocabulary):
    drafted = yaml.safe_load(draft(notice_text, policy["id"], vocabulary=vocabulary).yaml)
    bad_parts, bad_values = rejected_paths(drafted, notice_text)
    expected = collections.Counter((kind, value) for kind, value, _path in values(policy))
    filled = values(drafted)
    right = wrong = 0
    for kind, value, path in filled:
        valid = not any(path[:len(part)] == part for part in bad_parts) and path not in bad_values
        if valid and expected[(kind, value)] > 0:
            expected[(kind, value)] -= 1
            right += 1
        else:
            wrong += 1
    return right, sum(collections.Counter((kind, value) for kind, value, _path in values(policy)).values()), wrong, len(filled)


def main():
    vocabulary, _problems = load_vocabulary(POLICIES / "groups.yaml")
    totals = [0, 0, 0, 0]
    print("%-24s %10s %10s" % ("notice", "recall", "error"))
    for policy in sorted(load_policies(POLICIES), key=lambda policy: policy["id"]):
        notice_text = (POLICIES / "notices" / policy["notice"]).read_text(encoding="utf-8")
        right, expected, wrong, filled = score(policy, notice_text, vocabulary)
        totals = [total + figure for total, figure in zip(totals, (right, expected, wrong, filled))]
        print(ROW % (policy["id"], right, expected, _percent(right, expected), wrong, filled, _percent(wrong, filled)))
    right, expected, wrong, filled = totals
    recall, error = right / expected, (wrong / filled if filled else 0)
    print(ROW % ("overall", right, expected, recall * 100, wrong, filled, error * 100)
          + "   goals: recall ≥ %d%%, error ≤ %d%%" % (RECALL_GOAL * 100, ERROR_GOAL * 100))


def _percent(part, whole):
    return 100.0 * part / whole if whole else 0.0


if __name__ == "__main__":
    main()
