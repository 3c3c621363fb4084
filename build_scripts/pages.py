"""Compiled policies → the generated files of the explainer site.

For each policy: a county page (counties/<id>/index.html: a county_shell.CountyPage, its HTML body
rendered here; the MkDocs hook wraps it in the theme), the notice text with line anchors
(counties/<id>/notice.html) and the notice's own tables for staff (tables.html); for all of them: a
directory page (Markdown, its body HTML between PRERENDERED_START and PRERENDERED_END, which the hook
hands past Python-Markdown), the picker's JSON index and the home page's list of latest notices.
Templates live in templates/ (Jinja2).

Without MkDocs:  python -m build_scripts.pages --out DIR  [--policies DIR]  [--site-url URL]
"""
import argparse
import concurrent.futures
import dataclasses
import functools
import json
import multiprocessing
import os
import re
import site
import sys
from pathlib import Path

import jinja2
import markupsafe

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `python build_scripts/pages.py` and the MkDocs hook
    sys.path.insert(0, str(REPO_ROOT))

from build_scripts import (  # noqa: E402
    build_cache,
    county_facts,
    county_sentences,
    county_shell,
    fragments,
    policy_cache,
    publicity,
    search_terms,
    share_card,
    zh_format,
)
from calculator import policyfile  # noqa: E402
from calculator.core.values import parse_date  # noqa: E402

TEMPLATES_DIR = REPO_ROOT / "templates"
POLICIES_DIR_ENV = "YIBAO_POLICIES_DIR"
COUNTIES_DIR = "counties"
TABLES_PAGE = "tables.html"  # the notice's own tables, for staff, beside the county page
LATEST_COUNT = 12
LAYERS_DIR = "rules"  # national and provincial documents' texts
PARALLEL_FROM = 200  # policies; below this, starting processes costs more than it saves
PARALLEL_CHUNK = 50
RENDERED_KIND = "rendered"  # build_cache entries: {path: content} of one policy's render_county
PRERENDERED_START = "<!-- prerendered -->"
PRERENDERED_END = "<!-- /prerendered -->"


def policies_dir():
    """The policy folder: $YIBAO_POLICIES_DIR, else the repository's policies/."""
    return Path(os.environ.get(POLICIES_DIR_ENV) or REPO_ROOT / "policies")


def load_policies(directory):
    """Every compiled policy of `directory`, latest notice first (each compiled once for the same inputs)."""
    policies, errors = policy_cache.check_policies(directory)
    if errors:
        raise policyfile.PolicyInvalid(errors)
    return sorted(policies, key=latest_first)


def latest_first(policy):
    # A notice without a date (河南 2026) is placed by its first payment day, only for the order.
    published = policy["document"]["date"] or policy["windows"][0]["from"]
    return (-policy["coverage_year"], _negated_date(published), policy["id"])


def _negated_date(iso):
    return -parse_date(iso).toordinal()


def county_url(policy):
    """Site-relative URL of a county page (MkDocs directory URLs)."""
    return "%s/%s/" % (COUNTIES_DIR, policy["id"])


def is_province_wide(policy):
    """A notice for every county of its province (河南省: one price, one period): no city, no county."""
    return not policy["jurisdiction"]["city"]


def province_wide_label(province):
    return "%s（全省统一）" % province


@functools.cache
def environment():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=build_cache.template_bytecode(),
    )
    env.filters.update(zh_format.FILTERS, **fragments.FILTERS, yaml_string=yaml_string)
    env.filters["fold"] = fold_section
    env.filters["group_citations"] = group_citations
    env.globals.update(place_name=county_sentences.place_name, county_url=county_url, province_wide_label=province_wide_label,
                       browser_windows=county_facts.browser_windows,
                       PRERENDERED_START=markupsafe.Markup(PRERENDERED_START),
                       PRERENDERED_END=markupsafe.Markup(PRERENDERED_END))
    return env


def yaml_string(text):
    """A double-quoted YAML scalar (JSON strings are YAML) for front matter."""
    return markupsafe.Markup(json.dumps(str(text), ensure_ascii=False))


def render_site(policies, directory, site_url):
    """{docs-relative path: file content (str, or bytes for images)} for every generated file;
    `site_url` is the site's public address (QR codes, calendar links, share cards).

    A policy's files come from the build cache while its inputs are unchanged (county_key); the others
    are rendered, many in parallel, one process per core: each page asks the fee core dozens of
    questions, which is most of the time a large site takes to build."""
    files = {}
    related = related_notices(policies)
    keys = {policy["id"]: county_key(policy, Path(directory), site_url, related[policy["id"]]) for policy in policies}
    rendered = {policy["id"]: build_cache.load(RENDERED_KIND, keys[policy["id"]]) for policy in policies}
    missing = [policy for policy in policies if rendered[policy["id"]] is None]
    for policy, county_files in zip(missing, _map_in_processes(
            functools.partial(render_county, directory=Path(directory), site_url=site_url, related=related), missing)):
        build_cache.store(RENDERED_KIND, keys[policy["id"]], county_files)
        rendered[policy["id"]] = county_files
    if missing:
        build_cache.prune(RENDERED_KIND)
    for policy in policies:
        files.update(rendered[policy["id"]])
    files.update(directory_files(policies, Path(directory)))
    files[COUNTIES_DIR + "/index.json"] = picker_index(policies)
    return files


def render_county(policy, directory, site_url, related=None):
    """The county page, the notice pages and the notice's tables of one policy, and the files for
    publicity staff.  `related` is related_notices() of all the policies: the page says from the
    phone's date which of them is the one to pay by now."""
    env = environment()
    folder = "%s/%s/" % (COUNTIES_DIR, policy["id"])
    facts = county_facts.facts(policy, newer=county_sentences.newest_after(policy, (related or {}).get(policy["id"], [])))
    share = share_card.share_meta(policy, facts, county_sentences.place_name(policy))
    files = {folder + "index.html": county_page(env, policy, facts, share, related)}
    for document in policy["documents"]:
        lines = (directory / "notices" / document["notice"]).read_text(encoding="utf-8").splitlines()
        files[folder + document["page"]] = env.get_template("notice.html.j2").render(
            policy=policy, doc=document, numbered_lines=numbered_lines(lines))
    if facts["tables"]:
        files[folder + TABLES_PAGE] = env.get_template("tables.html.j2").render(policy=policy, facts=facts)
    files.update(publicity.county_files(env, policy, facts, county_sentences.place_name(policy), folder, site_url))
    return files


def county_page(env, policy, facts, share, related):
    """The county page before the theme wraps it (county_shell)."""
    body = env.get_template("county.html.j2").render(
        policy=policy, facts=facts, share=share, now=now_data(policy, (related or {}).get(policy["id"], [])))
    page = county_shell.CountyPage(title=share["title"], description=share["description"], share_image=share["image"],
                                   heading=policy["name"] + " 城乡居民医保明白纸", body=body.rstrip("\n"))
    return dataclasses.replace(page, search_entries=tuple(search_terms.county_entries(county_url(policy), page)))


def county_key(policy, directory, site_url, related):
    """What render_county makes of a policy depends on: the compiled policy and its related notices (the
    page and poster speak of them), the texts of the documents it cites, the site's address, whether cards
    can be drawn, and the day (build_cache.build_day)."""
    texts = [(directory / "notices" / document["notice"]).read_bytes() for document in policy["documents"]]
    inputs = [policy, related, site_url, share_card.can_draw_cards(), build_cache.build_day()]
    return build_cache.key(json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str), *texts)


def directory_files(policies, directory):
    """The directory page (every place, then the national and provincial documents) and each document's text."""
    env = environment()
    layers = published_layers(directory, policies)
    files = layer_pages(env, layers, directory)
    files[COUNTIES_DIR + "/index.md"] = env.get_template("directory.md.j2").render(tree=place_tree(policies), layers=layers)
    return files


def published_layers(directory, policies):
    """The national and provincial documents, each with the notices that build on it: their texts are on
    the site even where no notice of the site builds on them yet (福建 2025)."""
    vocabulary, _ = policyfile.load_vocabulary(Path(directory) / "groups.yaml")
    layers, _ = policyfile.check_layers(directory, vocabulary)
    return [dict(layer, users=[policy for policy in policies if layer["id"] in policy.get("builds_on", [])])
            for layer in layers.values()]


def layer_pages(env, layers, directory):
    """One page per layer with its text and line anchors: rules/<id>/ (linked from the directory page)."""
    files = {}
    for layer in layers:
        lines = (directory / "notices" / layer["notice"]).read_text(encoding="utf-8").splitlines()
        doc = dict(layer["document"], id=layer["id"], level=layer["level"])
        files["%s/%s/index.html" % (LAYERS_DIR, layer["id"])] = env.get_template("notice.html.j2").render(
            policy=layer, doc=doc, numbered_lines=numbered_lines(lines), back={"href": "../../%s/" % COUNTIES_DIR, "label": "全部地区"})
    return files


def numbered_lines(lines):
    """The notice's lines as paragraphs with anchors L1, L2, … (citations link there)."""
    return markupsafe.Markup("\n".join('<p id="L%d"><a href="#L%d">%d</a>%s</p>' % (number, number, number, markupsafe.escape(line))
                                        for number, line in enumerate(lines, start=1)))


def _map_in_processes(function, items):
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return map(function, items)
    # spawn, not fork: `mkdocs serve` builds while its server threads run.  The workers find this
    # repository through addsitedir: MkDocs takes it off sys.path again once the hook is loaded.
    with concurrent.futures.ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn"),
                                                initializer=site.addsitedir, initargs=(str(REPO_ROOT),)) as pool:
        return list(pool.map(function, items, chunksize=PARALLEL_CHUNK))


def render_latest(policies):
    """HTML list of the latest notices, for the home page (links relative to the site root): each
    place's newest notice only, newest first (a place's older years are on its directory line)."""
    return environment().get_template("latest.html.j2").render(policies=newest_per_place(policies)[:LATEST_COUNT])


def place_key(policy):
    jurisdiction = policy["jurisdiction"]
    return (jurisdiction["province"], jurisdiction["city"], jurisdiction["county"], jurisdiction.get("township"))


def newest_per_place(policies):
    """Each place's newest notice, in the order of load_policies (latest first)."""
    newest = {}
    for policy in sorted(policies, key=latest_first):
        newest.setdefault(place_key(policy), policy)
    return list(newest.values())


def related_notices(policies):
    """{policy id: the other notices a resident of its place may have to pay by — the same place's other
    years, and its province's province-wide notices — newest first}."""
    by_place, wide = {}, {}
    for policy in sorted(policies, key=latest_first):
        by_place.setdefault(place_key(policy), []).append(policy)
        if is_province_wide(policy):
            wide.setdefault(policy["jurisdiction"]["province"], []).append(policy)
    related = {}
    for policy in policies:
        others = by_place[place_key(policy)] + [p for p in wide.get(policy["jurisdiction"]["province"], [])
                                                 if place_key(p) != place_key(policy)]
        related[policy["id"]] = sorted((p for p in others if p["id"] != policy["id"]), key=latest_first)
    return related


def now_data(policy, related):
    """What a county page's script needs to say what to do on the day it is read (site.js): this
    notice's place and year, and the related notices with their windows (links relative to the page)."""
    return {"place": county_sentences.place_name(policy), "year": policy["coverage_year"],
            "others": [{"name": other["name"], "year": other["coverage_year"], "url": "../%s/" % other["id"],
                        "windows": county_facts.browser_windows(other)} for other in related]}


# Links to this notice's lines side by side, as fragments.cite writes them (a layer's lines and the
# site's readings are never folded; whitespace or words between two statements' links end a run).
CITATION_RUN = re.compile(r'(?:<a href="notice\.html#L\d+">[^<]*</a>){2,}')


def group_citations(html):
    """Each run of two or more citations as one tap target: a 「原文」 button that shows its lines, the
    <span> after it (site.js; without scripts the lines show as they are: .js in site.css). The button
    says how many lines it opens, which its visible word does not; site.js adds its aria-expanded."""
    def grouped(match):
        run = match.group(0)
        return '<button class="cite-toggle" aria-label="看原文的%d处出处">原文</button><span>%s</span>' % (run.count("<a "), run)
    return markupsafe.Markup(CITATION_RUN.sub(grouped, str(html)))


FOLD_HEADING = re.compile(r'\s*<h2 id="[^"]+">.*?</h2>', re.S)


def fold_section(html):
    """A county page section (its <h2 id> first) as a section that opens on a tap: <details> whose
    <summary> is the heading (search hits and the page's own links open it: site.js).  No heading, no
    section: returned as it is (a section the notice does not need renders nothing)."""
    html = str(html)
    match = FOLD_HEADING.match(html)
    if not match:
        return markupsafe.Markup(html)
    return markupsafe.Markup('<details class="section">\n<summary>%s</summary>\n%s</details>\n') % (
        markupsafe.Markup(match.group(0).strip()), markupsafe.Markup(html[match.end():]))


PROVINCE_WIDE_COUNTY = "全省各市、县（区）通用"


def place_tree(policies):
    """[(province, [(city, [(county, [policy, …]), …]), …]), …], names in pinyin-like order, years descending.
    A province-wide notice is listed first in its province, as the city 「河南省（全省统一）」."""
    tree = {}
    for policy in policies:
        jurisdiction = policy["jurisdiction"]
        province = jurisdiction["province"]
        if is_province_wide(policy):
            counties = tree.setdefault(province, {}).setdefault(province_wide_label(province), {})
            counties.setdefault(PROVINCE_WIDE_COUNTY, []).append(policy)
            continue
        counties = tree.setdefault(province, {}).setdefault(jurisdiction["city"], {})
        # A city-level notice (no county) is listed under its city as 全市.
        counties.setdefault(jurisdiction["county"] or "全市", []).append(policy)
    return [(province, [(city, [(county, sorted(notices, key=latest_first))
                                for county, notices in _by_name(cities[city])])
                        for city, _ in sorted(_by_name(cities), key=lambda item: item[0] != province_wide_label(province))])
            for province, cities in _by_name(tree)]


def _by_name(mapping):
    """Items sorted by GB18030 code, which follows pinyin for common characters."""
    return sorted(mapping.items(), key=lambda item: item[0].encode("gb18030"))


def picker_index(policies):
    """The home page picker's data: provinces → cities → counties → notices (year, township, url, the place
    the button names, and the windows, from which the phone says where each payment period stands today).
    A province-wide notice is its province's first city; every other city of that province lists it too,
    as the county 「河南省（全省统一）」, so a resident who picks their own city still finds it."""
    def notice_entry(policy):
        return {"year": policy["coverage_year"], "township": policy["jurisdiction"].get("township"),
                "place": (policy["jurisdiction"]["county"] or policy["jurisdiction"]["city"] or policy["jurisdiction"]["province"]),
                "url": county_url(policy), "windows": county_facts.browser_windows(policy)}

    index = []
    for province, cities in place_tree(policies):
        wide = [policy for city, counties in cities if city == province_wide_label(province)
                for _, notices in counties for policy in notices]
        index.append({"name": province, "cities": [
            {"name": city, "counties": [{"name": county, "notices": [notice_entry(policy) for policy in notices]}
                                        for county, notices in counties]
                                       + ([{"name": province_wide_label(province), "notices": [notice_entry(policy) for policy in wide]}]
                                          if wide and city != province_wide_label(province) else [])}
            for city, counties in cities]})
    return json.dumps({"provinces": index}, ensure_ascii=False, separators=(",", ":"))


def write_site(files, out_dir):
    for relative, content in files.items():
        path = Path(out_dir) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, county_shell.CountyPage):
            content = content.standalone_html()
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description="把政策文件生成为各县页面和通知原文页面（不套网站主题）")
    parser.add_argument("--out", required=True, help="输出文件夹")
    parser.add_argument("--policies", default=None, help="政策文件夹（默认 $%s 或 policies/）" % POLICIES_DIR_ENV)
    parser.add_argument("--site-url", default=publicity.site_url_from_environment(),
                        help="网站的公开地址，用于二维码和日历链接（默认 $%s）" % publicity.SITE_URL_ENV)
    args = parser.parse_args(argv)
    directory = Path(args.policies) if args.policies else policies_dir()
    policies = load_policies(directory)
    files = render_site(policies, directory, args.site_url)
    write_site(files, args.out)
    print("%d policies → %d files in %s" % (len(policies), len(files), args.out))


if __name__ == "__main__":
    main()
