"""What more than one output says is worded once, in the county view (build_scripts/county_sentences.py):
the county page's summary, the poster, the share card and text and the calendar say it in the view's words,
for every policy, on a build date in each place the payment period can stand (its first window, after it
while later windows take payments, over). A notice over when the site was built never tells anyone to pay
by a passed day: it says 「往年通知，仅供查阅」 and points to the place's newer notice, else says whom to ask."""
import datetime
import html
import re

import icalendar
import pytest
from PIL import Image, ImageDraw

from build_scripts import calendar_ics, county_facts, county_sentences, pages, poster, publicity, share_card, zh_format
from calculator.core import windows as core_windows
from calculator.core.values import parse_date

SITE_URL = "https://ybmbz.example.cn/"
ONE_DAY = datetime.timedelta(days=1)
TAG = re.compile(r"<[^>]+>")
INSTRUCTION = re.compile("请在[^。；]*前缴费|请尽早缴费")  # ours; a rule's label may quote the notice's 「2月28日前补缴」
DEADLINE = re.compile(r'<p class="poster-deadline">.*?<strong>(.*?)</strong></p>', re.S)


def text_of(fragment):
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split()).replace(" ", "")


def build_days(policy):
    """{standing: a build date on which the period stands so}: the first payment day, the day after the first
    window (where a later window still takes payments), the day after the last payment day."""
    first, last = policy["windows"][0], parse_date(policy["form"]["payment_period"]["last"])
    days = {county_sentences.FIRST: parse_date(first["from"]), county_sentences.OVER: last + ONE_DAY}
    if core_windows.end_is_known(first) and parse_date(first["to"]) < last:
        days[county_sentences.LATER] = parse_date(first["to"]) + ONE_DAY
    return days


def newer_than(policy):
    """A newer notice for the same place, as the site would list it."""
    return dict(policy, id="newer-notice", name="%s 2099年度" % county_sentences.place_name(policy), coverage_year=2099)


@pytest.fixture(scope="module")
def outputs(policies):
    """[(policy, standing, facts, {poster, card, description, calendar, page})] for every policy and standing
    (a notice over at the build: once with a newer notice on the site, once without)."""
    env = pages.environment()
    out = []
    for policy in policies.values():
        url = publicity.absolute(SITE_URL, pages.county_url(policy))
        for standing, day in build_days(policy).items():
            for newer in ([None, newer_than(policy)] if standing == county_sentences.OVER else [None]):
                facts = county_facts.facts(policy, built_on=day, newer=newer)
                share = share_card.share_meta(policy, facts, county_sentences.place_name(policy))
                out.append((policy, standing, facts, {
                    "poster": poster.render_poster(env, policy, facts, url),
                    "card": share_card.key_figures(policy, facts),
                    "description": share["description"],
                    "calendar": icalendar.Calendar.from_ical(calendar_ics.render_calendar(policy, facts, url)),
                    "page": env.get_template("county.html.j2").render(policy=policy, facts=facts, share=share,
                                                                    now=pages.now_data(policy, [])),
                }))
    return out


def glance(page, part):
    return text_of(re.search(r'data-glance="%s">(.*?)</p>' % part, page, re.S).group(1))


def test_the_view_is_worded_for_each_standing_of_every_policy(outputs, policies):
    seen = {(policy["id"], standing) for policy, standing, _, _ in outputs}
    assert seen == {(policy["id"], standing) for policy in policies.values() for standing in build_days(policy)}
    assert any(standing == county_sentences.LATER for _, standing in seen)  # a 2025+ notice's late windows


def test_every_output_says_the_first_window_in_the_views_words(outputs):
    for policy, standing, facts, out in outputs:
        first = policy["windows"][0]
        line = facts["says"]["windows"][first["id"]]
        assert line in text_of(out["poster"]), (policy["id"], standing)
        assert dict(out["card"])["缴费时间"].startswith(line) and line in out["description"], (policy["id"], standing)
        assert glance(out["page"], "dates").startswith(line), (policy["id"], standing)
        if not first.get("closed"):
            described = [str(event["DESCRIPTION"]) for event in out["calendar"].walk("VEVENT")
                         if str(event["UID"]).startswith("%s-window-%s" % (policy["id"], first["id"]))]
            assert described and all(line + "。" in text for text in described), (policy["id"], standing)


def test_the_poster_and_the_card_say_the_views_deadline(outputs):
    for policy, standing, facts, out in outputs:
        says = facts["says"]
        assert text_of(DEADLINE.search(out["poster"]).group(1)) == says["deadline"], (policy["id"], standing)
        card = dict(out["card"])
        if standing == county_sentences.FIRST:
            assert "注意" not in card
        else:
            assert card["注意"].startswith("；".join([says["deadline"]] + says["over"])), (policy["id"], standing)
            assert out["description"].startswith("注意：" + says["deadline"]), (policy["id"], standing)


def test_paying_by_a_day_is_said_only_while_the_build_date_is_before_it(outputs):
    for policy, standing, _, out in outputs:
        first = policy["windows"][0]
        texts = [text_of(out["poster"]), out["description"]] + [text for _, text in out["card"]]
        texts += [str(event[field]) for event in out["calendar"].walk("VEVENT") for field in ("SUMMARY", "DESCRIPTION")]
        if standing == county_sentences.FIRST and core_windows.end_is_known(first):
            assert "请在%s前缴费" % zh_format.full_date(first["to"]) in texts[0], policy["id"]
        elif standing != county_sentences.FIRST:
            assert not any(INSTRUCTION.search(text) for text in texts), (policy["id"], standing)


def test_a_notice_over_at_the_build_says_so_first_everywhere_and_points_to_the_newer_notice(outputs):
    checked = 0
    for policy, standing, facts, out in outputs:
        says = facts["says"]
        if standing != county_sentences.OVER:
            assert not says["over"] and county_sentences.OVER_WORDS not in out["poster"] + out["description"]
            continue
        checked += 1
        poster_text = text_of(out["poster"])
        assert poster_text.index(county_sentences.OVER_WORDS) < poster_text.index("一、谁要参保"), policy["id"]
        assert out["card"][0] == ("注意", "；".join([county_sentences.OVER_WORDS] + says["over"]))
        assert county_sentences.OVER_WORDS in str(out["calendar"]["X-WR-CALNAME"])
        named = "%s%d年度（%s）" % (county_sentences.place_name(policy), policy["coverage_year"], county_sentences.OVER_WORDS)
        assert all(str(event["SUMMARY"]).startswith(named) and
                   str(event["DESCRIPTION"]).startswith(county_sentences.OVER_WORDS)
                   for event in out["calendar"].walk("VEVENT")), policy["id"]
        if says["newer_id"]:
            assert says["over"][0] == "本站已收录更新的通知：%s" % newer_than(policy)["name"]
            assert publicity.absolute(SITE_URL, "counties/newer-notice/") in poster_text, policy["id"]
        else:
            wanted = county_sentences.enrollment_year(build_days(policy)[county_sentences.OVER])
            asked = "本站还没有收录%s的%d年度通知，%s" % (county_sentences.place_name(policy), wanted, county_sentences.WHOM_TO_ASK)
            assert asked in says["over"] and text_of(asked) in poster_text, policy["id"]
    assert checked


def test_the_page_and_the_card_say_the_prices_and_the_governments_part_in_the_views_words(outputs):
    for policy, standing, facts, out in outputs:
        says, card = facts["says"], dict(out["card"])
        items = [county_sentences.plain(item) for item in says["prices"]]
        price = glance(out["page"], "price")
        assert price.startswith(text_of("每人缴：" + "；".join(items))), policy["id"]
        assert card["每人缴"].startswith("；".join(items[:share_card.MAX_PRICE_ROWS])), policy["id"]
        if says["fiscal"]:
            assert "政府另补" + says["fiscal"] in price, policy["id"]
        if standing == county_sentences.OVER:  # a past year's card says what it was, no more
            assert not {"财政另补", "错过了"} & card.keys(), policy["id"]
            continue
        if says["fiscal"]:
            assert card["财政另补"].startswith(says["fiscal"]), policy["id"]
        assert card.get("错过了") == says["late"], policy["id"]


def test_the_view_is_the_same_on_each_build_date_but_for_where_the_period_stands(policies):
    """Only the standing, the deadline and what an over notice points to depend on the build date."""
    dated = {"standing", "deadline", "over", "newer_id"}
    for policy in policies.values():
        views = [county_facts.facts(policy, built_on=day)["says"] for day in build_days(policy).values()]
        assert all({key: value for key, value in view.items() if key not in dated} ==
                   {key: value for key, value in views[0].items() if key not in dated} for view in views), policy["id"]


def test_the_card_fits_on_every_build_date(outputs):
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    for policy, standing, _, out in outputs:
        assert share_card.laid_out(draw, out["card"])[2], (policy["id"], standing)
