"""Every kind of page on a 390×844 phone: no sideways page scroll, no text under 16 px, no request
to any host but the local test server, and no accessibility violation axe-core finds."""
import base64
import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from build_scripts import county_sentences, pages
from calculator.policyfile import load_policies

PHONE_WIDTH = 390
MIN_FONT_PX = 16
# Every county page of the policies the site is built from, and one page of each other kind.
POLICY_IDS = [policy["id"] for policy in load_policies(pages.policies_dir())]
COUNTY = "counties/%s/" % POLICY_IDS[0]
SITE_PAGES = ["", "about/", "schema/", "counties/", *("counties/%s/" % policy_id for policy_id in POLICY_IDS),
              COUNTY + "notice.html#L1"]
OTHER_PAGES = ["calculator/", "404.html"]

# Text a resident sees: a visible element with text of its own, inside the phone's width.
SMALL_TEXT_JS = """(minPx) => {
  const opaque = el => el === null || (Number(getComputedStyle(el).opacity) > 0 && opaque(el.parentElement));
  const small = [];
  for (const el of document.body.querySelectorAll("*")) {
    const ownText = [...el.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
    if (!ownText) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const seen = box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth
      && style.visibility === "visible" && opaque(el) && el.closest("[hidden]") === null;
    if (seen && parseFloat(style.fontSize) < minPx)
      small.push(el.tagName + "." + el.className + " " + style.fontSize + " 「" + el.textContent.trim().slice(0, 20) + "」");
  }
  return small;
}"""


def open_page(page, site_url, path):
    response = page.goto(site_url + path)
    assert response.ok, "%s answered %d" % (path, response.status)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", SITE_PAGES + OTHER_PAGES)
def test_page_does_not_scroll_sideways(phone_page, site_url, path):
    open_page(phone_page, site_url, path)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


@pytest.mark.parametrize("path", SITE_PAGES)
def test_text_is_at_least_16px(phone_page, site_url, path):
    open_page(phone_page, site_url, path)
    assert phone_page.evaluate(SMALL_TEXT_JS, MIN_FONT_PX) == []


@pytest.mark.parametrize("path", SITE_PAGES + OTHER_PAGES)
def test_page_asks_nothing_of_other_hosts(phone_page, page_requests, site_url, path):
    open_page(phone_page, site_url, path)
    outside = [url for url in page_requests if urlsplit(url).scheme in ("http", "https")
               and urlsplit(url).hostname != "127.0.0.1"]
    assert page_requests, "the page made no request at all"
    assert outside == []


def test_wide_tables_scroll_inside_their_box(phone_page, site_url):
    """A table wider than the phone (a notice's staff table; here a Markdown table, boxed at build,
    made that wide) scrolls inside its box, and the page does not."""
    open_page(phone_page, site_url, "roster/")
    box = phone_page.locator(".table-scroll").first
    box.evaluate("el => (el.querySelector('table').style.minWidth = '1200px')")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_tap_in_the_menu_closes_it(phone_page, site_url):
    open_page(phone_page, site_url, "")
    phone_page.locator("label.md-header__button[for=__drawer]").click()
    phone_page.locator(".md-sidebar--primary").get_by_role("link", name="关于本站").click()
    phone_page.wait_for_url("**/about/")
    phone_page.go_back()  # the page comes back as it was left, menu included
    assert not phone_page.locator("#__drawer").is_checked()


def test_back_to_top_shows_while_scrolling_up_and_goes_there(phone_page, site_url):
    open_page(phone_page, site_url, COUNTY)
    button = phone_page.locator(".md-top")  # the theme fades it out while [hidden]
    phone_page.mouse.wheel(0, 3000)
    expect(button).to_have_js_property("hidden", True)
    phone_page.mouse.wheel(0, -300)
    expect(button).to_have_js_property("hidden", False)
    button.click()
    phone_page.wait_for_function("() => window.scrollY === 0")
    expect(button).to_have_js_property("hidden", True)


def test_picker_leads_to_the_chosen_county(phone_page, site_url, policies):
    """Every level chosen by hand (the picker opens on another notice: the newest)."""
    policy = sorted((p for p in policies.values() if p["jurisdiction"].get("county")), key=pages.latest_first)[-1]
    place = policy["jurisdiction"]
    open_page(phone_page, site_url, "")
    picker = phone_page.locator(".picker")
    picker.locator("select[data-level=province]").select_option(label=place["province"])
    picker.locator("select[data-level=city]").select_option(label=place["city"])
    picker.locator("select[data-level=county]").select_option(label=place["county"])
    notice = "%d年度" % policy["coverage_year"] + ("（%s）" % place["township"] if place.get("township") else "")
    years = picker.locator("select[data-level=notice]")  # each year says where its period stands today
    years.select_option(years.locator("option", has_text=notice).first.get_attribute("value"))
    phone_page.locator(".picker-go").click()
    phone_page.wait_for_url("**/counties/%s/" % policy["id"])
    assert county_sentences.place_name(policy) in phone_page.locator("h1").inner_text()


def test_picker_finds_a_province_wide_notice_from_its_province(phone_page, site_url, policies):
    """A notice for a whole province (no city, no county: 河南省) is its province's first 「（全省统一）」 entry."""
    wide = [policy for policy in policies.values() if not policy["jurisdiction"]["city"]]
    if not wide:
        pytest.skip("no province-wide notice")
    policy = wide[0]
    province = policy["jurisdiction"]["province"]
    open_page(phone_page, site_url, "")
    picker = phone_page.locator(".picker")
    picker.locator("select[data-level=province]").select_option(label=province)
    expect(picker.locator("select[data-level=city] option").first).to_have_text(pages.province_wide_label(province))
    years = picker.locator("select[data-level=notice]")
    years.select_option(years.locator("option", has_text="%d年度" % policy["coverage_year"]).first.get_attribute("value"))
    expect(phone_page.locator(".picker-go")).to_contain_text("看%s%d年度" % (province, policy["coverage_year"]))
    phone_page.locator(".picker-go").click()
    phone_page.wait_for_url("**/counties/%s/" % policy["id"])
    assert "None" not in phone_page.locator("article").inner_text()


def test_without_javascript_the_latest_notices_are_links(browser, site_url, policies):
    context = browser.new_context(java_script_enabled=False, viewport={"width": PHONE_WIDTH, "height": 844})
    page = context.new_page()
    page.goto(site_url)
    assert page.locator(".picker").is_hidden()
    links = page.locator(".latest > li > a:first-child").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    newest_first = pages.newest_per_place(list(policies.values()))  # each place once, its newest notice
    assert links == ["counties/%s/" % policy["id"] for policy in newest_first[:pages.LATEST_COUNT]]
    context.close()


# Hosts a theme or library loads code or fonts from; nothing shipped may name one (source maps aside).
SCRIPT_HOSTS = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "fonts.googleapis.com",
                "fonts.gstatic.com", "ajax.googleapis.com")
SHIPPED_CODE = ("*.html", "*.js", "*.mjs", "*.css", "*.json")


def test_shipped_files_name_no_third_party_script_host(site_dir):
    named = [(str(path.relative_to(site_dir)), host)
             for pattern in SHIPPED_CODE for path in site_dir.rglob(pattern)
             for host in SCRIPT_HOSTS if host in path.read_text(encoding="utf-8", errors="replace")]
    assert named == []


def test_404_page_is_in_chinese_and_leads_home(phone_page, site_url):
    open_page(phone_page, site_url, "404.html")  # what a static host sends for an unknown address
    assert "没有找到这个页面" in phone_page.locator("h1").inner_text()
    phone_page.get_by_role("link", name="回到首页").click()
    phone_page.wait_for_url(site_url)
    assert phone_page.locator(".picker").count() == 1


# axe-core from the npm registry, pinned and checked like Pyodide (build_scripts/pyodide_pin.json).
AXE = {"package": "axe-core", "version": "4.10.2",
       "integrity": "sha512-RE3mdQ7P3FRSe7eqCWoeQ/Z9QXrtniSjp1wUjt5nRC3WIpz5rSCve6o3fsZ2aCpJtrZjSZgjwXAoTO5k4tEI0w=="}
AXE_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "axe-core"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# One page of each kind (the calculator's form included, once built; a county page with its sections
# open and closed; a layer's text; the poster; the staff tables; the roster; the share page).
LAYER_COUNTY = next((policy_id for policy_id in POLICY_IDS if (pages.REPO_ROOT / "policies" / ("%s.yaml" % policy_id)).read_text(
    encoding="utf-8").count("builds_on")), POLICY_IDS[0])
AXE_PAGES = ["", "counties/", COUNTY, COUNTY + "#open", COUNTY + "notice.html", COUNTY + "print/",
             "counties/%s/notice-national-guobanfa-2024-38.html" % LAYER_COUNTY,
             "calculator/?policy=" + POLICY_IDS[0], "roster/", "about/", "schema/", "404.html"]
TABLES_PAGES = ["counties/%s/tables.html" % policy["id"] for policy in load_policies(pages.policies_dir()) if policy["tables"]][:1]


@pytest.fixture(scope="session")
def axe_source():
    tarball = AXE_CACHE / ("%s-%s.tgz" % (AXE["package"], AXE["version"]))
    if not tarball.exists():
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=AXE_CACHE) as tmp:
            subprocess.run(["npm", "pack", "%s@%s" % (AXE["package"], AXE["version"]), "--silent", "--pack-destination", tmp],
                           check=True, capture_output=True)
            (Path(tmp) / tarball.name).replace(tarball)
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    assert digest == AXE["integrity"], "%s is not the pinned axe-core" % tarball
    with tarfile.open(tarball) as tar:
        return tar.extractfile("package/axe.min.js").read().decode("utf-8")


@pytest.mark.parametrize("path", AXE_PAGES + TABLES_PAGES)
def test_axe_finds_no_violation(phone_page, site_url, axe_source, path):
    open_page(phone_page, site_url, path.replace("#open", ""))
    if path.endswith("#open"):  # every section and every 「原文」 open
        phone_page.evaluate("""() => { document.querySelectorAll("details").forEach((d) => (d.open = true));
          document.querySelectorAll(".cite-toggle").forEach((b) => b.click()); }""")
    if path.startswith("calculator/"):
        phone_page.locator("form.yb-form").wait_for()
    phone_page.add_script_tag(content=axe_source)
    violations = phone_page.evaluate("""async (tags) => {
      const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
      return result.violations.map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
    }""", AXE_TAGS)
    assert violations == [], "\n".join(violations)


# Layout shifts a page makes by itself while it loads and its scripts fill it in. Every shift counts:
# nothing is tapped here, yet Chromium marks the first half second as "after input" (the emulated
# phone's setup), where Lighthouse counts it.
LAYOUT_SHIFT_JS = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 2000);
})"""


@pytest.mark.parametrize("path", ["", "calculator/?policy=" + POLICY_IDS[0], COUNTY, "counties/", COUNTY + "print/"])
def test_page_does_not_jump_while_it_loads(phone_page, site_url, path):
    open_page(phone_page, site_url, path)
    assert phone_page.evaluate(LAYOUT_SHIFT_JS) < 0.1
