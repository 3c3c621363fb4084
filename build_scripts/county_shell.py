"""County pages wrapped in the theme without going through MkDocs' page pipeline.

Every county page sits at the same depth (counties/<id>/), is outside the nav and has one heading in
its table of contents, so the theme's page around its body is the same for all of them but for a few
values. The theme renders that page once, for a stand-in whose values are slot tokens (the hook in
site_hooks/county_pages.py); each county page is then that HTML with its own values in (Shell.stamp).
MkDocs' work per page (Markdown, the theme's templates, plugins) would otherwise cost seconds per
thousand counties, again after every edit.

A slot is filled with what the theme writes there: Material writes the title, description and
canonical address as they are (its templates do not escape them); the og: tags are ours
(share_card.open_graph_tags); the finished page passes through the post-page hooks as a MkDocs page does.
"""
import dataclasses
import re

import markupsafe
from markdown.extensions.toc import slugify, unique
from mkdocs.structure.toc import get_toc

from build_scripts import share_card

HEADING_CLASS = "county-title"
# ASCII words: the theme's filters (striptags, URL joining) leave them as they are. The content's token is a
# heading, as the content is: the theme adds an <h1> of its own to a page's content that has none.
SLOTS = {name: "YIBAOSLOT%sEND" % name.upper() for name in ("id", "title", "description", "heading_id", "open_graph")}
SLOTS["content"] = "<h1>YIBAOSLOTCONTENTEND</h1>"
SLOT = re.compile("(%s)" % "|".join(SLOTS.values()))
SLOT_NAMES = {token: name for name, token in SLOTS.items()}


@dataclasses.dataclass(frozen=True)
class CountyPage:
    """A county page before the theme wraps it: <title> and description (share_card.share_meta), the card
    image beside the page (og:image; None when cards cannot be drawn), its heading and its body's HTML, and
    its entries in the search index (search_terms.county_entries)."""
    title: str
    description: str
    share_image: str | None
    heading: str
    body: str
    search_entries: tuple = ()

    def heading_id(self):
        """The id MkDocs' table of contents gives the heading (Python-Markdown's slugify: ASCII only)."""
        return unique(slugify(self.heading, "-"), set())

    def heading_html(self):
        return '<h1 class="%s" id="%s">%s</h1>' % (HEADING_CLASS, self.heading_id(), markupsafe.escape(self.heading))

    def content(self):
        """The page's HTML inside the theme's <article>."""
        return self.heading_html() + "\n" + self.body

    def standalone_html(self):
        """The page without the theme (python -m build_scripts.pages --out)."""
        return '<!doctype html>\n<html lang="zh">\n<meta charset="utf-8">\n<title>%s</title>\n<meta name="description" content="%s">\n%s\n' % (
            markupsafe.escape(self.title), markupsafe.escape(self.description), self.content())


def heading_toc(heading_id, title):
    """A county page's table of contents, as MkDocs makes it: its one heading."""
    return get_toc([{"level": 1, "id": heading_id, "name": title, "children": []}])


@dataclasses.dataclass(frozen=True)
class Shell:
    """The theme's county page split at its slot tokens, and what a county's og: tags need besides the page."""
    parts: tuple
    site_url: str
    site_name: str

    @classmethod
    def from_html(cls, html, site_url, site_name):
        """A Material update that no longer writes one of the slots is a build error here, not a page with a
        token in it."""
        missing = sorted(name for name, token in SLOTS.items() if token not in html)
        if missing:
            raise ValueError("the theme's county page has no place for: %s" % ", ".join(missing))
        return cls(tuple(SLOT.split(html)), site_url, site_name)

    def stamp(self, page_id, page):
        """The HTML of county `page_id` before the post-page hooks: one pass over the shell."""
        url = "%scounties/%s/" % (self.site_url, page_id)
        values = {
            "id": page_id, "title": page.title, "description": page.description, "heading_id": page.heading_id(),
            "open_graph": share_card.open_graph_tags(
                title=page.title, description=page.description, url=url,
                image_url=url + page.share_image if page.share_image else None, site_name=self.site_name),
            "content": page.content(),
        }
        return "".join(values[SLOT_NAMES[part]] if index % 2 else part for index, part in enumerate(self.parts))
