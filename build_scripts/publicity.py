"""The files made for publicity staff, per county and year, beside the county page:

- counties/<id>/print/index.html   the one-page A4 明白纸 with a QR code (build_scripts.poster)
- counties/<id>/<id>.ics           the payment dates for a phone calendar (build_scripts.calendar_ics)
- counties/<id>/card.png           the picture a shared link shows (build_scripts.share_card)

The QR code, the calendar's links and the og: tags need the site's public address: mkdocs.yml's
site_url, which deployers set through $YIBAO_SITE_URL.
"""
import os
from urllib.parse import urlsplit

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
    return files
