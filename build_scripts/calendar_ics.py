"""The payment calendar of one county and year: counties/<id>/<id>.ics (iCalendar, RFC 5545).

One all-day event per payment window, and a reminder on each last day before something changes for a
resident: the concentrated period ends, a surcharge or a waiting period starts, a student deadline
passes, payment closes. What changes is the fee core's answer for the representative people of the
county page on the day before and on the day itself; each event cites the notice lines it rests on.
"""
import datetime
from urllib.parse import urlsplit

import icalendar
import markupsafe

from build_scripts import county_facts, fragments, poster
from build_scripts.zh_format import date_range, full_date, month_day, yuan

PRODUCT_ID = "-//医保明白纸//缴费日历//ZH"
# 09:00 three days before an all-day event: time to go and pay.
REMINDER_BEFORE = datetime.timedelta(days=2, hours=15)
ONE_DAY = datetime.timedelta(days=1)


def calendar_path(policy):
    return "counties/%s/%s.ics" % (policy["id"], policy["id"])


def render_calendar(policy, facts, page_url):
    """The .ics text; `page_url` is the county page's absolute address (citations link its notice page)."""
    place = county_place(policy)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "%s%d年度城乡居民医保缴费" % (place, policy["coverage_year"]))
    stamp = stamp_of(policy)
    for event in window_events(policy, facts) + change_events(policy) + [closing_event(policy)]:
        calendar.add_component(as_ical(event, policy, page_url, stamp))
    return calendar.to_ical().decode("utf-8")


def county_place(policy):
    jurisdiction = policy["jurisdiction"]
    return (jurisdiction.get("county") or jurisdiction.get("city") or jurisdiction["province"]) + (jurisdiction.get("township") or "")


def stamp_of(policy):
    """DTSTAMP: the notice's date (a rebuild must not change the file), else the year before cover."""
    day = policy["document"].get("date") or "%d-01-01" % (policy["coverage_year"] - 1)
    return datetime.datetime.combine(county_facts.as_date(day), datetime.time(), datetime.UTC)


def window_events(policy, facts):
    """One event spanning each payment window, with what an ordinary adult gets paying in it."""
    events = []
    for item in facts["timeline"]:
        window = item["window"]
        if window.get("closed"):
            continue
        lines = ["%s：%s。" % (window["label"], date_range(window["from"], window["to"])),
                 "例如普通居民（%d岁）%s缴费：%s。" % (facts["adult_age"], full_date(item["paid_on"]), plain_outcome(item["result"]))]
        events.append({"uid": "window-" + window["id"], "first": county_facts.as_date(window["from"]),
                       "last": county_facts.as_date(window["to"]), "summary": "医保缴费期：%s" % window["label"],
                       "lines": lines, "sources": window["sources"] + item["sources"], "reminder": False})
    return events


def change_events(policy):
    """A reminder on the last day before each day a representative person's answer changes."""
    events = []
    first_day = county_facts.as_date(policy["windows"][0]["from"])
    last_day = county_facts.as_date(policy["windows"][-1]["to"])
    for day in candidate_days(policy):
        if not first_day < day <= last_day:
            continue
        changes = changes_on(policy, day)
        if not changes:
            continue
        before = day - ONE_DAY
        lines = ["%s起：" % full_date(day)]
        lines += ["%s：%s（%s及以前：%s）" % ("、".join(who), after, month_day(before), was) for who, was, after, _ in changes]
        sources = [source for *_, change_sources in changes for source in change_sources]
        events.append({"uid": "change-" + day.isoformat(), "first": before, "last": before,
                       "summary": "医保缴费：%s，明天起有变化" % last_day_of(policy, before),
                       "lines": lines, "sources": sources, "reminder": True})
    return events


def last_day_of(policy, day):
    """今天是集中参保缴费期最后一天 (a window ends), else 今天是12月25日 (a rule's date condition flips)."""
    ending = [window["label"] for window in policy["windows"] if county_facts.as_date(window["to"]) == day]
    return "今天是%s最后一天" % ending[0] if ending else "今天是%s" % month_day(day)


def candidate_days(policy):
    """Window starts and the days a rule's payment-date condition flips."""
    days = {county_facts.as_date(window["from"]) for window in policy["windows"]}
    return sorted(days | county_facts.rule_date_flips(policy))


def changes_on(policy, day):
    """[(who, before, after, sources)] for the representative people whose answer differs between
    the day before `day` and `day`; people who change alike are named together."""
    grouped = {}
    for label, person in county_facts.typical_people(policy):
        was, now = answer(policy, person, day - ONE_DAY), answer(policy, person, day)
        if was["words"] != now["words"]:
            entry = grouped.setdefault((was["words"], now["words"]), ([], now["sources"]))
            entry[0].append(label)
    return [(who, was, now, sources) for (was, now), (who, sources) in grouped.items()]


def answer(policy, person, paid_on):
    """What a person paying on `paid_on` would be told, in words that do not depend on the exact day."""
    result = county_facts.quote_person(policy, person, paid_on)
    explained = county_facts.explained(result, policy)
    if not result["accepted"]:
        return {"words": "不能缴费（%s）" % result["reason"], "sources": explained["sources"]}
    return {"words": "%s，本人缴%s" % (explained["rule"], yuan(result["pays"])), "sources": explained["sources"]}


def closing_event(policy):
    last = policy["windows"][-1]
    day = county_facts.as_date(last["to"])
    return {"uid": "closing", "first": day, "last": day,
            "summary": "医保缴费：今天是%d年度最后一天可以缴费" % policy["coverage_year"],
            "lines": ["%s（%s）今天结束，过了今天就不能再缴%d年度的城乡居民医保了。"
                      % (last["label"], date_range(last["from"], last["to"]), policy["coverage_year"])],
            "sources": last["sources"], "reminder": True}


def plain_outcome(result):
    return markupsafe.Markup(fragments.outcome(result)).striptags()


def citation_lines(policy, sources, page_url):
    """依据潍坊市医疗保障局《…》（文号）：原文第29行 https://…/notice.html#L29 — per document, each line once."""
    lines = []
    for document in poster.documents(policy):
        cited = sorted({source["line"]: source for source in sources
                        if source.get("notice", document.get("id")) == document.get("id")}.values(), key=lambda source: source["line"])
        if cited:
            lines.append("依据%s：" % poster.document_name(document))
            lines += ["第%d行 %s%s#L%d" % (source["line"], page_url, source.get("page", "notice.html"), source["line"]) for source in cited]
    return lines


def as_ical(event, policy, page_url, stamp):
    place = county_place(policy)
    component = icalendar.Event()
    component.add("uid", "%s-%s@%s" % (policy["id"], event["uid"], host_of(page_url)))
    component.add("dtstamp", stamp)
    component.add("dtstart", event["first"])
    component.add("dtend", event["last"] + ONE_DAY)  # all-day events end the day after (exclusive)
    component.add("summary", "%s%d年度%s" % (place, policy["coverage_year"], event["summary"]))
    description = event["lines"] + citation_lines(policy, event["sources"], page_url)
    description.append("详细说明和计算器：%s（以当地医保部门解释为准）" % page_url)
    component.add("description", "\n".join(description))
    component.add("url", page_url)
    component.add("transp", "TRANSPARENT")
    if event["reminder"]:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", component["summary"])
        alarm.add("trigger", -REMINDER_BEFORE)
        component.add_component(alarm)
    return component


def host_of(url):
    return urlsplit(url).hostname or "localhost"
