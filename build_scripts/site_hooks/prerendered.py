"""Hand-written pages get their inserts, and generated pages keep their prerendered HTML out of Python-Markdown.

- on_page_markdown: fill the markers of hand-written pages (latest notices, author guide); lift each
  prerendered block out of the Markdown, so Python-Markdown does not parse it; set the page's search
  settings (developer pages left out: search_terms.page_search_settings).
- on_page_content: register the blocks' ids for MkDocs' anchor validation, and give the search plugin only
  each block's one-line summary and, per section, its heading and the search terms it answers
  (search_terms.section_entries): a hit opens that section, and the index a phone downloads when the
  resident searches stays small with thousands of counties.
- on_page_context (after the search plugin): the page with its blocks whole again.
"""
import re

from mkdocs.plugins import event_priority

from build_scripts import pages, search_terms
from build_scripts.site_build import BUILD

PRERENDERED_BLOCK = re.compile(re.escape(pages.PRERENDERED_START) + r"\n(.*?)\n" + re.escape(pages.PRERENDERED_END), re.S)
PLACEHOLDER = "<!-- prerendered block %d -->"
PLACEHOLDER_PATTERN = re.compile(r"<!-- prerendered block (\d+) -->")
ELEMENT_ID = re.compile(r"""\sid=["']([^"']+)["']""")


def on_page_markdown(markdown, page, config, files):
    for marker, insert in BUILD.inserts.items():
        markdown = markdown.replace(marker, insert)
    blocks = []

    def lift(match):
        blocks.append(match.group(1))
        return PLACEHOLDER % (len(blocks) - 1)

    markdown = PRERENDERED_BLOCK.sub(lift, markdown)
    page.meta.setdefault("search", search_terms.page_search_settings(page.file.src_uri))
    if blocks:
        BUILD.lifted[page.file.src_uri] = blocks
    return markdown


def on_page_content(html, page, config, files):
    blocks = BUILD.lifted.pop(page.file.src_uri, None)
    if blocks is None:
        return html
    for block in blocks:
        page.present_anchor_ids.update(ELEMENT_ID.findall(block))
    BUILD.full_content[page.file.src_uri] = fill_placeholders(html, blocks)
    return fill_placeholders(html, [search_terms.section_entries(block) for block in blocks])


def fill_placeholders(html, blocks):
    return PLACEHOLDER_PATTERN.sub(lambda match: blocks[int(match.group(1))], html)


@event_priority(-100)  # after the search plugin has indexed the summaries
def on_page_context(context, page, config, nav):
    full = BUILD.full_content.pop(page.file.src_uri, None)
    if full is not None:
        page.content = full
    return context
