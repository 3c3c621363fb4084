"""Each kind of bad policy file is rejected with file:line: field: a message a staff member understands."""
import shutil
from pathlib import Path

import pytest

from calculator.policyfile import POLICIES_DIR, check_policies

NANAN = "nanan-2023.yaml"


@pytest.fixture
def policy_dir(tmp_path):
    target = tmp_path / "policies"
    shutil.copytree(POLICIES_DIR, target)
    return target


def errors_after_edit(policy_dir, old, new, file=NANAN):
    path = policy_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, "the edit must hit exactly one place"
    path.write_text(text.replace(old, new), encoding="utf-8")
    _, errors = check_policies(policy_dir)
    return [str(error) for error in errors]


def line_of(policy_dir, text, file=NANAN):
    lines = (policy_dir / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def assert_one_error(errors, where, message):
    assert len(errors) == 1, errors
    assert errors[0].startswith(where), errors[0]
    assert message in errors[0], errors[0]


def test_shipped_policies_are_valid():
    policies, errors = check_policies(POLICIES_DIR)
    assert [str(error) for error in errors] == []
    assert len(policies) == 5


# (what breaks, the edit, the text of the line the error must name, the field, words of the message)
ONE_ERROR_EDITS = [
    ("unknown key", "    at_least: true\n", "    at_least: true\n    currency: 元\n", "currency: 元",
     "contribution.fiscal_subsidy.currency", "不认识的字段“currency”"),
    ("wrong type", "      amount: 360\n", "      amount: 三百六十\n", "amount: 三百六十",
     "contribution.prices[0].amount", "应为整数"),
    ("duplicate key", "coverage_year: 2023\n", "coverage_year: 2023\ncoverage_year: 2024\n", "coverage_year: 2024",
     "coverage_year", "键“coverage_year”重复"),
    ("gap between windows", "    from: 2023-07-01\n", "    from: 2023-07-05\n", "from: 2023-07-05",
     "windows[3].from", "有空档：2023-07-01 至 2023-07-04 不属于任何缴费期"),
    ("overlapping windows", "    from: 2023-07-01\n", "    from: 2023-06-20\n", "from: 2023-06-20",
     "windows[3].from", "重叠：上一个缴费期到 2023-06-30 才结束"),
    ("group not in the vocabulary", "when: {groups_any: [key_entitled]}", "when: {groups_any: [veteran]}", "groups_any: [veteran]",
     "subsidies[7].when.groups_any[0]", "群体“veteran”不在 policies/groups.yaml 的词表中"),
    ("source not in the notice", "source: 个人缴费标准为360元/人", "source: 个人缴费标准为380元/人", "个人缴费标准为380元/人",
     "contribution.prices[0].source", "在通知原文中找不到这句话"),
]


@pytest.mark.parametrize("old, new, line_text, field, message", [edit[1:] for edit in ONE_ERROR_EDITS],
                         ids=[edit[0] for edit in ONE_ERROR_EDITS])
def test_a_bad_edit_is_named_by_file_line_and_field(policy_dir, old, new, line_text, field, message):
    errors = errors_after_edit(policy_dir, old, new)
    line = line_of(policy_dir, line_text)
    assert_one_error(errors, "%s:%d: %s:" % (policy_dir / NANAN, line, field), message)


def test_yaml_syntax_error(policy_dir):
    errors = errors_after_edit(policy_dir, "coverage_year: 2023\n", "coverage_year: [2023\n")
    assert len(errors) == 1 and "YAML 格式错误" in errors[0] and errors[0].startswith(str(policy_dir / NANAN) + ":")


def test_impossible_date(policy_dir):
    errors = errors_after_edit(policy_dir, "    to: 2023-02-28\n", "    to: 2023-02-30\n")
    assert any("windows[1].to: 不是真实存在的日期：2023-02-30" in error for error in errors), errors


def test_window_ending_before_it_starts(policy_dir):
    errors = errors_after_edit(policy_dir, "    from: 2023-03-01\n    to: 2023-06-30\n", "    from: 2023-03-01\n    to: 2023-02-01\n")
    line = line_of(policy_dir, "to: 2023-02-01")
    assert "%s:%d: windows[2].to: 缴费期结束日期 2023-02-01 早于开始日期 2023-03-01" % (policy_dir / NANAN, line) in errors


def test_unknown_window_in_a_rule(policy_dir):
    errors = errors_after_edit(policy_dir, "when: {window: [back_pay_wait]}", "when: {window: [back_pay_waiting]}")
    assert any("rules[8].when.window[0]: 没有 id 为“back_pay_waiting”的缴费期" in error for error in errors), errors


def test_window_without_a_catch_all_rule(policy_dir):
    errors = errors_after_edit(policy_dir, "    when: {window: [back_pay_wait]}\n", "    when: {window: [back_pay_wait], age_at_least: 18}\n")
    assert_one_error(errors, "%s:" % (policy_dir / NANAN), "windows[2].id: 没有只以该缴费期为条件的兜底规则")


def test_missing_source(policy_dir):
    errors = errors_after_edit(policy_dir, "    source: 2023年各级财政补助标准不低于610元/人\n", "")
    assert_one_error(errors, "%s:" % (policy_dir / NANAN), "contribution.fiscal_subsidy: 缺少必填字段“source”")


def test_rule_with_both_start_and_waiting(policy_dir):
    errors = errors_after_edit(policy_dir, "    price: personal\n    waiting: {days: 60}\n    source: 其他参保居民",
                               "    price: personal\n    coverage_start: payment_date\n    waiting: {days: 60}\n    source: 其他参保居民")
    assert any("rules[8]:" in error and "三选一" in error for error in errors), errors


def test_id_must_match_the_file_name(policy_dir):
    errors = errors_after_edit(policy_dir, "id: nanan-2023\n", "id: nanan-2024\n")
    assert_one_error(errors, "%s:" % (policy_dir / NANAN), "id 应与文件名一致：nanan-2023")


def test_fixed_subsidy_that_does_not_add_up(policy_dir):
    errors = errors_after_edit(policy_dir, "    personal_amount: 40\n", "    personal_amount: 45\n", file="sixian-shantou-2022.yaml")
    line = line_of(policy_dir, "personal_amount: 45", file="sixian-shantou-2022.yaml")
    assert_one_error(errors, "%s:%d: subsidies[2].personal_amount:" % (policy_dir / "sixian-shantou-2022.yaml", line),
                     "补助 280 元 + 个人缴 45 元 = 325 元，不等于任何一档个人缴费标准（320）")


def test_table_row_that_does_not_add_up(policy_dir):
    lingyuan = "jinjiang-lingyuan-2022.yaml"
    errors = errors_after_edit(policy_dir, "[林口, 5366, 810, 6176]", "[林口, 5366, 810, 6177]", file=lingyuan)
    assert any("tables[0].checks:" in error and "“林口”行“task”列：原表为 6177，重新计算为 6176" in error for error in errors), errors


def test_table_total_that_does_not_add_up(policy_dir):
    errors = errors_after_edit(policy_dir, "total: [总计, 225907]", "total: [总计, 225900]", file="yantai-fushan-2022.yaml")
    assert_one_error(errors, str(policy_dir / "yantai-fushan-2022.yaml"), "“总计”行“insured”列：原表为 225900，重新计算为 225907")


def test_undeclared_printed_error_in_a_table(policy_dir):
    lingyuan = "jinjiang-lingyuan-2022.yaml"
    text = (policy_dir / lingyuan).read_text(encoding="utf-8")
    (policy_dir / lingyuan).write_text(text[:text.index("    errata:")], encoding="utf-8")
    _, errors = check_policies(policy_dir)
    assert [error.message for error in errors] == ["“合计数”行“gap”列：原表为 8181，重新计算为 8208（若原表确有此误，请在 errata 中写明）"]


def test_erratum_that_is_not_an_error(policy_dir):
    errors = errors_after_edit(policy_dir, "        printed: 8181\n        recomputed: 8208\n",
                               "        printed: 8181\n        recomputed: 8181\n", file="jinjiang-lingyuan-2022.yaml")
    assert any("原表为 8181，重新计算为 8208" in error for error in errors), errors


def test_group_vocabulary_entry_without_a_name(policy_dir):
    path = policy_dir / "groups.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "newcomer:\n  description: 没有名称\n", encoding="utf-8")
    _, errors = check_policies(policy_dir)
    assert [str(error).split(": ", 1)[1] for error in errors] == ["newcomer: 每个群体要有中文名称 name"]
