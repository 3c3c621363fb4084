"""The payment calendar of one county and year: counties/<id>/<id>.ics (iCalendar, RFC 5545).

One all-day event per payment window (a monthly window: one per run of its payment days; a window
whose end the notice does not give: its first day only), and a reminder on each last payment day before
something changes for a resident: the concentrated period ends, a surcharge or a waiting period starts,
a student deadline passes, payment closes (where the notice says when). What changes is the fee core's
answer for the representative people of the county page on the last payment day before and the first
one from then on (closed days in between are said); each event cites the notice lines it rests on.

Phones keep an imported event and update it when the calendar is opened again (METHOD:PUBLISH): an
event keeps its UID across builds, and its SEQUENCE is the time of the build that wrote the file (seconds
since 2020-01-01 UTC), so a corrected policy always outranks what a phone holds. A county's files are
cached for the build day (build_cache): an unchanged county keeps that day's stamp, and on a later day
it is raised and simply re-imported as it was. DTSTAMP is that time as well: SOURCE_DATE_EPOCH when set
(the same value builds the same file, byte for byte), else the clock.
"""
import datetime
from urllib.parse import urlsplit

import icalendar

from build_scripts import county_facts, county_sentences, fragments, poster, provenance
from build_scripts.zh_format import NO_END_WORDS, date_range, full_date, is_unstated, month_day, window_dates, yuan
from calculator.core import windows as payment_windows
from calculator.core.values import parse_date

PRODUCT_ID = "-//医保明白纸//缴费日历//ZH"
# 09:00 three days before an all-day event: time to go and pay.
REMINDER_BEFORE = datetime.timedelta(days=2, hours=15)
ONE_DAY = datetime.timedelta(days=1)
SEQUENCE_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)  # keeps SEQUENCE a 32-bit integer until 2088


def calendar_path(policy):
    return "counties/%s/%s.ics" % (policy["id"], policy["id"])


def render_calendar(policy, facts, page_url):
    """The .ics text; `page_url` is the county page's absolute address (citations link its notice page).
    A notice whose period was over when the site was built says so in the calendar's name and in every
    event, first (its events are all in the past: they stay only for a phone that imported them)."""
    says = facts["says"]
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = "%s%d年度城乡居民医保缴费" % (county_sentences.place_name(policy), policy["coverage_year"])
    calendar.add("x-wr-calname", name + ("（%s）" % county_sentences.OVER_WORDS if says["standing"] == county_sentences.OVER else ""))
    built = county_sentences.build_time()
    for event in window_events(policy, facts) + change_events(policy) + closing_events(policy):
        calendar.add_component(as_ical(marked_over(event, says), policy, page_url, built))
    return calendar.to_ical().decode("utf-8")


def marked_over(event, says):
    """The event as it is, or, for a notice whose period was over at the build, saying so first."""
    if says["standing"] != county_sentences.OVER:
        return event
    return dict(event, summary="（%s）%s" % (county_sentences.OVER_WORDS, event["summary"]),
                lines=["%s。" % line for line in [county_sentences.OVER_WORDS] + says["over"]] + event["lines"])


def window_events(policy, facts):
    """An event spanning each payment window (a monthly window: one per run of its payment days), with
    what an ordinary adult gets paying in it. A window whose end the notice does not give is an event on
    its first day only: a calendar must not show the core's last day for it as a deadline."""
    events = []
    for item in facts["timeline"]:
        window = item["window"]
        if window.get("closed"):
            continue
        outcome = county_sentences.plain(fragments.outcome(item["result"]))
        lines = [facts["says"]["windows"][window["id"]] + "。",
                 "例如普通居民（%d岁）%s缴费：%s。" % (facts["adult_age"], full_date(item["paid_on"]), outcome)]
        event = {"summary": "医保缴费期：%s" % window["label"], "lines": lines,
                 "sources": window["sources"] + window.get("monthly", {}).get("sources", []) + item["sources"], "reminder": False}
        days = county_facts.open_days(policy, window)
        if not days:
            continue
        if not payment_windows.end_is_known(window):
            events.append(dict(event, uid="window-" + window["id"], first=days[0], last=days[0],
                               summary="医保缴费：%s今天开始（%s）" % (window["label"], NO_END_WORDS)))
            continue
        runs = [(first, last) for first, last, is_open in payment_windows.spans(policy, window) if is_open]
        for number, (first, last) in enumerate(runs):
            uid = "window-" + window["id"] + ("-%d" % (number + 1) if len(runs) > 1 else "")
            events.append(dict(event, uid=uid, first=first, last=last))
    return events


def change_events(policy):
    """A reminder on the last payment day before each day a representative person's answer changes
    (days on which nobody can pay in between are skipped, and said)."""
    events, seen = [], set()
    for day in candidate_days(policy):
        after, before = county_facts.next_payment_day(policy, day), county_facts.previous_payment_day(policy, day)
        if after is None or before is None or (before, after) in seen:
            continue
        seen.add((before, after))
        changes = changes_between(policy, before, after)
        if not changes:
            continue
        lines = []
        if after - before > ONE_DAY:
            lines.append("%s不能缴费。" % date_range(before + ONE_DAY, after - ONE_DAY))
        lines.append("%s起：" % full_date(after))
        lines += ["%s：%s（%s及以前：%s）" % ("、".join(who), now, month_day(before), was) for who, was, now, _ in changes]
        sources = [source for *_, change_sources in changes for source in change_sources] + ending_sources(policy, before)
        events.append({"uid": "change-" + after.isoformat(), "first": before, "last": before,
                       "summary": "医保缴费：%s，%s起有变化" % (last_day_of(policy, before),
                                                          "明天" if after - before == ONE_DAY else month_day(after)),
                       "lines": lines, "sources": sources, "reminder": True})
    return events


def ending_sources(policy, day):
    """The sources of the windows whose stated end is `day` (the reminder says the window ends then)."""
    return [source for window in policy["windows"]
            if payment_windows.end_is_known(window) and parse_date(window["to"]) == day for source in window["sources"]]


def last_day_of(policy, day):
    """今天是集中参保缴费期最后一天 (a window ends), else 今天是12月25日 (a rule's date condition flips)."""
    ending = [window["label"] for window in policy["windows"]
              if payment_windows.end_is_known(window) and parse_date(window["to"]) == day]
    return "今天是%s最后一天" % ending[0] if ending else "今天是%s" % month_day(day)


def candidate_days(policy):
    """Window starts and the days a rule's payment-date condition flips."""
    days = {parse_date(window["from"]) for window in policy["windows"]}
    return sorted(days | county_facts.rule_date_flips(policy))


def changes_between(policy, before, after):
    """[(who, before, after, sources)] for the representative people whose answer differs between
    paying on `before` and on `after`; people who change alike are named together."""
    grouped = {}
    for label, person in county_facts.typical_people(policy):
        was, now = answer(policy, person, before), answer(policy, person, after)
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
    pays = "缴多少通知未写明" if is_unstated(result["pays"]) else "本人缴%s" % yuan(result["pays"])
    return {"words": "%s，%s" % (explained["rule"], pays), "sources": explained["sources"]}


def closing_events(policy):
    """A reminder on the last payment day, where the notice gives it (none where it does not: the core's
    last day is then no deadline). Where that day is the site's reading of the notice (尤溪: 「按保障年度
    结束理解」), the reminder says so and never that no payment is taken after it."""
    last = policy["windows"][-1]
    if not payment_windows.end_is_known(last) or not county_facts.open_days(policy, last):
        return []
    day = county_facts.open_days(policy, last)[-1]
    if provenance.has_reading(last):
        return [{"uid": "closing", "first": day, "last": day,
                 "summary": "医保缴费：按本站的理解，今天是%d年度最后一天可以缴费" % policy["coverage_year"],
                 "lines": ["%s（%s）：本站理解为今天结束；通知没有写明截止日期，今天以后还能不能缴，请问当地医保部门。"
                           % (last["label"], window_dates(last))],
                 "sources": last["sources"], "reminder": True}]
    return [{"uid": "closing", "first": day, "last": day,
             "summary": "医保缴费：今天是%d年度最后一天可以缴费" % policy["coverage_year"],
             "lines": ["%s（%s）今天结束，过了今天就不能再缴%d年度的城乡居民医保了。"
                       % (last["label"], window_dates(last), policy["coverage_year"])],
             "sources": last["sources"], "reminder": True}]


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


def reading_lines(policy, sources, page_url):
    """本站的理解（集中缴费期）：… https://…/#reading-windows-concentrated — for each part cited that
    carries the site's reading, its words, and where the county page explains it."""
    who = provenance.of(policy)
    lines = []
    for key in who.readings_of(sources):
        part = who.parts[key]
        words = "".join(text.removeprefix(fragments.INTERPRETATION_WORDS) for text in (part.get("derived"), part.get("interpretation")) if text)
        lines.append("%s（%s）：%s %s#%s" % (provenance.READING_WORDS, who.name_of(key), words, page_url, provenance.anchor(key)))
    return lines


def as_ical(event, policy, page_url, built):
    place = county_sentences.place_name(policy)
    component = icalendar.Event()
    component.add("uid", "%s-%s@%s" % (policy["id"], event["uid"], host_of(page_url)))
    component.add("dtstamp", built)
    component.add("sequence", int((built - SEQUENCE_EPOCH).total_seconds()))
    component.add("dtstart", event["first"])
    component.add("dtend", event["last"] + ONE_DAY)  # all-day events end the day after (exclusive)
    component.add("summary", "%s%d年度%s" % (place, policy["coverage_year"], event["summary"]))
    description = event["lines"] + citation_lines(policy, event["sources"], page_url) + reading_lines(policy, event["sources"], page_url)
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
