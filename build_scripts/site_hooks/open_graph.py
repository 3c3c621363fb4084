"""The og: tags a pasted link shows, from the page's front matter (title, description, share_image beside
the page): overrides/main.html writes them at the end of <head> through the `open_graph_tags` global."""
import markupsafe

from build_scripts import publicity, share_card
from build_scripts.site_build import site_url


def on_env(env, config, files):
    env.globals["open_graph_tags"] = lambda page: markupsafe.Markup(open_graph_tags(page, config))
    return env


def open_graph_tags(page, config):
    url = publicity.absolute(site_url(config), page.url)
    image = page.meta.get("share_image")
    return share_card.open_graph_tags(
        title=config["site_name"] if page.is_homepage else page.meta.get("title") or page.title,
        description=page.meta.get("description") or config["site_description"],
        url=url, image_url=url + image if image else None, site_name=config["site_name"])
