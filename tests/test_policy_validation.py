"""Each kind of bad policy file is rejected with file:line: field: a message a staff member understands,
and none crashes or hangs the validator.

The bad files are small edits of a shipped policy (the edit names the file it applies to); the edited text
must occur exactly once, so an edit that no longer applies fails loudly instead of testing nothing.
"""
import json
import re
import shutil
import time

import pytest

from calculator import located_yaml, policyfile
from calculator.core import quote
from calculator.located_yaml import MAX_BYTES
from calculator.policyfile import MAX_NOTICE_BYTES, POLICIES_DIR, NoticeText, check_policies

NANAN = "nanan-2023.yaml"
LINGYUAN = "jinjiang-lingyuan-2022.yaml"
SHANTOU = "sixian-shantou-2022.yaml"
FUSHAN = "yantai-fushan-2022.yaml"
YOUXI = "youxi-2022.yaml"
ERROR = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<field>.*?): (?P<message>.*)$", re.S)


@pytest.fixture
def policy_dir(tmp_path):
    target = tmp_path / "policies"
    shutil.copytree(POLICIES_DIR, target)
    return target


def policy_files(directory=POLICIES_DIR):
    return [path for path in directory.glob("*.yaml") if path.name != "groups.yaml"]


def errors_after_edit(policy_dir, old, new, file=NANAN):
    path = policy_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, "the edit must hit exactly one place"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return errors_of(policy_dir)


def errors_of(policy_dir):
    _, errors = check_policies(policy_dir)
    return [str(error) for error in errors]


def line_of(policy_dir, text, file=NANAN, last=False):
    lines = (policy_dir / file).read_text(encoding="utf-8").splitlines()
    numbers = [number for number, line in enumerate(lines, start=1) if text in line]
    return numbers[-1] if last else numbers[0]


def assert_one_error(errors, file, line, field, message):
    """One error, at file:line, whose field ends with `field` (indexes shift as policies grow)."""
    assert len(errors) == 1, errors
    parts = ERROR.match(errors[0])
    assert parts, errors[0]
    assert (parts["file"], int(parts["line"])) == (str(file), line), errors[0]
    assert parts["field"].endswith(field), errors[0]
    assert message in parts["message"], errors[0]


def test_shipped_policies_are_valid():
    policies, errors = check_policies(POLICIES_DIR)
    assert [str(error) for error in errors] == []
    assert sorted(policy["id"] for policy in policies) == sorted(path.stem for path in policy_files())


# (what breaks, the file, the edit, the text of the line the error must name (last=its last occurrence),
#  the end of the field, words of the message)
ONE_ERROR_EDITS = [
    ("unknown key", NANAN, "    at_least: true\n", "    at_least: true\n    currency: 元\n", "currency: 元",
     "contribution.fiscal_subsidy.currency", "不认识的字段“currency”"),
    ("text for a number", NANAN, "      amount: 360\n", "      amount: 三百六十\n", "amount: 三百六十",
     "contribution.prices[0].amount", "应为整数"),
    ("decimal for an integer", NANAN, "      amount: 360\n", "      amount: 360.0\n", "amount: 360.0",
     "contribution.prices[0].amount", "应为整数，不要写小数点"),
    ("decimal day count", NANAN, "    waiting: {days: 60}\n    source: 其他参保居民", "    waiting: {days: 60.0}\n    source: 其他参保居民",
     "days: 60.0", "waiting.days", "应为整数，不要写小数点"),
    ("NaN", NANAN, "      amount: 360\n", "      amount: .nan\n", "amount: .nan", "contribution.prices[0].amount", "应为整数"),
    ("infinity", NANAN, "      amount: 360\n", "      amount: .inf\n", "amount: .inf", "contribution.prices[0].amount", "应为整数"),
    ("decimal in a list", FUSHAN, "disability_grade_in: [3, 4], age_under: 18}", "disability_grade_in: [3.0, 4], age_under: 18}",
     "disability_grade_in: [3.0, 4]", "disability_grade_in[0]", "应为整数"),
    ("duplicate key", NANAN, "coverage_year: 2023\n", "coverage_year: 2023\ncoverage_year: 2024\n", "coverage_year: 2024",
     "coverage_year", "键“coverage_year”重复"),
    ("gap between windows", NANAN, "    from: 2023-07-01\n", "    from: 2023-07-05\n", "from: 2023-07-05",
     "from", "有空档：2023-07-01 至 2023-07-04 不属于任何缴费期"),
    ("overlapping windows", NANAN, "    from: 2023-07-01\n", "    from: 2023-06-20\n", "from: 2023-06-20",
     "from", "重叠：上一个缴费期到 2023-06-30 才结束"),
    ("group not in the vocabulary", NANAN, "when: {groups_any: [key_entitled]}", "when: {groups_any: [veteran_x]}",
     "groups_any: [veteran_x]", "when.groups_any[0]", "群体“veteran_x”不在 policies/groups.yaml 的词表中"),
    ("source not in the notice", NANAN, "source: 个人缴费标准为360元/人", "source: 个人缴费标准为380元/人",
     "个人缴费标准为380元/人", "contribution.prices[0].source", "在通知原文中找不到这句话"),
    ("amount its quote does not say", NANAN, "      amount: 360\n", "      amount: 380\n", "amount: 380",
     "contribution.prices[0].amount", "原文引用中没有写 380"),
    ("percentage its quote does not say", NANAN, "    government_percent: 70\n", "    government_percent: 75\n",
     "government_percent: 75", "government_percent", "原文引用中没有写 75"),
    ("day count its quote does not say", NANAN, "    days: 90\n", "    days: 30\n", "days: 30", "newborn.window.days", "原文引用中没有写 30"),
    ("date its quote does not say", NANAN, "  date: 2022-09-08\n", "  date: 2022-09-09\n", "date: 2022-09-09",
     "document.date", "原文引用中没有写 2022-09-09"),
    ("duplicate rule id", NANAN, "  - id: back-pay-full-price\n", "  - id: back-pay-wait\n", "- id: back-pay-wait",
     "id", "“back-pay-wait”重复"),
    ("duplicate subsidy id", NANAN, "  - id: poor-student-full\n", "  - id: key-entitled-full\n", "- id: key-entitled-full",
     "id", "“key-entitled-full”重复"),
    ("duplicate price id", FUSHAN, "    - id: minor\n", "    - id: student\n", "- id: student", "contribution.prices[1].id", "“student”重复"),
    ("duplicate add-on id", YOUXI, "    source: 4.城乡居民基本医疗补充意外伤害保险缴费标准为30元/人。\n",
     "    source: 4.城乡居民基本医疗补充意外伤害保险缴费标准为30元/人。\n  - id: accident\n    name: 又一份意外险\n    amount: 30\n"
     "    source: 4.城乡居民基本医疗补充意外伤害保险缴费标准为30元/人。\n", "- id: accident", "add_ons[1].id", "“accident”重复"),
    ("refund larger than the price", NANAN, "    amount: full\n", "    amount: 500\n", "amount: 500",
     "amount", "500 元大于最高的个人缴费标准 360 元"),
    ("fixed subsidy written as full", SHANTOU, "    amount: 280\n    personal_amount: 40\n", "    amount: full\n", "amount: full",
     "amount", "全额补助请用 kind: full"),
    ("cover ends before it starts", NANAN, "  start: 2023-01-01\n", "  start: 2024-01-01\n", "  end: 2023-12-31",
     "coverage.end", "保障期结束日期早于开始日期"),
    ("window in 1999", NANAN, "    from: 2022-09-01\n", "    from: 1999-09-01\n", "from: 1999-09-01",
     "windows[0].from", "离保障年度 2023 太远"),
    ("window ending 9999-12-31", NANAN, "    to: 2023-12-31\n", "    to: 9999-12-31\n", "to: 9999-12-31",
     "to", "离保障年度 2023 太远"),
    ("impossible date", NANAN, "    to: 2023-02-28\n", "    to: 2023-02-30\n", "to: 2023-02-30", "to", "不是真实存在的日期：2023-02-30"),
    ("table check naming an unknown column", LINGYUAN, "of: [residents, permit_holders]", "of: [residents, permits]",
     "of: [residents, permits]", "tables[0].checks[0].of[1]", "表头没有 key 为“permits”的列"),
    ("table check of an unknown column", LINGYUAN, "{kind: column_total, column: residents}", "{kind: column_total, column: people}",
     "column: people", "tables[0].checks[1].column", "表头没有 key 为“people”的列"),
    ("text in a number cell", LINGYUAN, "[林口, 5366, 810, 6176]", "[林口, 五千, 810, 6176]", "[林口, 五千, 810, 6176]",
     "tables[0].rows[0][1]", "应为整数"),
    ("zero denominator", LINGYUAN, "[镇直, 64, 11, 53, 17.19%, 38, 27]", "[镇直, 0, 11, 53, 17.19%, 38, 27]",
     "[镇直, 0, 11, 53", "tables[1].rows[11][1]", "分母，不能为 0"),
    ("a list in a table cell", LINGYUAN, "[林口, 5366, 810, 6176]", "[林口, [5366], 810, 6176]", "[林口, [5366], 810, 6176]",
     "tables[0].rows[0][1]", "表格的格子应为数字或文字"),
    ("row too short", LINGYUAN, "[林口, 5366, 810, 6176]", "[林口, 5366, 810]", "[林口, 5366, 810]",
     "tables[0].rows[0]", "这一行有 3 格，表头有 4 列"),
    ("duplicate column key", LINGYUAN, "      - {key: gap, label: 差距（人）}", "      - {key: rate, label: 差距（人）}",
     "{key: rate, label: 差距（人）}", "tables[1].columns[6].key", "列 key “rate”重复"),
    ("share without a percent", LINGYUAN, "{kind: share_of, column: target, of: [insured], percent: 60}",
     "{kind: share_of, column: target, of: [insured]}", "{kind: share_of, column: target, of: [insured]}",
     "tables[1].checks[2]", "share_of 要写 percent"),
    ("difference of three columns", LINGYUAN, "{kind: difference, column: not_activated, of: [insured, activated]}",
     "{kind: difference, column: not_activated, of: [insured, activated, rate]}", "column: not_activated, of: [insured, activated, rate]",
     "tables[1].checks[0].of", "要在 of 中写 2 列"),
    ("erratum of an unknown row", LINGYUAN, "      - row: 合计数\n", "      - row: 总数\n", "row: 总数", "errata[0].row", "表中没有名为“总数”的行"),
    ("odd integer spelling", NANAN, "coverage_year: 2023\n", "coverage_year: 2_023\n", "coverage_year: 2_023", "(文件)", "整数请直接写阿拉伯数字"),
    ("sexagesimal integer", NANAN, "    waiting: {days: 60}\n    source: 其他参保居民", "    waiting: {days: 1:00}\n    source: 其他参保居民",
     "days: 1:00", "(文件)", "整数请直接写阿拉伯数字"),
    ("a 5,000-digit integer", NANAN, "      amount: 360\n", "      amount: %s\n" % ("9" * 5000), "amount: 999", "(文件)", "不要超过 12 位"),
    ("list as a key", NANAN, "coverage_year: 2023\n", "coverage_year: 2023\n[a, b]: 1\n", "[a, b]: 1", "(文件)", "键应为文字，这里写的是列表"),
    ("null key", NANAN, "coverage_year: 2023\n", "coverage_year: 2023\n~: 1\n", "~: 1", "(文件)", "键应为文字，这里写的是空值"),
    ("number key", NANAN, "coverage_year: 2023\n", "coverage_year: 2023\n1: x\n", "1: x", "(文件)", "键应为文字，这里写的是数字"),
    ("yes/no key", NANAN, "coverage_year: 2023\n", "coverage_year: 2023\non: x\n", "on: x", "(文件)", "真假值"),
    ("anchor and alias", NANAN, "    when: {window: [back_pay_no_wait]}\n", "    when: {window: &w [back_pay_no_wait]}\n",
     "&w", "(文件)", "不支持 YAML 锚点和别名"),
    ("explicit tag", NANAN, "coverage_year: 2023\n", "coverage_year: !!python/object:os.system 2023\n", "coverage_year: !!python",
     "(文件)", "不支持 YAML 标签（!!python/object:os.system）"),
    ("syntax error", NANAN, "coverage_year: 2023\n", "coverage_year: [2023\n", "coverage_year: [2023", "(文件)", "YAML 格式错误"),
]


@pytest.mark.parametrize("file, old, new, line_text, field, message", [edit[1:] for edit in ONE_ERROR_EDITS],
                         ids=[edit[0] for edit in ONE_ERROR_EDITS])
def test_a_bad_edit_is_named_by_file_line_and_field(policy_dir, file, old, new, line_text, field, message):
    errors = errors_after_edit(policy_dir, old, new, file=file)
    last = "重复" in message
    line = line_of(policy_dir, line_text, file=file, last=last)
    if field == "(文件)" and "YAML 格式错误" in message:
        line = line + 1  # libyaml reports an unclosed list on the line after it
    assert_one_error(errors, policy_dir / file, line, field, message)


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    "%s: &%s [%s]\n" % (name, name, ", ".join(["*" + previous] * 9)) for previous, name in zip("abcdefgh", "bcdefghi"))

# (what breaks, how the file is rewritten, the line named, words of the message)
WHOLE_FILE_EDITS = [
    ("GB18030 file", lambda text: text.encode("gb18030"), 1, "看起来是 GB18030"),
    ("UTF-16 file", lambda text: text.encode("utf-16"), 1, "看起来是 UTF-16"),
    ("Latin-1 byte in the middle", lambda text: text.encode("utf-8").replace(b"coverage_year", b"cov\xe9rage_year"), "rage_year",
     "文件不是 UTF-8 编码"),
    ("too large", lambda text: (text + "# " + "x" * MAX_BYTES + "\n").encode("utf-8"), 1, "文件太大"),
    ("5,000 levels deep", lambda text: (text + "deep: " + "[" * 5000 + "]" * 5000 + "\n").encode("utf-8"), "deep:", "嵌套超过"),
    ("5,000 levels deep, block style", lambda text: (text + "deep:\n  " + "- " * 5000 + "x\n").encode("utf-8"), "- - -", "嵌套超过"),
    ("alias bomb", lambda text: (BILLION_LAUGHS + text).encode("utf-8"), 1, "不支持 YAML 锚点和别名"),
    ("empty file", lambda text: b"", 1, "文件应是一个 YAML 映射"),
    ("a list instead of a mapping", lambda text: b"- a\n- b\n", 1, "文件应是一个 YAML 映射"),
    ("two documents", lambda text: (text + "---\nid: x\n").encode("utf-8"), "---", "YAML 格式错误"),
]


@pytest.mark.parametrize("rewrite, line_text, message", [edit[1:] for edit in WHOLE_FILE_EDITS], ids=[edit[0] for edit in WHOLE_FILE_EDITS])
def test_a_bad_file_is_refused_quickly_with_its_line(policy_dir, rewrite, line_text, message):
    path = policy_dir / NANAN
    original = path.read_text(encoding="utf-8")
    path.write_bytes(rewrite(original))
    started = time.monotonic()
    errors = errors_of(policy_dir)
    assert time.monotonic() - started < 10, "the validator must not stall on a hostile file"
    line = line_text if isinstance(line_text, int) else next(
        number for number, text in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), start=1) if line_text in text)
    assert_one_error(errors, path, line, "(文件)", message)


def test_notice_in_another_encoding(policy_dir):
    notice = policy_dir / "notices" / "nanan-2023.txt"
    notice.write_bytes(notice.read_text(encoding="utf-8").encode("gb18030"))
    errors = errors_of(policy_dir)
    assert_one_error(errors, policy_dir / NANAN, line_of(policy_dir, "notice: nanan-2023.txt"), "notice", "看起来是 GB18030")


def test_notice_too_large(policy_dir):
    notice = policy_dir / "notices" / "nanan-2023.txt"
    notice.write_text(notice.read_text(encoding="utf-8") + "字" * MAX_NOTICE_BYTES, encoding="utf-8")
    assert_one_error(errors_of(policy_dir), policy_dir / NANAN, line_of(policy_dir, "notice: nanan-2023.txt"), "notice", "文件太大")


def test_reading_a_long_notice_takes_linear_time():
    """4 MB of notice used to take 30 s (a string grown one character at a time)."""
    line = "参保缴费" * 25 + "\n"
    text = line * (MAX_NOTICE_BYTES // len(line.encode("utf-8")))
    started = time.monotonic()
    notice = NoticeText(text + "最后一句话。\n")
    assert notice.find("最后一句话。") == (text.count("\n") + 1,) * 2
    assert time.monotonic() - started < 5


def test_notice_lines_are_found_across_blank_lines_and_breaks():
    notice = NoticeText("第一行\n\n  第二\n行的句子\n")
    assert notice.find("第一行") == (1, 1)
    assert notice.find("第二行的句子") == (3, 4)
    assert notice.find("没有的句子") is None


def test_window_ending_before_it_starts(policy_dir):
    errors = errors_after_edit(policy_dir, "    from: 2023-03-01\n    to: 2023-06-30\n", "    from: 2023-03-01\n    to: 2023-02-01\n")
    line = line_of(policy_dir, "to: 2023-02-01")
    assert any(error.startswith("%s:%d: windows[2].to: 缴费期结束日期 2023-02-01 早于开始日期 2023-03-01" % (policy_dir / NANAN, line))
               for error in errors), errors


def test_unknown_window_in_a_rule(policy_dir):
    errors = errors_after_edit(policy_dir, "when: {window: [back_pay_wait]}", "when: {window: [back_pay_waiting]}")
    assert any(".when.window[0]: 没有 id 为“back_pay_waiting”的缴费期" in error for error in errors), errors


def test_window_without_a_catch_all_rule(policy_dir):
    errors = errors_after_edit(policy_dir, "    when: {window: [back_pay_wait]}\n", "    when: {window: [back_pay_wait], age_at_least: 18}\n")
    assert len(errors) == 1 and ": windows[2].id: 没有只以该缴费期为条件的兜底规则" in errors[0], errors


def test_missing_source(policy_dir):
    errors = errors_after_edit(policy_dir, "    source: 2023年各级财政补助标准不低于610元/人\n", "")
    assert len(errors) == 1 and "contribution.fiscal_subsidy: 缺少必填字段“source”" in errors[0], errors


def test_rule_with_both_start_and_waiting(policy_dir):
    errors = errors_after_edit(policy_dir, "    price: personal\n    waiting: {days: 60}\n    source: 其他参保居民",
                               "    price: personal\n    coverage_start: payment_date\n    waiting: {days: 60}\n    source: 其他参保居民")
    assert any("三选一" in error for error in errors), errors


def test_id_must_match_the_file_name(policy_dir):
    errors = errors_after_edit(policy_dir, "id: nanan-2023\n", "id: nanan-2024\n")
    assert_one_error(errors, policy_dir / NANAN, line_of(policy_dir, "id: nanan-2024"), "id", "id 应与文件名一致：nanan-2023")


def test_fixed_subsidy_that_does_not_add_up(policy_dir):
    errors = errors_after_edit(policy_dir, "    personal_amount: 40\n", "    personal_amount: 45\n", file=SHANTOU)
    assert_one_error(errors, policy_dir / SHANTOU, line_of(policy_dir, "personal_amount: 45", file=SHANTOU), "personal_amount",
                     "补助 280 元 + 个人缴 45 元 = 325 元，不等于任何一档个人缴费标准（320）")


def test_table_row_that_does_not_add_up(policy_dir):
    errors = errors_after_edit(policy_dir, "[林口, 5366, 810, 6176]", "[林口, 5366, 810, 6177]", file=LINGYUAN)
    assert any("tables[0].checks:" in error and "“林口”行“task”列：原表为 6177，重新计算为 6176" in error for error in errors), errors


def test_table_total_that_does_not_add_up(policy_dir):
    errors = errors_after_edit(policy_dir, "total: [总计, 225907]", "total: [总计, 225900]", file=FUSHAN)
    assert len(errors) == 1 and "“总计”行“insured”列：原表为 225900，重新计算为 225907" in errors[0], errors


def test_undeclared_printed_error_in_a_table(policy_dir):
    text = (policy_dir / LINGYUAN).read_text(encoding="utf-8")
    (policy_dir / LINGYUAN).write_text(text[:text.index("    errata:")], encoding="utf-8")
    _, errors = check_policies(policy_dir)
    assert [error.message for error in errors] == ["“合计数”行“gap”列：原表为 8181，重新计算为 8208（若原表确有此误，请在 errata 中写明）"]


def test_erratum_that_is_not_an_error(policy_dir):
    errors = errors_after_edit(policy_dir, "        printed: 8181\n        recomputed: 8208\n",
                               "        printed: 8181\n        recomputed: 8181\n", file=LINGYUAN)
    assert any("原表为 8181，重新计算为 8208" in error for error in errors), errors


def test_group_vocabulary_entry_without_a_name(policy_dir):
    path = policy_dir / "groups.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "newcomer:\n  description: 没有名称\n", encoding="utf-8")
    _, errors = check_policies(policy_dir)
    assert [str(error).split(": ", 1)[1] for error in errors] == ["newcomer: 每个群体要有中文名称 name"]


def test_group_vocabulary_that_is_not_a_mapping(policy_dir):
    (policy_dir / "groups.yaml").write_text("- dibao\n", encoding="utf-8")
    _, errors = check_policies(policy_dir)
    assert any("词表应是一个 YAML 映射" in str(error) for error in errors), errors


@pytest.mark.parametrize("entry, field, says", [
    ("migrant_worker:\n  name: 返乡农民工\n", "migrant_worker", "“migrant_worker”已是一项成员信息"),
    ("newcomer:\n  name: 是返乡农民工\n", "newcomer.name", "“是返乡农民工”已是一项成员信息"),
    ("newcomer:\n  name: 新群体\n  aliases: [低保]\n", "newcomer.aliases[0]", "“低保”已是群体 dibao 的 id、名称或简称"),
    ("newcomer:\n  name: 低保对象\n", "newcomer.name", "“低保对象”已是群体 dibao 的 id、名称或简称"),
    ("newcomer:\n  name: 新群体\n  aliases: 低保户\n", "newcomer.aliases", "aliases 应是名单里常写的简称的列表"),
], ids=["group-id-is-a-fact-key", "group-name-is-a-fact-label", "alias-of-another-group", "name-of-another-group",
        "aliases-not-a-list"])
def test_a_word_is_a_group_or_a_member_fact_never_both(policy_dir, entry, field, says):
    """Group vs fact (policies/README.md): no group id, name or alias is a fact's key or label, and no
    word names two groups; a fact added with a group's id fails the same check."""
    path = policy_dir / "groups.yaml"
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")
    _, errors = check_policies(policy_dir)
    assert [error.field for error in errors] == [field] and errors[0].message.startswith(says), errors


def test_a_derived_value_is_accepted_when_the_file_says_how(policy_dir):
    """The value is not in the quote; `derived` explains it and writes it out."""
    old = "      amount: 360\n      source: 个人缴费标准为360元/人\n"
    assert errors_after_edit(policy_dir, old, "      amount: 350\n      source: 个人缴费标准为360元/人\n      derived: 示例：按350元计\n") == []


def test_a_derivation_must_write_the_value_out(policy_dir):
    old = "      amount: 360\n      source: 个人缴费标准为360元/人\n"
    errors = errors_after_edit(policy_dir, old, "      amount: 350\n      source: 个人缴费标准为360元/人\n      derived: 示例：少收十元\n")
    assert_one_error(errors, policy_dir / NANAN, line_of(policy_dir, "amount: 350"), "contribution.prices[0].amount", "原文引用中没有写 350")


def test_fixed_subsidy_of_unknown_amount_is_valid_and_answers_unknown(policy_dir):
    """A notice may name a fixed subsidy without its amount: valid, and the core answers unknown, not a crash."""
    errors = errors_after_edit(policy_dir, "    amount: 280\n    personal_amount: 40\n",
                               "    amount: {unknown: 通知没有写低保对象的定额资助金额}\n", file=SHANTOU)
    assert errors == []
    policies, _ = check_policies(policy_dir)
    policy = next(policy for policy in policies if policy["id"] == "sixian-shantou-2022")
    scenario = {"paid_on": policy["windows"][0]["from"], "members": [{"id": "a", "birth_date": "1980-01-01", "groups": ["dibao"]}]}
    member = quote(policy, scenario)["members"][0]
    assert member["pays"] == {"unknown": "通知没有写低保对象的定额资助金额"}


def test_personal_amount_of_unknown_size_is_valid(policy_dir):
    """「个人缴费」not stated beside a fixed subsidy: valid, no sum to check, and no crash."""
    assert errors_after_edit(policy_dir, "    personal_amount: 40\n", "    personal_amount: {unknown: 通知没有写低保对象个人缴多少}\n",
                             file=SHANTOU) == []


def test_a_vocabulary_entry_and_a_registry_condition_reach_the_form_with_no_other_edit(policy_dir):
    """groups.yaml's 优抚对象 and 其他民政备案救助对象, and a `when` testing disability kind and residence (红塔):
    the compiled form offers the groups in the vocabulary's order and asks the facts; the core prices them."""
    errors = errors_after_edit(policy_dir, "    when: {groups_any: [key_entitled]}\n", "\n".join([
        "    when:", "      any_of:", "        - {groups_any: [civil_affairs_assisted, key_entitled, entitled]}",
        "        - {groups_any: [disability], disability_kind_in: [intellectual, mental], residence: [rural]}\n"]))
    assert errors == []
    policies, _ = check_policies(policy_dir)
    policy = next(policy for policy in policies if policy["id"] == "nanan-2023")
    offered = [(group["id"], group["name"]) for group in policy["form"]["groups"]]
    assert ("entitled", "优抚对象") in offered and ("civil_affairs_assisted", "其他民政备案救助对象") in offered
    assert [group_id for group_id, _ in offered] == sorted((group_id for group_id, _ in offered), key=list(policy["vocabulary"]).index)
    assert {"disability_kind", "residence"} <= set(policy["form"]["asks"])
    grade_3 = {"birth_date": "1980-01-01", "groups": ["disability"], "disability_grade": 3}
    members = [{"groups": ["entitled"]}, {"groups": ["civil_affairs_assisted"]},
               dict(grade_3, disability_kind="mental", residence="rural"), dict(grade_3, disability_kind="mental", residence="urban"),
               grade_3]
    scenario = {"paid_on": "2023-03-15", "members": [dict({"birth_date": "1980-01-01", "id": str(i)}, **member) for i, member in enumerate(members)]}
    assert [member["pays"] for member in quote(policy, scenario)["members"]] == [0, 0, 0, 360, 360]


def test_a_quote_is_found_in_the_notice_s_body_never_in_the_archivist_s_header():
    notice = NoticeText("source: http://example.org/\n说明：潍坊市2025年度，2024年10月17日。\n\n通知正文\n2024年10月17日\n")
    assert notice.find("2024年10月17日") == (5, 5)
    assert notice.find("潍坊市2025年度") is None


def test_a_quote_that_stands_twice_must_say_which_line():
    notice = NoticeText("source: x\n\n附件：任务表\n正文\n任务表\n")
    assert policyfile.quote_problem("任务表", notice).startswith("这句话在原文中出现了2次（第3、5行）")
    assert policyfile.quote_problem({"quote": "任务表", "line": 5}, notice) is None
    assert policyfile.quote_problem({"quote": "任务表", "line": 4}, notice).startswith("原文第4行没有这句话（它在第3、5行）")
    assert policyfile._quote_line({"quote": "任务表", "line": 5}, notice) == {"quote": "任务表", "line": 5, "end_line": 5}


WRONG_VALUES = (None, "x", -1, 1.5, True, [], {}, "2025-13-40")
EDITS_PER_FILE = 80


def edited_documents(document):
    """Copies of `document`, each with one value replaced by a wrong one or one key dropped, at paths spread
    over the whole document."""
    paths = []

    def walk(node, path):
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            paths.append(path + (key,))
            walk(child, path + (key,))

    walk(document, ())
    for number, path in enumerate(paths[::max(1, len(paths) // EDITS_PER_FILE)]):
        copy = json.loads(json.dumps(document, default=str))
        parent = copy
        for key in path[:-1]:
            parent = parent[key]
        if number % (len(WRONG_VALUES) + 1) == len(WRONG_VALUES) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = WRONG_VALUES[number % len(WRONG_VALUES)]
        yield copy


@pytest.mark.parametrize("schema", [policyfile.SCHEMA, policyfile.LAYER_SCHEMA], ids=["policy", "layer"])
def test_the_quick_validity_check_agrees_with_the_schema_as_written(schema):
    """A document the quick check (references resolved in advance) lets through must have no error by the
    schema as written, and the other way round: else a bad file would pass `validate` unsaid."""
    paths = policy_files() + sorted((POLICIES_DIR / "national").glob("*.yaml")) + sorted((POLICIES_DIR / "provinces").glob("*.yaml"))
    for path in paths:
        document = located_yaml.load(located_yaml.read_text(path))
        for edited in [document, *edited_documents(document)]:
            assert schema.is_valid(edited) == (next(schema.errors_of(edited), None) is None), path.name
