"""The priced roster as a village staff member opens it: every column, every 说明, the 合计 and the count of
rows, pinned on real notices; and how each kind of cell staff write is read (found by mutation testing:
these could change without a test noticing)."""
import io
from decimal import Decimal

import pytest

from calculator.core.facts import Fact
from calculator.core.roster import (
    FIELD_LIMIT,
    LINE_LIMIT,
    UNPAIRED_QUOTE,
    CellError,
    RosterError,
    enum_words,
    lines_of,
    parse_count,
    parse_roster_date,
    price_roster,
    read_enum,
    read_id_list,
    split_list,
    vocabularies_of,
)
from calculator.core.values import money_to_json, money_words
from calculator.policyfile import load_policies

POLICIES = {policy["id"]: policy for policy in load_policies()}


def csv_lines(policy_id, paid_on, roster):
    return price_roster(POLICIES[policy_id], paid_on, roster)["csv"].split("\r\n")


def test_a_weifang_roster_says_the_tier_the_repair_the_wait_and_what_the_notice_leaves_open():
    roster = ("姓名,出生日期,特殊身份,断保年数,补缴年数,档次\n"
              "甲,1980-05-01,,2,1,低档（400元）\n"
              "乙,1950-02-01,低保,,,1\n"
              "丙,1990-01-01,特困,,,高档\n")
    assert csv_lines("weifang-2025", "2024-11-01", roster) == [
        "姓名,出生日期,特殊身份,断保年数,补缴年数,档次,个人应缴,政府资助,事后补助,待遇开始,等待期,说明",
        "甲,1980-05-01,,2,1,低档（400元）,800,0,0,2025-04-01,3个月,集中缴费期内缴费，2025年1月1日起享受待遇；"
        "含补缴 1 年（每年 400元）共 400元；固定等待期3个月（上一年度未参保）＋连续断保2年，增加变动等待期1个月－补缴1年，"
        "减少1个月＝3个月，2025年4月1日起享受",
        "乙,1950-02-01,低保,,,1,未写明,未写明,0,2025-01-01,无,集中缴费期内缴费，2025年1月1日起享受待遇；"
        "补助：低收入困难群众参保享受政府资助（资助金额本通知未写明）；不设等待期，2025年1月1日起享受；"
        "未写明：本通知只写“低收入困难群众参保享受政府资助”，没有写资助多少、个人还要缴多少",
        "丙,1990-01-01,特困,,,高档,未写明,未写明,0,2025-01-01,无,集中缴费期内缴费，2025年1月1日起享受待遇；"
        "补助：低收入困难群众参保享受政府资助（资助金额本通知未写明）；不设等待期，2025年1月1日起享受；"
        "未写明：本通知只写“低收入困难群众参保享受政府资助”，没有写资助多少、个人还要缴多少",
        "合计,,,,,,未写明,未写明,0,,,个人应缴：第3行、第4行 未写明，其余合计 800元；政府资助：第3行、第4行 未写明，其余合计 0元",
        "名单共 3 行（不算表头）：已计算 3 行，出错 0 行，不能按本通知参保 0 行，空行 0 行,,,,,,,,,,,",
        ""]


def test_a_late_weifang_roster_keeps_blank_rows_and_warns_before_the_total():
    roster = "姓名,出生日期,特殊身份,断保年数,补缴年数,档次\n甲,1980-05-01,,2,1,低档\n乙,1950-02-01,低保,,,\n\n"
    assert csv_lines("weifang-2025", "2025-03-01", roster) == [
        "姓名,出生日期,特殊身份,断保年数,补缴年数,档次,个人应缴,政府资助,事后补助,待遇开始,等待期,说明",
        "甲,1980-05-01,,2,1,低档,800,0,0,2025-06-01,3个月,集中缴费期后缴费，只缴个人缴费部分，有3个月固定待遇等待期；"
        "含补缴 1 年（每年 400元）共 400元；固定等待期3个月（未在集中缴费期内缴费、上一年度未参保）＋连续断保2年，"
        "增加变动等待期1个月－补缴1年，减少1个月＝3个月，2025年6月1日起享受",
        "乙,1950-02-01,低保,,,,,,,,,第3行 档次：本通知的成年居民须选择缴费档次",
        ",,,,,,,,,,,",
        "注意：1 行出错，没有算进合计；原因见各行的“说明”,,,,,,,,,,,",
        "合计,,,,,,800,0,0,,,",
        "名单共 3 行（不算表头）：已计算 1 行，出错 1 行，不能按本通知参保 0 行，空行 1 行,,,,,,,,,,,",
        ""]


def test_a_nanan_roster_names_the_subsidy_and_the_reimbursement_the_notice_leaves_open():
    roster = "姓名,出生日期,特殊身份,家庭身份\n甲,1980-05-01,低保,\n乙,1980-05-01,独生子户,夫妻\n"
    assert csv_lines("nanan-2023", "2022-10-01", roster) == [
        "姓名,出生日期,特殊身份,家庭身份,个人应缴,政府资助,事后补助,待遇开始,等待期,说明",
        "甲,1980-05-01,低保,,0,360,0,2023-01-01,无,集中参保缴费期内缴费，2023年1月1日起享受待遇；补助：特困人员、低保对象、"
        "孤儿、事实无人抚养儿童、革命“五老”人员、精简退职职工，个人缴费由政府全额补助；不设等待期，2023年1月1日起享受",
        "乙,1980-05-01,独生子户,夫妻,360,0,未写明,2023-01-01,无,集中参保缴费期内缴费，2023年1月1日起享受待遇；"
        "补助：农村独生子家庭（夫妻和未满18周岁儿子）先缴费，再由卫健部门发放补助；不设等待期，2023年1月1日起享受；"
        "未写明：本通知只写“由卫健部门按原标准原渠道发放补助”，未写明补助金额",
        "合计,,,,360,360,未写明,,,事后补助：第3行 未写明，其余合计 0元",
        "名单共 2 行（不算表头）：已计算 2 行，出错 0 行，不能按本通知参保 0 行，空行 0 行,,,,,,,,,",
        ""]


def test_a_youxi_late_roster_spells_out_the_surcharge_and_the_add_on():
    roster = "姓名,出生日期,特殊身份,附加保险\n甲,1980-05-01,,城乡居民基本医疗补充意外伤害保险\n乙,1950-02-01,低保,\n"
    lines = csv_lines("youxi-2022", "2022-07-01", roster)
    assert lines[1] == (
        "甲,1980-05-01,,城乡居民基本医疗补充意外伤害保险,930,0,0,2022-08-30,60天,7月1日起缴费，按个人缴费与财政补助之和缴费，"
        "并执行60天等待期；含财政补助部分 580元；含城乡居民基本医疗补充意外伤害保险 30元；等待期60天（从缴费之日算起），"
        "2022年8月30日起享受")
    assert lines[3] == "合计,,,,1830,0,0,,,"


def test_a_surcharge_the_saved_text_never_states_is_unknown_with_its_reason():
    lines = csv_lines("hongta-2026", "2026-03-05", "姓名,出生日期,特殊身份\n甲,1980-05-01,低保\n")
    figures, says = lines[1].split(",", 8)[3:8], lines[1].split(",", 8)[8]
    assert figures == ["未写明", "120", "0", "2026-06-05", "3个月"]
    assert "；含财政补助部分 未写明（本通知只写了集中缴费期的个人缴费标准（400元）；" in says
    assert lines[2] == "合计,,,未写明,120,0,,,个人应缴：第2行 未写明，其余合计 0元"


def test_a_yes_cell_is_yes_and_a_no_cell_is_no():
    roster = "姓名,出生日期,是返乡农民工\n甲,1980-05-01,是\n乙,1980-05-01,否\n"
    rows = price_roster(POLICIES["sixian-shantou-2022"], "2022-02-01", roster)["rows"]
    assert rows[0][-1].startswith("不能按本通知参保") is False
    assert rows[1][-1].startswith("不能按本通知参保：")
    assert price_roster(POLICIES["sixian-shantou-2022"], "2022-02-01", "出生日期,是返乡农民工\n1980-05-01,也许\n")[
        "errors"] == ["第2行 是返乡农民工：“也许”应为 是 或 否"]


@pytest.mark.parametrize("text, day", [
    ("19800512", "1980-05-12"), ("1980-05-12", "1980-05-12"), ("1980/5/12", "1980-05-12"),
    ("1980.5.12", "1980-05-12"), ("1980年5月12日", "1980-05-12"), ("1980年12月1日", "1980-12-01"),
    ("19801205", "1980-12-05")])
def test_the_date_forms_staff_write_name_the_right_day(text, day):
    assert parse_roster_date(text) == day


@pytest.mark.parametrize("text", ["1980年5月12", "5月12日", "1980X05X12", "1980 5 12", "１９８０-05-12",
                                  "1980年5年1日", "1980年1年5月1日", "1980年5月1月2日", "1980-0a-01"])
def test_what_is_not_a_date_is_refused_as_such(text):
    with pytest.raises(CellError, match="不是日期；请写成 1980-05-01、1980/5/1、19800501 或 1980年5月1日"):
        parse_roster_date(text)


def test_a_day_that_does_not_exist_is_named_as_such():
    with pytest.raises(CellError, match="“1980-02-30”不是有效的日期（没有这一天）"):
        parse_roster_date("1980-02-30")


@pytest.mark.parametrize("text, count", [("3", 3), ("3年", 3), ("第2档", 2), ("二档", 2), ("2级", 2), ("十", 10)])
def test_counts_staff_write(text, count):
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["x", "x年", "３", "很多", "-1"])
def test_what_is_not_a_count_is_refused(text):
    with pytest.raises(CellError, match="应为整数，例如 0、1、2"):
        parse_count(text)


def test_a_fact_the_notice_leaves_open_says_why_in_the_explanation():
    subsidy = csv_lines("yantai-fushan-2022", "2021-11-01", "出生日期,特殊身份\n1960-01-01,低保\n")[1]
    assert subsidy.endswith("；不设等待期，2022年1月1日起享受；未写明：本通知未写明全额补助对象按哪一档参保")
    baby = csv_lines("hongta-2026", "2026-04-10", "出生日期\n2026-03-20\n")[1]
    assert baby.startswith("2026-03-20,未写明,0,0,未写明,无,")
    assert baby.endswith("；新生儿，不设待遇等待期；"
                         "未写明：国办发〔2024〕38号规定新生儿不设待遇等待期，但没有写新生儿从哪天起享受待遇；本通知也没有写")


def test_a_tier_cell_on_a_notice_without_tiers_leaves_the_cells_after_it_read():
    row = csv_lines("nanan-2023", "2022-10-01", "出生日期,档次,特殊身份\n1980-05-01,1,低保\n")[1]
    assert row.startswith("1980-05-01,1,低保,0,360,0,")
    assert row.endswith("；“档次”一栏的“1”没有用到：本通知不分缴费档次")


def test_the_first_hundred_errors_are_listed_and_every_one_counted():
    result = price_roster(POLICIES["nanan-2023"], "2022-10-01", "出生日期\n" + "不是日期\n" * 150)
    assert (len(result["errors"]), result["summary"]["errors"]) == (100, 150)
    assert result["errors"][-1].startswith("第101行 出生日期：")


def test_a_warning_names_errors_and_refusals_together():
    roster = "出生日期,是返乡农民工\n1980-05-01,否\n不是日期,\n"
    assert price_roster(POLICIES["sixian-shantou-2022"], "2022-02-01", roster)["summary"]["warning"] == (
        "注意：1 行出错、1 行不能按本通知参保，没有算进合计；原因见各行的“说明”")


@pytest.mark.parametrize("text, names, items", [
    ("低保、特困、孤儿", ["低保、特困", "低保、特困、孤儿"], ["低保、特困、孤儿"]),
    ("低保、特困、孤儿", ["低保、特困、孤儿", "低保、特困"], ["低保、特困、孤儿"]),
    ("低保、特困,低保", ["低保、特困"], ["低保、特困", "低保"]),
    ("a、b；c", [], ["a", "b", "c"]),
    ("a,b、c", [], ["a", "b", "c"]),
    ("a、 Xb 、", [], ["a", "Xb"]),
])
def test_a_cell_of_several_names_splits_at_separators_but_not_inside_a_known_name(text, names, items):
    assert split_list(text, dict.fromkeys(names)) == items


def test_a_choice_without_extra_words_takes_its_values_and_labels():
    fact = Fact("example", "enum", "例子", values=[("a", "甲（说明）")])
    assert enum_words(fact) == {"a": "a", "甲（说明）": "a"}
    with pytest.raises(CellError, match="不认识“乙”；可以写 甲（说明）"):
        read_enum(fact, "乙", {})


def test_a_list_fact_without_words_takes_none():
    with pytest.raises(CellError, match="不认识“低保”"):
        read_id_list(Fact("example", "id_list", "例子"), "低保", {})


def test_a_tier_is_known_by_its_label_its_words_before_the_amount_and_its_value():
    policy = dict(POLICIES["yantai-fushan-2022"])
    policy["form"] = dict(policy["form"], tiers=[{"value": 1, "label": "一档 370元"}, {"value": 2, "label": "二档（520元）"}])
    assert vocabularies_of(policy)["tier"] == {"一档 370元": 1, "一档": 1, "二档（520元）": 2, "二档": 2}


def test_money_is_whole_yuan_or_two_decimals():
    assert [money_to_json(Decimal(text)) for text in ("720", "720.00", "12.5", "0.125")] == [720, 720, "12.50", "0.12"]
    assert [money_words(Decimal("12.5")), money_words(720), money_words("12.50")] == ["12.50元", "720元", "12.50元"]
    assert money_words({"unknown": "没写"}) == "本通知未写明" and money_words({"unknown": "没写"}, "未写明（{reason}）") == "未写明（没写）"


def test_group_names_that_hold_a_separator_stay_whole_beside_their_shorter_prefixes():
    """A name holding a separator is matched before it is split, longest first, and only where it ends the item."""
    policy = dict(POLICIES["nanan-2023"], vocabulary={**POLICIES["nanan-2023"]["vocabulary"],
                                                      "dibao": "低保、特困", "tekun": "低保、特困、孤儿"})
    roster = "出生日期,特殊身份\n1980-05-01,低保、特困、孤儿\n1980-05-01,低保、特困\n1980-05-01,低保、特困、孤儿儿\n"
    result = price_roster(policy, "2022-10-01", roster)
    assert [row[1] for row in result["rows"][:2]] == ["低保、特困、孤儿", "低保、特困"]
    assert "补助" in result["rows"][0][-1] and "补助" in result["rows"][1][-1]
    assert result["errors"] == ["第4行 特殊身份：不认识“孤儿儿”；可以写的名称见本站“村居工作人员”页面"]


def test_list_items_are_split_at_the_first_separator_and_trimmed():
    roster = "出生日期,特殊身份\n1980-05-01, 低保 ， 特困 ;；外星人\n"
    assert price_roster(POLICIES["nanan-2023"], "2022-10-01", roster)["errors"] == [
        "第2行 特殊身份：不认识“外星人”；可以写的名称见本站“村居工作人员”页面"]


def test_an_unknown_word_in_a_choice_column_lists_the_words_it_takes():
    roster = "出生日期,残疾等级\n1980-05-01,五级\n"
    assert price_roster(POLICIES["henan-2026"], "2025-10-15", roster)["errors"] == [
        "第2行 残疾等级：不认识“五级”；可以写 一级、二级、三级、四级"]


def test_a_column_given_twice_and_a_header_without_birth_dates_are_header_errors():
    with pytest.raises(RosterError) as twice:
        price_roster(POLICIES["nanan-2023"], "2022-10-01", "出生日期,姓名,称呼\n")
    assert (twice.value.field, twice.value.message) == ("header", "第1行：“姓名”和“称呼”是同一项，只能留一列")
    with pytest.raises(RosterError) as unread:
        price_roster(POLICIES["nanan-2023"], "2022-10-01", '"出生日期,姓名\n')
    assert (unread.value.field, unread.value.message) == ("header", "第1行（表头）：" + UNPAIRED_QUOTE)
    with pytest.raises(RosterError) as blank:
        price_roster(POLICIES["nanan-2023"], "2022-10-01", ",,\n1980-05-01\n")
    assert (blank.value.field, blank.value.message) == ("header", "文件是空的，或第1行不是表头")
    with pytest.raises(RosterError) as empty_header:
        price_roster(POLICIES["nanan-2023"], "2022-10-01", "\n")
    assert empty_header.value.message == "文件是空的，或第1行不是表头"


def test_a_header_without_birth_dates_shows_what_it_read():
    with pytest.raises(RosterError, match="表头是：姓名，性别"):
        price_roster(POLICIES["nanan-2023"], "2022-10-01", "姓名,性别\n")


def test_a_line_of_exactly_the_limit_is_read_and_one_longer_is_skipped_whole():
    limit_line, long_line = "a" * LINE_LIMIT, "b" * (LINE_LIMIT + 1)
    stream = io.StringIO("\n".join([limit_line, long_line, "c" * (3 * LINE_LIMIT), "after"]) + "\n" + limit_line)
    assert list(lines_of(stream)) == [limit_line, LINE_LIMIT + 1, 3 * LINE_LIMIT, "after", limit_line]
    assert list(lines_of(io.StringIO("first\n" + "d" * (2 * LINE_LIMIT)))) == ["first", 2 * LINE_LIMIT]


def test_a_cell_of_exactly_the_limit_is_priced_and_one_longer_refused():
    fits, too_long = "名" * FIELD_LIMIT, "名" * (FIELD_LIMIT + 1)
    result = price_roster(POLICIES["nanan-2023"], "2022-10-01", "姓名,出生日期\n%s,1980-05-01\n%s,1980-05-01\n" % (fits, too_long))
    assert result["summary"]["priced"] == 1
    assert result["errors"] == ["第3行：“姓名”这一格有 %d 个字，太长了（一格最多 %d 个字），不像名单里的内容" % (FIELD_LIMIT + 1, FIELD_LIMIT)]


def test_a_row_as_wide_as_the_header_is_kept_as_it_is():
    result = price_roster(POLICIES["nanan-2023"], "2022-10-01", "姓名,出生日期\n甲,1980-05-01\n乙,1980-05-01,多\n")
    assert result["rows"][0][:2] == ["甲", "1980-05-01"]
    assert result["rows"][1][:2] == ["乙", "1980-05-01,多"]
    assert result["errors"] == ["第3行：这一行有 3 列，表头有 2 列；多半是某一格里多打或少打了逗号"]


def test_an_error_after_a_blank_cell_still_reads_the_cells_after_it():
    roster = "出生日期,特殊身份,断保年数\n1980-05-01,,很多年\n"
    assert price_roster(POLICIES["weifang-2025"], "2024-11-01", roster)["errors"] == [
        "第2行 断保年数：“很多年”应为整数，例如 0、1、2"]


def test_a_fact_the_notice_needs_is_named_by_the_title_staff_gave_it_or_else_by_its_label():
    needs_grade = "出生日期,特殊身份,档次%s\n1980-05-01,残疾人,1%s\n"
    expected = "本通知按残疾等级区分补助，请填写残疾等级（1至4级）"
    assert price_roster(POLICIES["yantai-fushan-2022"], "2021-11-01", needs_grade % ("", ""))["errors"] == [
        "第2行 残疾等级：" + expected]
    roster = "出生日期,断保年数,补缴年数,档次\n1980-05-01,1,3,1\n"
    assert price_roster(POLICIES["weifang-2025"], "2024-11-01", roster)["errors"] == [
        "第2行 补缴年数：补缴年数不能超过连续没参保的年数（1年）"]
