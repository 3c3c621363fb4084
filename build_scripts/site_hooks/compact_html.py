"""Drops the indentation of Material's templates (a tenth of a county page's bytes), not inside <pre> or
<textarea>. It reads the finished page: the theme's templates are Material's own, not ours to reindent."""
import re

VERBATIM_ELEMENT = re.compile(r"(<(?:pre|textarea)\b.*?</(?:pre|textarea)>)", re.S)
LINE_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def on_post_page(output, page, config):
    return minify_whitespace(output)


def minify_whitespace(html):
    parts = VERBATIM_ELEMENT.split(html)
    return "".join(part if index % 2 else LINE_INDENT.sub("\n", part) for index, part in enumerate(parts))
