"""What a county page link shows when pasted into a chat: its title, description and a card image.

- share_meta(): the page's title (county, year, topic) and a description with the key figures.
- render_card(): counties/<id>/card.png, 800×420 (the shape link previews expect; WeChat and most apps
  take PNG, not SVG), drawn with Pillow in the Noto Sans CJK font of Debian's fonts-noto-cjk.  Without
  that font no card is drawn and pages simply carry no og:image (hooks log it).
- open_graph_tags(): the <meta property="og:…"> tags the MkDocs hook puts in each page's <head>.
Every figure is the fee core's, from build_scripts.county_facts.
"""
import functools
import io
import re
from pathlib import Path

import markupsafe
from PIL import Image, ImageDraw, ImageFont

from build_scripts import county_sentences, provenance

CARD_NAME = "card.png"
CARD_SIZE = (800, 420)  # 1.91:1, as link previews crop; twice a thumbnail's width is enough
PALETTE_STEPS = 10
CLAUSE = re.compile(r"[^；]+；?")
UNBREAKABLE = re.compile(r"[0-9A-Za-z.]+|.")
NO_LINE_START = "；，。、）："  # stays at the end of the line before (may run into the margin)
FONT_FILES = {"bold": "NotoSansCJK-Bold.ttc", "regular": "NotoSansCJK-Regular.ttc"}
FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"))
FONT_FACE = "Noto Sans CJK SC"
TOPIC = "缴费标准、缴费时间、断保后果"
TEAL, INK, MONEY, GREY, WHITE = (0, 105, 92), (17, 17, 17), (179, 38, 30), (84, 110, 122), (255, 255, 255)
MAX_PRICE_ROWS = 4


def share_title(policy, place):
    return "%s%d年度城乡居民医保：%s" % (place, policy["coverage_year"], TOPIC)


def key_figures(policy, facts):
    """[(label, text)]: where the period stood at the build where that is no longer its first window (往年通知，
    仅供查阅 and the place's newer notice), the first window, what people pay in it (from which day, where later
    than the window's first: 福山's adults from 10月1日), and unless the period was over, the government's part
    and what changes after. Each text is
    the county view's sentence (county_sentences); a figure resting on a layer or on the site's reading says
    so: （本站的理解）."""
    says = facts["says"]
    whose = provenance.of(policy).whose_words
    first = facts["price_windows"][0]
    window = first["window"]
    window_basis = whose(window["sources"] + window.get("monthly", {}).get("sources", []))
    figures = []
    if says["standing"] == county_sentences.LATER:  # the first window's end, as the notice (or the site) reads it
        figures.append(("注意", says["deadline"] + window_basis))
    elif says["standing"] == county_sentences.OVER:
        figures.append(("注意", "；".join([says["deadline"]] + says["over"])))
    figures.append(("缴费时间", says["windows"][window["id"]] + window_basis))
    rows = first["rows"][:MAX_PRICE_ROWS]
    if rows:
        figures.append(("每人缴", "；".join(county_sentences.plain(item) for item in says["prices"][:MAX_PRICE_ROWS])
                        + ("等" if len(first["rows"]) > MAX_PRICE_ROWS else "")
                        + whose([source for row in rows for source in row["sources"]])))
    if says["standing"] == county_sentences.OVER:  # a past year's card: what it was, not what follows from it
        return figures
    if says["fiscal"]:
        figures.append(("财政另补", says["fiscal"] + whose(facts["fiscal"].get("sources", []))))
    if says["late"]:
        figures.append(("错过了", says["late"]))
    return figures


def share_meta(policy, facts, place):
    """{title, description, image} of a county page, for <title> and the og: tags; image is the card's
    file name beside the page, None when no card can be drawn."""
    description = "；".join("%s：%s" % figure for figure in key_figures(policy, facts))
    if provenance.READING_WORDS in description:
        description += "。“本站的理解”是通知没有明说、本站这样理解的地方，详见页面"
    return {"title": share_title(policy, place), "description": description + "。以当地医保部门解释为准。",
            "image": CARD_NAME if can_draw_cards() else None}


# ---- the card image --------------------------------------------------------------------------------

@functools.cache
def font_file(weight):
    for directory in FONT_DIRS:
        path = directory / FONT_FILES[weight]
        if path.exists():
            return path
    return None


def can_draw_cards():
    return all(font_file(weight) for weight in FONT_FILES)


@functools.cache
def font(weight, size):
    """The Simplified Chinese face of the Noto Sans CJK collection (its index differs between releases)."""
    path = font_file(weight)
    for index in range(10):
        face = ImageFont.truetype(str(path), size, index=index, layout_engine=ImageFont.Layout.BASIC)
        if face.getname()[0] == FONT_FACE:
            return face
    raise LookupError("%s 中没有 %s 字体" % (path, FONT_FACE))


def fitted(draw, text, weight, size, width):
    """The largest font, from `size` down, in which `text` fits `width` pixels."""
    while size > 12 and text_length(draw, text, font(weight, size)) > width:
        size -= 2
    return font(weight, size)


_ADVANCES = {}  # (face, image mode): {character: advance in 1/64 px}


def text_length(draw, text, face):
    """draw.textlength(text, font=face), each character measured once per process: breaking a card's
    lines measures each line again with every clause and character added. The faces are laid out without
    shaping (Layout.BASIC) and have no kerning table, so a text's length is the sum of its characters'."""
    advances = _ADVANCES.setdefault((face, draw.mode), {})
    for character in set(text).difference(advances):
        advances[character] = round(draw.textlength(character, font=face) * 64)
    return sum(advances[character] for character in text) / 64


def wrapped(draw, text, face, width):
    """`text` in lines that fit `width`: broken after a "；" where possible, else between characters,
    never inside a number and never before a closing mark."""
    lines, line = [], ""
    for segment in CLAUSE.findall(text):
        if text_length(draw, line + segment, face) <= width:
            line += segment
            continue
        if line:
            lines.append(line)
            line = ""
        for unit in UNBREAKABLE.findall(segment):
            if line and unit[0] not in NO_LINE_START and text_length(draw, line + unit, face) > width:
                lines.append(line)
                line = ""
            line += unit
    return lines + [line]


def render_card(policy, facts, place, site_host):
    """The PNG bytes of the share card.  Sizes are given for a 1200 px wide card and scaled.
    What every card shows (band, footer, the labels) is drawn once and copied: drawing Chinese text
    is most of a card's cost, and a site has thousands of cards."""
    image = card_background(site_host).copy()
    draw = ImageDraw.Draw(image)
    title = "%s %d年度 城乡居民医保" % (place, policy["coverage_year"])
    draw.text((MARGIN, px(160)), title, font=fitted(draw, title, "bold", px(64), RIGHT - MARGIN), fill=INK, anchor="lm")
    face, laid, _ = laid_out(draw, key_figures(policy, facts))
    y = px(230)
    for label, lines in laid:
        mask = label_mask(label)
        image.paste(TEAL, (MARGIN, y), mask)
        colour = MONEY if label in ("注意", "每人缴", "财政另补") else INK
        for line in lines:
            draw.text((FIGURES_LEFT, y), line, font=face, fill=colour, anchor="la")
            y += face.size + px(12)
        y += px(22)
    out = io.BytesIO()
    # A fixed palette: an adaptive one costs more time than drawing the card.
    image.quantize(palette=card_palette(), dither=Image.Dither.NONE).save(out, format="PNG")
    return out.getvalue()


def laid_out(draw, figures):
    """(face, [(label, lines)], fits): the figures in the largest type in which they end above the footer
    (else in the smallest, fits False)."""
    for size in range(px(34), px(22) - 1, -2):
        face = font("regular", size)
        laid = [(label, wrapped(draw, text, face, RIGHT - FIGURES_LEFT)) for label, text in figures]
        if px(230) + sum(len(lines) * (size + px(12)) + px(22) for _, lines in laid) <= FIGURES_BOTTOM:
            return face, laid, True
    return face, laid, False


@functools.cache
def card_background(site_host):
    image = Image.new("RGB", CARD_SIZE, WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, CARD_SIZE[0], px(104)), fill=TEAL)
    draw.text((MARGIN, px(52)), "医保明白纸", font=font("bold", px(44)), fill=WHITE, anchor="lm")
    draw.text((RIGHT, px(52)), TOPIC.replace("、", " · "), font=font("regular", px(32)), fill=WHITE, anchor="rm")
    footer = "以当地医保部门解释为准 · %s" % site_host
    draw.text((MARGIN, CARD_SIZE[1] - px(44)), footer, font=fitted(draw, footer, "regular", px(28), RIGHT - MARGIN), fill=GREY, anchor="lm")
    return image


@functools.cache
def label_mask(label):
    """A figure's label (缴费时间, 每人缴 …) as a mask, its top left corner where the text starts."""
    face = font("bold", px(34))
    mask = Image.new("L", (FIGURES_LEFT - MARGIN, px(34) * 3 // 2))
    ImageDraw.Draw(mask).text((0, 0), label, font=face, fill=255, anchor="la")
    return mask


def px(size):
    return round(size * CARD_SIZE[0] / 1200)


MARGIN, RIGHT = px(64), CARD_SIZE[0] - px(64)
FIGURES_BOTTOM = CARD_SIZE[1] - px(72)  # the footer's top
FIGURES_LEFT = MARGIN + px(34) * 5  # after the widest label, 财政另补：


@functools.cache
def card_palette():
    """The card's colours, each blended with its background in steps (anti-aliased text edges)."""
    colours = []
    for ink, paper in ((INK, WHITE), (TEAL, WHITE), (MONEY, WHITE), (GREY, WHITE), (WHITE, TEAL)):
        for step in range(PALETTE_STEPS + 1):
            share = step / PALETTE_STEPS
            colours.append(tuple(round(a * share + b * (1 - share)) for a, b in zip(ink, paper)))
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for colour in colours for channel in colour])
    return palette


# ---- the <head> tags ---------------------------------------------------------------------------------

def open_graph_tags(title, description, url, image_url, site_name):
    """The og: meta tags of a page, as an HTML string (escaped here); `image_url` may be None."""
    tags = [("og:type", "article"), ("og:site_name", site_name), ("og:title", title),
            ("og:description", description), ("og:url", url), ("og:locale", "zh_CN")]
    if image_url:
        tags += [("og:image", image_url), ("og:image:type", "image/png"),
                 ("og:image:width", str(CARD_SIZE[0])), ("og:image:height", str(CARD_SIZE[1])),
                 ("og:image:alt", title)]
    return str(markupsafe.Markup("\n").join(markupsafe.Markup('<meta property="%s" content="%s">') % tag for tag in tags))
