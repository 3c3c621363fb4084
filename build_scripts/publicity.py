"""The files made for publicity staff, per county and year, beside the county page:

- counties/<id>/print/index.html   the one-page A4 明白纸 with a QR code (build_scripts.poster)
- counties/<id>/<id>.ics           the payment dates for a phone calendar (build_scripts.calendar_ics)
- counties/<id>/card.png           the picture a shared link shows (build_scripts.share_card)
- calculator/share/<id>/           where the calculator's share links point: a card that names the county
                                   and says it is a household's calculation (never who), then the calculator

The QR code, the calendar's links and the og: tags need the site's public address: mkdocs.yml's
site_url, which deployers set through $YIBAO_SITE_URL.
"""
import os
from urllib.parse import urlsplit

import markupsafe

from build_scripts import calendar_ics, poster, share_card

SITE_URL_ENV = "YIBAO_SITE_URL"
# The same default as mkdocs.yml's site_url: a reserved example domain, which the poster flags.
PLACEHOLDER_SITE_URL = "https://yibao.example.org/"


def site_url_from_environment():
    """For builds without MkDocs (python -m build_scripts.pages)."""
    return os.environ.get(SITE_URL_ENV) or PLACEHOLDER_SITE_URL


def absolute(site_url, path):
    return site_url.rstrip("/") + "/" + path


def county_files(env, policy, facts, place, page_path, site_url):
    """{docs-relative path: str or bytes} of the poster, the calendar and (with a CJK font) the share card."""
    page_url = absolute(site_url, page_path)
    files = {
        poster.poster_path(policy) + "index.html": poster.render_poster(env, policy, facts, page_url),
        calendar_ics.calendar_path(policy): calendar_ics.render_calendar(policy, facts, page_url),
    }
    if share_card.can_draw_cards():
        files[page_path + share_card.CARD_NAME] = share_card.render_card(policy, facts, place, urlsplit(site_url).hostname)
    files[calculator_share_path(policy)] = render_calculator_share(env, policy, place, page_path, site_url)
    return files


def calculator_share_path(policy):
    return "calculator/share/%s/index.html" % policy["id"]


def render_calculator_share(env, policy, place, page_path, site_url):
    """The page a calculator share link opens: its preview names the county and year, never the members;
    a script forwards the household (the URL fragment, which never reaches a server) to the calculator."""
    title = "%s%d年度城乡居民医保：一户人家的缴费计算" % (place, policy["coverage_year"])
    description = "打开看这户人家按%s通知要缴多少、政府补多少、什么时候开始报销；在您的手机上计算。" % policy["name"]
    image = absolute(site_url, page_path + share_card.CARD_NAME) if share_card.can_draw_cards() else None
    og_tags = share_card.open_graph_tags(title=title, description=description,
                                         url=absolute(site_url, calculator_share_path(policy).replace("index.html", "")),
                                         image_url=image, site_name="医保明白纸")
    return env.get_template("print/calculator_share.html.j2").render(
        policy=policy, place=place, title=title, description=description, og_tags=markupsafe.Markup(og_tags))
