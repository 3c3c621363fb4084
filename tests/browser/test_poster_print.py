"""For every policy, in Debian's chromium:
- the printable 明白纸 prints to exactly one A4 page (Chromium's print-to-PDF, with the page's own
  margins and with the print dialog's default 10 mm ones), no text outside the sheet;
- its QR code, scanned back from a screenshot, is the county page's address, printed beside it;
- the county page at phone size carries og: tags and the card image, and its 打印 / 分享 / 加到日历
  controls work (share sheet where the phone has one, else the clipboard, with a confirmation)."""
import datetime
import io
import re

import icalendar
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from build_scripts import county_sentences, pages, publicity, share_card, zh_format
from calculator.policyfile import load_policies
from tests.browser.conftest import _local_only

POLICIES = {policy["id"]: policy for policy in load_policies()}
A4_MM = (210, 297)
POSTER_MARGIN_MM = 12  # poster.css @page
DIALOG_MARGIN = "10mm"  # Chromium's print dialog, "default" margins, when a page sets none
PX_PER_MM = 96 / 25.4
PDF_PAGE = re.compile(rb"/Type\s*/Page\b")
PDF_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
POINTS_PER_MM = 72 / 25.4

# Boxes of the sheet and of every element with text of its own, in CSS px.
LAYOUT_JS = """() => {
  const sheet = document.querySelector("[data-yb-poster]");
  const box = sheet.getBoundingClientRect();
  const outside = [];
  for (const el of sheet.querySelectorAll("*")) {
    const ownText = [...el.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
    const r = el.getBoundingClientRect();
    if (ownText && (r.right > box.right + 0.5 || r.left < box.left - 0.5 || r.bottom > box.bottom + 0.5
                    || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible"))
      outside.push(el.tagName + " 「" + el.textContent.trim().slice(0, 20) + "」");
  }
  return {height: box.height, width: box.width, scrollHeight: sheet.scrollHeight, scrollWidth: sheet.scrollWidth,
          fontPt: sheet.dataset.fontPt, outside};
}"""


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 1400}, device_scale_factor=2, locale="zh-CN")
    context.route("**/*", _local_only)
    yield context.new_page()
    context.close()


def open_poster(page, site_url, policy_id):
    response = page.goto(site_url + "counties/%s/print/" % policy_id)
    assert response.ok
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("policy_id", POLICIES)
def test_poster_prints_to_one_a4_page_with_nothing_cut_off(desktop_page, site_url, policy_id):
    open_poster(desktop_page, site_url, policy_id)
    desktop_page.emulate_media(media="print")
    layout = desktop_page.evaluate(LAYOUT_JS)
    printable_mm = (A4_MM[0] - 2 * POSTER_MARGIN_MM, A4_MM[1] - 2 * POSTER_MARGIN_MM)
    assert layout["height"] <= printable_mm[1] * PX_PER_MM, layout
    assert layout["width"] <= printable_mm[0] * PX_PER_MM + 0.5, layout
    assert layout["scrollHeight"] <= layout["height"] + 1 and layout["scrollWidth"] <= layout["width"] + 1, layout
    assert layout["outside"] == [], layout
    for pdf in (desktop_page.pdf(prefer_css_page_size=True),
                desktop_page.pdf(format="A4", margin={side: DIALOG_MARGIN for side in ("top", "right", "bottom", "left")})):
        assert len(PDF_PAGE.findall(pdf)) == 1, "%s prints to %d pages" % (policy_id, len(PDF_PAGE.findall(pdf)))
        width, height = (float(value) for value in PDF_MEDIA_BOX.search(pdf).groups())
        assert abs(width - A4_MM[0] * POINTS_PER_MM) < 2 and abs(height - A4_MM[1] * POINTS_PER_MM) < 2


@pytest.mark.parametrize("policy_id", POLICIES)
def test_poster_qr_code_scans_to_the_county_page_printed_beside_it(desktop_page, site_url, policy_id):
    open_poster(desktop_page, site_url, policy_id)
    printed = desktop_page.locator(".poster-address").inner_text().strip()
    assert printed == publicity.absolute(publicity.site_url_from_environment(), pages.county_url(POLICIES[policy_id]))
    shot = Image.open(io.BytesIO(desktop_page.locator(".poster-qr svg").screenshot()))
    assert [code.text for code in zxingcpp.read_barcodes(shot)] == [printed]


def test_poster_page_shows_the_whole_sheet_on_a_phone(phone_page, site_url):
    open_poster(phone_page, site_url, next(iter(POLICIES)))
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"]
    sheet = phone_page.locator("[data-yb-poster]").bounding_box()
    assert sheet["x"] >= 0 and sheet["x"] + sheet["width"] <= phone_page.viewport_size["width"]


@pytest.mark.parametrize("policy_id", POLICIES)
def test_county_page_has_share_tags_and_a_card(phone_page, site_url, site_dir, policy_id):
    policy = POLICIES[policy_id]
    phone_page.goto(site_url + pages.county_url(policy))
    assert "<" not in phone_page.locator("body").inner_text()[:200]  # the tags went into <head>, none shown as text
    title = "%s%d年度城乡居民医保：缴费标准、缴费时间、断保后果" % (county_sentences.place_name(policy), policy["coverage_year"])
    assert phone_page.title().startswith(title)
    tags = phone_page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('meta[property^="og:"]')]
                                   .map(tag => [tag.getAttribute("property"), tag.content]))""")
    assert tags["og:title"] == title
    assert zh_format.window_dates(policy["windows"][0]) in tags["og:description"]
    own_page = publicity.absolute(publicity.site_url_from_environment(), pages.county_url(policy))
    assert tags["og:url"] == own_page and tags["og:image"] == own_page + share_card.CARD_NAME
    card = Image.open(site_dir / pages.county_url(policy) / share_card.CARD_NAME)
    assert card.format == "PNG" and card.size == (int(tags["og:image:width"]), int(tags["og:image:height"]))


@pytest.mark.parametrize("policy_id", POLICIES)
def test_print_and_calendar_links_lead_to_the_poster_and_a_valid_calendar(phone_page, site_url, policy_id):
    # read on the first payment day: once the period is over the page no longer offers the calendar (site.js)
    first = datetime.date.fromisoformat(POLICIES[policy_id]["form"]["payment_period"]["first"])
    phone_page.clock.set_fixed_time(datetime.datetime.combine(first, datetime.time(12)))
    phone_page.goto(site_url + "counties/%s/" % policy_id)
    calendar_link = phone_page.get_by_role("link", name="加到日历")
    response = phone_page.request.get(phone_page.evaluate("(a) => a.href", calendar_link.element_handle()))
    calendar = icalendar.Calendar.from_ical(response.body())
    assert calendar.walk("VEVENT")
    phone_page.get_by_role("link", name="打印 / 保存为PDF").click()
    phone_page.wait_for_url("**/counties/%s/print/" % policy_id)
    assert phone_page.get_by_role("button", name="打印 / 保存为PDF").is_visible()


def test_share_button_opens_the_phones_share_sheet_with_title_and_address(phone_page, site_url):
    policy_id = next(iter(POLICIES))
    phone_page.add_init_script("navigator.share = async (data) => { window.sharedData = data; };")
    phone_page.goto(site_url + "counties/%s/" % policy_id)
    phone_page.get_by_role("button", name="分享").click()
    shared = phone_page.wait_for_function("window.sharedData").json_value()
    assert shared["url"] == site_url + "counties/%s/" % policy_id
    assert shared["title"] == phone_page.title().split(" - ")[0]


def test_share_button_copies_the_link_where_there_is_no_share_sheet(phone_context, site_url):
    policy_id = next(iter(POLICIES))
    phone_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = phone_context.new_page()
    page.add_init_script("delete Navigator.prototype.share;")
    page.goto(site_url + "counties/%s/" % policy_id)
    page.get_by_role("button", name="分享").click()
    status = page.locator(".share-status")
    status.filter(has_text="链接已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").endswith(site_url + "counties/%s/" % policy_id)


def test_a_poster_says_on_screen_whether_it_is_still_the_one_to_post(phone_page, site_url, policies):
    for policy in policies.values():
        phone_page.goto(site_url + "counties/%s/print/" % policy["id"])
        status = phone_page.locator(".poster-tools .period-status")
        expect(status).to_have_class(re.compile("is-(open|closed|upcoming)"))
        if "is-closed" in status.get_attribute("class"):
            expect(status).to_contain_text("这是往年的明白纸，请不要再张贴")
        else:
            expect(status).not_to_contain_text("往年")
