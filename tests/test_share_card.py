"""The share card measures its text from each character's advance, measured once (share_card.text_length):
the lengths must be Pillow's own, or a card's lines would break and its title shrink elsewhere than before."""
from PIL import Image, ImageDraw

from build_scripts import county_facts, county_sentences, share_card


def test_text_is_measured_as_pillow_measures_it(policies):
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    for policy in policies.values():
        texts = [text for _, text in share_card.key_figures(policy, county_facts.facts(policy))]
        texts.append(share_card.share_title(policy, county_sentences.place_name(policy)) + " 0123456789.AVTo")
        for weight in share_card.FONT_FILES:
            for size in range(share_card.px(22), share_card.px(64) + 1, 2):
                face = share_card.font(weight, size)
                lines = [line for text in texts for line in share_card.wrapped(draw, text, face, share_card.RIGHT - share_card.FIGURES_LEFT)]
                assert [share_card.text_length(draw, text, face) for text in texts + lines] == \
                       [draw.textlength(text, font=face) for text in texts + lines], (policy["id"], weight, size)
