"""Paragraph splitting: layout detection, and no text lost in either layout."""

import re

from hypothesis import given
from hypothesis import strategies as st

from bitext.core.text.normalize import normalize_text
from bitext.core.text.paragraphs import split_paragraphs, uses_blank_line_blocks


def test_one_paragraph_per_line():
    assert split_paragraphs("One.\nTwo.\n\nThree.\n") == ["One.", "Two.", "Three."]


def test_blank_line_blocks_join_wrapped_lines():
    text = "A wrapped\nparagraph.\n\nAnother\none.\n"
    assert uses_blank_line_blocks(text)
    assert split_paragraphs(text, "en") == ["A wrapped paragraph.", "Another one."]


def test_chinese_wrapped_lines_join_without_space():
    text = "人人生而自由，\n在尊严和权利上一律平等。\n\n第二段。\n"
    expected = ["人人生而自由，在尊严和权利上一律平等。", "第二段。"]
    assert split_paragraphs(text, "zh-Hans") == expected


def test_normalize_line_ends_and_nfc():
    assert normalize_text("e\u0301\r\nx\ry") == "\u00e9\nx\ny"


texts = st.text(alphabet=st.sampled_from(list("ab 中文。.\n\t\u3000")), max_size=200)


@given(texts, st.sampled_from(["en", "zh-Hans"]))
def test_no_visible_character_is_lost_or_duplicated(text, language):
    paragraphs = split_paragraphs(text, language)
    assert all(p and p == p.strip() for p in paragraphs)
    visible = re.sub(r"\s", "", text)
    assert re.sub(r"\s", "", "".join(paragraphs)) == visible
