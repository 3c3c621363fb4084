"""The printable 明白纸 of one county and year: counties/<id>/print/index.html, one A4 portrait page.

The layout of an official 明白纸 (一、谁要参保 … 五、怎么缴、带什么), for publicity staff to print, post
and hand out. Every figure is the fee core's answer, as on the county page (build_scripts.county_facts);
the QR code (SVG, drawn here at build time) and the address printed beside it lead to the county page.
"""
import io
import re
from urllib.parse import urljoin, urlsplit

import markupsafe
import segno

from build_scripts import county_facts, provenance, zh_format
from calculator.core import windows as payment_windows
from calculator.core.conditions import conditions_of

PRINT_FOLDER = "print/"
# A phone number or the national 12393 hotline in a quoted sentence: 0595-86383123, 12393, 86383123.
PHONE_NUMBER = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—]?\d{7,8}|12393|1\d{10}|\d{7,8})(?!\d)")
PHONE_WORDS = re.compile("电话|热线|咨询")
# RFC 2606 names: a build whose site address is still such a placeholder must not be posted on a wall.
QUOTED = ("eligible", "not_eligible", "registration", "payment_channels", "materials")
SENTENCE_ENDS = tuple("。；;！？.")
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(example\.(com|org|net)|example|invalid|test|localhost)$")


def poster_path(policy):
    return "counties/%s/%s" % (policy["id"], PRINT_FOLDER)


def render_poster(env, policy, facts, page_url):
    """The poster's HTML; `page_url` is the county page's absolute address (QR code and text)."""
    newer_id = facts["says"]["newer_id"]
    return env.get_template("print/poster.html.j2").render(
        policy=policy, facts=facts, poster=poster_facts(policy, facts), page_url=page_url,
        newer_url=urljoin(page_url, "../%s/" % newer_id) if newer_id else None,
        qr_code=qr_svg(page_url), placeholder_address=is_placeholder(page_url))


def is_placeholder(url):
    return bool(PLACEHOLDER_HOSTS.search(urlsplit(url).hostname or ""))


def qr_svg(url):
    """The QR code of `url` as inline SVG, scaled by CSS (error correction M survives a creased print)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, omitsize=True, svgclass="qr-code", lineclass=None,
              title="二维码：" + url)
    return markupsafe.Markup(out.getvalue().decode("utf-8"))


def poster_facts(policy, facts):
    """What the poster shows beyond the county page's facts: who pays what in the first window,
    what the special groups pay, the consequences of missed years, the hotline the notice names."""
    first_window = policy["windows"][0]
    return {
        "first_window": first_window,
        "price_rows": price_rows(policy, facts),
        "group_rows": group_rows(policy, facts["subsidies"]),
        "missed_years": missed_year_examples(facts),
        "break_costs": break_costs(facts),
        "has_waiting": any(example["result"].get("waiting_days") for example in facts["timeline"]),
        "hotlines": hotline_quotes(policy),
        "quoted": {key: joined(policy.get(key, [])) for key in QUOTED},
        "documents": [" ".join([document_name(document)] + ([zh_format.full_date(document["date"])] if document.get("date") else []))
                      for document in documents(policy)],
        "first_window_sources": first_window["sources"] + first_window.get("monthly", {}).get("sources", []),
        "only_window_end_stated": (len(policy["windows"]) == 1 and payment_windows.end_is_known(first_window)
                                   and not provenance.has_reading(first_window)),
    }


def price_rows(policy, facts):
    """The first window's price categories, each with the representative people who fall in it
    (成年居民, 未成年人, 在校学生 …), so a reader finds their own line, and the day from which they may
    pay where that is later than the window's first day (福山: adults from 10月1日), as on the county page."""
    window = facts["price_windows"][0]
    people_in = {row["category"]: [] for row in window["rows"]}
    days = county_facts.payment_days_in(policy, window["window"], county_facts.rule_date_flips(policy))
    for label, person in county_facts.typical_people(policy):
        result, _ = county_facts.first_accepted(policy, person, days)
        if result["accepted"]:
            people_in.setdefault(result["category"], []).append(label)
    return [dict(row, people=[name for name in people_in.get(row["category"], []) if not _names_the_same(name, row["category"])])
            for row in window["rows"]]


def _names_the_same(label, category):
    """成年居民（一档（370元））in 成年居民一档, 在校学生（中小学、幼儿园等）in 在校学生: no need to say it twice."""
    return label.split("（")[0] in category


def group_rows(policy, subsidies):
    """Special groups that pay alike on one line: [{who: [labels], example, result, sources}], in the
    notice's order. Each label is the subsidy's whole label, never cut. Where the figures hold only for
    the example's payment day or tier (福山: 残疾人 adults who pay after 12月25日 and choose 二档 pay 520元),
    `example` says so: 例：二档（520元），12月26日缴费."""
    rows = {}
    for example in subsidies:
        result = example["result"]
        if result is None:
            continue
        words = example_words(policy, example)
        key = (str(result["pays"]), str(result["subsidy"]), str(result["reimbursed_later"]), words)
        row = rows.setdefault(key, {"who": [], "example": words, "result": result, "sources": []})
        row["who"].append(example["subsidy"]["label"])
        row["sources"] += example["subsidy"]["sources"]
    return list(rows.values())


def example_words(policy, example):
    """例：二档（520元），12月26日缴费 — the example's tier and payment day, where the subsidy's conditions
    name a tier or a payment day or the amounts depend on the tier chosen; "" otherwise."""
    keys = {key for key, _ in conditions_of(example["subsidy"].get("when"))}
    member, parts = example["result"]["member"], []
    if "tier" in member and (keys & {"tier"} or example["subsidy"]["kind"] in ("none", "share")):
        parts.append(county_facts.tier_label(policy, member["tier"]))
    if keys & {"paid_on_or_before", "paid_on_or_after"}:
        parts.append("%s缴费" % zh_format.month_day(example["paid_on"]))
    return "例：%s" % "，".join(parts) if parts else ""


def missed_year_examples(facts):
    """For a 2025+ notice: the county page's examples (build_scripts.county_facts) of an adult who
    missed years and pays in the concentrated period, each with the core's wait in words; without
    paying missed years back, and the first example whose paying back shortens the wait (else the first)."""
    continuity = facts.get("continuity")
    if not continuity:
        return []
    first_window = continuity["rows"][0]["window"]["id"]
    rows = [dict(row, says=(row["waiting"] or {}).get("says")) for row in continuity["rows"]
            if row["window"]["id"] == first_window and row["missed"]]
    repaired = [row for row in rows if row["repaired"]]
    shortened = [row for row in repaired if row["result"].get("waiting_days") != _unrepaired(rows, row).get("waiting_days")]
    return [row for row in rows if not row["repaired"]] + (shortened or repaired)[:1]


def _unrepaired(rows, row):
    return next(other["result"] for other in rows if other["missed"] == row["missed"] and not other["repaired"])


def break_costs(facts):
    """What a break costs beside the wait (a lower 大病保险 ceiling, the count of continuous years
    restarting), as the county page's 断保 section says: the rewards that apply to those who missed a year."""
    continuity = facts.get("continuity")
    if not continuity:
        return []
    return [reward for reward in continuity["rewards"]
            if any(key == "missed_years_at_least" for key, _ in conditions_of(reward.get("when")))]


def joined(items):
    """The notice's sentences run on as one paragraph; a sentence quoted without its closing mark
    gets one ("；", the last "。") so that it does not run into the next."""
    marks = ["；"] * (len(items) - 1) + ["。"]
    return "".join(item["quote"] + ("" if item["quote"][-1:] in SENTENCE_ENDS else mark) for item, mark in zip(items, marks))


def hotline_quotes(policy):
    """The notice's sentences that name a phone number, from where it says how to enroll and pay."""
    quoted = policy["registration"] + policy["payment_channels"] + policy.get("notes", [])
    return [item for item in quoted if PHONE_NUMBER.search(item["quote"]) and PHONE_WORDS.search(item["quote"])]


def documents(policy):
    """The documents a policy rests on, its own notice first (layered policies list the national and
    provincial ones after it)."""
    return policy.get("documents") or [policy["document"]]


def document_name(document):
    """《…》（南政办内传〔2022〕45号）, or what is known, and what is missing, instead of printing None:
    潍坊市医疗保障局等的通知（转载文本没有标题；转载文本没有文号）."""
    missing = document.get("missing") or {}
    if document.get("title"):
        name = "《%s》" % document["title"]
        gaps = []
    else:
        name = "%s的通知" % (document.get("issuer") or "")
        gaps = [missing.get("title", "未写标题")]
    gaps.append(document.get("number") or missing.get("number", "未写文号"))
    return "%s（%s）" % (name, "；".join(gaps))
