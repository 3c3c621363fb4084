"""The built site: each county page shows the figures the notice gives (computed by the fee core),
every link and citation lands on an existing page and anchor, and nothing points off the site."""
import datetime
import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from build_scripts import county_facts, publicity, search_terms, zh_format
from calculator import policyfile
from calculator.core import quote
from calculator.core.values import age_on, parse_date

REPO_ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"<[^>]+>")
HREF = re.compile(r"""<a\b[^>]*?\shref="([^"]*)\"""")
ELEMENT_ID = re.compile(r"""\sid="([^"]+)\"""")
EXTERNAL_REFERENCE = re.compile(r"""(?:src|href|action)=["']?(?:https?:)?//""")


def text_of(fragment):
    return " ".join(html.unescape(TAG.sub("", fragment.replace("<br>", " "))).split())


def county_html(site, policy_id):
    return (site / "counties" / policy_id / "index.html").read_text(encoding="utf-8")


def section(page, section_id):
    """The text of a county page section: from its h2 to the next h2."""
    start = page.index('<h2 id="%s"' % section_id)
    end = page.find("<h2 ", start + 1)
    return text_of(page[start:end if end > 0 else len(page)])


def price_groups(page):
    """{window label text: row text} of the price table, one entry per payment window."""
    table = page[page.index('<table class="price-table">'):]
    table = table[:table.index("</table>")]
    groups = {}
    for body in re.findall(r"<tbody>(.*?)</tbody>", table, re.S):
        heading, rows = body.split("</th></tr>", 1)
        groups[text_of(re.split(r"<(?:a|button)\b", heading)[0])] = text_of(rows)  # the window, without its citations
    return groups


def group_text(page, subsidy_id):
    start = page.index('id="group-%s"' % subsidy_id)
    return text_of(page[start:page.index("</div>", start)])


def test_nanan_pays_360_until_june_and_970_from_july_1(site):
    groups = price_groups(county_html(site, "nanan-2023"))
    by_start = {label.split("2023年")[-1] if "2023年" in label else label: rows for label, rows in groups.items()}
    assert "360元" in groups["集中参保缴费期 2022年9月1日—12月31日"]
    assert "360元" in by_start["3月1日—6月30日"]
    assert "970元" in by_start["7月1日—12月31日"] and "0元（这部分也由你缴）" in by_start["7月1日—12月31日"]


def test_nanan_late_payment_examples_come_from_the_core(site):
    late = section(county_html(site, "nanan-2023"), "late")
    assert "2023年3月10日缴费：本人缴 360元；等待期60天，2023年5月9日起可以报销" in late
    assert "2023年7月10日缴费：本人缴 970元；等待期60天，2023年9月8日起可以报销" in late


def test_fushan_lists_both_tiers_and_students(site):
    concentrated = price_groups(county_html(site, "yantai-fushan-2022"))["集中参保缴费期 2021年9月1日—12月31日"]
    assert "在校学生 170元" in concentrated
    assert "成年居民一档 370元（10月1日起可以缴）" in concentrated
    assert "成年居民二档 520元（10月1日起可以缴）" in concentrated


def test_fushan_says_the_back_pay_amount_is_not_given(site):
    back_pay = price_groups(county_html(site, "yantai-fushan-2022"))["补缴（集中参保缴费期后） 2022年1月1日—12月31日"]
    assert "通知未写明" in back_pay and "370元" not in back_pay


def test_shantou_dibao_pays_40_and_government_280(site):
    assert "本人缴 40元，政府补 280元" in group_text(county_html(site, "sixian-shantou-2022"), "dibao-fixed")


def test_shantou_refuses_ordinary_residents_after_the_concentrated_period(site):
    groups = price_groups(county_html(site, "sixian-shantou-2022"))
    assert "不能缴费" in groups["集中参保缴费期结束后 2022年3月1日—12月31日"]


def test_fushan_government_enrolment_warns_not_to_pay(site):
    assert "本人不要自己缴费" in group_text(county_html(site, "yantai-fushan-2022"), "special-groups-full")


def test_nanan_newborn_covered_from_birth_within_90_days(site):
    newborn = section(county_html(site, "nanan-2023"), "newborn")
    assert "2023年2月15日出生" in newborn
    assert "2023年2月25日缴费：本人缴 360元；2023年2月15日起可以报销" in newborn


def test_youxi_shows_its_accident_add_on(site):
    assert "30元" in section(county_html(site, "youxi-2022"), "add-ons")


def test_lingyuan_staff_table_shows_the_recomputed_gap(site):
    tables = (site / "counties" / "jinjiang-lingyuan-2022" / "tables.html").read_text(encoding="utf-8")
    assert '<td class="differs">8208</td>' in tables
    assert "原表 8181，重新计算为 8208" in text_of(tables)


def test_the_notices_tables_have_a_page_of_their_own_linked_from_the_county_page(site, policies):
    for policy in policies.values():
        folder = site / "counties" / policy["id"]
        assert (folder / "tables.html").exists() == bool(policy["tables"])
        assert ('href="tables.html"' in county_html(site, policy["id"])) == bool(policy["tables"])
        for table in policy["tables"]:
            assert 'id="table-%s"' % table["id"] in (folder / "tables.html").read_text(encoding="utf-8")


def summary(page):
    """The 一页看懂 box at the top of a county page (HTML)."""
    start = page.index('<section class="glance"')
    return page[start:page.index("</section>", start)]


def summary_part(page, part):
    """One part of the summary (price, dates, late, channels): its HTML."""
    return re.search(r'data-glance="%s">(.*?)</(?:p|ul)>' % part, summary(page), re.S).group(1)


def cited_lines(fragment):
    return {int(line) for line in re.findall(r'<a href="notice\.html#L(\d+)"', fragment)}


def lines_of(sources):
    return {source["line"] for source in sources if "page" not in source}


def test_the_summary_comes_before_every_section(site, policies):
    for policy_id in policies:
        page = county_html(site, policy_id)
        assert page.index('<h2 id="glance" class="visually-hidden">一页看懂</h2>') < page.index("<h2 ", page.index('id="glance"') + 1)
        assert "period-status" in summary(page)


def test_the_summary_states_each_price_of_the_notice_with_its_lines(site, policies):
    for policy in policies.values():
        page = county_html(site, policy["id"])
        price = summary_part(page, "price")
        for item in policy["contribution"]["prices"]:
            assert "%s %s" % (item["label"], zh_format.yuan(item["amount"])) in text_of(price), policy["id"]
            assert lines_of(item["sources"]) <= cited_lines(price), (policy["id"], item["id"])
        # a category that may pay only later in the first window (福山: adults from 10月1日) says so in both
        first_window_rows = list(price_groups(page).values())[0]
        for later_start in re.findall(r"（\d+月\d+日起可以缴）", first_window_rows):
            assert later_start in text_of(price), policy["id"]


def test_the_summary_states_the_first_window_and_the_coverage_year_with_their_lines(site, policies):
    for policy in policies.values():
        dates = summary_part(county_html(site, policy["id"]), "dates")
        first = policy["windows"][0]
        assert "%s：%s" % (first["label"], zh_format.window_dates(first)) in text_of(dates)
        assert zh_format.date_range(policy["coverage"]["start"], policy["coverage"]["end"]) in text_of(dates)
        assert lines_of(first["sources"] + policy["coverage"]["sources"]) <= cited_lines(dates), policy["id"]


def ordinary_adult_quote(policy, paid_on, **facts):
    member = dict(county_facts.typical_people(policy)[0][1].member(paid_on), **facts)
    return quote(policy, {"paid_on": paid_on.isoformat(), "members": [member]})["members"][0]


def wait_words(result):
    """What the summary says of an answer's wait (the core's figures, in the page's words)."""
    if not result["accepted"]:
        return "不能缴费"
    if isinstance(result["coverage_start"], dict):
        return "通知未写明"
    months = (result["applied"]["waiting"] or {}).get("months")
    if months:
        return "等待期%d个月" % months
    return "等待期%d天" % result["waiting_days"] if result["waiting_days"] else "不设等待期"


def day_in_window(policy, window, month, day):
    """The day of the window that falls on month/day (the page leaves the year out)."""
    first, last = parse_date(window["from"]), county_facts.last_day(policy, window)
    return next(date for date in (datetime.date(year, month, day) for year in range(first.year, last.year + 1))
                if first <= date <= last)


def test_the_summary_gives_the_cores_wait_in_each_later_window(site, policies):
    """For each window after the first: the wait of an ordinary adult paying a few days in, and the
    first day from which paying there leaves no cover this year (the day before still has some)."""
    checked = 0
    for policy in policies.values():
        items = re.findall(r"<li>(.*?)</li>", summary_part(county_html(site, policy["id"]), "late"), re.S)
        for window, item in zip(policy["windows"][1:], items):
            text = text_of(item)
            result = ordinary_adult_quote(policy, county_facts.a_few_days_into(policy, window))
            if window.get("closed"):  # a gap between windows: said as such, nobody can pay
                assert text.startswith(zh_format.window_dates(window)) and "不能缴费" in text, (policy["id"], text)
                assert not result["accepted"] and cited_lines(item), (policy["id"], text)
                checked += 1
                continue
            assert text.startswith(zh_format.window_dates(window) + "缴："), (policy["id"], text)
            assert wait_words(result) in text, (policy["id"], text)
            if result["accepted"] and result["applied"]["surcharge"]:  # paying late costs more: say how much
                pays = result["pays"]
                assert ("要缴多少通知未写明" if zh_format.is_unstated(pays) else "要缴 " + zh_format.yuan(pays)) in text
            assert cited_lines(item), (policy["id"], text)
            too_late = re.search(r"(\d+)月(\d+)日起缴的，这一年报销不了", text)
            if too_late:
                day = day_in_window(policy, window, *map(int, too_late.groups()))
                assert ordinary_adult_quote(policy, day).get("starts_after_year_end"), (policy["id"], day)
                before = county_facts.previous_payment_day(policy, day)  # the payment day before it (兴县: not the 26th–31st)
                assert not ordinary_adult_quote(policy, before).get("starts_after_year_end")
            else:
                last = county_facts.open_days(policy, window)[-1]
                assert not ordinary_adult_quote(policy, last).get("starts_after_year_end")
            checked += 1
    assert checked >= len(policies)


def test_the_summary_gives_the_wait_after_missed_years_for_2025_notices(site, policies):
    continuity_policies = [policy for policy in policies.values() if policy.get("continuity")]
    for policy in continuity_policies:
        late = summary_part(county_html(site, policy["id"]), "late")
        window = next(window for window in policy["windows"] if window["id"] in policy["continuity"]["concentrated_windows"])
        for years in county_facts.MISSED_YEARS_EXAMPLES:
            result = ordinary_adult_quote(policy, county_facts.a_few_days_into(policy, window), missed_years=years)
            assert "断保%d年%s" % (years, wait_words(result)) in text_of(late), policy["id"]
        # the fixed wait for a missed year, whoever states it (this notice, or a layer: its page's lines)
        missed_part = next(part for part in policy["continuity"]["fixed"] if "missed" in part.get("applies_to", ["missed"]))
        cited = {(source.get("page", "notice.html"), str(source["line"])) for source in missed_part.get("sources", [])}
        assert cited <= set(re.findall(r'<a href="([^"#]+)#L(\d+)"', late)), policy["id"]
    assert continuity_policies, "no policy with 2025+ waiting periods to show"


def test_the_summary_says_where_to_pay_or_that_the_notice_does_not(site, policies):
    for policy in policies.values():
        channels = summary_part(county_html(site, policy["id"]), "channels")
        if policy["payment_channels"]:
            first = policy["payment_channels"][0]
            assert first["quote"] in text_of(channels) and first["line"] in cited_lines(channels)
        else:
            assert "本通知没有写在哪里缴费" in text_of(channels)


def test_every_rule_subsidy_and_exemption_is_on_its_county_page(site, policies):
    missing = []
    for policy in policies.values():
        page = county_html(site, policy["id"])
        continuity = policy.get("continuity") or {}
        expected = (['id="rule-%s"' % rule["id"] for rule in policy["rules"]]
                    + ['id="group-%s"' % subsidy["id"] for subsidy in policy["subsidies"]]
                    + ['id="exemption-%s"' % item["id"] for item in continuity.get("exemptions", [])])
        missing += ["%s: %s" % (policy["id"], attribute) for attribute in expected if attribute not in page]
    assert missing == []


EXAMPLE_PERSON = re.compile(r"举例（(\d+)岁（(\d+)年(\d+)月(\d+)日出生）(?:[^（）]|（[^（）]*）)*?，(\d+)年(\d+)月(\d+)日(?:缴费|由政府代缴)）")


def test_every_example_person_is_as_old_as_the_label_says(site, policies):
    """The age written beside an example is the person's age on the payment day of that example."""
    checked = 0
    for policy_id in policies:
        for match in EXAMPLE_PERSON.finditer(text_of(county_html(site, policy_id))):
            age, *numbers = map(int, match.groups())
            born, paid = datetime.date(*numbers[:3]), datetime.date(*numbers[3:])
            assert age == age_on(born, paid), (policy_id, match.group())
            checked += 1
    assert checked >= len(policies)


def test_lingyuan_old_revolutionary_village_example_is_born_before_1962(site):
    example = group_text(county_html(site, "jinjiang-lingyuan-2022"), "old-revolutionary-village")
    assert "1961年" in example and "40岁" not in example


def test_youxi_refund_note_is_the_whole_sentence(site):
    assert "由医疗保险经办机构复核该退费数据后办理。" in section(county_html(site, "youxi-2022"), "faq")


def test_missed_years_section_shows_the_core_wait_for_every_2025_notice(site, policies):
    """For a notice with 2025+ waiting periods: 1, 2 and 4 missed years, with the core's own words."""
    continuity_policies = [policy for policy in policies.values() if policy.get("continuity")]
    for policy in continuity_policies:
        text = section(county_html(site, policy["id"]), "continuity")
        window = next(window for window in policy["windows"] if window["id"] in policy["continuity"]["concentrated_windows"])
        paid_on = county_facts.a_few_days_into(policy, window)
        for years in county_facts.MISSED_YEARS_EXAMPLES:
            assert "断保%d年" % years in text
            member = county_facts.typical_people(policy)[0][1].member(paid_on)
            result = quote(policy, {"paid_on": paid_on.isoformat(), "members": [dict(member, missed_years=years)]})
            assert result["members"][0]["applied"]["waiting"]["says"] in text
    assert continuity_policies, "no policy with 2025+ waiting periods to show"


def test_each_waiting_rule_says_whose_words_it_is(site, policies):
    """The 2025+ rules in force, under 「本通知的规定：」 only where this notice states them; a layer's part
    under its document's name, a 原则上 figure labelled as such."""
    for policy in [policy for policy in policies.values() if policy.get("continuity")]:
        text = section(county_html(site, policy["id"]), "continuity")
        continuity = policy["continuity"]
        parts = continuity.get("fixed", []) + [continuity[key] for key in ("variable", "repair", "floor") if key in continuity]
        assert ("本通知的规定：" in text) == any("document" not in part for part in parts), policy["id"]
        for part in parts:
            if "document" in part:
                document = next(document for document in policy["documents"] if document["id"] == part["document"])
                assert (document["number"] or document["title"] or document["issuer"]) in text, (policy["id"], part)
        if any(part.get("in_principle") and part.get("document") for part in parts):
            assert "（原则上），以当地为准" in text, policy["id"]


def test_each_window_is_described_as_the_notice_does(site, policies):
    """Its days of the month where it has them, 「通知未写明截止日期」 where the notice gives no end (and
    never the day the core stops taking payments then), 「不能缴费」 for a closed span."""
    for policy in policies.values():
        text = section(county_html(site, policy["id"]), "dates")
        for window in policy["windows"]:
            assert zh_format.window_dates(window) in text, (policy["id"], window["id"])
            if window.get("monthly"):
                assert "每月%d日至%d日可以缴费" % (window["monthly"]["first_day"], window["monthly"]["last_day"]) in text
            if not isinstance(window["to"], str):
                assert "通知未写明截止日期" in zh_format.window_dates(window)
                assert "截至" + zh_format.full_date(county_facts.last_day(policy, window)) not in text
            if window.get("closed"):
                assert "不能缴费" in zh_format.window_dates(window)


def test_every_citation_opens_the_cited_notice_line(site):
    cited = 0
    for county in (site / "counties").glob("*/index.html"):
        page = county.read_text(encoding="utf-8")
        notice_ids = set(ELEMENT_ID.findall((county.parent / "notice.html").read_text(encoding="utf-8")))
        for line in re.findall(r'<a href="notice\.html#(L\d+)"', page):
            assert line in notice_ids, "%s cites %s" % (county.parent.name, line)
            cited += 1
    assert cited > 100


def test_cited_line_holds_the_quoted_words(site, policies):
    """The line a citation opens contains the start of the quoted sentence."""
    for policy in policies.values():
        notice = (site / "counties" / policy["id"] / "notice.html").read_text(encoding="utf-8")
        for item in policy["eligible"] + policy["payment_channels"]:
            line = re.search(r'<p id="L%d">(.*?)</p>' % item["line"], notice).group(1)
            first_words = "".join(item["quote"].split())[:4]
            assert first_words in "".join(text_of(line).split())


def test_every_internal_link_resolves(site):
    broken = []
    for page in site.rglob("*.html"):
        content = page.read_text(encoding="utf-8")
        for href in HREF.findall(content):
            problem = link_problem(site, page, html.unescape(href))
            if problem:
                broken.append("%s → %s: %s" % (page.relative_to(site), href, problem))
    assert broken == []


def link_problem(site, page, href):
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # judged by test_nothing_points_off_the_site
    path = unquote(parts.path)
    if path.startswith("/"):  # the 404 page links from the site root
        target = (site / path.lstrip("/")).resolve()
    else:
        target = (page.parent / path).resolve() if path else page
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file"
    if parts.fragment and target.suffix == ".html":
        if parts.fragment not in ELEMENT_ID.findall(target.read_text(encoding="utf-8")):
            return "no such anchor"
    return None


def test_nothing_points_off_the_site(site):
    """Nothing but the site's own public address (mkdocs.yml's site_url, in canonical links)."""
    own_address = re.compile(r"""href=["']%s""" % re.escape(publicity.site_url_from_environment()))
    offending = [str(path.relative_to(site)) for path in site.rglob("*") if path.suffix in (".html", ".css")
                 and EXTERNAL_REFERENCE.search(own_address.sub("", path.read_text(encoding="utf-8")))]
    assert offending == []


def test_no_font_or_analytics_service_is_named(site):
    for path in site.rglob("*.html"):
        content = path.read_text(encoding="utf-8")
        for name in ("fonts.googleapis", "fonts.gstatic", "googletagmanager", "google-analytics", "cdn.jsdelivr"):
            assert name not in content, "%s names %s" % (path, name)


def test_picker_index_lists_every_county_once(site, policies):
    """Each notice once under its place; a province-wide notice (no city) under each city of its province,
    so that a resident who picks their own city finds it."""
    index = json.loads((site / "counties" / "index.json").read_text(encoding="utf-8"))
    provinces = {policy["jurisdiction"]["province"] for policy in policies.values()}
    assert [province["name"] for province in index["provinces"]] == sorted(provinces, key=lambda name: name.encode("gb18030"))
    for province in index["provinces"]:
        urls = [notice["url"] for city in province["cities"] for county in city["counties"] for notice in county["notices"]]
        own = [policy for policy in policies.values() if policy["jurisdiction"]["province"] == province["name"]]
        wide = ["counties/%s/" % policy["id"] for policy in own if not policy["jurisdiction"]["city"]]
        expected = ["counties/%s/" % policy["id"] for policy in own if policy["jurisdiction"]["city"]]
        assert sorted(urls) == sorted(expected + wide * len(province["cities"]))
        for city in province["cities"]:
            assert set(wide) <= {notice["url"] for county in city["counties"] for notice in county["notices"]}


def test_search_index_holds_short_entries_per_county_page_and_section(site):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    county_entries = [doc for doc in docs if doc["location"].startswith("counties/nanan-2023/")]
    assert county_entries[0]["location"] == "counties/nanan-2023/"
    assert all(doc["location"] == "counties/nanan-2023/" or "/#" in doc["location"] for doc in county_entries)
    assert "低保" in " ".join(doc["text"] for doc in county_entries)
    assert all(len(doc["text"]) < 1000 for doc in county_entries)


def test_developer_pages_are_out_of_the_search_index(site):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    developer_urls = tuple(page.removesuffix(".md") + "/" for page in search_terms.DEVELOPER_PAGES)
    assert docs and not [doc["location"] for doc in docs if doc["location"].startswith(developer_urls)]


def test_schema_page_shows_the_author_guide_and_every_field(site):
    page = (site / "schema" / "index.html").read_text(encoding="utf-8")
    schema = json.loads((REPO_ROOT / "policies" / "schema.json").read_text(encoding="utf-8"))
    assert "新增一个县" in page
    for field in schema["properties"]:
        assert "<code>%s</code>" % field in page
    published = (site / "policy-files" / "schema.json").read_text(encoding="utf-8")
    assert published == (REPO_ROOT / "policies" / "schema.json").read_text(encoding="utf-8")


def test_every_national_and_provincial_document_has_its_text_on_the_site(site):
    """A provincial rule is on the site before any notice of the site builds on it (福建 2025)."""
    directory = (site / "counties" / "index.html").read_text(encoding="utf-8")
    for path in policyfile.layers_module.layer_paths(policyfile.POLICIES_DIR):
        page = site / "rules" / path.stem / "index.html"
        assert 'href="../rules/%s/"' % path.stem in directory
        assert 'id="L1"' in page.read_text(encoding="utf-8")
