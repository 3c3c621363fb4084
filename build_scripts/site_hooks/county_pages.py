"""The generated pages: policies compiled (on_config), county pages, layer texts and the published policy
files added to the site in memory (on_files, build_scripts.pages), and rebuilt when a policy, notice or
template changes (on_serve). A policy's compiled form and files are made once for the same inputs
(build_scripts.build_cache): after an edit, only that policy's are made again."""
from mkdocs.structure.files import File

from build_scripts import build_cache, pages, schema_page
from build_scripts.site_build import BUILD, site_url, timed

LATEST_MARKER = "<!-- latest-notices -->"


def on_config(config):
    build_cache.code_version.cache_clear()  # `mkdocs serve` builds again in this process after a template edit
    BUILD.directory = pages.policies_dir()
    BUILD.policies = timed("compiled policies", pages.load_policies, BUILD.directory)
    return config


def on_files(files, config):
    policies = BUILD.policies
    generated = timed("rendered county pages", pages.render_site, policies, BUILD.directory, site_url(config))
    generated.update(schema_page.published_files(policies))
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    BUILD.inserts = {LATEST_MARKER: pages.render_latest(policies), **schema_page.inserts(policies)}
    return files


def on_serve(server, config, builder):
    for watched in (BUILD.directory, pages.TEMPLATES_DIR):
        server.watch(str(watched))
    return server
