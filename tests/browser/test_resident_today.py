"""The resident today (issue 21), on a 390×844 phone, with the phone's real clock and with a clock set
inside an open period: a county page says what to do now (never a passed deadline as the thing to do),
the home page lists each place's newest notice and labels past years 往年, the 南安 family reaches its
720 元 from the home page in at most 8 taps with dates typed as people write them, an elderly reader's
first screen answers how much, by when, where and whether open, the page with its sections closed is at
most 6 screens, every tap target is 44×44 px, and a household leaves no trace in the address bar, the
saved session or autofill."""
import base64
import datetime
import json
import re
import shutil
import sqlite3

import pytest
from playwright.sync_api import expect

from build_scripts import county_facts, county_sentences, pages
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

BOOT_MS = 90_000
SCREEN = PHONE["viewport"]["height"]
NANAN = "nanan-2023"
# 本人 1980-05-01; 母亲 1950-02-01 低保; 儿子 2015-09-01 在校学生, typed as people write dates.
NANAN_FAMILY = [("1980-5-1", None, None), ("1950.2.1", "低保对象", None), ("2015年9月1日", None, "在校学生（中小学、幼儿园等）")]
NANAN_TOTAL = "720 元"


def at_noon(iso):
    return datetime.datetime.combine(datetime.date.fromisoformat(iso), datetime.time(12))


def open_day(policy):
    """A day inside the notice's first window on which payments are taken (its first)."""
    return at_noon(county_facts.open_days(policy, policy["windows"][0])[0].isoformat())


# The two clocks of the issue: the phone's own, and one set inside an open period.
CLOCKS = ["real", "open"]


def set_clock(page, clock, policy):
    if clock == "open":
        page.clock.set_fixed_time(open_day(policy))


def today(page):
    return datetime.date.fromisoformat(page.evaluate(
        "(() => { const d = new Date(); const two = (n) => String(n).padStart(2, '0');"
        " return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`; })()"))


def enrollment_year(day):
    return day.year + 1 if day.month >= 9 else day.year


# ---- what to do now ----

@pytest.mark.parametrize("clock", CLOCKS)
def test_a_county_page_says_what_to_do_today(phone_page, site_url, policies, clock):
    closed = 0
    for policy in policies.values():
        set_clock(phone_page, clock, policy)
        phone_page.goto(site_url + "counties/%s/" % policy["id"])
        status = phone_page.locator(".key-figures .period-status")
        now = phone_page.locator(".key-figures .period-now")
        expect(status).to_have_class(re.compile("is-(open|closed|upcoming)"))
        calendar = phone_page.locator(".publicity-actions a[href$='.ics']")
        if "is-closed" in status.get_attribute("class"):
            closed += 1
            wanted = enrollment_year(today(phone_page))
            expect(now).to_contain_text("往年")
            expect(now).to_contain_text("本站还没有收录%s的%d年度通知" % (county_sentences.place_name(policy), wanted))
            expect(now).to_contain_text("12393")
            expect(calendar).to_be_hidden()  # no calendar of passed dates
            expect(phone_page.locator(".publicity-actions .calendar-note")).to_have_text("（这份通知的缴费期已结束，不再提供日历）")
        else:
            expect(now).not_to_contain_text("往年")
            expect(calendar).to_be_visible()
        if clock == "open":
            expect(status).to_contain_text("正在缴费期内")
            expect(now).to_be_empty()
    if clock == "real":
        assert closed, "no notice is closed today: the test shows nothing"


@pytest.mark.parametrize("clock", CLOCKS)
def test_the_first_screen_answers_how_much_by_when_where_and_whether_open(phone_page, site_url, policies, clock):
    for policy in policies.values():
        set_clock(phone_page, clock, policy)
        phone_page.goto(site_url + "counties/%s/" % policy["id"])
        for part in [".key-figures .period-status", "[data-glance=price]", "[data-glance=dates]", "[data-glance=channels] strong"]:
            box = phone_page.locator(part).bounding_box()
            assert box["y"] + box["height"] <= SCREEN, (policy["id"], clock, part, box)


def test_the_home_page_lists_each_places_newest_notice_and_labels_past_years(phone_page, site_url, policies):
    phone_page.goto(site_url)
    items = phone_page.locator(".latest > li")
    newest = pages.newest_per_place(list(policies.values()))
    expect(items).to_have_count(min(len(newest), pages.LATEST_COUNT))
    for i in range(items.count()):
        state = items.nth(i).locator(".period-status")
        expect(state).to_have_class(re.compile("is-"))
        if "is-closed" in state.get_attribute("class"):
            expect(state).to_contain_text("往年")
        else:
            expect(state).not_to_contain_text("往年")


# ---- the calculator's dates: the 南安 family in ≤ 8 taps ----

class Taps:
    """A phone user's taps: a tap counts one, an option picked from a list two (open it, pick); typing
    into the focused field counts none."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator):
        locator.click()
        self.count += 1

    def pick(self, select, label):
        select.select_option(label=label)
        self.count += 2


@pytest.mark.parametrize("clock", CLOCKS)
def test_the_nanan_family_reaches_720_yuan_from_the_home_page_within_8_taps(phone_page, site_url, policies, clock):
    policy = policies[NANAN]
    set_clock(phone_page, clock, policy)
    taps = Taps(phone_page)
    phone_page.goto(site_url)
    taps.tap(phone_page.locator(".latest a[href$='calculator/?policy=%s']" % NANAN))
    expect(phone_page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    members = phone_page.locator("fieldset.yb-member")
    for i, (birth, group, student) in enumerate(NANAN_FAMILY):
        if i == 0:
            taps.tap(members.nth(0).get_by_label("出生日期"))
        else:  # a member added takes the focus in its birth date
            taps.tap(phone_page.get_by_role("button", name="＋ 添加家庭成员"))
            expect(members.nth(i).get_by_label("出生日期")).to_be_focused()
        phone_page.keyboard.type(birth)
        if group:
            taps.tap(members.nth(i).get_by_role("checkbox", name=group, exact=True))
        if student:
            taps.pick(members.nth(i).get_by_label("是否学生"), student)
    choices = phone_page.locator(".yb-date-choice .yb-window-choice")
    if clock == "real":  # the notice is long over: its own windows, in words, the concentrated period first
        expect(phone_page.get_by_role("button", name="计算", exact=True)).to_be_hidden()
        expect(choices.first).to_have_text("在集中参保缴费期内缴（2022年9月1日—12月31日）")
        expect(choices).to_have_count(len(policy["windows"]))
        taps.tap(choices.first)
    else:
        expect(choices).to_have_count(0)
        taps.tap(phone_page.get_by_role("button", name="计算", exact=True))
    total = phone_page.locator(".yb-total")
    expect(total).to_contain_text("全家")
    expect(total).to_contain_text(NANAN_TOTAL)
    expect(total).to_be_in_viewport()  # scrolled into view, its total showing
    assert taps.count <= 8, taps.count
    assert "#" not in phone_page.url


def test_choosing_a_later_window_computes_at_once_on_its_first_payment_day(phone_page, site_url, policies):
    policy = policies[NANAN]
    phone_page.goto(site_url + "calculator/?policy=" + NANAN)
    expect(phone_page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    phone_page.get_by_label("出生日期").fill("19800501")
    window = policy["windows"][1]
    phone_page.locator(".yb-window-choice[data-window='%s']" % window["id"]).click()
    first = datetime.date.fromisoformat(window["from"])
    expect(phone_page.locator(".yb-headline")).to_contain_text("在%d年%d月%d日缴费" % (first.year, first.month, first.day))
    expect(phone_page.get_by_label("缴费日期")).to_have_value(window["from"])
    expect(phone_page.locator(".yb-date-choice")).to_be_empty()  # the day is a payment day now: 计算 is back
    expect(phone_page.get_by_role("button", name="计算", exact=True)).to_be_visible()
    expect(phone_page.locator(".yb-headline")).to_be_in_viewport()


@pytest.mark.parametrize("typed", ["19800501", "1980-5-1", "1980.5.1", "1980年5月1日", "1980-05-01", "１９８０年５月１日"])
def test_a_birth_date_is_taken_as_people_write_it(phone_page, site_url, typed):
    phone_page.goto(site_url + "calculator/?policy=" + NANAN)
    field = phone_page.locator("[data-field='members[0].birth_date']")
    field.get_by_label("出生日期").fill(typed)
    expect(field.locator(".yb-date-said")).to_have_text("1980年5月1日")


def test_the_wait_question_behind_a_gate_never_says_fill_in_0(phone_page, site_url, policies):
    policy = next(p for p in policies.values() if "missed_years" in p["form"]["asks"])
    phone_page.goto(site_url + "calculator/?policy=" + policy["id"])
    gate = phone_page.locator("fieldset.yb-checks[data-field='members[0].missed_years']")
    gate.get_by_label("否").check()
    number = gate.locator("input[type=number]")
    expect(number).to_have_attribute("min", "1")
    expect(gate).not_to_contain_text("填0")


# ---- an elderly reader's page ----

def test_a_county_page_with_its_sections_closed_is_at_most_6_screens(phone_page, site_url, policies):
    for policy in policies.values():
        phone_page.goto(site_url + "counties/%s/" % policy["id"])
        assert phone_page.locator("details.section[open]").count() == 0
        height = phone_page.evaluate("document.documentElement.scrollHeight")
        assert height <= 6 * SCREEN, (policy["id"], height)


def test_a_section_opens_on_a_tap_and_a_link_to_it_opens_it(phone_page, site_url, policies):
    policy = next(iter(policies.values()))
    phone_page.goto(site_url + "counties/%s/" % policy["id"])
    section = phone_page.locator("details.section:has(#price)")
    section.locator("summary").click()
    expect(section).to_have_attribute("open", "")
    expect(section.locator("table.price-table")).to_be_visible()
    phone_page.goto(site_url + "counties/%s/#late" % policy["id"])
    expect(phone_page.locator("details.section:has(#late)")).to_have_attribute("open", "")
    expect(phone_page.locator("#late")).to_be_in_viewport()


# Every visible control a finger can hit, and its box: a box or radio by its label.
SMALL_TARGETS = """() => {
  const out = [];
  const controls = "a[href], button, select, summary, input:not([type=hidden]), textarea, label.md-header__button, label.md-search__icon";
  for (const el of document.querySelectorAll(controls)) {
    const target = el.matches("input[type=checkbox], input[type=radio]") ? (el.closest("label") ?? el) : el;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    let shown = box.width > 0 && box.height > 0 && style.visibility === "visible";
    for (let node = target; shown && node; node = node.parentElement) shown = Number(getComputedStyle(node).opacity) > 0;
    if (!shown || target.closest("[hidden]") || target.matches(".md-skip:not(:focus)")) continue;
    if (box.width < 44 || box.height < 44)
      out.push(`${el.tagName}.${el.className} ${Math.round(box.width)}×${Math.round(box.height)} `
        + `「${(el.textContent || el.value || "").trim().slice(0, 16)}」`);
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["", "counties/", "counties/%s/" % NANAN, "counties/%s/notice.html" % NANAN,
                                  "counties/%s/print/" % NANAN, "calculator/?policy=" + NANAN, "about/", "roster/"])
def test_every_tap_target_is_at_least_44_px(phone_page, site_url, path):
    phone_page.goto(site_url + path)
    phone_page.wait_for_load_state("networkidle")
    if path.startswith("counties/") and path.endswith("/") and path != "counties/":
        for summary in phone_page.locator("details > summary").all():
            summary.click()  # the sections' contents too
        for toggle in phone_page.locator(".cite-toggle").all():
            if toggle.is_visible():
                toggle.click()  # and the citations each 「原文」 opens
    if path.startswith("calculator/"):
        phone_page.locator("form.yb-form").wait_for()
    assert phone_page.evaluate(SMALL_TARGETS) == []


def test_back_to_top_never_covers_a_form_field(phone_page, site_url):
    phone_page.goto(site_url + "calculator/?policy=" + NANAN)
    add = phone_page.get_by_role("button", name="＋ 添加家庭成员")
    for _ in range(4):
        add.click()
    top = phone_page.locator(".md-top")
    shown = 0
    height = phone_page.evaluate("document.documentElement.scrollHeight")
    for y in range(height - SCREEN, SCREEN, -120):  # scrolling back up over the form, as the button shows
        phone_page.evaluate("y => window.scrollTo(0, y)", y)
        phone_page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")  # its scroll event
        if not top.evaluate("button => button.hidden"):  # (hidden, the theme only fades it out)
            covered = phone_page.evaluate("""() => {
              const b = document.querySelector(".md-top").getBoundingClientRect();
              return [...document.querySelectorAll(".yb-form input, .yb-form select, .yb-form button, .yb-form summary")]
                .filter((el) => { const r = el.getBoundingClientRect();
                  return r.width && r.bottom > b.top && r.top < b.bottom && r.right > b.left && r.left < b.right; })
                .map((el) => el.outerHTML.slice(0, 60));
            }""")
            assert covered == [], (y, covered)
            shown += 1
    assert shown, "the button never showed: nothing was checked"


# ---- nothing of a household stays on the device unasked ----

def share_fragment(scenario):
    return "#v1=" + base64.urlsafe_b64encode(json.dumps(scenario, ensure_ascii=False).encode()).decode().rstrip("=")


def test_household_fields_are_kept_out_of_autofill_and_session_restore(phone_page, site_url):
    phone_page.goto(site_url + "calculator/?policy=" + NANAN)
    phone_page.get_by_label("出生日期").fill("19800501")
    phone_page.locator(".yb-window-choice").first.click()
    expect(phone_page.locator(".yb-share input")).to_be_visible(timeout=BOOT_MS)
    assert phone_page.locator("form.yb-form").get_attribute("autocomplete") == "off"
    loose = phone_page.evaluate("""() => [...document.querySelectorAll("[data-yb-calculator] input, [data-yb-calculator] select")]
      .filter((el) => el.closest("form")?.autocomplete !== "off" && el.autocomplete !== "off").map((el) => el.outerHTML.slice(0, 80))""")
    assert loose == []


def test_a_share_page_naming_another_county_says_so_and_its_fragment_leaves(phone_page, site_url, policies):
    other = next(p for p in policies.values() if p["id"] != NANAN)
    scenario = {"policy": other["id"], "paid_on": open_day(other).date().isoformat(), "members": [{"birth_date": "1980-05-01"}]}
    phone_page.goto(site_url + "calculator/share/%s/%s" % (NANAN, share_fragment(scenario)))
    note = phone_page.locator(".yb-error[role=alert]").first
    expect(note).to_contain_text("预览写的是%s" % policies[NANAN]["name"])
    expect(note).to_contain_text(other["name"])
    expect(phone_page.locator(".yb-total")).to_be_visible(timeout=BOOT_MS)
    assert phone_page.url.endswith("calculator/?policy=" + other["id"])
    assert phone_page.evaluate("window.name") == ""


def test_an_unpriceable_shared_household_leaves_the_address_bar_too(phone_page, site_url):
    phone_page.goto(site_url + "calculator/" + share_fragment({"policy": NANAN, "paid_on": "2022-10-01", "members": [{"birth_date": "2099-01-01"}]}))
    expect(phone_page.locator("form.yb-form")).to_be_visible(timeout=BOOT_MS)
    phone_page.wait_for_timeout(500)
    assert "#" not in phone_page.url


def test_the_profiles_sessions_and_history_keep_no_birth_date_or_fragment(browser, site_url, tmp_path):
    """A real profile: a household typed and priced, then a share link opened; the browser closed. Its
    saved session holds neither; its History holds the shared link once, as it was opened (a visit the
    browser records before any page runs), and never the household typed."""
    typed = "1957-08-23"
    shared = {"policy": NANAN, "paid_on": "2022-10-01", "members": [{"birth_date": "1961-04-17", "groups": ["dibao"]}]}
    fragment = share_fragment(shared)
    profile = tmp_path / "profile"
    context = browser.browser_type.launch_persistent_context(str(profile), executable_path=CHROMIUM, headless=True,
                                                             args=CHROMIUM_ARGS, service_workers="block", **PHONE)
    page = context.new_page()
    page.goto(site_url + "calculator/?policy=" + NANAN)
    page.get_by_label("出生日期").fill(typed)
    page.locator(".yb-window-choice").first.click()
    expect(page.locator(".yb-share input")).to_be_visible(timeout=BOOT_MS)
    shared_page = context.new_page()
    shared_page.goto(site_url + "calculator/share/%s/%s" % (NANAN, fragment))
    expect(shared_page.locator(".yb-total")).to_be_visible(timeout=BOOT_MS)
    page.wait_for_timeout(1500)
    context.close()
    sessions = b"".join(path.read_bytes() for path in (profile / "Default" / "Sessions").glob("*"))
    for secret in [typed, "1961-04-17", fragment[4:40], "#v1=", "v2="]:
        assert secret.encode() not in sessions, secret
    copy = tmp_path / "History"
    shutil.copy(profile / "Default" / "History", copy)
    with sqlite3.connect(copy) as db:
        urls = [row[0] for row in db.execute("select url from urls")]
    assert not [url for url in urls if typed in url]
    assert [url for url in urls if "#v" in url] == [site_url + "calculator/share/%s/%s" % (NANAN, fragment)], urls
