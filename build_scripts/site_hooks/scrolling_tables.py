"""Markdown tables in a box that scrolls sideways by itself (a phone's screen is narrower than most tables).

Listed before prerendered.py: it boxes the tables Python-Markdown made (they have no attributes), before
the prerendered blocks, whose tables are boxed by their own templates, are put back.
"""
import re

MARKDOWN_TABLE = re.compile(r"<table>.*?</table>", re.S)  # Python-Markdown's: no attributes


def on_page_content(html, page, config, files):
    return MARKDOWN_TABLE.sub(lambda match: '<div class="table-scroll">%s</div>' % match.group(), html)
