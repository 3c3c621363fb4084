"""Keep Material's theme from reaching third-party hosts.

Material's JavaScript bundle loads a ResizeObserver polyfill from unpkg.com on browsers without
ResizeObserver (and mermaid from unpkg.com on pages with diagrams, which this site has none of).
After the build, those URLs are pointed at files of this site: the polyfill at a small stand-in
(docs/assets/site/resize-observer.js), mermaid at a path that does not exist, so that no page ever
asks a third-party host for anything.  `__md_scope` is the site root Material's pages define.
"""
import re
from pathlib import Path

THIRD_PARTY_SCRIPTS = {
    "https://unpkg.com/resize-observer-polyfill": "assets/site/resize-observer.js",
    "https://unpkg.com/mermaid@": "assets/site/no-mermaid.js",
}
BUNDLES = "assets/javascripts/bundle.*.min.js"
QUOTED_URL = re.compile(r'"(%s)([^"]*)"' % "|".join(re.escape(url) for url in THIRD_PARTY_SCRIPTS))


def localize_theme_scripts(site_dir):
    """Rewrite every theme bundle under site_dir; returns how many URLs were rewritten."""
    rewritten = 0
    for bundle in Path(site_dir).glob(BUNDLES):
        text = bundle.read_text(encoding="utf-8")
        text, count = QUOTED_URL.subn(_site_url, text)
        bundle.write_text(text, encoding="utf-8")
        rewritten += count
    for source_map in Path(site_dir).glob(BUNDLES + ".map"):
        source_map.unlink()  # it still names the third-party URLs, and no reader needs it
    return rewritten


def _site_url(match):
    return 'new URL("%s",__md_scope).href' % THIRD_PARTY_SCRIPTS[match.group(1)]
