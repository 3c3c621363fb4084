"""After the site is written: Material's stylesheets (main, palette) cut down to what our pages can use,
under new content-hashed names that every page links instead: a cheap phone parsed the whole main.css
(137 KB, most of it for code, tabs, annotations, tooltips, blog and other parts this site never shows) and
built its rule tables on every page it opened, and tried the rules it cannot skip on every element.

A rule stays unless each selector of its list needs a class, id, element or attribute (and value, for
[name=value]) that no built page and none of our scripts and templates names: any word there counts (scripts
make classes and elements at run time), a camelCase word also as an attribute (el.dataset.mdFoo), a word
ending in - or _ as a prefix (`is-${state}`). What is not read that way is kept: escapes, namespaces, the
arguments of pseudo-classes other than :is()/:where()/:has() (so :not(.x) needs nothing). @media, @supports
and @container stay while a rule inside them does; other at-rules (@charset, @font-face, @keyframes,
@page) stay whole. Then a custom property's declaration goes when nothing left reads it with var() and our
files never name it. What stays is Material's text, unchanged.

The new name (the content's hash, in the theme's pattern, which sw.js caches as a hashed file, dropping the
old copy) keeps any cache that holds the old file from serving it for the new one. The original files stay
for pages of an older deployment that a cache still holds.
"""
import hashlib
import re
from pathlib import Path

from build_scripts.site_build import timed

STYLESHEETS = Path("assets") / "stylesheets"
THEME_SHEET = re.compile(r"(?P<name>[\w-]+)\.[0-9a-f]{8}\.min\.css")
GROUPING_AT_RULES = ("@media", "@supports", "@container")
# Pseudo-classes whose argument is a selector list that must match for them to match.
ANY_OF = {"is", "where", "has", "matches", "-webkit-any", "-moz-any"}
# One piece of a compound selector: .class #id :pseudo ::pseudo element (a function when '(' follows),
# an attribute, or what needs nothing (combinators, *, &, the nesting parent).
COMPONENT = re.compile(r"""(?P<kind>[.#]|::?)?(?P<name>-?[A-Za-z_][\w-]*)(?P<call>\()?
                         |\[\s*(?P<attribute>[\w-]+)\s*(?:(?P<operator>[~|^$*]?=)\s*(?P<value>"[^"]*"|'[^']*'|[\w-]+)\s*[is]?\s*)?]
                         |[\s>+~*&]""", re.X)
WORD = re.compile(r"[\w-]+")
CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
PREFIX = re.compile(r"[A-Za-z][\w-]*[-_]$")  # `is-${state}`, "md-" + kind: a class begun in a script
VAR = re.compile(r"var\(\s*(--[\w-]+)")
CUSTOM_PROPERTY = re.compile(r"--[\w-]+")
SOURCES = {".html", ".js", ".mjs"}  # what names elements


def on_post_build(config):
    theme = config["theme"]
    ours = [Path(config["docs_dir"])] + ([Path(theme.custom_dir)] if theme.custom_dir else [])
    timed("pruned the theme's stylesheets", prune_site, Path(config["site_dir"]), [Path(d) for d in theme.dirs], ours)


def prune_site(site_dir, theme_dirs, source_dirs):
    """Each theme stylesheet pruned for what the built pages and the files of source_dirs (ours, not the
    theme's) name, written beside the original, and linked in its place."""
    pages = sorted(site_dir.rglob("*.html"))
    ours = [path for folder in source_dirs for path in sorted(folder.rglob("*")) if path.suffix in {*SOURCES, ".css"}]
    used, named = Vocabulary(), set()
    for path in [*pages, *ours]:  # read one at a time: a site of thousands of counties is large
        text = path.read_text(encoding="utf-8")
        if path.suffix in SOURCES:
            used.add(text)
        named.update(name.lower() for name in CUSTOM_PROPERTY.findall(text))
    originals = theme_stylesheets(theme_dirs)
    sheets = [prune(path.read_text(encoding="utf-8"), used) for path in originals]
    needed = custom_properties_needed(sheets, named)
    renamed = {}
    for original, sheet in zip(originals, sheets):
        pruned = drop_properties(sheet, needed)
        new_name = "%s.%s.min.css" % (THEME_SHEET.fullmatch(original.name)["name"], hashlib.sha256(pruned.encode()).hexdigest()[:8])
        (site_dir / STYLESHEETS / new_name).write_text(pruned, encoding="utf-8")
        renamed["%s/%s" % (STYLESHEETS.name, original.name)] = "%s/%s" % (STYLESHEETS.name, new_name)
    for page in pages:
        html = linked = page.read_text(encoding="utf-8")
        for old, new in renamed.items():
            linked = linked.replace(old, new)
        if linked != html:
            page.write_text(linked, encoding="utf-8")


def theme_stylesheets(theme_dirs):
    """The theme's content-hashed stylesheets (a name in an earlier theme folder hides a later one's)."""
    found = {}
    for folder in theme_dirs:
        for path in sorted((folder / STYLESHEETS).glob("*.min.css")):
            if THEME_SHEET.fullmatch(path.name):
                found.setdefault(path.name, path)
    return list(found.values())


class Vocabulary:
    """Every name a page or script could give an element: the words of the texts, lower-cased (a class
    needed in another case is kept too), plus what scripts write in other forms."""

    def __init__(self, texts=()):
        self.words, self.prefixes = set(), set()
        for text in texts:
            self.add(text)

    def add(self, text):
        for word in set(WORD.findall(text)):
            self.words.add(word.lower())
            if CAMEL_HUMP.search(word):  # el.dataset.mdScrolllock, el.ariaExpanded: data-md-scrolllock, aria-expanded
                attribute = CAMEL_HUMP.sub("-", word).lower()
                self.words.update((attribute, "data-" + attribute))
            if PREFIX.match(word):
                self.prefixes.add(word.lower())

    def __contains__(self, name):
        name = name.lower()
        return name in self.words or any(name.startswith(prefix) for prefix in self.prefixes)


def prune(css, used):
    """css without the rules no element of ours can match."""
    return edit_rules(css, lambda selectors, body: body if could_match(selectors, used) else None)


def drop_properties(css, needed):
    """css without the declarations of custom properties (--name) that are not needed."""
    return edit_rules(css, lambda selectors, body: strip_declarations(body, needed))


def edit_rules(css, edit):
    """css with each style rule's body replaced by edit(selectors, body), the rule dropped where that is
    empty or None, and the @media, @supports and @container blocks left empty by that. Other at-rules
    (@charset, @font-face, @keyframes, @page) are kept whole."""
    kept = []
    for prelude, body in top_level(css):
        if body is None:
            kept.append(prelude + ";")
        elif prelude.lstrip().lower().startswith(GROUPING_AT_RULES):
            inner = edit_rules(body, edit)
            if inner:
                kept.append("%s{%s}" % (prelude, inner))
        elif prelude.lstrip().startswith("@"):
            kept.append("%s{%s}" % (prelude, body))
        else:
            body = edit(prelude, body)
            if body and body.strip():
                kept.append("%s{%s}" % (prelude, body))
    return "".join(kept)


def strip_declarations(body, needed):
    """body without the declarations of custom properties not in needed."""
    if "{" in body:
        return body  # nested rules are not read here: kept
    declarations = split_at(body, ";")
    kept = [d for d in declarations if not d.lstrip().startswith("--") or d.split(":", 1)[0].strip().lower() in needed]
    return ";".join(kept)


def custom_properties_needed(sheets, named):
    """The custom properties var() reads in the theme's sheets as pruned, keeping only the properties
    needed (a property read only by one that is not needed is not), plus those named (lower-cased)."""
    needed, remaining = None, sheets
    while True:
        read = named | {name.lower() for sheet in remaining for name in VAR.findall(sheet)}
        if read == needed:
            return needed
        needed = read
        remaining = [drop_properties(sheet, needed) for sheet in sheets]


def top_level(css):
    """(prelude, body) for each rule of css, body None for a statement (@charset …;). A brace or semicolon in
    a string, a comment or after a backslash ends nothing; a comment between rules is left out."""
    start = depth = opened = 0
    for i, char in syntax(css):
        if char == "{":
            if depth == 0:
                opened = i
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                yield without_leading_comments(css[start:opened]), css[opened + 1:i]
                start = i + 1
        elif char == ";" and depth == 0:
            yield without_leading_comments(css[start:i]), None
            start = i + 1


def syntax(text, i=0):
    """(index, character) of text from i on, strings, comments and escaped characters skipped: where CSS's
    own punctuation can be."""
    while i < len(text):
        if text[i] in "\"'":
            i = string_end(text, i)
        elif text.startswith("/*", i):
            i = comment_end(text, i)
        elif text[i] == "\\":
            i += 2
        else:
            yield i, text[i]
            i += 1


def without_leading_comments(prelude):
    """The prelude without the comments (and the blanks before them) that open it."""
    while prelude.lstrip().startswith("/*"):
        stripped = prelude.lstrip()
        prelude = stripped[comment_end(stripped, 0):]
    return prelude


def string_end(text, i):
    """The index after the string that opens at text[i] (its quote): escapes skipped, unclosed to the end."""
    quote = text[i]
    i += 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    return i + 1


def comment_end(text, i):
    """The index after the comment that opens at text[i] (unclosed: the end)."""
    end = text.find("*/", i + 2)
    return len(text) if end < 0 else end + 2


def could_match(selectors, used):
    """False only when every selector of the list needs a name that is not used."""
    return any(selector_could_match(selector, used) for selector in split_at(selectors, ","))


def selector_could_match(selector, used):
    if "\\" in selector or "/*" in selector:
        return True  # escapes and comments are not read here: kept
    i = 0
    while i < len(selector):
        part = COMPONENT.match(selector, i)
        if part is None:
            return True  # syntax not read here (a namespace): kept
        i = part.end()
        if part["call"]:
            end = closing_paren(selector, i)
            if part["kind"] == ":" and part["name"].lower() in ANY_OF and not could_match(selector[i:end], used):
                return False
            i = end + 1
        elif part["name"] and part["kind"] in (".", "#", None) and part["name"] not in used:
            return False
        elif part["attribute"] and (part["attribute"] not in used or part["operator"] == "="
                                    and not all(word in used for word in WORD.findall(part["value"]))):
            return False
    return True


def split_at(text, separator):
    """text split at each separator of its own (not in brackets of any kind, a string, a comment or an escape)."""
    parts, start, depth = [], 0, 0
    for i, char in syntax(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def closing_paren(text, i):
    """The index of the ')' closing the parenthesis opened just before text[i] (the end if none)."""
    depth = 1
    for at, char in syntax(text, i):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return at
    return len(text)
