"""The calculator in Debian's chromium (the conftest's built site and phone page): the fee core on the shipped Pyodide
gives what CPython gives, the form, share links (and hostile ones), offline use, and the plain
message when Pyodide cannot run."""
import base64
import json
import zlib
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from build_scripts import bundle
from calculator.cases import case_scenarios
from calculator.core import facts, quote_json
from calculator.core.scenario import Scenario
from calculator.policyfile import FACTS_ASKED_OTHERWISE
from tests.browser.conftest import PHONE, wait_until  # PHONE: for the tests that need a context of their own (service workers on)

BOOT_MS = 90_000
HOUSEHOLD_DATE = "2023-03-01"
RESULT_DONE = ".yb-result:not([aria-busy])"  # the totals come first, then one member's card per task


def open_ready(page, url):
    page.goto(url)
    expect(page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)


def share_fragment(data):
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return "#v1=" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


# ---- the fee core in the browser worker ----

# Boots the shipped worker twice in one page: afresh (which keeps a memory snapshot), then from that
# snapshot; runs every call through each.
WORKER_RUN = """async (calls) => {
  const base = new URL("calculator/", document.baseURI.replace(/[^/]*$/, "")).href;
  const manifest = await (await fetch(base + "manifest.json")).json();
  const texts = {};
  for (const p of manifest.policies) texts[p.id] = await (await fetch(base + p.url)).text();
  const run = async () => {
    const worker = new Worker(new URL("../assets/calculator/worker.js", base), { type: "module" });
    const next = () => new Promise((resolve) => {
      worker.onmessage = ({ data }) => data.type !== "progress" && resolve(data);
    });
    const ready = next();
    const booted = await ready;
    if (booted.type !== "ready") return booted;
    const answers = [];
    for (const [id, scenarioJson] of calls) {
      const answer = next();
      worker.postMessage({ type: "quote", id: answers.length, policyJson: texts[id], scenarioJson });
      answers.push((await answer).json);
    }
    worker.terminate();
    return { fromSnapshot: booted.fromSnapshot, answers };
  };
  const fresh = await run();
  const snapshots = await caches.open("yb-snapshot-v1");
  while ((await snapshots.keys()).length === 0) await new Promise((r) => setTimeout(r, 100));
  return [fresh, await run()];
}"""


def test_every_case_through_the_browser_worker_matches_cpython(phone_page, site_url, policies):
    cases = case_scenarios(bundle.ROOT / "tests" / "cases")
    calls = [[s["policy"], json.dumps(s, ensure_ascii=False)] for _name, s in cases]
    phone_page.goto(site_url + "404.html")
    fresh, from_snapshot = phone_page.evaluate(WORKER_RUN, calls)
    assert (fresh.get("fromSnapshot"), from_snapshot.get("fromSnapshot")) == (False, True), (fresh, from_snapshot)
    assert len(cases) >= 45
    for run in (fresh, from_snapshot):
        assert len(run["answers"]) == len(cases)
        for (name, scenario), answer in zip(cases, run["answers"]):
            expected = quote_json(bundle.policy_json(policies[scenario["policy"]]), json.dumps(scenario))
            assert json.loads(answer) == json.loads(expected), name


# ---- the form ----

def fill_household(page):
    page.get_by_label("缴费日期").fill(HOUSEHOLD_DATE)
    for _ in range(2):
        page.get_by_role("button", name="＋ 添加家庭成员").click()
    members = page.locator("fieldset.yb-member")
    members.nth(0).get_by_label("称呼（可不填，只存在您的手机上）").fill("爷爷")
    members.nth(0).get_by_label("出生日期").fill("1950-06-01")
    members.nth(0).locator("summary").click()
    members.nth(0).get_by_label("低保对象").check()
    members.nth(1).get_by_label("出生日期").fill("1985-06-01")
    members.nth(1).locator("summary").click()
    members.nth(1).get_by_label("尘肺病患者").check()
    members.nth(2).get_by_label("出生日期").fill("2012-06-01")
    members.nth(2).get_by_label("是否学生").select_option(label="在校学生（中小学、幼儿园等）")
    page.get_by_role("button", name="计算", exact=True).click()
    expect(page.locator(RESULT_DONE)).to_be_visible()


HOUSEHOLD = {"policy": "nanan-2023", "paid_on": HOUSEHOLD_DATE, "members": [
    {"id": "成员1", "birth_date": "1950-06-01", "groups": ["dibao"], "student": "none"},
    {"id": "成员2", "birth_date": "1985-06-01", "groups": ["pneumoconiosis"], "student": "none"},
    {"id": "成员3", "birth_date": "2012-06-01", "student": "enrolled"}]}


def test_three_member_household_on_a_phone(phone_page, site_url, policies):
    open_ready(phone_page, site_url + "calculator/?policy=nanan-2023")
    expect(phone_page.get_by_label("县区和年度")).to_have_value("nanan-2023")
    fill_household(phone_page)
    result = json.loads(quote_json(bundle.policy_json(policies["nanan-2023"]), json.dumps(HOUSEHOLD)))
    total = phone_page.locator(".yb-total")
    expect(total).to_contain_text(f"{result['household']['pays']} 元")
    words = facts.MONEY_WORDS
    expect(total).to_contain_text(f"{words['subsidy']}（政府替你缴的个人缴费）{result['household']['subsidy']} 元")
    cards = phone_page.locator(".yb-card")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_contain_text("爷爷")
    expect(cards.nth(1)).to_contain_text(f"{words['reimbursed_later']}{result['members'][1]['reimbursed_later']} 元")
    # 低保 paying late: the notice gives no wait. Said once with its reason, with whom to ask.
    first = cards.nth(0)
    expect(first.locator(".yb-unknown")).to_have_count(2)
    expect(first.locator(".yb-unknown").nth(0)).to_contain_text("困难人口")
    expect(first.locator(".yb-unknown").nth(1)).to_contain_text("原因同上")
    expect(first).to_contain_text("请向当地医保经办机构问")
    expect(first.locator(".yb-says")).to_have_count(0)
    phone_page.locator("details.yb-why").first.locator("summary").click()
    assert smallest_text_px(phone_page, "[data-yb-calculator]") >= 16


# Each row of a result at phone width: how many lines its label takes, and into how many pieces each
# figure or date in its value is broken.
RESULT_ROWS = """() => [...document.querySelectorAll(".yb-result .yb-row")].map((row) => {
  const [label, value] = row.children;
  const text = document.createRange();
  text.selectNodeContents(label);
  return { label: label.textContent, lines: new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size,
           figures: [...value.querySelectorAll(".yb-figure")].map((figure) => figure.getClientRects().length) };
})"""


def test_result_rows_keep_figures_whole_and_short_labels_on_one_line(phone_page, site_url):
    """At 390 px the household's long labels (政府资助（政府替你缴的个人缴费）) once squeezed 360 元 into a
    column one character wide; a short label beside a long reason wrapped (待遇开/始)."""
    shared = {**HOUSEHOLD, "members": [{k: v for k, v in m.items() if k != "id"} for m in HOUSEHOLD["members"]]}
    phone_page.goto(site_url + "calculator/" + share_fragment(shared))
    expect(phone_page.locator(RESULT_DONE)).to_be_visible(timeout=BOOT_MS)
    rows = phone_page.evaluate(RESULT_ROWS)
    assert any(row["figures"] for row in rows)
    assert [row for row in rows if any(pieces != 1 for pieces in row["figures"])] == []
    assert [row for row in rows if len(row["label"]) <= 6 and row["lines"] != 1] == []
    assert any(len(row["label"]) > 6 for row in rows)  # the household's long labels are among them


def smallest_text_px(page, root):
    return page.evaluate("""(root) => {
      const sizes = [...document.querySelector(root).querySelectorAll("*")]
        .filter((el) => el.offsetParent && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
        .map((el) => parseFloat(getComputedStyle(el).fontSize));
      return Math.min(...sizes);
    }""", root)


def test_why_links_to_the_line_of_the_notice(phone_page, site_url):
    open_ready(phone_page, site_url + "calculator/?policy=nanan-2023")
    fill_household(phone_page)
    why = phone_page.locator(".yb-card").nth(1).locator("details.yb-why")
    why.locator("summary").click()
    link = why.get_by_role("link").first
    expect(link).to_have_text("通知原文第29行")
    href = link.get_attribute("href")
    assert urlsplit(href).path.endswith("/counties/nanan-2023/notice.html") and href.endswith("#L29")
    phone_page.goto(href)
    expect(phone_page.locator("#L29")).to_contain_text("2023年3月1日（含）后办理的")


def test_every_citation_of_a_result_opens_its_line_for_every_policy(phone_page, site_url, site_dir, policies):
    """Each link of 「为什么」 opens a page the site has, at an anchor that page has: a layer's sentence
    (国办发〔2024〕38号) on its page beside the county's notice (src.page), never a
    counties/<layer id>/notice.html that does not exist. An adult paying on the first day, and one who
    missed 4 years and pays 3 back where the notice asks about missed years."""
    layer_links = 0
    for policy in policies.values():
        member = dict({"birth_date": "1980-05-05"},
                      **{"student": "none"} if policy["form"]["student_statuses"] else {},
                      **{"tier": policy["form"]["tiers"][0]["value"]} if policy["form"]["tiers"] else {})
        members = [member]
        if "missed_years" in policy["form"]["asks"]:
            members.append(dict(member, missed_years=4, **{"repair_years": 3} if "repair_years" in policy["form"]["asks"] else {}))
        scenario = {"policy": policy["id"], "paid_on": policy["form"]["payment_period"]["first"], "members": members}
        phone_page.goto(site_url + "calculator/" + share_fragment(scenario))
        expect(phone_page.locator(RESULT_DONE)).to_be_visible(timeout=BOOT_MS)
        for summary in phone_page.locator("details.yb-why > summary").all():
            summary.click()
        links = phone_page.locator(".yb-why a").evaluate_all("(links) => links.map((a) => [a.href, a.textContent])")
        assert links, policy["id"]
        for href, words in links:
            parts = urlsplit(href)
            target = site_dir / parts.path.removeprefix(urlsplit(site_url).path)
            assert target.is_file(), (policy["id"], href)
            assert 'id="%s"' % parts.fragment in target.read_text(encoding="utf-8"), (policy["id"], href)
            if target.name != "notice.html":
                layer_links += 1
                assert target.parent.name == policy["id"] and not words.startswith("通知原文"), (policy["id"], href, words)
    assert layer_links, "no result cited a national or provincial document"


def test_an_error_from_the_core_appears_next_to_its_field(phone_page, site_url, policies):
    open_ready(phone_page, site_url + "calculator/?policy=nanan-2023")
    phone_page.get_by_label("缴费日期").fill("2023-03-01")
    phone_page.get_by_label("出生日期").fill("2023-05-01")  # born after paying
    phone_page.get_by_role("button", name="计算", exact=True).click()
    error = phone_page.locator("[data-field='members[0].birth_date'] + .yb-error")
    expect(error).to_be_visible()
    scenario = {"paid_on": "2023-03-01", "members": [{"id": "成员1", "birth_date": "2023-05-01", "student": "none"}]}
    expected = json.loads(quote_json(bundle.policy_json(policies["nanan-2023"]), json.dumps(scenario)))
    assert error.inner_text() == expected["error"]["message"]


# ---- the form is made from the registry of member facts (calculator/core/facts.py) ----

BUILD_FORM = """async ([root, asks]) => {
  const { createForm } = await import(root + "assets/calculator/form.js");
  const manifest = await (await fetch(root + "calculator/manifest.json")).json();
  const groups = [...new Set(manifest.registry.facts.flatMap((f) => f.ask_if?.groups ?? []))].map((id) => ({ id, name: id, here: [] }));
  const policy = { id: "synthetic", form: { groups, student_statuses: [], tiers: [], add_ons: [], asks,
                   payment_period: { first: "2020-01-01", last: "2030-12-31" } } };
  window.form = createForm(policy, manifest.registry, { onSubmit: () => {}, otherNotices: () => [] });
  document.body.replaceChildren(window.form.root);
  await window.form.fill();
}"""


def answer_fact(member, fact):
    """Answers a fact in the form with a value other than its default, by the fact's kind."""
    if fact.gate:
        member.get_by_role("group", name=fact.gate).get_by_label("否").check()
        member.get_by_label(fact.label + "？").fill("2")
    elif fact.at_most:
        member.get_by_label(fact.label + "？").fill("1")
    elif fact.kind in ("flag", "employment"):
        member.get_by_label(fact.label).check()
        if fact.kind == "employment":
            member.get_by_label("停保日期").fill("2023-01-01")
            member.get_by_label(facts.EMPLOYMENT_YEARS.label).fill("3")
    elif fact.kind == "enum":
        member.get_by_label(fact.label).select_option(label=fact.values[-1][1])
    elif fact.kind == "integer":
        member.get_by_label(fact.label).fill(str(fact.maximum))
    elif fact.kind == "date":
        member.get_by_label(fact.label).fill("2023-01-01")
    else:
        raise AssertionError("no way to answer a fact of kind %s" % fact.kind)


def test_the_form_asks_every_fact_of_the_registry_by_its_kind(phone_page, site_url):
    asks = [key for key in facts.FACTS if key not in FACTS_ASKED_OTHERWISE]
    phone_page.goto(site_url + "404.html")
    phone_page.evaluate(BUILD_FORM, [site_url, asks])
    member = phone_page.locator("fieldset.yb-member")
    member.get_by_label("出生日期").fill("1980-05-05")
    if member.locator("details.yb-groups > summary").count():  # the groups after the first few are folded
        member.locator("details.yb-groups > summary").click()
    for box in member.locator(".yb-group-list input[type=checkbox]").all():
        box.check()
    for key in asks:
        answer_fact(member, facts.FACTS[key])
    scenario = phone_page.evaluate("window.form.read()")
    (answered,) = scenario["members"]
    for key in asks:
        assert answered.get(key) not in (None, facts.FACTS[key].default), key
    Scenario(dict(scenario, paid_on="2024-01-01"))  # the core's parser takes what the form gives


def test_a_question_shows_only_for_the_members_it_can_matter_for(phone_page, site_url):
    asks = [key for key in facts.FACTS if key not in FACTS_ASKED_OTHERWISE]
    phone_page.goto(site_url + "404.html")
    phone_page.evaluate(BUILD_FORM, [site_url, asks])
    member = phone_page.locator("fieldset.yb-member")
    member.get_by_label("出生日期").fill("2015-05-05")
    for fact in facts.FACTS.values():
        if fact.ask_if or fact.at_most:
            expect(member.get_by_label(fact.label + ("？" if fact.at_most else ""))).to_be_hidden()
    member.get_by_label("出生日期").fill("1980-05-05")
    if member.locator("details.yb-groups > summary").count():  # the groups after the first few are folded
        member.locator("details.yb-groups > summary").click()
    for fact in facts.FACTS.values():
        for group in (fact.ask_if or {}).get("groups", []):
            member.get_by_label(group, exact=True).check()
            expect(member.get_by_label(fact.label)).to_be_visible()
            member.get_by_label(group, exact=True).uncheck()
        if "min_age" in (fact.ask_if or {}):
            expect(member.get_by_label(fact.label)).to_be_visible()
    model = phone_page.evaluate("window.form.models()[0]")
    assert [key for key, fact in facts.FACTS.items() if (fact.ask_if or {}).get("groups") and model.get(key) is not None] == []


def test_the_enrollment_history_is_asked_in_plain_words_and_the_result_explains_the_wait(phone_page, site_url, policies):
    policy = next(p for p in policies.values() if "repair_years" in p["form"]["asks"])
    paid_on = policy["form"]["payment_period"]["first"]
    open_ready(phone_page, site_url + "calculator/?policy=" + policy["id"])
    phone_page.get_by_label("缴费日期").fill(paid_on)
    member = phone_page.locator("fieldset.yb-member")
    member.get_by_label("出生日期").fill("1980-05-05")
    expect(member.get_by_label("这次补缴几年？")).to_be_hidden()
    member.get_by_role("group", name="上一年度参加居民医保了吗？").get_by_label("否").check()
    member.get_by_label("连续几年没参保？").fill("2")
    member.get_by_label("这次补缴几年？").fill("1")
    phone_page.get_by_role("button", name="计算", exact=True).click()
    card = phone_page.locator(".yb-card")
    expect(card).to_be_visible(timeout=BOOT_MS)
    scenario = dict(policy=policy["id"], paid_on=paid_on, members=[dict(
        {"id": "成员1", "birth_date": "1980-05-05", "missed_years": 2, "repair_years": 1},
        **{"student": "none"} if policy["form"]["student_statuses"] else {},
        **{"tier": policy["form"]["tiers"][0]["value"]} if policy["form"]["tiers"] else {})])
    result = json.loads(quote_json(bundle.policy_json(policy), json.dumps(scenario)))["members"][0]
    expect(card).to_contain_text(result["applied"]["waiting"]["says"])
    expect(card).to_contain_text(f"其中补缴断保1年{result['repair']['amount']} 元")
    expect(card).to_contain_text(f"其中今年的缴费{result['contribution']} 元")


def test_only_the_fields_a_policy_uses_are_shown(phone_page, site_url):
    open_ready(phone_page, site_url + "calculator/?policy=yantai-fushan-2022")
    expect(phone_page.get_by_label("缴费档次")).to_be_visible()
    expect(phone_page.get_by_text("自愿加购的保险")).to_have_count(0)
    phone_page.get_by_label("县区和年度").select_option("youxi-2022")
    expect(phone_page.get_by_text("自愿加购的保险")).to_be_visible()
    expect(phone_page.get_by_label("缴费档次")).to_have_count(0)


# ---- share links ----

def test_share_link_round_trip_without_names(browser, phone_page, site_url):
    open_ready(phone_page, site_url + "calculator/?policy=nanan-2023")
    fill_household(phone_page)
    link = phone_page.locator(".yb-share input").input_value()
    fragment = urlsplit(link).fragment
    assert fragment.startswith("v2=")  # zlib deflate, then base64url
    decoded = zlib.decompress(base64.urlsafe_b64decode(fragment[3:] + "=" * (-len(fragment[3:]) % 4))).decode()
    assert "爷爷" not in decoded and '"id"' not in decoded
    first = phone_page.locator(".yb-result").inner_text().replace("爷爷", "成员1")

    other = browser.new_context(**PHONE).new_page()
    other.goto(link)
    expect(other.locator(RESULT_DONE)).to_be_visible(timeout=BOOT_MS)
    assert other.locator(".yb-result").inner_text() == first
    expect(other.locator("fieldset.yb-member")).to_have_count(3)
    expect(other.locator("fieldset.yb-member").nth(1).get_by_label("尘肺病患者")).to_be_checked()
    other.context.close()


def test_a_share_link_pasted_into_an_open_calculator_fills_it_again(phone_page, site_url):
    first = {"policy": "youxi-2022", "paid_on": "2022-07-01", "members": [{"birth_date": "1970-01-01"}]}
    second = {"policy": "nanan-2023", "paid_on": "2023-07-01",
              "members": [{"birth_date": "1985-06-01"}, {"birth_date": "1968-09-09", "groups": ["dibao"]}]}
    phone_page.goto(site_url + "calculator/" + share_fragment(first))
    expect(phone_page.locator(".yb-result")).to_contain_text("900", timeout=BOOT_MS)
    phone_page.evaluate("fragment => { location.hash = fragment }", share_fragment(second))
    expect(phone_page.locator("fieldset.yb-member")).to_have_count(2)
    expect(phone_page.locator(".yb-picker")).to_have_value("nanan-2023")
    expect(phone_page.locator(".yb-result")).to_contain_text("970", timeout=BOOT_MS)


XSS = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>"
HOSTILE = [
    ("#v1=!!!not-base64", "已损坏"),
    (share_fragment(b"{not json"), "已损坏"),
    (share_fragment(b"\xff\xfe\x00<"), "已损坏"),
    ("#v9=abc", "格式本网站不认识"),
    ("#v2=" + "A" * 21000, "太长"),
    ("#v2=" + "A" * 400, "已损坏"),
    (share_fragment({"policy": XSS, "paid_on": "2023-03-01", "members": [{"birth_date": "1980-01-01"}]}), "县区"),
    (share_fragment({"policy": "nanan-2023", "paid_on": XSS, "members": [{"birth_date": "1980-01-01"}]}), "缴费日期"),
    (share_fragment({"policy": "nanan-2023", "paid_on": "2023-03-01",
                     "members": [{"birth_date": "1980-01-01", "groups": [XSS]}]}), "已略去"),
    (share_fragment({"policy": "nanan-2023", "paid_on": "2023-03-01",
                     "members": [{"birth_date": "1980-01-01", "tier": 100}]}), "成员1的缴费档次"),
    (share_fragment({"policy": "nanan-2023", "paid_on": "2023-03-01",
                     "members": [{"birth_date": "1980-01-01", "label": XSS}]}), "成员1"),
    (share_fragment({"policy": "nanan-2023", "paid_on": "2023-03-01", "members": [{"birth_date": "1980-01-01"}],
                     "__proto__": {"polluted": 1}}), "内容"),
    (share_fragment({"policy": "nanan-2023", "paid_on": "2023-03-01", "members": []}), "家庭成员"),
    (share_fragment({"policy": "no-such-county", "paid_on": "2023-03-01",
                     "members": [{"birth_date": "1980-01-01"}]}), "没有收录"),
]


@pytest.mark.parametrize("fragment, message", HOSTILE)
def test_a_broken_or_hostile_share_link_gives_a_message_and_runs_nothing(phone_page, site_url, fragment, message):
    dialogs = []
    phone_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    phone_page.goto(site_url + "calculator/" + fragment)
    expect(phone_page.locator(".yb-error[role=alert]").first).to_contain_text(message, timeout=BOOT_MS)
    expect(phone_page.locator("fieldset.yb-member")).to_have_count(1)  # a fresh form is there to use
    assert phone_page.evaluate("window.__pwned === undefined && !Object.prototype.polluted")
    assert phone_page.locator("img[src=x], [data-yb-calculator] script").count() == 0
    assert not dialogs


# ---- the worker starts from the page's head ----

# Records whether the page's <head> handed a started worker over (engine.js takes it and deletes it).
STARTED_IN_HEAD = """Object.defineProperty(window, "ybStartedEngine", { configurable: true,
  set(value) { window.__startedInHead = Boolean(value?.worker); this.__started = value; },
  get() { return this.__started; } });"""


def test_the_calculator_boots_the_one_worker_its_head_started(phone_context, phone_page, site_url):
    phone_context.add_init_script(STARTED_IN_HEAD)
    open_ready(phone_page, site_url + "calculator/?policy=nanan-2023")
    assert phone_page.evaluate("window.__startedInHead") is True
    assert phone_page.evaluate("'ybStartedEngine' in window") is False  # taken over by engine.js
    assert len(phone_page.workers) == 1
    fill_household(phone_page)
    expect(phone_page.locator(".yb-total")).to_contain_text("元")


# ---- network ----

def test_no_request_leaves_the_site_origin(phone_page, page_requests, site_url):
    open_ready(phone_page, site_url + "calculator/?policy=nanan-2023")
    fill_household(phone_page)
    assert any(u.endswith(".wasm") for u in page_requests)
    assert [u for u in page_requests if not u.startswith((site_url, "data:", "blob:"))] == []


def test_second_visit_works_offline(browser, site_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_ready(page, site_url + "calculator/?policy=nanan-2023")
    # The runtime, and this page under its path alone (no ?policy=…), are kept for the next visit.
    wait_until(page, """async () => Boolean(navigator.serviceWorker.controller) &&
        (await (await caches.open("yb-hashed-v1")).keys()).length >= 6 &&
        Boolean(await (await caches.open("yb-pages-v2")).match(location.origin + location.pathname))""", timeout_ms=BOOT_MS)
    context.set_offline(True)
    page.reload()
    expect(page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    fill_household(page)
    expect(page.locator(".yb-total")).to_contain_text("元")
    context.close()


def test_a_notice_arriving_after_the_hand_over_is_kept_for_offline_use(browser, site_url):
    """On a first visit the page hands its files to the service worker once idle. On a slow network the
    notice's file can still be on its way then (it waits for the manifest); it is handed over as it
    arrives. Here it is held back until the worker has taken the page over."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    held = []
    cdp.on("Fetch.requestPaused", lambda event: held.append(event["requestId"]))
    cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*/calculator/policies/*"}]})
    page.goto(site_url + "calculator/")
    wait_until(page, "() => Boolean(navigator.serviceWorker.controller)", timeout_ms=BOOT_MS)
    assert held, "the notice's file was asked for through the service worker: nothing was held back"
    for request_id in held:
        cdp.send("Fetch.continueRequest", {"requestId": request_id})
    cdp.send("Fetch.disable")
    expect(page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    notice = page.evaluate("""() => performance.getEntriesByType("resource").map((entry) => entry.name)
        .find((url) => url.includes("/calculator/policies/"))""")
    wait_until(page, "async () => Boolean(await caches.match(%s))" % json.dumps(notice), timeout_ms=10_000)
    context.set_offline(True)
    page.reload()
    expect(page.locator(".yb-period-state")).to_be_visible(timeout=BOOT_MS)
    expect(page.locator(".yb-error[role=alert]:not([hidden])")).to_have_count(0)
    context.close()


# ---- when Pyodide cannot run ----

def expect_fallback(page, reason):
    fallback = page.locator(".yb-fallback")
    expect(fallback).to_be_visible(timeout=BOOT_MS)
    expect(fallback).to_contain_text("这台手机的浏览器暂时用不了计算器")
    expect(fallback).to_contain_text(reason)
    href = fallback.get_by_role("link").get_attribute("href")
    assert urlsplit(href).path.endswith("/counties/nanan-2023/")


def without_encoding(response, **changes):
    headers = {k: v for k, v in response.headers.items() if k not in ("content-encoding", "content-length")}
    return {**headers, **changes}


# The phone page runs without the service worker, so these pages' requests all reach Playwright's routes.

def test_wasm_served_with_the_wrong_type_shows_the_fallback(phone_context, phone_page, site_url):
    phone_context.route("**/*.wasm", lambda route: route.fulfill(
        response=(r := route.fetch()), headers=without_encoding(r, **{"content-type": "application/octet-stream"})))
    phone_page.goto(site_url + "calculator/?policy=nanan-2023")
    expect_fallback(phone_page, "application/wasm")


def test_csp_without_wasm_unsafe_eval_shows_the_fallback(phone_context, phone_page, site_url):
    csp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"
    phone_context.route("**/*", lambda route: route.fulfill(
        response=(r := route.fetch()), headers=without_encoding(r, **{"content-security-policy": csp})))
    phone_page.goto(site_url + "calculator/?policy=nanan-2023")
    expect_fallback(phone_page, "wasm-unsafe-eval")


def test_a_download_that_stalls_is_cut_off_by_the_watchdog(phone_context, phone_page, site_url):
    phone_context.route("**/*.wasm", lambda route: None)  # never answered
    phone_page.goto(site_url + "calculator/?policy=nanan-2023")
    expect_fallback(phone_page, "长时间没有响应")


def test_no_webassembly_is_detected_before_downloading(phone_page, page_requests, site_url):
    phone_page.add_init_script("delete window.WebAssembly")
    phone_page.goto(site_url + "calculator/?policy=nanan-2023")
    expect_fallback(phone_page, "不支持 WebAssembly")
    assert not [u for u in page_requests if "/calculator/runtime/" in u]
