"""The printable 明白纸 (counties/<id>/print/), the share card and the page's share metadata, for every
policy: the figures are the fee core's, the five sections are there, the notice's number and hotline
are quoted or their absence said, and the QR code carries the county page's address.
(One A4 page in Chromium, and the QR code scanned back: tests/browser/test_poster_print.py.)"""
import copy
import html
import io
import re

import pytest
from PIL import Image, ImageDraw

from build_scripts import county_facts, county_sentences, pages, poster, publicity, share_card, zh_format
from calculator import policyfile
from calculator.core import quote
from calculator.core.values import parse_date

SITE_URL = "https://ybmbz.example.cn/"  # not a reserved example domain: no placeholder warning
SECTIONS = ["一、谁要参保", "二、缴多少", "三、什么时候缴", "四、断保、补缴的后果", "五、怎么缴、带什么"]
TAG = re.compile(r"<[^>]+>")


def text_of(fragment):
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split()).replace(" ", "")


@pytest.fixture(scope="module")
def rendered(policies):
    """{policy id: (facts, poster facts, poster text)}, built on the first payment day (the sheet for posting;
    built later: tests/test_county_sentences.py)."""
    env = pages.environment()
    out = {}
    for policy_id, policy in policies.items():
        facts = county_facts.facts(policy, built_on=parse_date(policy["windows"][0]["from"]))
        page = poster.render_poster(env, policy, facts, page_url(policy))
        out[policy_id] = (facts, poster.poster_facts(policy, facts), page)
    return out


def page_url(policy):
    return publicity.absolute(SITE_URL, pages.county_url(policy))


def test_every_poster_has_the_five_sections_in_order(policies, rendered):
    for policy_id in policies:
        text = text_of(rendered[policy_id][2])
        positions = [text.find(title) for title in SECTIONS]
        assert -1 not in positions and positions == sorted(positions), policy_id


def test_poster_names_county_year_deadline_address_and_the_disclaimer(policies, rendered):
    for policy_id, policy in policies.items():
        text = text_of(rendered[policy_id][2])
        assert "%s%d年度" % (county_sentences.place_name(policy), policy["coverage_year"]) in text
        first = policy["windows"][0]
        if isinstance(first["to"], str):
            deadline = parse_date(first["to"])
            assert "请在%d年%d月%d日前缴费" % (deadline.year, deadline.month, deadline.day) in text
        else:  # the notice gives no end: none is made up
            assert "通知未写明截止日期" in text and "前缴费" not in text
        assert page_url(policy) in text
        assert "以当地医保部门解释为准" in text
        assert "None" not in text and "本站部署时没有设置网址" not in text, policy_id


def test_poster_quotes_each_document_number_or_says_it_is_missing(policies, rendered):
    for policy_id, policy in policies.items():
        text = text_of(rendered[policy_id][2])
        for document in poster.documents(policy):
            said = document.get("number") or (document.get("missing") or {}).get("number", "未写文号")
            assert said in text, (policy_id, said)


def test_a_notice_without_number_or_title_gets_a_poster_that_says_so(policies):
    policy = copy.deepcopy(next(iter(policies.values())))
    for document in (policy["document"], poster.documents(policy)[0]):  # a layered policy lists its own first
        document.update(title=None, number=None, missing={})
    text = text_of(poster.render_poster(pages.environment(), policy, county_facts.facts(policy), page_url(policy)))
    assert "未写标题" in text and "未写文号" in text and "None" not in text


def test_price_table_rows_are_what_the_core_charges_the_people_listed(policies, rendered):
    for policy_id, policy in policies.items():
        facts, facts_of_poster, text = rendered[policy_id]
        window = policy["windows"][0]
        days = county_facts.payment_days_in(policy, window, county_facts.rule_date_flips(policy))
        people = dict(county_facts.typical_people(policy))
        for row in facts_of_poster["price_rows"]:
            assert text_of(row["category"]) in text
            for label in row["people"]:
                result = next(result for result in (quote_one(policy, people[label], day) for day in days) if result["accepted"])
                assert (result["category"], result["pays"]) == (row["category"], row["pays"]), (policy_id, label)


def quote_one(policy, person, day):
    scenario = {"policy": policy["id"], "paid_on": day.isoformat(), "members": [person.member(day)]}
    return quote(policy, scenario)["members"][0]


def test_every_special_group_the_page_prices_is_on_the_poster_with_its_amount(policies, rendered):
    """Each under its whole label (never cut: 泗县's 「（2016年1月1日前出生的子女」 lost its bracket), and
    where the figures hold for one tier or payment day only, the row says which (福山's 残疾人 who pay
    after 12月25日 pay 520元 in 二档)."""
    for policy_id, policy in policies.items():
        facts, facts_of_poster, page = rendered[policy_id]
        text = text_of(page)
        priced = [example for example in facts["subsidies"] if example["result"]]
        listed = [(name, row["result"]["pays"], row["example"]) for row in facts_of_poster["group_rows"] for name in row["who"]]
        assert len(listed) == len(priced)
        for example in priced:
            label, member = example["subsidy"]["label"], example["result"]["member"]
            row = next(row for row in listed if row[:2] == (label, example["result"]["pays"]))
            assert text_of(label) in text and label.count("（") == label.count("）"), (policy_id, label)
            keys = {key for _, key, _ in policyfile.walk(example["subsidy"].get("when") or {})}
            if keys & {"paid_on_or_before", "paid_on_or_after"}:
                assert zh_format.month_day(example["paid_on"]) + "缴费" in row[2], (policy_id, label)
            if "tier" in keys:
                assert county_facts.tier_label(policy, member["tier"]) in row[2], (policy_id, label)
            if row[2]:
                assert text_of("%s（%s）" % (label, row[2])) in text, (policy_id, label)


def test_2025_notices_explain_the_wait_after_missed_years_in_the_cores_words(policies, rendered):
    for policy_id, policy in policies.items():
        examples = rendered[policy_id][1]["missed_years"]
        assert bool(examples) == bool(policy.get("continuity"))
        text = text_of(rendered[policy_id][2])
        for example in examples:
            assert "连续%d年没参保" % example["missed"] in text
            assert text_of(example["says"] or "") in text


def test_hotline_is_quoted_when_the_notice_names_one_and_never_invented(policies, rendered):
    for policy_id in policies:
        text = text_of(rendered[policy_id][2])
        hotlines = rendered[policy_id][1]["hotlines"]
        assert all(text_of(item["quote"]) in text for item in hotlines)
        assert ("本通知未写明咨询电话" in text) == (not hotlines)
    policy = copy.deepcopy(next(iter(policies.values())))
    policy["registration"] = policy["registration"] + [{"quote": "咨询电话：0595-86383123", "line": 1, "end_line": 1}]
    text = text_of(poster.render_poster(pages.environment(), policy, county_facts.facts(policy), page_url(policy)))
    assert "咨询电话：0595-86383123" in text and "本通知未写明咨询电话" not in text


def test_a_placeholder_site_address_is_flagged_on_the_poster(policies):
    policy = next(iter(policies.values()))
    url = publicity.absolute(publicity.PLACEHOLDER_SITE_URL, pages.county_url(policy))
    text = text_of(poster.render_poster(pages.environment(), policy, county_facts.facts(policy), url))
    assert "本站部署时没有设置网址" in text
    assert not poster.is_placeholder(page_url(policy))


def test_qr_code_is_an_svg_without_any_outside_reference(policies, rendered):
    for policy_id in policies:
        svg = re.search(r"<svg\b.*?</svg>", rendered[policy_id][2], re.S).group(0)
        assert 'class="qr-code"' in svg and "href" not in svg


# ---- share metadata and card -------------------------------------------------------------------------

def test_share_title_names_county_year_and_topic(policies):
    for policy in policies.values():
        meta = share_card.share_meta(policy, county_facts.facts(policy), county_sentences.place_name(policy))
        assert meta["title"] == "%s%d年度城乡居民医保：缴费标准、缴费时间、断保后果" % (county_sentences.place_name(policy), policy["coverage_year"])


def test_share_description_carries_the_first_window_and_its_prices(policies):
    for policy in policies.values():
        facts = county_facts.facts(policy)
        description = share_card.share_meta(policy, facts, county_sentences.place_name(policy))["description"]
        first = facts["price_windows"][0]
        assert zh_format.window_dates(first["window"]) in description
        for row in first["rows"][:share_card.MAX_PRICE_ROWS]:
            assert "%s %s" % (row["category"], zh_format.yuan(row["pays"])) in description


def test_share_card_is_a_png_of_the_announced_size(policies):
    assert share_card.can_draw_cards(), "fonts-noto-cjk is missing: bash scripts/setup-browser.sh"
    for policy in policies.values():
        card = share_card.render_card(policy, county_facts.facts(policy), county_sentences.place_name(policy), "ybmbz.example.cn")
        image = Image.open(io.BytesIO(card))
        assert (image.format, image.size) == ("PNG", share_card.CARD_SIZE)
        assert len(image.getcolors()) > 2  # text was drawn


def test_site_files_include_poster_calendar_and_card_for_every_policy(policies, tmp_path):
    files = pages.render_site(list(policies.values()), pages.policies_dir(), SITE_URL)
    for policy_id in policies:
        folder = "counties/%s/" % policy_id
        assert folder + "print/index.html" in files
        assert "%s%s.ics" % (folder, policy_id) in files
        assert isinstance(files[folder + "card.png"], bytes)
        assert files[folder + "index.html"].share_image == "card.png"
    pages.write_site(files, tmp_path)
    assert (tmp_path / "counties" / policy_id / "card.png").read_bytes().startswith(b"\x89PNG")


def test_open_graph_tags_escape_their_text_and_name_the_image_only_when_there_is_one():
    tags = share_card.open_graph_tags('a "b" <c>', "d & e", "https://x.cn/p/", None, "医保明白纸")
    assert isinstance(tags, str) and '"b"' not in tags and "<c>" not in tags and "&amp;" in tags
    assert "og:image" not in tags
    assert 'content="https://x.cn/p/card.png"' in share_card.open_graph_tags("t", "d", "https://x.cn/p/", "https://x.cn/p/card.png", "s")



def test_card_lines_break_after_clauses_and_never_inside_a_number():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    face = share_card.font("regular", 24)
    text = "学生、儿童 380元；成年居民低档 400元；成年居民高档 1234567890元"
    lines = share_card.wrapped(draw, text, face, 300)
    assert "".join(lines) == text and len(lines) > 1
    assert all(not (first[-1:].isdigit() and second[:1].isdigit()) for first, second in zip(lines, lines[1:]))
    assert all(line[:1] not in share_card.NO_LINE_START for line in lines)


def test_calculator_share_pages_name_the_county_never_a_member(policies):
    env = pages.environment()
    for policy in policies.values():
        page = publicity.render_calculator_share(env, policy, county_sentences.place_name(policy), pages.county_url(policy), SITE_URL)
        title = re.search(r'property="og:title" content="([^"]*)"', page).group(1)
        assert title == "%s%d年度城乡居民医保：一户人家的缴费计算" % (county_sentences.place_name(policy), policy["coverage_year"])
        assert 'data-policy="%s"' % policy["id"] in page and 'window.name = `yb-share:${location.hash}`' in page


def test_card_figures_fit_their_column_and_end_above_the_footer(policies):
    """福山's 「错过了」 once ran past the card's right edge: a first clause too long for a line was never broken."""
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    width = share_card.RIGHT - share_card.FIGURES_LEFT
    for policy in policies.values():
        figures = share_card.key_figures(policy, county_facts.facts(policy))
        fitting = None
        for size in range(share_card.px(34), share_card.px(22) - 1, -2):
            face = share_card.font("regular", size)
            laid = [share_card.wrapped(draw, text, face, width) for _, text in figures]
            assert all(draw.textlength(line, font=face) <= width + size for lines in laid for line in lines), policy["id"]
            if share_card.px(230) + sum(len(lines) * (size + share_card.px(12)) + share_card.px(22) for lines in laid) <= share_card.FIGURES_BOTTOM:
                fitting = size
                break
        assert fitting, policy["id"]
