"""Village rosters (代缴名单): the CSV in the encodings Excel saves, every cell format staff write, a bad
row that leaves the others priced, and per row exactly what the core says for that person alone."""
import codecs
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.core import ScenarioError, quote
from calculator.core.facts import FACTS
from calculator.core.roster import (
    CELL_READERS,
    HEADER_ALIASES,
    NAME,
    OUTPUT_COLUMNS,
    SHORT_GROUP_NAMES,
    UNKNOWN,
    RosterError,
    parse_roster_date,
    price_roster,
    roster_json,
)
from calculator.policyfile import POLICIES_DIR, load_vocabulary
from calculator.roster import decode_roster, result_bytes

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
    assert [row[0] for row in rows[1:]] == ["本人", "母亲", "儿子", "合计"]
    assert cell(rows[-1], columns, "个人应缴") == "720"
    assert cell(rows[2], columns, "个人应缴") == "0" and cell(rows[2], columns, "政府资助") == "360"
    summary = done.stderr.decode()
    assert "已计算 3 行，出错 0 行" in summary and "个人应缴合计 720元" in summary and "政府资助合计 360元" in summary


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
    assert cell(rows[-1], rows[0], "个人应缴") == "720"
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
    text, encoding = decode_roster(data, "名单.csv")
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
        decode_roster(data, "名单.csv")
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


def test_blank_rows_are_skipped_and_row_numbers_stay_those_excel_shows(policies):
    roster = "称呼,出生日期\n甲,1980-01-01\n,\n\n乙,1980-99-01\n"
    result = price_roster(policies["nanan-2023"], "2023-03-15", roster)
    assert [row[0] for row in result["rows"]] == ["甲", "乙"]
    assert result["errors"][0].startswith("第5行 出生日期：")


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


def test_short_group_names_name_real_groups_and_are_documented():
    vocabulary, errors = load_vocabulary(POLICIES_DIR / "groups.yaml")
    assert not errors
    full_names = {entry["name"] if isinstance(entry, dict) else entry for entry in vocabulary.values()}
    docs = DOCS.read_text(encoding="utf-8")
    for word, group_id in SHORT_GROUP_NAMES.items():
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


def test_result_bytes_are_utf8_with_bom_and_crlf(policies):
    result = price_roster(policies["nanan-2023"], "2023-03-15", ISSUE_ROSTER)
    data = result_bytes(result)
    assert data.startswith(codecs.BOM_UTF8) and data.endswith(b"\r\n")
    assert data[3:].decode("utf-8").count("\r\n") == 5
