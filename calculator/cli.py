"""`python -m calculator quote | check-cases | validate | roster | draft` — the fee core from the command line."""
import argparse
import json
import sys
from pathlib import Path

from .cases import load_cases, run_case
from .core import ScenarioError, quote
from .drafting import draft
from .policy_properties import property_errors
from .policyfile import POLICIES_DIR, PolicyInvalid, check_policies, load_policies, load_vocabulary
from .roster_files import RosterError, price_file, summary_lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m calculator", description="医保明白纸 fee core")
    parser.add_argument("--policies", default=str(POLICIES_DIR), help="folder of policy YAML (default: policies/)")
    commands = parser.add_subparsers(dest="command", required=True)
    quote_parser = commands.add_parser("quote", help="price one household: scenario JSON file, or - for stdin")
    quote_parser.add_argument("scenario")
    cases_parser = commands.add_parser("check-cases", help="run case files; ends with 'N passed, M failed'")
    cases_parser.add_argument("files", nargs="+")
    commands.add_parser("validate", help="check every policy file")
    roster_parser = commands.add_parser("roster", help="price a village roster CSV, one row per person")
    roster_parser.add_argument("--policy", required=True, help="policy id, e.g. nanan-2023")
    roster_parser.add_argument("--paid-on", required=True, help="payment date YYYY-MM-DD")
    roster_parser.add_argument("--out", help="result CSV (UTF-8 with BOM); default: stdout")
    roster_parser.add_argument("file")
    draft_parser = commands.add_parser("draft", help="draft a policy YAML from a notice's text; every 待补 is for you to fill")
    draft_parser.add_argument("--id", help="policy id, e.g. nanan-2024 (default: the notice's file name)")
    draft_parser.add_argument("--builds-on", nargs="+", default=[], metavar="LAYER", help="layer ids, e.g. national-guobanfa-2024-38")
    draft_parser.add_argument("--out", help="draft YAML file; default: stdout")
    draft_parser.add_argument("notice")
    args = parser.parse_args(argv)
    commands = {"quote": run_quote, "check-cases": run_check_cases, "validate": run_validate, "roster": run_roster,
                "draft": run_draft}
    return commands[args.command](args)


def policies_by_id(args):
    try:
        return {policy["id"]: policy for policy in load_policies(args.policies)}
    except PolicyInvalid as invalid:
        print(invalid, file=sys.stderr)
        sys.exit(1)


def run_quote(args):
    text = sys.stdin.read() if args.scenario == "-" else open(args.scenario, encoding="utf-8").read()
    try:
        scenario = json.loads(text)
    except json.JSONDecodeError as error:
        return fail({"field": "scenario", "message": "不是有效的 JSON：%s" % error})
    policy = policies_by_id(args).get(scenario.get("policy") if isinstance(scenario, dict) else None)
    if policy is None:
        return fail({"field": "policy", "message": "没有这个政策 id：%r" % (scenario.get("policy") if isinstance(scenario, dict) else None)})
    try:
        result = quote(policy, scenario)
    except ScenarioError as error:
        return fail({"field": error.field, "message": error.message})
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def fail(error):
    print(json.dumps({"error": error}, ensure_ascii=False, indent=2))
    return 2


def run_check_cases(args):
    policies = policies_by_id(args)
    passed = failed = 0
    for path in args.files:
        for case, where in load_cases(path):
            outcome = run_case(case, where, policies)
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            print("FAIL %s  (%s)" % (outcome.name, outcome.where))
            for difference in outcome.differences:
                print("     " + difference)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def run_validate(args):
    policies, errors = check_policies(args.policies)
    errors += property_errors(policies, args.policies)
    for error in errors:
        print(error)
    if errors:
        print("%d problem(s)" % len(errors))
        return 1
    print("%d policies valid" % len(policies))
    return 0


def run_roster(args):
    """Exit 0: every row read (priced, or refused by the notice with its reason); 1: some rows have errors,
    or nobody is listed (the result is written either way); 2: the file cannot be priced at all (nothing
    is written). docs/roster.md lists every message."""
    policy = policies_by_id(args).get(args.policy)
    try:
        if policy is None:
            raise RosterError("policy", "没有这个政策 id：%r" % args.policy)
        roster = price_file(policy, args.paid_on, args.file, args.out)
    except RosterError as error:
        print(error.message, file=sys.stderr)
        return 2
    print("\n".join(summary_lines(policy, args.paid_on, roster)), file=sys.stderr)
    counts = roster.tally.counts
    return 1 if counts["errors"] or counts["blank"] == roster.tally.rows() else 0


def run_draft(args):
    notice = Path(args.notice)
    vocabulary, _problems = load_vocabulary(Path(args.policies) / "groups.yaml")  # `validate` reports them
    result = draft(notice.read_text(encoding="utf-8"), args.id or notice.stem, notice.name, args.builds_on, vocabulary)
    if args.out:
        Path(args.out).write_text(result.yaml, encoding="utf-8")
    else:
        sys.stdout.write(result.yaml)
    print("%d 个值已找到，%d 处待补" % (len(result.found), len(result.todos)), file=sys.stderr)
    return 0

