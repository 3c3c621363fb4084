"""The village-roster page in Debian's chromium (the conftest's built site and phone page): a roster
file chosen on the page is priced in the Pyodide worker, shown as a table with totals, and downloaded
byte for byte as the command line writes it; the file never leaves the device."""
import re
import subprocess
import sys
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import REPO_ROOT, hold_runtime
from tests.browser.test_site_layout import MIN_FONT_PX, PHONE_WIDTH, SMALL_TEXT_JS

BOOT_MS = 90_000
# A name no page or policy contains: if any request carried the file, it would carry this.
MARKER = "测试村张三丰"
ROSTER = ("称呼,出生日期,特殊身份,学生\n"
          "本人,1980-05-01,,\n"
          "母亲,1950-02-01,低保,\n"
          "儿子,2015-09-01,,在校学生\n"
          f"{MARKER},1980-13-01,,\n")
POLICY, PAID_ON = "nanan-2023", "2023-03-15"


def cli_result(tmp_path, data):
    roster = tmp_path / "名单.csv"
    roster.write_bytes(data)
    out = tmp_path / "结果.csv"
    subprocess.run([sys.executable, "-m", "calculator", "roster", "--policy", POLICY, "--paid-on", PAID_ON,
                    str(roster), "--out", str(out)], cwd=REPO_ROOT, capture_output=True, timeout=120)
    return out.read_bytes()


def choose_on_page(page, site_url, data):
    page.goto(site_url + "roster/")
    expect(page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    page.select_option("[data-yb-roster] select", POLICY)
    page.fill("[data-yb-roster] input[type=date]", PAID_ON)
    page.set_input_files("[data-yb-roster] input[type=file]",
                         files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="计算整份名单").click()


def price_on_page(page, site_url, data):
    choose_on_page(page, site_url, data)
    expect(page.locator(".yb-roster-table tfoot")).to_be_visible(timeout=60_000)


def downloaded(page):
    with page.expect_download() as download:
        page.locator(".yb-roster-download").click()
    return open(download.value.path(), "rb").read()


def test_a_gb18030_roster_is_priced_shown_and_downloaded_as_the_cli_writes_it(phone_page, site_url, tmp_path):
    sent = []
    phone_page.on("request", lambda request: sent.append(request))
    data = ROSTER.encode("gb18030")  # what Excel on Chinese Windows saves as "CSV (逗号分隔)"
    price_on_page(phone_page, site_url, data)

    rows = phone_page.locator(".yb-roster-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(3)).to_contain_text("第5行 出生日期：")
    total = phone_page.locator(".yb-roster-table tfoot td")
    expect(total.nth(0)).to_have_text("合计")
    expect(total.nth(4)).to_have_text("720")
    expect(phone_page.locator(".yb-roster-summary")).to_contain_text(
        "名单共 4 行（不算表头）：已计算 3 行，出错 1 行，不能按本通知参保 0 行，空行 0 行（文件按 GB18030 读取")
    expect(phone_page.locator(".yb-roster-totals")).to_contain_text("个人应缴合计：720元")

    with phone_page.expect_download() as download:
        phone_page.locator(".yb-roster-download").click()
    assert download.value.suggested_filename == "名单-计算结果.csv"
    assert open(download.value.path(), "rb").read() == cli_result(tmp_path, data)

    assert sent, "the page made no request at all: the recorder is broken"
    for request in sent:
        body = request.post_data_buffer or b""
        assert request.method == "GET", (request.method, request.url)
        assert MARKER not in request.url and MARKER.encode("utf-8") not in body and MARKER.encode("gb18030") not in body


def test_a_file_that_is_no_csv_is_refused_with_its_name(phone_page, site_url):
    phone_page.goto(site_url + "roster/")
    expect(phone_page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    phone_page.set_input_files("[data-yb-roster] input[type=file]",
                               files=[{"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04xl/"}])
    phone_page.get_by_role("button", name="计算整份名单").click()
    expect(phone_page.locator("[data-yb-roster] [role=alert]").first).to_contain_text("名单.xlsx 是 Excel 工作簿")


def test_the_template_is_offered_and_prices_without_errors(phone_page, site_url):
    phone_page.goto(site_url + "roster/")
    link = phone_page.get_by_role("link", name="下载名单模板")
    template = phone_page.request.get(link.evaluate("a => a.href"))
    assert template.ok and template.body().startswith(b"\xef\xbb\xbf")
    price_on_page(phone_page, site_url, template.body())
    expect(phone_page.locator(".yb-roster-summary")).to_contain_text("出错 0 行")
    expect(phone_page.locator(".yb-roster-result")).not_to_contain_text("null")


def test_a_long_roster_fits_a_phone_and_shows_every_row_on_request(phone_page, page_requests, site_url):
    people = "".join("居民%d,19%02d-05-01,,\n" % (number, number % 90 + 5) for number in range(250))
    price_on_page(phone_page, site_url, ("称呼,出生日期,特殊身份,学生\n" + people).encode("utf-8"))
    rows = phone_page.locator(".yb-roster-table tbody tr")
    expect(rows).to_have_count(200)
    phone_page.get_by_role("button", name="显示其余 50 行").click()
    expect(rows).to_have_count(250)
    expect(rows.last).to_contain_text("居民249")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert phone_page.evaluate(SMALL_TEXT_JS, MIN_FONT_PX) == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in page_requests if urlsplit(url).scheme in ("http", "https"))


def test_a_county_named_in_the_address_is_preselected(phone_page, site_url, policies):
    for policy_id in policies:
        phone_page.goto(site_url + "roster/?policy=" + policy_id)
        expect(phone_page.locator("[data-yb-roster] select")).to_have_value(policy_id)


def test_a_stray_quote_is_said_first_in_red_and_formulas_download_as_text(phone_page, site_url, tmp_path):
    """The issue's roster: a quote on row 101 of 5,000 refuses that row only; a name that is a formula
    downloads with a leading ' (the bytes the command line writes)."""
    people = ["居民%d,1980-05-01,," % number for number in range(5000)]
    people[99] = '"王小明,1980-05-01,,'
    people[200] = '"=HYPERLINK(""http://x"",""点我"")",1980-05-01,,'
    data = ("称呼,出生日期,特殊身份,学生\n" + "\n".join(people) + "\n").encode("utf-8")
    price_on_page(phone_page, site_url, data)
    first = phone_page.locator(".yb-roster-result > *").first
    expect(first).to_have_text("注意：1 行出错，没有算进合计；原因见各行的“说明”")
    assert first.evaluate("el => getComputedStyle(el).color") == "rgb(176, 0, 32)"  # red, before any total
    expect(phone_page.locator(".yb-roster-summary")).to_contain_text("名单共 5000 行（不算表头）：已计算 4999 行，出错 1 行")
    expect(phone_page.locator(".yb-roster-errors")).to_contain_text("第101行：引号没有配对，后面的行可能被并进了这一格")
    expect(phone_page.locator(".yb-roster-table tbody tr").nth(100)).to_contain_text("居民100")
    data_out = downloaded(phone_page)
    assert data_out == cli_result(tmp_path, data)
    assert "\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",1980-05-01," in data_out.decode("utf-8")


def test_a_roster_with_nobody_warns_in_red(phone_page, site_url):
    price_on_page(phone_page, site_url, "称呼,出生日期\n\n".encode())
    expect(phone_page.locator(".yb-roster-warning")).to_have_text("名单里没有人：表头（第1行）下面没有填写任何人")
    expect(phone_page.locator(".yb-roster-warning")).to_have_class(re.compile("yb-error"))


def test_a_roster_above_the_page_limit_is_refused_with_words(phone_page, site_url):
    data = ("称呼,出生日期\n" + "甲,1980-05-01\n" * 20_001).encode("utf-8")
    choose_on_page(phone_page, site_url, data)
    expect(phone_page.locator("[data-yb-roster] p.yb-error[role=alert]")).to_have_text(
        "名单.csv 有 20001 行，超过了网页一次能算的 20000 行：请把名单分成几个文件分别计算，或者请会用命令行的同事计算（没有这个限制）。")
    expect(phone_page.locator(".yb-roster-result")).to_have_count(0)


def test_a_file_that_cannot_be_priced_says_why_without_a_total(phone_page, site_url):
    choose_on_page(phone_page, site_url, '"称呼,出生日期\n甲,1980-05-01\n'.encode())
    expect(phone_page.locator("[data-yb-roster] [role=alert]").last).to_have_text(
        "名单.csv：第1行（表头）：引号没有配对，后面的行可能被并进了这一格（或者这一格里换了行）；请删去多余的引号或换行")
    expect(phone_page.locator(".yb-roster-totals")).to_have_count(0)


def test_a_press_before_the_tool_is_ready_prices_once_it_is(phone_page, site_url):
    """The runtime's download is held until the button has been pressed: the press waits for the engine."""
    release = hold_runtime(phone_page)
    phone_page.goto(site_url + "roster/")
    phone_page.select_option("[data-yb-roster] select", POLICY)
    phone_page.fill("[data-yb-roster] input[type=date]", PAID_ON)
    phone_page.set_input_files("[data-yb-roster] input[type=file]",
                               files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}])
    phone_page.get_by_role("button", name="计算整份名单").click()
    expect(phone_page.get_by_text("正在计算……")).to_be_visible()
    release()
    expect(phone_page.locator(".yb-roster-table tfoot")).to_be_visible(timeout=BOOT_MS)
