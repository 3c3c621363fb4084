"""County pages are stamped from one theme-rendered page (build_scripts/county_shell.py): each must read as
the page MkDocs would have made of it — its own title, address, heading and og: tags, listed in the sitemap
and the search index — and a theme that no longer writes a slot must stop the build."""
import html
import json
import re

import pytest

from build_scripts import county_sentences, county_shell, pages, search_terms
from build_scripts.site_hooks import county_pages

SITE_URL = "https://yibao.example.org/"
SLOTTED_THEME = "<title>%(title)s - 站</title><meta content=\"%(description)s\"><link href=\"%(site)scounties/%(id)s/\">" \
                "<a href=\"#%(heading_id)s\">跳</a>%(open_graph)s<article>%(content)s</article>"


def shell():
    tokens = dict(county_shell.SLOTS, site=SITE_URL)
    return county_shell.Shell.from_html(SLOTTED_THEME % tokens, SITE_URL, "医保明白纸")


def page(**changes):
    values = dict(title="某县2026年度城乡居民医保", description="缴费时间：1月1日—12月31日", share_image="card.png",
                  heading="某县 2026年度 城乡居民医保明白纸", body='<div class="county"><p>正文</p></div>')
    return county_shell.CountyPage(**dict(values, **changes))


def test_a_stamped_page_carries_its_own_values_in_every_slot():
    stamped = shell().stamp("mouxian-2026", page())
    assert "YIBAOSLOT" not in stamped
    assert "<title>某县2026年度城乡居民医保 - 站</title>" in stamped
    assert '<link href="https://yibao.example.org/counties/mouxian-2026/">' in stamped
    assert '<a href="#2026">跳</a>' in stamped
    assert '<meta property="og:image" content="https://yibao.example.org/counties/mouxian-2026/card.png">' in stamped
    assert '<article><h1 class="county-title" id="2026">某县 2026年度 城乡居民医保明白纸</h1>\n<div class="county">' in stamped


def test_a_heading_without_latin_letters_or_digits_gets_the_id_mkdocs_gives_it():
    assert page(heading="某县 城乡居民医保明白纸").heading_id() == "_1"
    assert page(heading="某县 2026年度 <明白纸>").heading_html().endswith("&lt;明白纸&gt;</h1>")


def test_without_a_card_the_page_names_no_image():
    assert "og:image" not in shell().stamp("mouxian-2026", page(share_image=None))


@pytest.mark.parametrize("slot", sorted(county_shell.SLOTS))
def test_a_theme_that_drops_a_slot_stops_the_build(slot):
    tokens = dict(county_shell.SLOTS, site=SITE_URL, **{slot: ""})
    with pytest.raises(ValueError, match=slot):
        county_shell.Shell.from_html(SLOTTED_THEME % tokens, SITE_URL, "医保明白纸")


def county_ids(site):
    return sorted(path.parent.name for path in (site / "counties").glob("*/index.html"))


def test_every_county_page_is_framed_as_a_page_of_the_site(site, policies):
    assert county_ids(site) == sorted(policies)
    for policy_id, policy in policies.items():
        text = (site / "counties" / policy_id / "index.html").read_text(encoding="utf-8")
        url = "%scounties/%s/" % (SITE_URL, policy_id)
        assert text.count("<h1") == 1 and "YIBAOSLOT" not in text
        assert '<link rel="canonical" href="%s">' % url in text and '<meta property="og:url" content="%s">' % url in text
        title = html.unescape(re.search(r"<title>(.*?) - 医保明白纸</title>", text).group(1))
        assert title.startswith(county_sentences.place_name(policy))  # its own, not another county's
        assert re.search(r'<a href="#([^"]+)" class="md-skip">', text).group(1) == re.search(r'<h1 class="county-title" id="([^"]+)"', text).group(1)
        assert 'aria-label="导航栏"' in text and 'src="../../assets/site/site.js"' in text  # the theme's frame, at this depth


def test_every_county_page_is_in_the_sitemap_and_the_search_index_boosted(site, policies):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for policy_id in policies:
        location = "counties/%s/" % policy_id
        assert sitemap.count("<loc>%s%s</loc>" % (SITE_URL, location)) == 1
        own = [doc for doc in docs if doc["location"].split("#")[0] == location]
        assert own[0]["location"] == location and all(doc.get("boost") == search_terms.COUNTY_PAGE_SEARCH["boost"] for doc in own)
        assert len(own) > 3  # a section entry for each section


def test_the_sitemap_lists_county_pages_before_the_directory_page():
    sitemap = ("<urlset>\n    <url>\n         <loc>%s</loc>\n         <lastmod>2026-12-07</lastmod>\n    </url>"
               "\n    <url>\n         <loc>%scounties/</loc>\n         <lastmod>2026-12-07</lastmod>\n    </url>\n</urlset>") % (SITE_URL, SITE_URL)
    county_pages.BUILD.county_pages = [(type("F", (), {"url": "counties/a-2026/"})(), page())]
    try:
        out = county_pages.on_post_template(sitemap, "sitemap.xml", {"site_url": SITE_URL})
    finally:
        county_pages.BUILD.county_pages = []
    locations = re.findall(r"<loc>([^<]*)</loc>", out)
    assert locations == [SITE_URL, SITE_URL + "counties/a-2026/", SITE_URL + "counties/"]
    assert out.count("<lastmod>") == 3


def test_the_page_without_the_theme_is_a_whole_document(policies):
    policy = next(iter(policies.values()))
    files = pages.render_county(policy, pages.policies_dir(), SITE_URL)
    standalone = files["counties/%s/index.html" % policy["id"]].standalone_html()
    assert standalone.startswith("<!doctype html>") and '<div class="county">' in standalone
