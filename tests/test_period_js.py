"""docs/assets/site/period.js, run in Node: where a payment period stands on the day a page is read.
It must agree with the fee core (calculator/core/windows.py) on every day of every policy: a closed span
or a monthly closed day is never open, an end the notice does not give is never counted down to."""
import datetime
import json
import subprocess
from pathlib import Path

from build_scripts import county_facts
from calculator.core import windows as core_windows

ROOT = Path(__file__).resolve().parent.parent
PERIOD_JS = ROOT / "docs" / "assets" / "site" / "period.js"
RUNNER = """
import * as period from %s;
const calls = JSON.parse(await new Promise((resolve) => {
  let text = ""; process.stdin.on("data", (chunk) => (text += chunk)); process.stdin.on("end", () => resolve(text));
}));
const out = calls.map(([name, ...args]) => name === "periodStatus"
  ? (({ state, short, text, window }) => ({ state, short, text, window: window.id }))(period.periodStatus(...args))
  : period[name](...args));
process.stdout.write(JSON.stringify(out));
"""


def run_period(calls):
    """[[function name, *arguments]] → their results (periodStatus: {state, short, text, window id})."""
    script = RUNNER % json.dumps(PERIOD_JS.as_uri())
    run = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(calls, ensure_ascii=False),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def status(windows, day):
    return run_period([["periodStatus", windows, day]])[0]


PLAIN = [{"id": "concentrated", "label": "集中参保缴费期", "from": "2022-09-01", "to": "2022-12-31", "last": "2022-12-31"},
         {"id": "late", "label": "补缴期", "from": "2023-03-01", "to": "2023-06-30", "last": "2023-06-30"}]
# 红塔: a closed gap, then a window whose end the notice does not give.
HONGTA = [{"id": "concentrated", "label": "集中缴费期", "from": "2025-10-10", "to": "2026-02-25", "last": "2026-02-25"},
          {"id": "gap", "label": "集中缴费期结束后、非集中缴费期开始前", "from": "2026-02-26", "to": "2026-02-28",
           "last": "2026-02-28", "closed": True},
          {"id": "late", "label": "非集中缴费期", "from": "2026-03-01", "to": {"unknown": "没有写到哪天结束"}, "last": "2026-12-31"}]
# 兴县: only the 1st–25th of each month.
MONTHLY = {"first_day": 1, "last_day": 25}
XINGXIAN = [{"id": "concentrated", "label": "集中征缴期", "from": "2025-10-17", "to": "2026-02-25", "last": "2026-02-25",
             "monthly": MONTHLY},
            {"id": "after", "label": "集中征缴期后", "from": "2026-02-26", "to": {"unknown": "没有写到"}, "last": "2026-12-31",
             "monthly": MONTHLY}]


def test_a_plain_period_before_during_between_and_after():
    assert status(PLAIN, "2022-08-31")["text"] == "缴费期尚未开始（2022年9月1日开始）"
    assert status(PLAIN, "2022-12-30") == {"state": "open", "short": "正在缴费", "window": "concentrated",
                                            "text": "正在缴费期内：集中参保缴费期还剩2天（截至2022年12月31日）"}
    between = status(PLAIN, "2023-01-15")
    assert between["state"] == "upcoming" and between["text"] == "现在不在缴费期内，补缴期2023年3月1日开始"
    assert status(PLAIN, "2023-07-01") == {"state": "closed", "short": "缴费期已结束", "window": "late",
                                            "text": "缴费期已结束（截至2023年6月30日）"}


def test_a_closed_span_is_never_open_and_says_when_paying_is_next_possible():
    gap = status(HONGTA, "2026-02-27")
    assert gap["state"] == "upcoming" and gap["short"] == "暂不能缴费"
    assert "现在不能缴费" in gap["text"] and "2026年3月1日起可以缴费" in gap["text"] and "还剩" not in gap["text"]


def test_an_end_the_notice_does_not_give_is_never_counted_down():
    late = status(HONGTA, "2026-12-06")
    assert late["state"] == "open" and late["text"].startswith("正在缴费期内（通知未写明截止日期）")
    assert "还剩" not in late["text"] and "12月31日" not in late["text"]
    over = status(HONGTA, "2027-01-01")
    assert over["state"] == "closed" and "通知未写明截止日期" in over["text"]


def test_a_monthly_window_is_open_on_its_days_only():
    assert status(XINGXIAN, "2025-11-10")["text"] == \
        "正在缴费期内：集中征缴期，每月1日至25日可以缴费，本月还剩16天（截至2025年11月25日）"
    closed_day = status(XINGXIAN, "2025-11-27")
    assert closed_day["state"] == "upcoming" and "2025年12月1日起可以缴费" in closed_day["text"]
    assert "每月1日至25日可以缴费" in closed_day["text"] and "还剩" not in closed_day["text"]
    # the concentrated period ends on 2026-02-25; the next window starts on a closed day, the 26th
    assert status(XINGXIAN, "2026-02-26")["text"] == "现在不能缴费（集中征缴期后，每月1日至25日可以缴费，今天不在其中）；2026年3月1日起可以缴费"
    assert status(XINGXIAN, "2026-01-30")["text"].endswith("；2026年2月1日起可以缴费")
    after = status(XINGXIAN, "2026-03-05")
    assert after["state"] == "open" and "通知未写明截止日期" in after["text"] and "还剩" not in after["text"]
    assert "本月缴费到2026年3月25日" in after["text"]


def test_is_payment_day_and_the_compiled_policys_windows():
    days = ["2026-02-25", "2026-02-27", "2026-03-01", "2026-12-31", "2027-01-01"]
    assert run_period([["isPaymentDay", HONGTA, day] for day in days]) == [True, False, True, True, False]
    compiled = {"coverage": {"end": "2026-12-31"},
                "windows": [{key: value for key, value in window.items() if key != "last"} for window in XINGXIAN]}
    assert run_period([["paymentWindows", compiled]])[0] == XINGXIAN


def test_period_js_agrees_with_the_core_on_every_day_of_every_policy(policies):
    """Open on exactly the core's payment days, from a week before the first to a week after the last."""
    calls, expected = [], []
    for policy in policies.values():
        windows = county_facts.browser_windows(policy)
        open_days = core_windows.payment_days(policy)
        day = datetime.date.fromisoformat(policy["windows"][0]["from"]) - datetime.timedelta(days=7)
        end = core_windows.last_day(policy, policy["windows"][-1]) + datetime.timedelta(days=7)
        while day <= end:
            calls.append(["periodStatus", windows, day.isoformat()])
            expected.append((policy["id"], day.isoformat(), any(first <= day <= last for first, last in open_days)))
            day += datetime.timedelta(days=1)
    for (policy_id, day, is_open), got in zip(expected, run_period(calls)):
        assert (got["state"] == "open") == is_open, (policy_id, day, got)
        policy = policies[policy_id]
        if got["state"] == "open" and not core_windows.end_is_known(
                core_windows.window_on(policy, datetime.date.fromisoformat(day))):
            assert "还剩" not in got["text"], (policy_id, day, got)


# ---- what to do now (issue 21): never a passed deadline as the thing to do ----

def now(year, others=()):
    return {"place": "南安市", "year": year, "others": list(others)}


def shifted(windows, years):
    """The same windows `years` later (a newer notice of the same place)."""
    move = lambda day: str(int(day[:4]) + years) + day[4:] if isinstance(day, str) else day  # noqa: E731
    return [dict(w, **{"from": move(w["from"]), "to": move(w["to"]), "last": move(w["last"])}) for w in windows]


def to_do(now_data, windows, day):
    return run_period([["whatToDoNow", now_data, windows, day]])[0]


def test_a_closed_notice_with_nothing_newer_says_the_site_has_no_notice_yet_and_whom_to_ask():
    lines = to_do(now(2023), PLAIN, "2026-12-07")
    texts = " ".join(line["text"] for line in lines)
    assert "往年" in texts and "本站还没有收录南安市的2027年度通知" in texts and "12393" in texts
    assert not any("link" in line for line in lines)
    # before September the year enrolled for is the year itself
    assert "本站还没有收录南安市的2026年度通知" in " ".join(line["text"] for line in to_do(now(2023), PLAIN, "2026-05-01"))


def test_a_closed_notice_points_to_the_place_or_provinces_newer_notice():
    newer = {"name": "南安市 2027年度", "year": 2027, "url": "../nanan-2027/", "windows": shifted(PLAIN, 4)}
    lines = to_do(now(2023, [newer]), PLAIN, "2026-10-01")  # the newer one is open that day
    assert lines[1]["link"] == {"href": "../nanan-2027/", "text": "看南安市 2027年度的明白纸"}
    assert "现在可以缴费的是南安市 2027年度的通知" in lines[1]["text"]
    assert not any("还没有收录" in line["text"] for line in lines)
    wide = {"name": "福建省 2027年度", "year": 2027, "url": "../fujian-2027/", "windows": shifted(PLAIN, 4)}
    later = to_do(now(2023, [wide]), PLAIN, "2026-08-01")  # not open yet: offered as the newer notice
    assert later[-1]["link"]["href"] == "../fujian-2027/" and "尚未开始" in later[-1]["text"]


def test_an_open_notice_adds_nothing_unless_next_years_enrolment_is_on_and_missing():
    assert to_do(now(2023), PLAIN, "2022-10-01") == []
    autumn = to_do(now(2026), HONGTA, "2026-12-07")  # open (no end given), next year's notice not on the site
    assert [line["text"] for line in autumn] == ["本站还没有收录南安市的2027年度通知，请问村（居）委会或医保部门（热线12393）。"]


def test_a_listing_labels_a_closed_notice_past_year():
    assert run_period([["listLabel", {"state": "closed", "short": "缴费期已结束"}],
                       ["listLabel", {"state": "open", "short": "正在缴费"}]]) == ["往年，缴费期已结束", "正在缴费"]
