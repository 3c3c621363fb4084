"""The generated pages: policies compiled (on_config); county pages, layer texts and the published policy
files added to the site in memory (on_files, build_scripts.pages), and rebuilt when a policy, notice or
template changes (on_serve). A policy's compiled form and files are made once for the same inputs
(build_scripts.build_cache): after an edit, only that policy's are made again.

County pages do not go through MkDocs' page pipeline (build_scripts/county_shell.py): the theme renders
one stand-in county page (on_env, after the nav is known), each county page is that page with its own
values in, and what MkDocs would have done for them besides is done here: their sitemap entries
(on_post_template) and their search entries, made with each page, put in the index (on_post_build)."""
import re

from mkdocs.commands.build import get_context
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from build_scripts import build_cache, county_shell, pages, schema_page
from build_scripts.site_build import BUILD, site_url, timed

LATEST_MARKER = "<!-- latest-notices -->"
SITEMAP_ENTRY = re.compile(r"\n[ \t]*<url>\s*<loc>([^<]*)</loc>.*?</url>", re.S)


def on_config(config):
    build_cache.code_version.cache_clear()  # `mkdocs serve` builds again in this process after a template edit
    BUILD.directory = pages.policies_dir()
    BUILD.policies = timed("compiled policies", pages.load_policies, BUILD.directory)
    return config


def on_files(files, config):
    policies = BUILD.policies
    generated = timed("rendered county pages", pages.render_site, policies, BUILD.directory, site_url(config))
    generated.update(schema_page.published_files(policies))
    BUILD.county_pages = []
    for path, content in generated.items():
        if isinstance(content, county_shell.CountyPage):  # its HTML is stamped in on_env
            file = File.generated(config, path, content="")
            BUILD.county_pages.append((file, content))
        else:
            file = File.generated(config, path, content=content)
        files.append(file)
    BUILD.inserts = {LATEST_MARKER: pages.render_latest(policies), **schema_page.inserts(policies)}
    return files


def on_nav(nav, config, files):
    BUILD.nav = nav
    return nav


@event_priority(-50)  # after open_graph's on_env has given the theme its og: tags
def on_env(env, config, files):
    # The theme's templates compiled once, not at every build: `mkdocs serve` makes a new theme per rebuild.
    env.bytecode_cache = build_cache.template_bytecode()
    if BUILD.county_pages:
        shell = county_shell.Shell.from_html(shell_html(env, config, files), site_url(config), config["site_name"])
        timed("wrapped county pages", stamp_all, shell, config)
    return env


def stamp_all(shell, config):
    stand_in = stand_in_page(config)
    for file, page in BUILD.county_pages:
        file.content_string = config.plugins.on_post_page(shell.stamp(page_id(file), page), page=stand_in, config=config)


def page_id(file):
    return file.src_uri.split("/")[1]


def shell_html(env, config, files):
    """Material's page for a stand-in county page, its values slot tokens; the og: tags are one slot."""
    page = stand_in_page(config)
    template = env.get_template("main.html")
    open_graph = env.globals["open_graph_tags"]
    env.globals["open_graph_tags"] = lambda _page: county_shell.SLOTS["open_graph"]
    config._current_page = page
    try:
        return template.render(get_context(BUILD.nav, files, config, page))
    finally:
        env.globals["open_graph_tags"] = open_graph
        config._current_page = None


def stand_in_page(config):
    slots = county_shell.SLOTS
    page = Page(slots["title"], File.generated(config, "%s/%s/index.md" % (pages.COUNTIES_DIR, slots["id"]), content=""), config)
    page.meta = {"title": slots["title"], "description": slots["description"]}
    page.content = slots["content"]
    page.toc = county_shell.heading_toc(slots["heading_id"], slots["title"])
    return page


def on_post_template(output, template_name, config):
    """County pages in the sitemap, where MkDocs listed them: after the hand-written pages, before the directory."""
    if template_name != "sitemap.xml" or not BUILD.county_pages:
        return output
    entries = list(SITEMAP_ENTRY.finditer(output))
    directory_url = site_url(config) + pages.COUNTIES_DIR + "/"
    at = next((entry.start() for entry in entries if entry.group(1) == directory_url), output.rindex("\n</urlset>"))
    return output[:at] + "".join(sitemap_entry(site_url(config) + file.url) for file, _ in BUILD.county_pages) + output[at:]


def sitemap_entry(url):
    return "\n    <url>\n         <loc>%s</loc>\n         <lastmod>%s</lastmod>\n    </url>" % (url, get_build_date())


@event_priority(50)  # before the search plugin writes search_index.json
def on_post_build(config):
    """County pages' search entries (made with each page: search_terms.county_entries) in the index, where MkDocs
    put them: before the directory page."""
    entries = config.plugins["material/search"].search_index.entries
    directory = pages.COUNTIES_DIR + "/"
    at = next((number for number, entry in enumerate(entries) if entry["location"].startswith(directory)), len(entries))
    entries[at:at] = [entry for _, page in BUILD.county_pages for entry in page.search_entries]


def on_serve(server, config, builder):
    for watched in (BUILD.directory, pages.TEMPLATES_DIR):
        server.watch(str(watched))
    return server
