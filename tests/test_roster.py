"""Village rosters (代缴名单): the CSV in the encodings Excel saves, every cell format staff write, a bad
row that leaves the others priced, every input row accounted for, cells safe to open in a spreadsheet,
and per row exactly what the core says for that person alone."""
import codecs
import csv
import io
import itertools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator.cli import main as cli_main
from calculator.core import ScenarioError, quote
from calculator.core.facts import FACTS
from calculator.core.roster import (
    CELL_READERS,
    EMPTY_FILE,
    FIELD_LIMIT,
    HEADER_ALIASES,
    LINE_LIMIT,
    MISPLACED_QUOTE,
    NAME,
    OUTPUT_COLUMNS,
    UNKNOWN,
    UNPAIRED_QUOTE,
    Roster,
    RosterError,
    parse_roster_date,
    price_roster,
    roster_json,
    safe_cell,
)
from calculator.policyfile import POLICIES_DIR, load_vocabulary
from calculator.roster_files import detect_encoding, price_file

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "roster.md"
ISSUE_ROSTER = "称呼,出生日期,特殊身份,学生\n本人,1980-05-01,,\n母亲,1950-02-01,低保,\n儿子,2015-09-01,,在校学生\n"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "calculator", "roster", *args], cwd=ROOT,
                          capture_output=True, timeout=120)


def records(result_csv):
    return list(csv.reader(io.StringIO(result_csv, newline="")))


def cell(record, columns, title):
    return record[columns.index(title)]


def total_of(rows):
    return next(row for row in rows if row[0] == "合计")


# ---- the command line ----

def test_the_issue_roster_totals_720_for_nanan_2023(tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text(ISSUE_ROSTER, encoding="utf-8")
    out = tmp_path / "结果.csv"
    done = run_cli("--policy", "nanan-2023", "--paid-on", "2023-03-15", str(roster), "--out", str(out))
    assert done.returncode == 0, done.stderr.decode()
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = records(data[3:].decode("utf-8"))
    columns = rows[0]
    assert columns == ["称呼", "出生日期", "特殊身份", "学生", *OUTPUT_COLUMNS]
    assert [row[0] for row in rows[1:]] == ["本人", "母亲", "儿子", "合计",
                                            "名单共 3 行（不算表头）：已计算 3 行，出错 0 行，不能按本通知参保 0 行，空行 0 行"]
    assert cell(rows[-2], columns, "个人应缴") == "720"
    assert cell(rows[2], columns, "个人应缴") == "0" and cell(rows[2], columns, "政府资助") == "360"
    summary = done.stderr.decode()
    assert "已计算 3 行，出错 0 行" in summary and "个人应缴合计：720元" in summary and "政府资助合计：360元" in summary


def test_without_out_the_result_goes_to_stdout_with_the_same_bytes(tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text(ISSUE_ROSTER, encoding="utf-8")
    out = tmp_path / "结果.csv"
    to_file = run_cli("--policy", "nanan-2023", "--paid-on", "2023-03-15", str(roster), "--out", str(out))
    to_stdout = run_cli("--policy", "nanan-2023", "--paid-on", "2023-03-15", str(roster))
    assert to_file.returncode == to_stdout.returncode == 0
    assert to_stdout.stdout == out.read_bytes()


def test_a_bad_row_is_named_and_the_others_still_priced(tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text(ISSUE_ROSTER + "错的,1980-13-01,,\n", encoding="utf-8")
    done = run_cli("--policy", "nanan-2023", "--paid-on", "2023-03-15", str(roster))
    assert done.returncode == 1
    rows = records(done.stdout[3:].decode("utf-8"))
    assert cell(rows[4], rows[0], "说明").startswith("第5行 出生日期：")
    assert cell(rows[4], rows[0], "个人应缴") == ""
    assert cell(total_of(rows), rows[0], "个人应缴") == "720"
    summary = done.stderr.decode()
    assert "第5行 出生日期：" in summary and "已计算 3 行，出错 1 行" in summary


def test_a_file_that_cannot_be_priced_exits_2_naming_the_file(tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text("姓名,生日\n张三,1980-01-01\n", encoding="utf-8")
    done = run_cli("--policy", "nanan-2023", "--paid-on", "2023-03-15", str(roster))
    assert done.returncode == 2 and done.stdout == b""
    assert "名单.csv" in done.stderr.decode() and "出生日期" in done.stderr.decode()
    unknown_policy = run_cli("--policy", "no-such-county", "--paid-on", "2023-03-15", str(roster))
    assert unknown_policy.returncode == 2 and "no-such-county" in unknown_policy.stderr.decode()


# ---- encodings ----

@pytest.mark.parametrize("data, name", [
    (ISSUE_ROSTER.encode("utf-8"), "UTF-8"),
    (codecs.BOM_UTF8 + ISSUE_ROSTER.encode("utf-8"), "UTF-8（带 BOM）"),
    (ISSUE_ROSTER.replace("\n", "\r\n").encode("gb18030"), "GB18030"),
])
def test_excel_encodings_are_detected_and_price_alike(data, name, policies):
    codec, encoding = detect_encoding(io.BytesIO(data), "名单.csv")
    text = data.decode(codec)
    assert encoding == name
    result = price_roster(policies["nanan-2023"], "2023-03-15", text, encoding)
    assert result["encoding"] == name
    assert result["csv"] == price_roster(policies["nanan-2023"], "2023-03-15", ISSUE_ROSTER)["csv"]


def test_a_header_that_is_not_understood_names_the_encoding_it_was_read_in(policies):
    text = "xm,csrq\nzhang,1980-01-01\n"
    with pytest.raises(RosterError, match="按 GB18030 读取.*xm，csrq"):
        price_roster(policies["nanan-2023"], "2023-03-15", text, "GB18030")


@pytest.mark.parametrize("data, words", [
    (b"PK\x03\x04rest of a workbook", "Excel 工作簿"),
    (codecs.BOM_UTF16_LE + "称呼".encode("utf-16-le"), "UTF-16"),
    (b"\x81\x30\x81", "既不是 UTF-8 也不是 GB18030"),
    (codecs.BOM_UTF8 + b"\xff\xfe", "UTF-8（带 BOM）"),
])
def test_files_that_are_no_readable_csv_are_refused_with_the_file_name(data, words):
    with pytest.raises(RosterError) as refused:
        detect_encoding(io.BytesIO(data), "名单.csv")
    assert "名单.csv" in refused.value.message and words in refused.value.message


# ---- cells ----

@pytest.mark.parametrize("text", ["1950-02-01", "1950/2/1", "1950.2.1", "19500201", "1950年2月1日", "1950-2-1"])
def test_every_date_format_staff_write(text):
    assert parse_roster_date(text) == "1950-02-01"


@pytest.mark.parametrize("text", ["1950-02-30", "50/2/1", "1950年2月", "一九五〇年二月一日", "2/1/1950", "1950２/2/1"])
def test_dates_that_are_not_dates_are_refused(text, policies):
    roster = "称呼,出生日期\n甲,%s\n" % text
    result = price_roster(policies["nanan-2023"], "2023-03-15", roster)
    assert result["errors"] == [result["rows"][0][-1]]
    assert result["errors"][0].startswith("第2行 出生日期：“%s”" % text)


def test_several_groups_in_one_cell_with_every_separator(policies):
    policy = policies["nanan-2023"]
    separators = ["、", ";", "；", "，"]
    roster = "出生日期,特殊身份\n" + "".join('1970-01-01,"低保%s五保户"\n' % s for s in separators)
    result = price_roster(policy, "2023-03-15", roster)
    alone = quote(policy, {"paid_on": "2023-03-15", "members": [
        {"id": "a", "birth_date": "1970-01-01", "groups": ["dibao", "tekun"]}]})["members"][0]
    assert result["errors"] == []
    assert {row[-6] for row in result["rows"]} == {str(alone["pays"])}


def test_blank_rows_stay_blank_and_row_numbers_stay_those_excel_shows(policies):
    roster = "称呼,出生日期\n甲,1980-01-01\n,\n\n乙,1980-99-01\n"
    result = price_roster(policies["nanan-2023"], "2023-03-15", roster)
    assert [row[0] for row in result["rows"]] == ["甲", "", "", "乙"]
    assert result["rows"][1] == result["rows"][2] == [""] * len(result["columns"])
    assert result["errors"][0].startswith("第5行 出生日期：")
    assert result["summary"]["blank"] == 2


def test_a_column_given_twice_is_refused(policies):
    with pytest.raises(RosterError, match="称呼.*姓名"):
        price_roster(policies["nanan-2023"], "2023-03-15", "称呼,姓名,出生日期\n甲,甲,1980-01-01\n")


def test_a_payment_date_outside_the_notice_prices_nothing(policies):
    for policy in policies.values():
        request = {"paid_on": "1999-01-01", "csv": "出生日期\n1980-01-01\n"}
        error = json.loads(roster_json(json.dumps(policy), json.dumps(request)))["error"]
        assert error["field"] == "paid_on" and "还不能缴费" in error["message"]


# ---- the registry drives the columns ----

def test_every_header_alias_is_a_registry_fact_a_cell_can_hold():
    for title, key in HEADER_ALIASES.items():
        assert key == NAME or (key in FACTS and FACTS[key].kind in CELL_READERS), title


def test_a_fact_label_works_as_a_header(policies):
    labelled = "%s,%s\n1970-01-01,低保\n" % (FACTS["birth_date"].label, FACTS["groups"].label)
    short = "出生日期,特殊身份\n1970-01-01,低保\n"
    policy = policies["nanan-2023"]
    assert price_roster(policy, "2023-03-15", labelled)["rows"] == price_roster(policy, "2023-03-15", short)["rows"]


def test_short_group_names_name_real_groups_and_are_documented(policies):
    vocabulary, errors = load_vocabulary(POLICIES_DIR / "groups.yaml")
    assert not errors
    full_names = {entry["name"] if isinstance(entry, dict) else entry for entry in vocabulary.values()}
    docs = DOCS.read_text(encoding="utf-8")
    short_group_names = {alias: group_id for group_id, entry in vocabulary.items() for alias in entry.get("aliases", [])}
    assert short_group_names and all(policy["group_aliases"] == short_group_names for policy in policies.values())
    for word, group_id in short_group_names.items():
        assert group_id in vocabulary, word
        assert word not in full_names, "%s is a group's full name: the short name would never apply" % word
        assert word in docs, "%s missing from docs/roster.md" % word


# ---- every policy: a row priced alone is the core's one-member household ----

def form_rows(policy, paid_on):
    """One roster row per option the notice's form offers, written as staff write it."""
    form = policy["form"]
    adult = "%d-03-01" % (int(paid_on[:4]) - 40)
    tier = str(form["tiers"][0]["value"]) if form.get("tiers") else ""
    rows = [{"出生日期": adult, "档次": tier}, {"出生日期": "%d-01-01" % (int(paid_on[:4]) - 8), "档次": tier},
            {"出生日期": "%d-05-01" % (int(paid_on[:4]) - 75), "档次": tier}]
    rows += [{"出生日期": adult, "档次": tier, "特殊身份": group["name"], "残疾等级": "2"} for group in form["groups"]]
    rows += [{"出生日期": adult, "档次": tier, "学生": status["label"]} for status in form["student_statuses"]]
    rows += [{"出生日期": adult, "档次": t["label"]} for t in form.get("tiers", [])]
    if "missed_years" in form.get("asks", []):
        rows += [{"出生日期": adult, "档次": tier, "断保年数": "2", "补缴年数": "1"}]
    return rows


def as_member(row, paid_on, policy):
    """The member the core would be given for `row`, by the form's own values."""
    student = {s["label"]: s["value"] for s in policy["form"]["student_statuses"]}
    tiers = {t["label"]: t["value"] for t in policy["form"].get("tiers", [])}
    member = {"id": "a", "birth_date": row["出生日期"]}
    if row.get("档次"):
        member["tier"] = tiers.get(row["档次"]) or int(row["档次"])
    if row.get("特殊身份"):
        group = next(g["id"] for g in policy["form"]["groups"] if g["name"] == row["特殊身份"])
        member["groups"] = [group]
        member["disability_grade"] = 2
    if row.get("学生"):
        member["student"] = student[row["学生"]]
    if row.get("断保年数"):
        member.update(missed_years=2, repair_years=1)
    return member


def expected_cells(member_result):
    if not member_result["accepted"]:
        return ["", "", ""]
    return [UNKNOWN if isinstance(member_result[f], dict) else str(member_result[f])
            for f in ("pays", "subsidy", "reimbursed_later")]


def test_each_row_prices_as_the_core_prices_that_person_alone(policies):
    columns = ["称呼", "出生日期", "特殊身份", "学生", "档次", "残疾等级", "断保年数", "补缴年数"]
    for policy in policies.values():
        period = policy["form"]["payment_period"]
        for paid_on in (period["first"], period["last"]):
            rows = form_rows(policy, paid_on)
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, columns)
            writer.writeheader()
            writer.writerows(rows)
            result = price_roster(policy, paid_on, buffer.getvalue())
            assert len(result["rows"]) == len(rows)
            for row, out in zip(rows, result["rows"]):
                try:
                    alone = quote(policy, {"paid_on": paid_on, "members": [as_member(row, paid_on, policy)]})["members"][0]
                except ScenarioError as error:  # the core refuses this person: the roster names the row instead
                    assert out[-1].startswith("第") and error.message in out[-1], (policy["id"], row)
                    continue
                where = (policy["id"], paid_on, row)
                assert out[len(columns):len(columns) + 3] == expected_cells(alone), where
                assert out[-1], where


def test_unknown_amounts_stay_unknown_with_the_reason_and_the_total_says_so(policies):
    """Any policy and person whose amount the notice leaves open: never 0, reason in 说明."""
    found = 0
    for policy in policies.values():
        period = policy["form"]["payment_period"]
        rows = form_rows(policy, period["last"])
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, ["出生日期", "特殊身份", "学生", "档次", "残疾等级", "断保年数", "补缴年数"],
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        result = price_roster(policy, period["last"], buffer.getvalue())
        columns = result["columns"]
        for out in result["rows"]:
            money = [cell(out, columns, title) for title in ("个人应缴", "政府资助", "事后补助")]
            if UNKNOWN in money:
                found += 1
                assert "未写明" in cell(out, columns, "说明") and len(cell(out, columns, "说明")) > 10
                title = ("个人应缴", "政府资助", "事后补助")[money.index(UNKNOWN)]
                assert cell(result["total"], columns, title) == UNKNOWN
                assert "其余合计" in cell(result["total"], columns, "说明")
    assert found, "no notice leaves an amount open for any form option: this test checks nothing"


def test_result_bytes_are_utf8_with_bom_and_crlf(tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text(ISSUE_ROSTER, encoding="utf-8")
    done = run_cli("--policy", "nanan-2023", "--paid-on", "2023-03-15", str(roster))
    assert done.stdout.startswith(codecs.BOM_UTF8) and done.stdout.endswith(b"\r\n")
    assert done.stdout[3:].decode("utf-8").count("\r\n") == 6  # header, 3 people, 合计, the count of rows


# ---- every row accounted for, safe to open, limits with words (issue 22) ----

def roster_cli(capsys, tmp_path, text_or_bytes, policy="nanan-2023", paid_on="2023-03-15"):
    """(exit code, stderr lines, result rows or None) of `python -m calculator roster`, run in this process."""
    roster, out = tmp_path / "名单.csv", tmp_path / "结果.csv"
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    roster.write_bytes(data)
    code = cli_main(["roster", "--policy", policy, "--paid-on", paid_on, str(roster), "--out", str(out)])
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    rows = records(out.read_bytes().decode("utf-8-sig")) if out.exists() else None
    return code, stderr.splitlines(), rows


def people(count, start=0):
    return "".join("居民%d,1980-05-01,,\n" % number for number in range(start, start + count))


def test_a_stray_quote_refuses_its_row_and_the_rows_after_it_are_still_priced(capsys, tmp_path):
    """The issue's roster: 5,000 people, 「"王小明」 on row 101."""
    text = "称呼,出生日期,特殊身份,学生\n" + people(99) + '"王小明,1980-05-01,,\n' + people(4900, start=100)
    code, stderr, rows = roster_cli(capsys, tmp_path, text)
    message = "第101行：引号没有配对，后面的行可能被并进了这一格（或者这一格里换了行）；请删去多余的引号或换行"
    assert code == 1
    assert stderr[0] == "注意：1 行出错，没有算进合计；原因见各行的“说明”" and stderr[1] == message
    assert "名单共 5000 行（不算表头）：已计算 4999 行，出错 1 行，不能按本通知参保 0 行，空行 0 行" in stderr[2]
    assert "个人应缴合计：%d元" % (4999 * 360) in stderr[3]
    assert rows[100][0] == '王小明,1980-05-01,,' and rows[100][-1] == message
    assert rows[101][0] == "居民100" and rows[5000][0] == "居民4999"  # 第N行 is row N of both files
    assert [row[0][:2] for row in rows[5001:]] == ["注意", "合计", "名单"]


def test_a_line_break_inside_a_cell_refuses_both_lines_and_says_why(policies):
    text = '称呼,出生日期,备注\n甲,1980-05-01,"第一行\n第二行"\n乙,1980-05-01,\n'
    result = price_roster(policies["nanan-2023"], "2023-03-15", text)
    assert result["errors"] == [
        "第2行：引号没有配对，后面的行可能被并进了这一格（或者这一格里换了行）；请删去多余的引号或换行",
        "第3行：这一行有 1 列，表头有 3 列；上一行引号没有配对，这一行可能是它的后半截"]
    assert result["rows"][2][0] == "乙" and result["rows"][2][3] == "360"


@pytest.mark.parametrize("line, words", [
    ("甲,1980-05-01,,多的一格", "第2行：这一行有 4 列，表头有 3 列；多半是某一格里多打或少打了逗号"),
    ('"张三"丰,1980-05-01,', "第2行：引号用得不对：用引号括起来的一格，后引号后面应当紧跟逗号"),
    ("甲,1980-05-01," + "长" * 1001, "第2行：“备注”这一格有 1001 个字，太长了（一格最多 1000 个字），不像名单里的内容"),
    ("甲,1980-05-01," + "长" * 200_000, "第2行：这一行有 200013 个字，太长了（一行最多 10000 个字）"),
])
def test_a_row_that_cannot_be_read_is_refused_with_the_cause_and_kept(line, words, capsys, tmp_path):
    code, stderr, rows = roster_cli(capsys, tmp_path, "称呼,出生日期,备注\n" + line + "\n乙,1980-05-01,\n")
    assert code == 1 and stderr[1].startswith(words)
    assert rows[1][-1].startswith(words) and rows[1][3:8] == [""] * 5
    assert rows[2][0] == "乙" and rows[2][3] == "360"


def test_the_output_keeps_every_cell_of_a_refused_row(policies):
    result = price_roster(policies["nanan-2023"], "2023-03-15", "称呼,出生日期\n甲,1980-05-01,备注,电话\n")
    assert result["rows"][0][:2] == ["甲", "1980-05-01,备注,电话"]


@pytest.mark.parametrize("data, words", [
    (b"", "名单.csv：文件是空的，或第1行不是表头"),
    (b"\n\n", "名单.csv：文件是空的，或第1行不是表头"),
    (b"x" * 50_000_000, "名单.csv：第1行（表头）：这一行有 50000000 个字，太长了"),
    ('"称呼,出生日期\n'.encode(), "名单.csv：第1行（表头）：引号没有配对"),
    (b"PK\x03\x04xl/", "名单.csv 是 Excel 工作簿"),
])
def test_a_file_that_cannot_be_priced_exits_2_with_a_chinese_message_and_no_result(data, words, capsys, tmp_path):
    code, stderr, rows = roster_cli(capsys, tmp_path, data)
    assert (code, rows) == (2, None)
    assert stderr[0].startswith(words) and len(stderr) == 1


def test_files_that_cannot_be_read_or_written_exit_2(capsys, tmp_path):
    missing = cli_main(["roster", "--policy", "nanan-2023", "--paid-on", "2023-03-15", str(tmp_path / "没有.csv")])
    assert missing == 2 and capsys.readouterr().err.startswith("读不了 ")
    roster = tmp_path / "名单.csv"
    roster.write_text(ISSUE_ROSTER, encoding="utf-8")
    out = tmp_path / "没有的文件夹" / "结果.csv"
    unwritable = cli_main(["roster", "--policy", "nanan-2023", "--paid-on", "2023-03-15", str(roster), "--out", str(out)])
    assert unwritable == 2 and capsys.readouterr().err.startswith("写不了 ")
    assert not list(tmp_path.rglob("*.part"))


def test_a_roster_with_nobody_warns_and_exits_1(capsys, tmp_path):
    for text in ("称呼,出生日期\n", "称呼,出生日期\n,\n\n"):
        code, stderr, rows = roster_cli(capsys, tmp_path, text)
        assert code == 1 and stderr[0] == "名单里没有人：表头（第1行）下面没有填写任何人"
        assert rows[-3][0] == "名单里没有人：表头（第1行）下面没有填写任何人" and rows[-2][0] == "合计"


def test_a_tier_on_a_notice_without_tiers_is_a_note_not_an_error(policies):
    assert not policies["nanan-2023"]["contribution"].get("tiers")
    result = price_roster(policies["nanan-2023"], "2023-03-15", "称呼,出生日期,档次\n甲,1980-05-01,2\n")
    assert result["errors"] == [] and result["rows"][0][3] == "360"
    assert result["rows"][0][-1].endswith("；“档次”一栏的“2”没有用到：本通知不分缴费档次")


def test_old_mac_and_windows_line_ends_are_rows_alike(policies):
    unix = price_roster(policies["nanan-2023"], "2023-03-15", ISSUE_ROSTER)
    for end in ("\r", "\r\n"):
        assert price_roster(policies["nanan-2023"], "2023-03-15", ISSUE_ROSTER.replace("\n", end))["csv"] == unix["csv"]


FORMULAS = ['=HYPERLINK("http://x","点我")', "+1+1", "@SUM(1)", "=cmd|' /C calc'!A0", "-2+3", "\t=1", "\r=1"]


def test_cells_that_spreadsheets_would_run_are_written_as_text(policies):
    names = [name.replace("\r", "") for name in FORMULAS] + ["-5", "+3.5", "王-五"]
    text = "=称呼,出生日期,断保年数\n" + "".join('"%s",1980-05-01,0\n' % name.replace('"', '""') for name in names)
    result = price_roster(policies["nanan-2023"], "2023-03-15", text)
    written = records(result["csv"])
    assert written[0][0] == "'=称呼"
    assert [row[0] for row in written[1:len(names) + 1]] == ["'" + name for name in names[:-3]] + ["-5", "+3.5", "王-五"]
    assert [row[0] for row in result["rows"]] == names  # the page's table shows the cells as they are
    assert all(row[3] == "360" for row in written[1:len(names) + 1])  # numbers stay numbers


def test_a_carriage_return_at_a_cells_start_is_safe_too():
    assert [safe_cell(text) for text in ("\r=1", "\t=1", "", "0", "1980-05-01")] == ["'\r=1", "'\t=1", "", "0", "1980-05-01"]


def test_the_command_line_writes_the_bytes_the_page_downloads(capsys, tmp_path, policies):
    text = "称呼,出生日期\n" + "".join('"%s",1980-05-01\n' % name.replace('"', '""') for name in FORMULAS[:5]) + '\n"乙,x\n'
    code, _stderr, _rows = roster_cli(capsys, tmp_path, text)
    page = price_roster(policies["nanan-2023"], "2023-03-15", text, "UTF-8")["csv"]
    assert code == 1 and (tmp_path / "结果.csv").read_bytes() == codecs.BOM_UTF8 + page.encode("utf-8")


def test_a_roster_is_priced_as_it_is_read(policies):
    """The command line streams: rows come out before the input ends (an endless input here)."""
    def endless():
        yield "称呼,出生日期"
        while True:
            yield "甲,1980-05-01"
    roster = Roster(policies["nanan-2023"], "2023-03-15", endless(), "UTF-8")
    first = list(itertools.islice(roster.records(), 4))
    assert first[0][:2] == ["称呼", "出生日期"] and [row[2] for row in first[1:]] == ["360"] * 3


def test_every_message_is_documented():
    docs = DOCS.read_text(encoding="utf-8")
    for message in (UNPAIRED_QUOTE, MISPLACED_QUOTE, EMPTY_FILE, "名单里没有人：表头（第1行）下面没有填写任何人",
                    "上一行引号没有配对，这一行可能是它的后半截", "多半是某一格里多打或少打了逗号",
                    "太长了（一格最多 %d 个字），不像名单里的内容" % FIELD_LIMIT, "太长了（一行最多 %d 个字）" % LINE_LIMIT,
                    "没有算进合计", "超过了网页一次能算的 20000 行", "退出码"):
        assert message in docs, message
    js = (ROOT / "docs" / "assets" / "calculator" / "roster.js").read_text(encoding="utf-8")
    assert "const ROW_LIMIT = 20000;" in js and "超过了网页一次能算的" in js


# ---- fuzzing the reader: random bytes, dialects and quoting ----

CELLS = st.one_of(st.text(alphabet=st.sampled_from(list('ab王 ,;"\'\\\t\r\n\x00=+-@|0123456789/年月日低保')), max_size=12),
                  st.sampled_from(["1980-05-01", "1950/2/1", "低保", "在校学生", "=1+1", "-5"]))
DIALECTS = st.fixed_dictionaries({
    "delimiter": st.sampled_from([",", ";", "\t", "|"]), "quotechar": st.sampled_from(['"', "'"]),
    "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE]),
    "doublequote": st.booleans(), "lineterminator": st.sampled_from(["\n", "\r\n", "\r"])})


def written(rows, dialect):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, escapechar="\\", **dialect)
    writer.writerow(["称呼", "出生日期", "特殊身份"])
    writer.writerows(rows)
    return buffer.getvalue()


def lines_in(text):
    """The file's lines as a spreadsheet counts them (an independent count: \\r\\n, \\r or \\n ends a line)."""
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines[-1] == "" else lines


def price_bytes(policy, data):
    """Runs the command line's reader on `data`; (Roster, output records) or the RosterError."""
    with tempfile.TemporaryDirectory() as folder:
        roster_file, out = Path(folder) / "名单.csv", Path(folder) / "结果.csv"
        roster_file.write_bytes(data)
        try:
            roster = price_file(policy, "2023-03-15", roster_file, out)
        except RosterError as error:
            return error, None
        return roster, records(out.read_bytes().decode("utf-8-sig"))


def assert_accounted(roster, written_rows, data):
    codec, _name = detect_encoding(io.BytesIO(data), "名单.csv")
    expected = len(lines_in(data.decode(codec).removeprefix("\ufeff"))) - 1
    counts = roster.tally.counts
    assert roster.tally.rows() == expected == sum(counts.values())
    assert len(written_rows) == 1 + expected + (3 if roster.tally.warning() else 2)
    assert all(len(row) == len(roster.columns) for row in written_rows[1:1 + expected])
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell[1:].replace(".", "").isdigit()
               for row in written_rows for cell in row)


@given(rows=st.lists(st.lists(CELLS, min_size=2, max_size=5), max_size=8), dialect=DIALECTS, tail=st.binary(max_size=40))
def test_the_reader_answers_any_dialect_and_quoting_accounting_for_every_row(policies, rows, dialect, tail):
    data = written(rows, dialect).encode("utf-8") + tail
    roster, written_rows = price_bytes(policies["nanan-2023"], data)
    if isinstance(roster, RosterError):
        assert roster.message and "Traceback" not in roster.message
        return
    assert_accounted(roster, written_rows, data)


@given(data=st.binary(max_size=300))
def test_the_reader_answers_any_bytes_accounting_for_every_row(policies, data):
    roster, written_rows = price_bytes(policies["nanan-2023"], "称呼,出生日期\n".encode() + data)
    if isinstance(roster, RosterError):  # not UTF-8 nor GB18030, or read as GB18030 the header is no header
        assert roster.field in ("file", "header") and "名单.csv" in roster.message
        return
    assert_accounted(roster, written_rows, "称呼,出生日期\n".encode() + data)
