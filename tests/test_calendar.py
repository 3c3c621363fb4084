"""counties/<id>/<id>.ics for every policy: valid iCalendar (parsed back with the icalendar library),
one event per payment window, a reminder the day before each change the fee core sees for an ordinary
resident, each event citing existing lines of the notice."""
import datetime
import re

import icalendar
import pytest

from build_scripts import calendar_ics, county_facts, county_sentences, pages, poster, publicity
from calculator.core import windows as core_windows
from calculator.core.values import parse_date

SITE_URL = "https://ybmbz.example.cn/"
LINE_LINK = re.compile(r"counties/[^/\s]+/([^#\s]+)#L(\d+)")
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def calendars(policies):
    """{policy id: parsed VCALENDAR}, from the text the build writes."""
    out = {}
    for policy_id, policy in policies.items():
        text = calendar_ics.render_calendar(policy, county_facts.facts(policy), page_url(policy))
        out[policy_id] = icalendar.Calendar.from_ical(text)
    return out


def page_url(policy):
    return publicity.absolute(SITE_URL, pages.county_url(policy))


def events(calendar):
    return list(calendar.walk("VEVENT"))


def test_calendar_is_valid_icalendar(policies, calendars):
    for policy_id, calendar in calendars.items():
        assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
        uids = [event["UID"] for event in events(calendar)]
        assert len(uids) == len(set(uids)), policy_id
        for event in events(calendar):
            for field in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
                assert field in event, (policy_id, field)
            assert isinstance(event.decoded("DTSTART"), datetime.date) and not isinstance(event.decoded("DTSTART"), datetime.datetime)
            assert event.decoded("DTEND") > event.decoded("DTSTART")


def test_every_payment_window_is_an_event_spanning_it(policies, calendars):
    """One event per run of payment days (a monthly window: each month's days); a window whose end the
    notice does not give: its first payment day only (the core's last day for it is no deadline)."""
    for policy_id, policy in policies.items():
        spans = {(event.decoded("DTSTART"), event.decoded("DTEND")) for event in events(calendars[policy_id])}
        for window in policy["windows"]:
            if window.get("closed"):
                continue
            if not core_windows.end_is_known(window):
                first = county_facts.open_days(policy, window)[0]
                assert (first, first + ONE_DAY) in spans, (policy_id, window["id"])
                assert all(end <= first + ONE_DAY for start, end in spans if start >= first), (policy_id, window["id"])
                continue
            for first, last, is_open in core_windows.spans(policy, window):
                assert ((first, last + ONE_DAY) in spans) == is_open, (policy_id, window["id"], first)


def test_a_reminder_falls_on_the_last_day_before_an_ordinary_residents_answer_changes(policies, calendars):
    for policy_id, policy in policies.items():
        reminders = {event.decoded("DTSTART"): event for event in events(calendars[policy_id]) if list(event.walk("VALARM"))}
        for window in policy["windows"][1:]:
            day = parse_date(window["from"])
            before, after = county_facts.previous_payment_day(policy, day), county_facts.next_payment_day(policy, day)
            if before and after and calendar_ics.changes_between(policy, before, after):
                event = reminders[before]
                assert "起有变化" in str(event["SUMMARY"])
                assert "%d年%d月%d日起" % (after.year, after.month, after.day) in str(event["DESCRIPTION"])
        last = policy["windows"][-1]
        closing = [event for event in reminders.values() if "最后一天可以缴费" in str(event["SUMMARY"])]
        if core_windows.end_is_known(last):
            assert "最后一天可以缴费" in str(reminders[county_facts.open_days(policy, last)[-1]]["SUMMARY"])
        else:  # the notice gives no last day: no reminder pretends to know it
            assert closing == [], policy_id


def test_concentrated_period_end_is_a_reminder_when_paying_later_differs(policies, calendars):
    """Every notice so far changes something after its first window; the test holds for any that does."""
    for policy_id, policy in policies.items():
        end = county_facts.open_days(policy, policy["windows"][0])[-1]
        after = county_facts.next_payment_day(policy, end + ONE_DAY)
        if after and calendar_ics.changes_between(policy, end, after):
            starts = [event.decoded("DTSTART") for event in events(calendars[policy_id]) if list(event.walk("VALARM"))]
            assert end in starts, policy_id


def test_every_event_names_the_place_and_cites_existing_notice_lines(policies, calendars):
    for policy_id, policy in policies.items():
        pages_of = {document.get("page", "notice.html"): document for document in poster.documents(policy)}
        line_counts = {page: notice_line_count(document, policy) for page, document in pages_of.items()}
        for event in events(calendars[policy_id]):
            assert str(event["SUMMARY"]).startswith("%s%d年度" % (county_sentences.place_name(policy), policy["coverage_year"]))
            description = str(event["DESCRIPTION"])
            assert "依据" in description and "以当地医保部门解释为准" in description
            links = LINE_LINK.findall(description)
            assert links, (policy_id, str(event["SUMMARY"]))
            for page, line in links:
                assert 1 <= int(line) <= line_counts[page], (policy_id, page, line)


def notice_line_count(document, policy):
    name = document.get("notice") or policy["notice"]
    return len((pages.policies_dir() / "notices" / name).read_text(encoding="utf-8").splitlines())


def test_calendar_never_changes_between_builds_of_the_same_source_date(policies, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    policy = next(iter(policies.values()))
    texts = {calendar_ics.render_calendar(policy, county_facts.facts(policy), page_url(policy)) for _ in range(2)}
    assert len(texts) == 1


def test_a_later_build_updates_the_events_a_phone_imported(policies, monkeypatch):
    """Same UIDs, a higher SEQUENCE, DTSTAMP the build time, METHOD:PUBLISH: phones replace their copy."""
    policy = policies["nanan-2023"]
    builds = {}
    for epoch in (1760000000, 1760000060):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        calendar = icalendar.Calendar.from_ical(calendar_ics.render_calendar(policy, county_facts.facts(policy), page_url(policy)))
        assert calendar["METHOD"] == "PUBLISH"
        builds[epoch] = {str(event["UID"]): event for event in events(calendar)}
        for event in events(calendar):
            assert event.decoded("DTSTAMP") == datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    earlier, later = builds.values()
    assert earlier.keys() == later.keys() and earlier
    assert all(int(later[uid]["SEQUENCE"]) == int(earlier[uid]["SEQUENCE"]) + 60 for uid in earlier)
