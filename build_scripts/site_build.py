"""What one `mkdocs build` keeps between its hooks (build_scripts/site_hooks/), in one object.

MkDocs calls each hook with what the event gives; the compiled policies, the Markdown inserts and the
prerendered blocks of a page travel from one event to a later one here, and nowhere else.
"""
import time

from mkdocs.plugins import get_plugin_logger

from build_scripts import publicity

log = get_plugin_logger("yibao")


class SiteBuild:
    """directory and policies (on_config); inserts: marker → Markdown for hand-written pages (on_files);
    lifted: page → its prerendered blocks, from on_page_markdown to on_page_content; full_content: page →
    its HTML with the blocks whole, from on_page_content to on_page_context (after the search plugin); nav (on_nav)
    and county_pages: [(File, county_shell.CountyPage)] from on_files to on_env, the sitemap and the search index."""

    def __init__(self):
        self.directory, self.policies, self.nav = None, [], None
        self.inserts, self.lifted, self.full_content = {}, {}, {}
        self.county_pages = []


BUILD = SiteBuild()


def timed(what, function, *args):
    """function(*args), logging how long it took (bench/bench_site.py reads these lines)."""
    started = time.perf_counter()
    result = function(*args)
    log.info("%s in %.1f s", what, time.perf_counter() - started)
    return result


def site_url(config):
    return config["site_url"] or publicity.PLACEHOLDER_SITE_URL
