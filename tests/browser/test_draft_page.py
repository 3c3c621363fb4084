"""The drafting page (docs/draft.md) in Debian's chromium (the conftest's built site and phone page): a
notice pasted in is drafted in the Pyodide worker, the draft shows a price and a payment window with the
lines they were read from, downloads as the command line writes it, never leaves the device, and works
offline after a first visit."""
import subprocess
import sys

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, REPO_ROOT, hold_runtime, wait_until

BOOT_MS = 90_000
NOTICE = REPO_ROOT / "policies" / "notices" / "hongta-2026.txt"
POLICY_ID = "hongta-2026"
# A sentence no page or policy contains: if any request carried the pasted text, it would carry this.
MARKER = "测试用的一句话：这段文字绝不应离开本机。"


def cli_draft(tmp_path):
    notice = tmp_path / NOTICE.name
    notice.write_text(NOTICE.read_text(encoding="utf-8") + MARKER + "\n", encoding="utf-8")
    out = tmp_path / "draft.yaml"
    subprocess.run([sys.executable, "-m", "calculator", "draft", str(notice), "--id", POLICY_ID, "--out", str(out)],
                   cwd=REPO_ROOT, capture_output=True, timeout=120, check=True)
    return out.read_bytes()


def draft_on_page(page, site_url):
    page.goto(site_url + "draft/")
    expect(page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    page.fill("[data-yb-draft] textarea", NOTICE.read_text(encoding="utf-8") + MARKER + "\n")
    page.fill("[data-yb-draft] input[type=text]", POLICY_ID)
    page.get_by_role("button", name="起草政策文件").click()
    expect(page.locator(".yb-draft-yaml")).to_be_visible(timeout=60_000)


def test_a_pasted_notice_is_drafted_with_its_price_and_window_marked_on_their_lines(phone_page, site_url, tmp_path):
    sent = []
    phone_page.on("request", lambda request: sent.append(request))
    draft_on_page(phone_page, site_url)

    yaml = phone_page.locator(".yb-draft-yaml")
    expect(yaml).to_contain_text("amount: 400")
    expect(yaml).to_contain_text("from: 2025-10-10")
    expect(yaml).to_contain_text("to: 2026-02-25")
    price = phone_page.locator(".yb-draft-values li", has_text="contribution.prices[0].amount")
    expect(price).to_contain_text("400")
    price.get_by_role("button").first.click()
    marked = phone_page.locator(".yb-draft-notice li.yb-draft-marked")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("年个人缴费标准为400元")
    window = phone_page.locator(".yb-draft-values li", has_text="windows[0].from")
    window.get_by_role("button").first.click()
    expect(marked).to_contain_text("集中缴费期:2025年10月10日至2026年2月25日")

    with phone_page.expect_download() as download:
        phone_page.locator(".yb-draft-download").click()
    assert download.value.suggested_filename == POLICY_ID + ".yaml"
    assert open(download.value.path(), "rb").read() == cli_draft(tmp_path)

    assert sent, "the page made no request at all: the recorder is broken"
    for request in sent:
        body = request.post_data_buffer or b""
        assert request.method == "GET", (request.method, request.url)
        assert MARKER not in request.url and MARKER.encode("utf-8") not in body


def test_nothing_pasted_is_said_in_words(phone_page, site_url):
    phone_page.goto(site_url + "draft/")
    expect(phone_page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    phone_page.get_by_role("button", name="起草政策文件").click()
    expect(phone_page.locator("[data-yb-draft] [role=alert]").first).to_have_text("请先粘贴通知全文。")


def test_the_page_drafts_offline_after_a_first_visit(browser, site_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site_url + "draft/")
    expect(page.locator(".yb-ready")).to_be_visible(timeout=BOOT_MS)
    wait_until(page, """async () => Boolean(navigator.serviceWorker.controller) &&
        (await (await caches.open("yb-hashed-v1")).keys()).length >= 6 &&
        Boolean(await caches.match(location.origin + location.pathname))""", timeout_ms=BOOT_MS)
    context.set_offline(True)
    page.reload()
    draft_on_page(page, site_url)
    expect(page.locator(".yb-draft-yaml")).to_contain_text("amount: 400")
    context.close()


def test_a_press_before_the_tool_is_ready_drafts_once_it_is(phone_page, site_url):
    """The runtime's download is held until the button has been pressed: the press waits for the engine."""
    release = hold_runtime(phone_page)
    phone_page.goto(site_url + "draft/")
    phone_page.fill("[data-yb-draft] textarea", NOTICE.read_text(encoding="utf-8"))
    phone_page.get_by_role("button", name="起草政策文件").click()
    expect(phone_page.get_by_text("正在起草……")).to_be_visible()
    release()
    expect(phone_page.locator(".yb-draft-yaml")).to_contain_text("amount: 400", timeout=BOOT_MS)
