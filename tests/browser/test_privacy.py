"""Privacy on the phone (Chromium at 390×844): after a calculation and a shared-link visit, nothing a
resident typed or opened is found in Cache Storage keys, localStorage or IndexedDB; the household is
kept only when "记住我的家庭" is ticked and one tap clears it; the largest household the form takes is
shared and reopened whole; a share link with values the notice does not know says what it changed."""
import base64
import json
from urllib.parse import urlsplit

from playwright.sync_api import expect

from calculator.core.scenario import MAX_MEMBERS
from tests.browser.conftest import PHONE, wait_until
from tests.browser.test_calculator import BOOT_MS, open_ready

# Dates and groups no file of the site contains, so that finding one in storage means it was typed.
TYPED = {"birth_dates": ["1957-08-23", "1988-11-19"], "groups": ["pneumoconiosis"]}
SHARED = {"policy": "nanan-2023", "paid_on": "2023-07-01",
          "members": [{"birth_date": "1961-04-17", "groups": ["dibao"]}, {"birth_date": "2014-10-09"}]}
SECRETS = TYPED["birth_dates"] + [m["birth_date"] for m in SHARED["members"]] + ["#v", "v1=", "v2=", "members", "dibao",
                                                                                   "pneumoconiosis", "爷爷"]

# Every Cache Storage key, every localStorage and sessionStorage entry, and every IndexedDB record.
STORAGE = """async () => {
  const caches_ = {};
  for (const name of await caches.keys()) caches_[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
  const local = Object.fromEntries(Object.entries(localStorage));
  const session = Object.fromEntries(Object.entries(sessionStorage));
  const databases = {};
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((ok, fail) => Object.assign(indexedDB.open(name), { onsuccess: (e) => ok(e.target.result), onerror: fail }));
    databases[name] = {};
    for (const store of db.objectStoreNames) {
      databases[name][store] = await new Promise((ok) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => ok(JSON.stringify(request.result));
      });
    }
    db.close();
  }
  return { caches: caches_, local, session, databases };
}"""


def share_fragment(data):
    return "#v1=" + base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def fill_typed_household(page):
    page.get_by_label("缴费日期").fill("2023-03-01")
    page.get_by_role("button", name="＋ 添加家庭成员").click()
    members = page.locator("fieldset.yb-member")
    members.nth(0).get_by_label("称呼（可不填，只存在您的手机上）").fill("爷爷")
    for i, birth in enumerate(TYPED["birth_dates"]):
        members.nth(i).get_by_label("出生日期").fill(birth)
    members.nth(1).locator("summary").click()
    members.nth(1).get_by_label("尘肺病患者").check()
    page.get_by_role("button", name="计算", exact=True).click()
    expect(page.locator(".yb-result")).to_be_visible(timeout=BOOT_MS)


def stored_text(page):
    return json.dumps(page.evaluate(STORAGE), ensure_ascii=False)


def test_nothing_typed_or_shared_stays_on_the_phone(browser, site_url):
    context = browser.new_context(**PHONE)  # service workers on: no request routing in this context
    page = context.new_page()
    open_ready(page, site_url + "calculator/?policy=nanan-2023")
    fill_typed_household(page)
    wait_until(page, """async () => Boolean(navigator.serviceWorker.controller) &&
        (await (await caches.open("yb-hashed-v1")).keys()).length >= 6""", timeout_ms=BOOT_MS)
    for _visit in range(2):  # the second visit runs under the service worker, which keeps what passes through it
        shared = context.new_page()
        shared.goto(site_url + "calculator/" + share_fragment(SHARED))
        expect(shared.locator(".yb-result")).to_be_visible(timeout=BOOT_MS)
        assert "#" not in shared.url  # the address bar (and so the browser's history) keeps the county only
    storage = page.evaluate(STORAGE)
    keys = [url for urls in storage["caches"].values() for url in urls]
    assert any("/calculator/" in url for url in keys)  # the offline copies are there...
    assert all(urlsplit(url).fragment == "" and urlsplit(url).query == "" for url in keys)  # ...under their paths only
    text = json.dumps(storage, ensure_ascii=False)
    assert [secret for secret in SECRETS if secret in text] == [], storage
    context.close()


def test_the_household_is_kept_only_when_asked_and_one_tap_clears_it(browser, site_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_ready(page, site_url + "calculator/?policy=nanan-2023")
    fill_typed_household(page)
    assert [s for s in SECRETS if s in stored_text(page)] == []
    page.get_by_label("记住我的家庭（只存在本机）").check()
    assert TYPED["birth_dates"][0] in stored_text(page)
    page.reload()
    expect(page.locator("fieldset.yb-member")).to_have_count(2)
    expect(page.locator("fieldset.yb-member").nth(0).get_by_label("出生日期")).to_have_value(TYPED["birth_dates"][0])
    expect(page.get_by_label("记住我的家庭（只存在本机）")).to_be_checked()
    page.get_by_role("button", name="清除本机保存的信息").click()
    expect(page.locator(".yb-remember")).to_contain_text("已全部清除")
    assert json.loads(stored_text(page))["local"] == {}
    page.reload()
    expect(page.locator("fieldset.yb-member")).to_have_count(1)
    expect(page.get_by_label("出生日期")).to_have_value("")
    context.close()


def test_the_largest_household_the_form_takes_is_shared_and_reopened(browser, phone_page, site_url):
    open_ready(phone_page, site_url + "calculator/?policy=nanan-2023")
    phone_page.get_by_label("缴费日期").fill("2023-03-01")
    add = phone_page.get_by_role("button", name="＋ 添加家庭成员")
    for _ in range(MAX_MEMBERS - 1):
        add.click()
    expect(add).to_be_disabled()
    expect(phone_page.locator(".yb-form")).to_contain_text(f"一户最多填{MAX_MEMBERS}人")
    phone_page.evaluate("""() => document.querySelectorAll("fieldset.yb-member").forEach((member, i) => {
      const input = member.querySelector("[data-field$='.birth_date'] input");
      input.value = `${1930 + (i % 70)}${String(1 + (i % 12)).padStart(2, "0")}${String(1 + (i % 28)).padStart(2, "0")}`;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    })""")
    members = phone_page.locator("fieldset.yb-member")
    for i in range(0, MAX_MEMBERS, 7):
        members.nth(i).locator("summary").click()
        members.nth(i).get_by_label("低保对象").check()
    phone_page.get_by_role("button", name="计算", exact=True).click()
    expect(phone_page.locator(".yb-card")).to_have_count(MAX_MEMBERS, timeout=BOOT_MS)
    link = phone_page.locator(".yb-share input").input_value()
    print(f"share link for {MAX_MEMBERS} members: {len(link)} characters")
    first = phone_page.locator(".yb-result").inner_text()

    other = browser.new_context(**PHONE).new_page()
    other.goto(link)
    expect(other.locator(".yb-card")).to_have_count(MAX_MEMBERS, timeout=BOOT_MS)
    assert other.locator(".yb-result").inner_text() == first
    expect(other.locator(".yb-error[role=alert]:visible")).to_have_count(0)
    other.context.close()


def test_a_share_link_with_values_the_notice_lacks_says_what_it_changed(phone_page, site_url, policies):
    tiered = next(p for p in policies.values() if p["form"]["tiers"])
    tiers = tiered["form"]["tiers"]
    unknown_tier = max(t["value"] for t in tiers) + 1
    scenario = {"policy": tiered["id"], "paid_on": tiered["form"]["payment_period"]["first"],
                "members": [{"birth_date": "1980-05-05", "tier": unknown_tier, "groups": ["no_such_group"]}]}
    phone_page.goto(site_url + "calculator/" + share_fragment(scenario))
    note = phone_page.locator(".yb-error[role=alert]").first
    expect(note).to_contain_text(f"成员1的缴费档次「{unknown_tier}」本通知没有，已改为「{tiers[0]['label']}」", timeout=BOOT_MS)
    expect(note).to_contain_text("成员1的特殊身份「no_such_group」本通知没有，已略去")
    expect(phone_page.locator("fieldset.yb-member")).to_have_count(1)


def test_a_student_value_the_notice_does_not_use_is_named(phone_page, site_url, policies):
    plain = next(p for p in policies.values() if not p["form"]["student_statuses"])
    scenario = {"policy": plain["id"], "paid_on": plain["form"]["payment_period"]["first"],
                "members": [{"birth_date": "2005-05-05", "student": "college"}]}
    phone_page.goto(site_url + "calculator/" + share_fragment(scenario))
    expect(phone_page.locator(".yb-error[role=alert]").first).to_contain_text(
        "成员1的学生身份「大中专、全日制高校学生」本通知没有，已略去", timeout=BOOT_MS)
