"""MkDocs hooks: county pages from the policy YAML, on every plain `mkdocs build` or `mkdocs serve`.

- on_config: compile the policies ($YIBAO_POLICIES_DIR or policies/).
- on_files: add the generated files (build_scripts.pages) to the site, kept in memory.
- on_page_markdown: fill the markers of hand-written pages (latest notices, author guide); lift each prerendered HTML block out
  of the Markdown, so Python-Markdown does not parse it.
- on_page_content: Markdown tables in a box that scrolls sideways; put the blocks back, and register
  their ids for MkDocs' anchor validation.  The search plugin meanwhile sees only each block's
  one-line summary and, per section, its heading and the search terms it answers
  (search_terms.section_entries): a hit opens that section, and the index a phone downloads when the
  resident searches stays small with thousands of counties.  County pages are boosted, developer
  pages left out (search_terms.page_search_settings).
- on_page_context (after the search plugin): the full page again.
- on_post_page: the og: tags a pasted link shows (build_scripts.share_card); drop the templates'
  indentation (not inside <pre> or <textarea>).
- on_post_build: the theme's scripts removed (no page loads them: overrides/main.html; one of them
  names a third-party host); the calculator bundle (build_scripts.bundle) into site/calculator/.
- on_serve: rebuild when a policy, notice or template changes.
"""
import re
import shutil
import sys
import time
from pathlib import Path

from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # MkDocs restores sys.path once this module is loaded

from build_scripts import bundle, pages, publicity, schema_page, search_terms, share_card  # noqa: E402

LATEST_MARKER = "<!-- latest-notices -->"
PRERENDERED_BLOCK = re.compile(re.escape(pages.PRERENDERED_START) + r"\n(.*?)\n" + re.escape(pages.PRERENDERED_END), re.S)
PLACEHOLDER = "<!-- prerendered block %d -->"
PLACEHOLDER_PATTERN = re.compile(r"<!-- prerendered block (\d+) -->")
ELEMENT_ID = re.compile(r"""\sid=["']([^"']+)["']""")
MARKDOWN_TABLE = re.compile(r"<table>.*?</table>", re.S)  # Python-Markdown's: no attributes
THEME_SCRIPTS = Path("assets") / "javascripts"

VERBATIM_ELEMENT = re.compile(r"(<(?:pre|textarea)\b.*?</(?:pre|textarea)>)", re.S)
LINE_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")

_build = {"policies": [], "lifted": {}, "full_content": {}}
log = get_plugin_logger("yibao")


def timed(what, function, *args):
    """function(*args), logging how long it took (bench/bench_site.py reads these lines)."""
    started = time.perf_counter()
    result = function(*args)
    log.info("%s in %.1f s", what, time.perf_counter() - started)
    return result


def on_config(config):
    directory = pages.policies_dir()
    _build["directory"] = directory
    _build["policies"] = timed("compiled policies", pages.load_policies, directory)
    return config


def on_files(files, config):
    policies = _build["policies"]
    generated = timed("rendered county pages", pages.render_site, policies, _build["directory"], site_url(config))
    generated.update(schema_page.published_files(policies))
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    _build["inserts"] = {LATEST_MARKER: pages.render_latest(policies), **schema_page.inserts(policies)}
    return files


def on_page_markdown(markdown, page, config, files):
    for marker, insert in _build["inserts"].items():
        markdown = markdown.replace(marker, insert)
    blocks = []

    def lift(match):
        blocks.append(match.group(1))
        return PLACEHOLDER % (len(blocks) - 1)

    markdown = PRERENDERED_BLOCK.sub(lift, markdown)
    page.meta.setdefault("search", search_terms.page_search_settings(page.file.src_uri))
    if blocks:
        _build["lifted"][page.file.src_uri] = blocks
    return markdown


def on_page_content(html, page, config, files):
    html = MARKDOWN_TABLE.sub(lambda match: '<div class="table-scroll">%s</div>' % match.group(), html)
    blocks = _build["lifted"].pop(page.file.src_uri, None)
    if blocks is None:
        return html
    for block in blocks:
        page.present_anchor_ids.update(ELEMENT_ID.findall(block))
    _build["full_content"][page.file.src_uri] = fill_placeholders(html, blocks)
    return fill_placeholders(html, [search_terms.section_entries(block) for block in blocks])


def fill_placeholders(html, blocks):
    return PLACEHOLDER_PATTERN.sub(lambda match: blocks[int(match.group(1))], html)


@event_priority(-100)  # after the search plugin has indexed the summaries
def on_page_context(context, page, config, nav):
    full = _build["full_content"].pop(page.file.src_uri, None)
    if full is not None:
        page.content = full
    return context


def on_post_page(output, page, config):
    """The og: tags, then drop the indentation of Material's templates: a tenth of a county page's bytes."""
    return minify_whitespace(output.replace("</head>", open_graph_tags(page, config) + "</head>", 1))


def site_url(config):
    return config["site_url"] or publicity.PLACEHOLDER_SITE_URL


def open_graph_tags(page, config):
    """og: tags from the page's front matter: title, description, share_image (beside the page)."""
    url = publicity.absolute(site_url(config), page.url)
    image = page.meta.get("share_image")
    return share_card.open_graph_tags(
        title=config["site_name"] if page.is_homepage else page.meta.get("title") or page.title,
        description=page.meta.get("description") or config["site_description"],
        url=url, image_url=url + image if image else None, site_name=config["site_name"])


def minify_whitespace(html):
    parts = VERBATIM_ELEMENT.split(html)
    return "".join(part if index % 2 else LINE_INDENT.sub("\n", part) for index, part in enumerate(parts))


def on_post_build(config):
    shutil.rmtree(Path(config["site_dir"]) / THEME_SCRIPTS, ignore_errors=True)
    timed("wrote the calculator bundle", bundle.write_bundle, config["site_dir"], _build["policies"])


def on_serve(server, config, builder):
    for watched in (_build["directory"], pages.TEMPLATES_DIR):
        server.watch(str(watched))
    return server
