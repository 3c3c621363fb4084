"""What a village staff member reads from a priced roster: the summary, the totals and each row's 说明,
exactly (found by mutation testing: these could change without a test noticing)."""
import json

import pytest

from calculator.core.roster import RosterError, price_roster, roster_json
from calculator.policyfile import load_policies

POLICIES = {policy["id"]: policy for policy in load_policies()}
YOUXI_ROSTER = "姓名,出生日期,特殊身份,附加保险\n甲,1980-05-01,,城乡居民基本医疗补充意外伤害保险\n乙,1950-02-01,低保,\n"


def test_a_late_youxi_roster_spells_out_the_surcharge_and_the_add_on():
    result = price_roster(POLICIES["youxi-2022"], "2022-07-01", YOUXI_ROSTER)
    first = result["rows"][0][-1]
    assert "含财政补助部分 580元" in first and "含城乡居民基本医疗补充意外伤害保险 30元" in first
    assert result["summary"] == {
        "rows": 2, "priced": 2, "refused": 0, "errors": 0, "blank": 0, "warning": None,
        "accounting": "名单共 2 行（不算表头）：已计算 2 行，出错 0 行，不能按本通知参保 0 行，空行 0 行",
        "totals": [{"label": "个人应缴", "amount": "1830", "known": "1830", "says": "个人应缴合计：1830元"},
                   {"label": "政府资助", "amount": "0", "known": "0", "says": "政府资助合计：0元"},
                   {"label": "事后补助", "amount": "0", "known": "0", "says": "事后补助合计：0元"}]}


def test_a_total_the_notice_leaves_open_names_the_rows():
    roster = "姓名,出生日期,特殊身份,家庭身份\n甲,1980-05-01,,\n乙,1980-05-01,独生子户,夫妻\n"
    result = price_roster(POLICIES["nanan-2023"], "2022-10-01", roster)
    assert result["summary"]["totals"] == [
        {"label": "个人应缴", "amount": "720", "known": "720", "says": "个人应缴合计：720元"},
        {"label": "政府资助", "amount": "0", "known": "0", "says": "政府资助合计：0元"},
        {"label": "事后补助", "amount": "未写明", "known": "0", "says": "事后补助合计：未写明（第3行 未写明，其余合计 0元）"}]
    assert result["total"][-1] == "事后补助：第3行 未写明，其余合计 0元"


def test_a_total_left_open_by_many_rows_names_the_first_twenty_and_counts_them_all():
    roster = "姓名,出生日期,特殊身份,家庭身份\n" + "乙,1980-05-01,独生子户,夫妻\n" * 25
    result = price_roster(POLICIES["nanan-2023"], "2022-10-01", roster)
    named = "、".join("第%d行" % number for number in range(2, 22))
    assert result["total"][-1] == "事后补助：%s等 25 行 未写明，其余合计 0元" % named


def test_a_refused_row_has_blank_figures_and_says_why():
    result = price_roster(POLICIES["sixian-shantou-2022"], "2022-01-10", "姓名,出生日期\n甲,1980-05-01\n乙,1981-05-01\n")
    for row in result["rows"]:
        assert row[2:7] == ["", "", "", "", ""]
        assert row[7].startswith("不能按本通知参保：")
    assert (result["summary"]["refused"], result["summary"]["priced"]) == (2, 0)
    assert result["summary"]["warning"] == "注意：2 行不能按本通知参保，没有算进合计；原因见各行的“说明”"


def test_roster_json_names_the_encoding_and_refuses_what_it_cannot_price():
    policy = json.dumps(POLICIES["youxi-2022"])
    assert json.loads(roster_json(policy, json.dumps({"paid_on": "2022-07-01", "csv": YOUXI_ROSTER, "encoding": "GB18030"})))["encoding"] == "GB18030"
    assert json.loads(roster_json(policy, json.dumps({"paid_on": "2022-07-01", "csv": YOUXI_ROSTER})))["encoding"] == "UTF-8"
    assert json.loads(roster_json(policy, json.dumps({"paid_on": "2022-07-01", "csv": ""}))) == {
        "error": {"field": "header", "message": "文件是空的，或第1行不是表头"}}
    assert json.loads(roster_json(policy, json.dumps({"paid_on": "2022/07/01", "csv": YOUXI_ROSTER}))) == {
        "error": {"field": "paid_on", "message": "请填写缴费日期，格式为 年-月-日"}}


def test_a_yes_no_column_is_read_and_anything_else_named():
    roster = "姓名,出生日期,是返乡农民工\n甲,1980-05-01,是\n乙,1980-05-01,否\n丙,1980-05-01,也许\n"
    result = price_roster(POLICIES["sixian-shantou-2022"], "2022-02-01", roster)
    assert (result["summary"]["priced"], result["summary"]["refused"]) == (1, 1)
    assert result["errors"] and "“也许”应为 是 或 否" in result["errors"][0]


def test_each_cell_error_names_the_row_the_column_and_what_to_write():
    roster = ("姓名,出生日期,学生,档次,特殊身份,断保年数\n"
              "甲,1980-05-01,小学生,,,\n"
              "乙,1980-05-01,,第九档,,\n"
              "丙,1980-05-01,,,低保、外星人,\n"
              "丁,2030-05-01,,,,\n"
              "戊,1980-05-01,,,,很多年\n")
    errors = price_roster(POLICIES["yantai-fushan-2022"], "2021-11-01", roster)["errors"]
    assert errors == [
        "第2行 学生：不认识“小学生”；可以写 在校学生、新生、大学生，不是学生就空着",
        "第3行 档次：本通知的缴费档次只有 1、2",
        "第4行 特殊身份：不认识“外星人”；可以写的名称见本站“村居工作人员”页面",
        "第5行 出生日期：出生日期晚于缴费日期",
        "第6行 断保年数：“很多年”应为整数，例如 0、1、2",
    ]


def test_counts_are_read_as_staff_write_them():
    roster = "姓名,出生日期,档次\n甲,1980-05-01,第2档\n乙,1980-05-01,一\n丙,1980-05-01,1\n"
    result = price_roster(POLICIES["yantai-fushan-2022"], "2021-11-01", roster)
    assert result["errors"] == [] and [row[3] for row in result["rows"]] == ["520", "370", "370"]


def test_the_wait_column_gives_days_months_or_none():
    nanan = price_roster(POLICIES["nanan-2023"], "2023-03-01", "姓名,出生日期\n甲,1980-05-01\n")
    assert nanan["rows"][0][-2] == "60天"
    weifang = price_roster(POLICIES["weifang-2025"], "2025-02-10", "姓名,出生日期,档次\n甲,1980-05-01,1\n")
    assert weifang["rows"][0][-2] == "3个月"
    concentrated = price_roster(POLICIES["nanan-2023"], "2022-10-01", "姓名,出生日期,特殊身份\n甲,1980-05-01,低保 ; 特困\n")
    assert concentrated["rows"][0][-3:-1] == ["2023-01-01", "无"]


def test_a_short_row_and_a_missing_birth_date_column():
    result = price_roster(POLICIES["nanan-2023"], "2022-10-01", "姓名,出生日期,特殊身份\n甲,1980-05-01\n")
    assert result["errors"] == ["第2行：这一行有 2 列，表头有 3 列；多半是某一格里多打或少打了逗号"]
    assert result["rows"][0] == ["甲", "1980-05-01", "", "", "", "", "", "", result["errors"][0]]
    with pytest.raises(RosterError) as raised:
        price_roster(POLICIES["nanan-2023"], "2022-10-01", "姓名,生日\n甲,1980-05-01\n")
    assert raised.value.message == "第1行（表头）没有“出生日期”列。文件按 UTF-8 读取，表头是：姓名，生日"


def test_roster_json_keeps_chinese_readable():
    text = roster_json(json.dumps(POLICIES["nanan-2023"]), json.dumps({"paid_on": "2022-10-01", "csv": "姓名,出生日期\n甲,1980-05-01\n"}))
    assert "个人应缴" in text
