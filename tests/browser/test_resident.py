"""A resident's phone on a given day: every page says which coverage year a notice is for and
whether its payment period is open that day (from the phone's clock, not the build's); the
calculator names county, year and payment day above its figures, puts "too late to be covered
this year" first, never mixes two counties while switching, and opens a shared link on its answer."""
import base64
import datetime
import json

import pytest
from playwright.sync_api import expect

from build_scripts import bundle
from calculator.core import quote_json

BOOT_MS = 90_000


def at_noon(iso, days=0):
    day = datetime.date.fromisoformat(iso) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(12))


def share_fragment(scenario):
    """A share link's fragment: members carry no id (share.js numbers them again)."""
    shared = dict(scenario, members=[{k: v for k, v in m.items() if k != "id"} for m in scenario["members"]])
    return "#v1=" + base64.urlsafe_b64encode(json.dumps(shared, ensure_ascii=False).encode()).decode().rstrip("=")


def two_policies(policies):
    if len(policies) < 2:
        pytest.fail("the county-switch tests need two policies", pytrace=False)
    return list(policies.values())[:2]


# ---- the payment period against the phone's date ----

def days_and_words(policy):
    """(day, what the page must say that day): after the last window, inside the first, before it."""
    windows = policy["windows"]
    return [(at_noon(windows[-1]["to"], days=1), "缴费期已结束"),
            (at_noon(windows[0]["from"]), "正在缴费期内"),
            (at_noon(windows[0]["from"], days=-1), "尚未开始")]


def test_county_page_says_where_the_period_stands_on_the_day_it_is_read(phone_page, site_url, policies):
    for policy in policies.values():
        for day, words in days_and_words(policy):
            phone_page.clock.set_fixed_time(day)
            phone_page.goto(site_url + "counties/%s/" % policy["id"])
            status = phone_page.locator(".key-figures .period-status")
            expect(status).to_contain_text("%d年度" % policy["coverage_year"])
            expect(status).to_contain_text(words)


def test_home_page_marks_each_notice_from_the_phones_date(phone_page, site_url, policies):
    latest = max(policies.values(), key=lambda p: p["windows"][-1]["to"])
    phone_page.clock.set_fixed_time(at_noon(latest["windows"][-1]["to"], days=1))
    phone_page.goto(site_url)
    statuses = phone_page.locator(".latest .period-status")
    expect(statuses.first).to_contain_text("缴费期已结束")
    assert statuses.count() == phone_page.locator(".latest > li").count()
    assert all("已结束" in text for text in statuses.all_inner_texts())


def test_calculator_on_a_closed_notice_says_so_before_any_figure(phone_page, site_url, policies):
    policy = next(iter(policies.values()))
    phone_page.clock.set_fixed_time(at_noon(policy["windows"][-1]["to"], days=400))
    phone_page.goto(site_url + "calculator/?policy=" + policy["id"])
    banner = phone_page.locator(".yb-period.is-closed")
    expect(banner).to_contain_text("%d年度" % policy["coverage_year"])
    expect(banner).to_contain_text("缴费期已结束")
    expect(banner).to_contain_text("不是现在要交的钱")
    assert banner.bounding_box()["y"] < phone_page.locator("form.yb-form").bounding_box()["y"]


def too_late_case(policies):
    """A policy and a payment day in its last window on which an adult's cover would start only
    after the coverage year has ended (found with the CPython core)."""
    for policy in policies.values():
        for window in reversed(policy["windows"]):
            scenario = {"policy": policy["id"], "paid_on": window["to"], "members": [{"id": "成员1", "birth_date": "1980-05-05"}]}
            member = json.loads(quote_json(bundle.policy_json(policy), json.dumps(scenario)))["members"][0]
            if member.get("accepted") and isinstance(member.get("coverage_start"), str) \
                    and member["coverage_start"] > policy["coverage"]["end"]:
                return policy, scenario
    pytest.fail("no shipped policy has a payment day too late to be covered that year", pytrace=False)


def test_a_payment_too_late_to_be_covered_is_the_headline(phone_page, site_url, policies):
    policy, scenario = too_late_case(policies)
    phone_page.goto(site_url + "calculator/" + share_fragment(scenario))
    headline = phone_page.locator(".yb-headline")
    expect(headline).to_be_visible(timeout=BOOT_MS)
    expect(headline).to_contain_text("按%d年度通知" % policy["coverage_year"])
    paid = datetime.date.fromisoformat(scenario["paid_on"])
    expect(headline).to_contain_text("在%d年%d月%d日缴费" % (paid.year, paid.month, paid.day))
    expect(headline.locator(".yb-too-late")).to_contain_text("享受不到")
    assert headline.bounding_box()["y"] < phone_page.locator(".yb-total").bounding_box()["y"]


def test_a_shared_link_opens_on_its_result(phone_page, site_url, policies):
    policy = next(iter(policies.values()))
    scenario = {"policy": policy["id"], "paid_on": policy["windows"][0]["from"], "members": [{"birth_date": "1980-05-05"}]}
    phone_page.goto(site_url + "calculator/" + share_fragment(scenario))
    headline = phone_page.locator(".yb-headline")
    expect(headline).to_be_visible(timeout=BOOT_MS)
    expect(headline).to_be_in_viewport()


# ---- switching county ----

def shown_policy(page):
    """What picker, period banner and address say: they must all name the same notice."""
    return {"picker": page.get_by_label("县区和年度").input_value(),
            "banner": page.locator(".yb-period-state strong").inner_text(),
            "address": page.evaluate("new URLSearchParams(location.search).get('policy')")}


def test_a_slow_file_for_an_abandoned_county_is_dropped(phone_page, site_url, policies):
    first, second = two_policies(policies)
    phone_page.goto(site_url + "calculator/?policy=" + first["id"])
    expect(phone_page.locator(".yb-period-state")).to_contain_text(first["name"])
    held = []
    phone_page.route("**/calculator/policies/%s-*.json" % first["id"], lambda route: held.append(route))
    phone_page.get_by_label("县区和年度").select_option(second["id"])
    expect(phone_page.locator(".yb-period-state")).to_contain_text(second["name"])
    phone_page.get_by_label("县区和年度").select_option(first["id"])
    phone_page.get_by_label("县区和年度").select_option(second["id"])
    expect(phone_page.locator(".yb-period-state")).to_contain_text(second["name"])
    for route in held:
        route.continue_()  # the first county's file arrives after the resident moved on
    phone_page.wait_for_timeout(500)
    assert shown_policy(phone_page) == {"picker": second["id"], "banner": second["name"] + "通知", "address": second["id"]}


def test_offline_switch_keeps_picker_and_form_on_the_county_shown(phone_page, site_url, policies):
    first, second = two_policies(policies)
    phone_page.goto(site_url + "calculator/?policy=" + first["id"])
    expect(phone_page.locator(".yb-period-state")).to_contain_text(first["name"])
    phone_page.route("**/calculator/policies/%s-*.json" % second["id"], lambda route: route.abort("internetdisconnected"))
    phone_page.get_by_label("县区和年度").select_option(second["id"])
    expect(phone_page.locator(".yb-error[role=alert]").first).to_contain_text("网络")
    assert shown_policy(phone_page) == {"picker": first["id"], "banner": first["name"] + "通知", "address": first["id"]}
    expect(phone_page.locator("form.yb-form")).to_be_visible()
    expect(phone_page.get_by_text("计算器还在准备中")).to_have_count(0)


def test_the_calculator_opens_on_the_county_last_looked_at(phone_page, site_url, policies):
    _, second = two_policies(policies)
    phone_page.goto(site_url + "counties/%s/" % second["id"])
    phone_page.goto(site_url + "calculator/")
    expect(phone_page.get_by_label("县区和年度")).to_have_value(second["id"])
    phone_page.goto(site_url)
    expect(phone_page.locator(".picker-go")).to_have_attribute("href", site_url + "counties/%s/" % second["id"])
    expect(phone_page.locator(".picker-calc")).to_have_attribute("href", site_url + "calculator/?policy=" + second["id"])
