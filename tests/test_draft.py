"""The notice drafter (calculator/drafting/, `python -m calculator draft`): each extractor on sentences taken
from the notices in policies/notices/ and tests/fixtures/, including sentences that must yield nothing, and the
draft of every notice: YAML whose every quote `validate` finds in the notice."""
import ast
import datetime
import sys
from pathlib import Path

import pytest
import yaml

from calculator.cli import main
from calculator.drafting import continuity, document, draft, draft_json, money, people, subsidies, windows
from calculator.drafting.dates import dates_in
from calculator.drafting.numerals import number
from calculator.drafting.text import SIMPLIFIED_CHARS, TRADITIONAL_CHARS, Notice, fold
from calculator.policyfile import NoticeText, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
NOTICES = sorted((ROOT / "policies" / "notices").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*/notices/*.txt"))
VOCABULARY, _problems = load_vocabulary(ROOT / "policies" / "groups.yaml")
D = datetime.date


def sentences(text):
    return Notice(text).sentences


def no_year(_sentence):
    return None


# ---- text, numerals, dates -----------------------------------------------------------------------

def test_folding_keeps_one_character_for_one():
    assert len(TRADITIONAL_CHARS) == len(SIMPLIFIED_CHARS)
    assert "".join(map(fold, "在集中參保繳費期內繳費的參保居民，２０２２年")) == "在集中参保缴费期内缴费的参保居民,2022年"


def test_a_hard_wrapped_sentence_is_one_sentence_quoted_in_the_notices_words():
    notice = Notice((ROOT / "policies" / "notices" / "youxi-2022.txt").read_text(encoding="utf-8"))
    sentence = next(sentence for sentence in notice.sentences if "320元/人" in sentence.text)
    assert sentence.text == "1.2021年9月1日至2022年6月30日期间缴费的城乡居民医保个人缴费标准为320元/人。"
    assert (sentence.first_line, sentence.last_line) == (79, 81)
    assert sentence.raw_span(0, len(sentence.text)) == "1.2021 年 9 月 1 日至 2022 年 6 月 30 日期间缴费的城乡居民医保个人缴费标准为 320 元/人。"


def test_the_archivists_header_is_not_read():
    notice = Notice("source: http://example.org\n说明：2025年9月29日至12月31日缴费\n\n正文第一句。\n")
    assert [sentence.text for sentence in notice.sentences] == ["正文第一句。"]


@pytest.mark.parametrize("run, value", [("90", 90), ("三", 3), ("十二", 12), ("一百二十", 120), ("二〇二五", 2025), ("档", None)])
def test_chinese_numerals(run, value):
    assert number(run) == value


@pytest.mark.parametrize("text, context, days", [
    ("（一）集中缴费期：2025年10月15日至2026年2月25日", None, [D(2025, 10, 15), D(2026, 2, 25)]),
    ("（一）集中参保缴费期：2022年9月1日-12月31日。", None, [D(2022, 9, 1), D(2022, 12, 31)]),
    ("居民基本醫療保險待遇保障期為次年1月1日至12月31日", 2021, [D(2022, 1, 1), D(2022, 12, 31)]),
    ("缴费截至次年2月底", 2025, [D(2026, 2, 28)]),
    ("发文时间2025.10.15", None, [D(2025, 10, 15)]),
    ("当年9月1日至次年8月31日", 2025, [D(2025, 9, 1), D(2026, 8, 31)]),
    ("二〇二五年十月十五日", None, [D(2025, 10, 15)]),
    ("(二)集中筹资阶段(9月25日-12月31日)。", None, []),  # no year anywhere: not read
    ("集中征缴期原则上为20251017日至2026年2月25日。", None, [D(2026, 2, 25)]),  # a date missing 年 and 月 is not read
])
def test_dates(text, context, days):
    assert [mention.day for mention in dates_in(fold_all(text), context)] == days


def fold_all(text):
    return "".join(fold(char) for char in text if not char.isspace())


# ---- windows -------------------------------------------------------------------------------------

def drafted_windows(text, signed=None):
    found = sentences(text)
    return [(window["from"], window["to"], window.get("closed", False))
            for window in windows.cut_windows(windows.boundaries(found, no_year, signed), found)]


def test_a_concentrated_window_and_the_starts_inside_a_back_pay_range():
    text = ("（一）集中参保缴费期：2022年9月1日-12月31日。\n"
            "（二）参保补缴期：2023年1月1日-12月31日。其中，在2023年1月1日至2月28日前办理参保缴费的，享受基本医保待遇不设等待期。"
            "2023年3月1日（含）后办理的，其他参保居民缴费之日起60日（含）内为等待期。\n"
            "其中：2023年1月1日至6月30日补缴的，按360元/人标准缴费；2023年7月1日起补缴的，按个人缴费金额和财政补助金额之和缴费。\n")
    assert drafted_windows(text) == [(D(2022, 9, 1), D(2022, 12, 31), False), (D(2023, 1, 1), D(2023, 2, 28), False),
                                     (D(2023, 3, 1), D(2023, 6, 30), False), (D(2023, 7, 1), D(2023, 12, 31), False)]


def test_a_gap_between_two_windows_is_closed_and_an_open_start_has_no_end():
    text = "(一)集中缴费期:2025年10月10日至2026年2月25日,在集中缴费期内缴费的,只需缴纳个人部分。\n(二)非集中缴费期(设待遇等待期3个月):2026年3月1日\n"
    assert drafted_windows(text) == [(D(2025, 10, 10), D(2026, 2, 25), False), (D(2026, 2, 26), D(2026, 2, 28), True),
                                     (D(2026, 3, 1), None, False)]


def test_from_today_starts_on_the_signed_date_and_paying_late_follows():
    text = ("我市自即日起,在全市开展2025年度城乡居民医保参保缴费工作。\n征缴时间原则上截至2024年12月31日。\n"
            "未在集中缴费期内参保缴费的,有3个月的固定待遇等待期。\n")
    signed = (D(2024, 10, 17), None)
    assert drafted_windows(text, signed) == [(D(2024, 10, 17), D(2024, 12, 31), False), (D(2025, 1, 1), None, False)]


@pytest.mark.parametrize("text", [
    "（一）集中登记期：2021年9月1日—2021年12月31日。",  # registration, not payment
    "（四）今年9月份入学新生，在规定的参保时限内（2022年9月1日-2023年2月28日）缴纳2023年度医保费的，保障期限从2022年9月1日至2023年12月31日。",
    "（二）其他居民参保。2021年10月1日起，开通未成年居民和成年居民集中参保缴费渠道，2021年12月20日前完成参保缴费工作。",
    "医保待遇享受期为：2026年1月1日至12月31日。",
    "主题分类 发布日期2025-10-29",
    "（二）登记缴费阶段（10 月 21 日至 12 月 20 日）。各单位落实下达的参保任务。",
])
def test_sentences_that_state_no_window(text):
    assert drafted_windows(text + "\n") == []


# ---- money ---------------------------------------------------------------------------------------

def test_prices_and_tiers():
    found = money.prices(sentences("成年居民低档每人每年400元,高档每人每年510元;学生、儿童每人每年380元。\n"))
    assert [(price.amount, price.label, price.tier) for price in found] == [(400, "成年居民低档", 1), (510, "高档", 2), (380, "学生、儿童", None)]
    found = money.prices(sentences("(一) 2022 年度居民个人缴费标准分两档：一档为每人每年 370 元，二档为每人每年 520 元。\n"
                                   "在校学生个人缴费标准为每人每年 170 元；其他未成年居民（以下统称未成年居民）每人每年 370 元。\n"))
    assert [(price.amount, price.tier) for price in found] == [(370, 1), (520, 2), (170, None), (370, None)]
    assert found[0].quote.words.endswith("一档为每人每年 370 元")


@pytest.mark.parametrize("text", [
    "全额资助标准为 320 元/人·年。",
    "(三)重点优抚对象、孤儿、城乡特困人员参保资助400元,个人实际缴费0元;",
    "基金征缴工作结束后，由市财政按参保人数不低于2元/人的标准给予各乡镇（街道）工作经费补助。",
    "2022 年度居民医保筹资标准为每人每年 900 元。",
    "4.城乡居民基本医疗补充意外伤害保险缴费标准为30元/人。",
])
def test_sentences_that_state_no_personal_contribution(text):
    assert money.prices(sentences(text + "\n")) == []


def test_the_fiscal_subsidy_and_whether_it_is_a_floor():
    amount, at_least, quote = money.fiscal_subsidy(sentences("2023年各级财政补助标准不低于610元/人，个人缴费标准为360元/人。\n"))
    assert (amount, at_least, quote.words) == (610, True, "2023年各级财政补助标准不低于610元/人")
    assert money.fiscal_subsidy(sentences("其中个人缴纳 320 元，财政补助每人 580 元(其中:中央财政补助 464 元)。\n"))[:2] == (580, False)
    assert money.fiscal_subsidy(sentences("由市财政按参保人数不低于2元/人的标准给予各乡镇工作经费补助。\n")) is None


def test_an_add_on_insurance():
    assert [(name, amount) for name, amount, _quote in money.add_ons(sentences("4.城乡居民基本医疗补充意外伤害保险缴费标准为30元/人。\n"))] == [
        ("城乡居民基本医疗补充意外伤害保险", 30)]


# ---- groups --------------------------------------------------------------------------------------

def test_fixed_help_with_the_groups_named_by_the_vocabulary():
    found = subsidies.subsidies(sentences("(三)重点优抚对象、优抚对象、孤儿、城乡特困人员参保资助400元,个人实际缴费0元;\n"), VOCABULARY)
    assert [(subsidy.groups, subsidy.kind, subsidy.figures) for subsidy in found] == [
        (["key_entitled", "entitled", "orphan", "tekun"], "fixed_amount", {"amount": 400, "personal_amount": 0})]


def test_full_and_shared_help():
    full = subsidies.subsidies(sentences("（二）市农业农村局管理认定的国定省定建档立卡脱贫户，个人缴费部分由政府全额补助。\n"), VOCABULARY)
    assert [(subsidy.groups, subsidy.kind) for subsidy in full] == [(["poverty_registered"], "full")]
    share = subsidies.subsidies(sentences("低收入家庭中，残疾人、年满60周岁的老年人，个人缴费部分的70%由政府给予补助。\n"), VOCABULARY)
    assert [(subsidy.kind, subsidy.figures) for subsidy in share] == [("share", {"government_percent": 70})]


@pytest.mark.parametrize("text", [
    "以上资助对象符合多种资助参保条件的,按“就高”原则给予资助参保,不重复资助。",
    "(一)按照国家、省、市规定标准,2026年度居民医保筹资标准为1100元,其中:年人均财政补助标准不低于700元。",
])
def test_sentences_that_state_no_help(text):
    assert subsidies.subsidies(sentences(text + "\n"), VOCABULARY) == []


# ---- newborns, waits -----------------------------------------------------------------------------

def test_newborn_windows():
    rule, _quote = people.newborn(sentences("（五）1周岁以内的新生婴儿在出生90日（含）内办理当年度参保缴费手续的，从出生之日起享受待遇。\n"))
    assert rule == {"window": {"days": 90}, "who": {"younger_than_years": 1}}
    rule, _quote = people.newborn(sentences("新生儿出生当年的医疗保险费应当自出生之日起6个月内办理参保缴费手续。\n"))
    assert rule == {"window": {"months": 6}, "who": None}
    assert people.newborn(sentences("2.当年度出生的新生儿持户口本、出生证办理参保登记。\n")) is None


def test_the_fixed_and_variable_waits_of_2025_on():
    found = sentences("未在集中缴费期内参保缴费的,在缴纳个人缴费部分后,有3个月的固定待遇等待期。\n"
                      "自2025年起,未连续参保缴费的,除设置3个月固定待遇等待期外,每多断保1年,在固定待遇等待期基础上增加1个月等待期。\n")
    months, applies_to, _quotes = continuity.fixed_wait(found)
    assert (months, applies_to) == (3, ["late", "missed"])
    assert continuity.variable_wait(found)[0] == 1


def test_the_waits_of_a_fixture_notice():
    notice = Notice((ROOT / "tests" / "fixtures" / "longling" / "notices" / "longling-2025.txt").read_text(encoding="utf-8"))
    months, applies_to, _quotes = continuity.fixed_wait(notice.sentences)
    assert (months, applies_to) == (3, ["late", "missed"])
    assert continuity.variable_wait(notice.sentences)[0] == 1


def test_a_pre_2025_rule_wait_and_sentences_without_one():
    wait, _quote = continuity.rule_wait(sentences("其他参保居民缴费之日起60日（含）内为等待期，等待期过后按规定享受待遇。\n")[0])
    assert wait == {"days": 60}
    assert continuity.rule_wait(sentences("享受基本医保待遇不设等待期，从缴费之日开始享受。\n")[0]) is None
    assert continuity.fixed_wait(sentences("待遇等待期内发生的医疗费用,由个人承担。\n")) is None


# ---- the document --------------------------------------------------------------------------------

def test_number_issuer_and_date_of_a_signed_notice():
    notice = Notice((ROOT / "policies" / "notices" / "weifang-2025.txt").read_text(encoding="utf-8"))
    issuer, _quotes, day, _quote = document.signature(notice)
    assert (issuer, day) == ("潍坊市医疗保障局、潍坊市财政局、国家税务总局潍坊市税务局", D(2024, 10, 17))
    assert document.document_number(notice) is None
    nanan = Notice((ROOT / "policies" / "notices" / "nanan-2023.txt").read_text(encoding="utf-8"))
    assert document.document_number(nanan)[0] == "南政办内传〔2022〕45号"


def test_a_government_sites_fields_give_issuer_and_date():
    notice = Notice("发文字号兴政办发〔2025〕24号 发文时间2025-10-29\n发文机关兴县人民政府办公室 主题词\n")
    issuer, _quotes, day, _quote = document.signature(notice)
    assert (issuer, day) == ("兴县人民政府办公室", D(2025, 10, 29))
    assert document.document_number(notice)[0] == "兴政办发〔2025〕24号"


# ---- whole drafts --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTICES, ids=[path.stem for path in NOTICES])
def test_every_notice_drafts_to_yaml_whose_quotes_validate_finds(path):
    text = path.read_text(encoding="utf-8")
    drafted = draft(text, path.stem, path.name, vocabulary=VOCABULARY)
    parsed = yaml.safe_load(drafted.yaml)
    assert parsed["id"] == path.stem and parsed["notice"] == path.name
    notice = NoticeText(text)
    for quote in quotes_in(parsed):
        words, line = (quote["quote"], quote["line"]) if isinstance(quote, dict) else (quote, None)
        places = notice.occurrences(words)
        assert places, words
        assert line is not None or len(places) == 1, words
        assert line is None or notice.find(words, line), (words, line)
    assert all(item["lines"] for item in drafted.found)


def quotes_in(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and value is not None:
                yield from value if isinstance(value, list) else [value]
            else:
                yield from quotes_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from quotes_in(item)


def test_what_is_not_found_is_left_with_its_candidates():
    drafted = draft("关于做好城乡居民医保工作的通知\n请各单位认真落实。\n", "test-2026")
    text = drafted.yaml
    assert "windows:  # 待补：缴费期（起止日期）" in text
    assert "prices:  # 待补：个人缴费标准" in text
    assert [value["field"] for value in drafted.found] == ["document.title"]


def test_the_command_writes_the_draft(tmp_path, capsys):
    notice = ROOT / "policies" / "notices" / "hongta-2026.txt"
    out = tmp_path / "hongta-2026.yaml"
    assert main(["draft", str(notice), "--builds-on", "national-guobanfa-2024-38", "--out", str(out)]) == 0
    expected = draft(notice.read_text(encoding="utf-8"), "hongta-2026", notice.name, ["national-guobanfa-2024-38"], VOCABULARY)
    assert out.read_text(encoding="utf-8") == expected.yaml
    assert "builds_on: [national-guobanfa-2024-38]" in expected.yaml
    assert "处待补" in capsys.readouterr().err


def test_the_workers_entry_answers_json_and_never_raises():
    import json
    answer = json.loads(draft_json(json.dumps({"text": "（一）集中缴费期：2025年10月10日至2026年2月25日。\n", "vocabulary": {}})))
    assert "from: 2025-10-10" in answer["yaml"] and answer["found"]
    assert "error" in json.loads(draft_json("not json"))


def test_the_drafter_imports_the_standard_library_only():
    for path in (ROOT / "calculator" / "drafting").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert all(alias.name.split(".")[0] in sys.stdlib_module_names for alias in node.names), path
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module.split(".")[0] in sys.stdlib_module_names, path
