"""Material's stylesheets pruned at build (build_scripts/site_hooks/theme_stylesheets.py): a rule any element of
ours could match stays, byte for byte; pages link the pruned files, which exist."""
import re
from pathlib import Path

import material

from build_scripts.site_hooks.theme_stylesheets import Vocabulary, custom_properties_needed, drop_properties, prune, prune_site

THEME_STYLESHEETS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
CLASS_ATTRIBUTE = re.compile(r'\sclass="([^"]*)"')
SCRIPT_CLASS = re.compile(r"""\bclass: [`"']([^`"'$]*)""")  # dom.js h(tag, {class: "…"})
USED = Vocabulary(["<body dir=ltr class='used other'>", "el.dataset.mdScrolllock = ''; el.className = `is-${state}`;"])


def test_a_rule_goes_only_when_every_selector_of_its_list_needs_a_name_nothing_uses():
    css = ('.used{a:1}.unused{a:2}.unused,.used{a:3}.used .unused{a:4}.used:not(.unused){a:5}'
           '.used:is(.unused,.nothing){a:6}.used:is(.unused,.other){a:7}.used:has(>.unused){a:8}'
           '[dir=rtl] .used{a:9}[dir=ltr] .used{a:10}[data-md-scrolllock]{a:11}.is-open{a:12}'
           'body>.used::before{a:13}table .used{a:14}.a\\:b{a:15}[lang|=zh]{a:16}')
    assert prune(css, USED) == ('.used{a:1}.unused,.used{a:3}.used:not(.unused){a:5}.used:is(.unused,.other){a:7}'
                                '[dir=ltr] .used{a:10}[data-md-scrolllock]{a:11}.is-open{a:12}body>.used::before{a:13}'
                                '.a\\:b{a:15}')


def test_strings_and_comments_hide_braces_and_at_rules_keep_what_they_need():
    css = ('@charset "UTF-8";.used:before{content:"} /* {"}.unused{content:"}"}/* .used{} */'
           '@media screen{.unused{a:1}}@media print{.unused{a:1}.used{a:2}}@supports (display:grid){.used{a:3}}'
           '@font-face{font-family:x}@keyframes spin{0%{a:1}to{a:2}}')
    assert prune(css, USED) == ('@charset "UTF-8";.used:before{content:"} /* {"}@media print{.used{a:2}}'
                                '@supports (display:grid){.used{a:3}}@font-face{font-family:x}@keyframes spin{0%{a:1}to{a:2}}')


def test_a_custom_property_goes_when_nothing_left_reads_it_and_our_files_never_name_it():
    css = ':root{--read:1;--unread:url("a;b");--chain:var(--end);--end:2;--ours:3}.used{color:var(--read)}'
    needed = custom_properties_needed([css], {"--ours"})
    assert needed == {"--read", "--ours"}  # --end only for --chain, which nothing reads
    assert drop_properties(css, needed) == ":root{--read:1;--ours:3}.used{color:var(--read)}"


def test_the_hook_prunes_and_relinks(tmp_path):
    theme, ours, site = tmp_path / "theme", tmp_path / "docs", tmp_path / "site"
    for folder in (theme / "assets" / "stylesheets", ours, site / "assets" / "stylesheets"):
        folder.mkdir(parents=True)
    (theme / "assets" / "stylesheets" / "main.0123abcd.min.css").write_text(
        ":root{--a:red;--b:blue;--c:0;--d:0}.used{color:var(--a)}.made-by-script{color:var(--b)}.unused{color:var(--d)}")
    (ours / "page.js").write_text('h("p", {class: "made-by-script"}).style.setProperty("--c", 1)')
    (site / "index.html").write_text('<link rel="stylesheet" href="assets/stylesheets/main.0123abcd.min.css"><p class="used">')
    prune_site(site, [theme], [ours])
    [href] = STYLESHEET_LINK.findall((site / "index.html").read_text())
    assert re.fullmatch(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css", href) and href != "assets/stylesheets/main.0123abcd.min.css"
    assert (site / href).read_text() == ":root{--a:red;--b:blue;--c:0}.used{color:var(--a)}.made-by-script{color:var(--b)}"


def test_every_page_links_stylesheets_that_exist_and_not_the_unpruned_theme(site):
    for page in site.rglob("*.html"):
        for href in STYLESHEET_LINK.findall(page.read_text(encoding="utf-8")):
            target = site / href.lstrip("/") if href.startswith("/") else page.parent / href
            assert target.is_file(), (page, href)
            assert not (THEME_STYLESHEETS / target.name).exists(), (page, href)


def test_the_rules_of_every_class_our_pages_and_scripts_use_are_kept(site):
    """Each class on the county and calculator pages, or given in our scripts, that Material's main.css
    styles is still styled by the pruned file those pages link; and the pruned file is much smaller."""
    pages = [site / "counties" / "nanan-2023" / "index.html", site / "calculator" / "index.html"]
    classes = {name for page in pages for value in CLASS_ATTRIBUTE.findall(page.read_text(encoding="utf-8")) for name in value.split()}
    for script in (Path(__file__).resolve().parent.parent / "docs" / "assets").rglob("*.js"):
        classes.update(name for value in SCRIPT_CLASS.findall(script.read_text(encoding="utf-8")) for name in value.split())
    [original] = THEME_STYLESHEETS.glob("main.*.min.css")
    [href] = [href for href in STYLESHEET_LINK.findall(pages[0].read_text(encoding="utf-8")) if "/main." in href]
    full, pruned = original.read_text(encoding="utf-8"), (pages[0].parent / href).read_text(encoding="utf-8")
    styled = {name for name in classes if re.search(r"\.%s(?![\w-])" % re.escape(name), full)}
    assert {"md-header", "md-nav__link", "md-typeset", "md-search-result__item", "admonition"} <= styled
    assert {name for name in styled if not re.search(r"\.%s(?![\w-])" % re.escape(name), pruned)} == set()
    assert len(pruned) < len(full) / 2
    for unused in (".tabbed-set", ".md-annotation", ".md-tooltip", ".highlight", ".md-post", ".footnote"):
        assert unused not in pruned, unused
