"""The command line as a policy author uses it."""
import json
import subprocess
import sys
from pathlib import Path

from calculator.cases import load_cases
from calculator.policyfile import load_policies

ROOT = Path(__file__).resolve().parent.parent


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "calculator", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_check_cases_ends_with_the_count_line():
    files = sorted((ROOT / "tests" / "cases").glob("*.yaml"))
    done = run("check-cases", *map(str, files))
    assert done.returncode == 0
    count = sum(len(load_cases(path)) for path in files)
    assert done.stdout.strip().splitlines()[-1] == "%d passed, 0 failed" % count


def test_check_cases_fails_with_a_readable_difference(tmp_path):
    case = tmp_path / "wrong.yaml"
    case.write_text("- name: 南安 故意写错\n  policy: nanan-2023\n  paid_on: 2023-07-01\n"
                    "  members: [{id: a, birth_date: 1985-06-01}]\n  expect: {a: {pays: 360}}\n", encoding="utf-8")
    done = run("check-cases", str(case))
    assert done.returncode == 1
    assert "a.pays: 应为 360，算得 970" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_quote_reads_stdin_and_prints_json():
    scenario = {"policy": "youxi-2022", "paid_on": "2022-07-01", "members": [{"id": "a", "birth_date": "1970-01-01"}]}
    done = run("quote", "-", stdin=json.dumps(scenario))
    assert done.returncode == 0
    assert json.loads(done.stdout)["members"][0]["pays"] == 900


def test_quote_reports_bad_input_as_json_with_the_field():
    scenario = {"policy": "youxi-2022", "paid_on": "2020-13-01", "members": [{"id": "a", "birth_date": "1970-01-01"}]}
    done = run("quote", "-", stdin=json.dumps(scenario))
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["field"] == "paid_on"


def test_validate_accepts_the_shipped_policies():
    done = run("validate")
    assert done.returncode == 0
    assert done.stdout.strip() == "%d policies valid" % len(load_policies())
