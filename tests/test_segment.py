"""The whole segmentation step: nothing lost, reordered or duplicated, at both levels."""

import re

from hypothesis import given
from hypothesis import strategies as st

from bitext.core.text.normalize import normalize_text
from bitext.core.text.segment import segment_text

alphabet = st.sampled_from(list("Ab. ?!中文。！？“”\"()（）；;\n\t\u3000 1") + ["Dr.", "\n\n"])
texts = st.lists(alphabet, max_size=120).map("".join)


def visible(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(texts, st.sampled_from(["en", "zh-Hans", "zh-Hant", "fr", "ja"]))
def test_segmentation_keeps_every_character_once_in_order(text, language):
    paragraphs = segment_text(text, language)
    assert visible("".join(p.text for p in paragraphs)) == visible(normalize_text(text))
    for paragraph in paragraphs:
        assert visible("".join(paragraph.sentences)) == visible(paragraph.text)
        position = 0
        for sentence in paragraph.sentences:  # sentences appear in order in their paragraph
            position = paragraph.text.index(sentence, position) + len(sentence)


def test_a_chinese_and_an_english_document():
    zh = segment_text("他说：“你好。”然后走了。\n第二段！", "zh-Hans")
    assert [p.sentences for p in zh] == [("他说：“你好。”", "然后走了。"), ("第二段！",)]
    en = segment_text("Mr. Smith paid $3.50. He left.\n\nNext paragraph.", "en")
    assert [p.sentences for p in en] == [("Mr. Smith paid $3.50.", "He left."),
                                         ("Next paragraph.",)]
