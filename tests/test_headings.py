"""Structural labels (第十二条, Chapter II) and the numerals in them: one reader for the
aligner's confidence, the provisions of a law and a document's table of contents."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitext.core.text.headings import KINDS, LABEL_FORMS, read_heading
from bitext.core.text.numerals import numeral_value, roman_value

_DIGITS = "〇一二三四五六七八九"
_ZH_UNIT = {"part": "编", "chapter": "章", "section": "节", "article": "条", "clause": "款"}


def chinese_number(n: int) -> str:
    """1..999 as written in Chinese laws: 十二, 一百零三, 一百二十."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    text = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    return text + (_DIGITS[units] if units else "")


def roman(n: int) -> str:
    text = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        text += letters * count
    return text


@pytest.mark.parametrize(("numeral", "value"), [
    ("12", 12), ("１２", 12), ("XIV", 14), ("xl", 40), ("十", 10), ("一百零三", 103),
    ("一百四十三", 143), ("二〇", 20), ("兩", 2), ("", None), ("²", None), ("十x", None),
])
def test_numeral_values(numeral, value):
    assert numeral_value(numeral) == value


@pytest.mark.parametrize(("text", "kind", "number", "label", "after"), [
    ("第一章　总纲", "chapter", 1, "第一章", "总纲"),
    ("第十二条 公民", "article", 12, "第十二条", "公民"),
    ("第一百四十三条　", "article", 143, "第一百四十三条", ""),
    ("第二节 行政機關", "section", 2, "第二节", "行政機關"),
    ("第三編", "part", 3, "第三編", ""),
    ("第十三條 *中央", "article", 13, "第十三條", "*中央"),
    ("第二款 前款", "clause", 2, "第二款", "前款"),
    ("第12条 公民", "article", 12, "第12条", "公民"),
    ("Chapter III State Institutions", "chapter", 3, "Chapter III", "State Institutions"),
    ("Article 62. The National", "article", 62, "Article 62", "The National"),
    ("  SECTION  4: Powers", "section", 4, "SECTION 4", "Powers"),
    ("Part II", "part", 2, "Part II", ""),
])
def test_labels_are_read(text, kind, number, label, after):
    heading = read_heading(text)
    assert heading is not None
    assert (heading.kind, heading.number, heading.label) == (kind, number, label)
    assert text[heading.end:].strip() == after


@pytest.mark.parametrize("text", [
    "Articles of faith", "In Article 5 we read", "第一次会议", "Article 5a", "第十x条",
    "香港特別行政區", "", "　",
])
def test_body_text_is_no_label(text):
    assert read_heading(text) is None


def test_a_label_is_read_where_asked():
    text = "第十三條 第二款"
    first = read_heading(text)
    assert first is not None
    second = read_heading(text, first.end)
    assert second is not None and (second.kind, second.number) == ("clause", 2)


def test_levels_follow_the_kinds_largest_first():
    assert [read_heading(f"{kind} 1").level for kind in KINDS[:4]] == [1, 2, 3, 4]
    assert {kind for form in LABEL_FORMS for kind in form.units.values()} == set(KINDS)


@given(st.sampled_from(KINDS), st.integers(1, 999), st.sampled_from(["", " ", "　"]),
       st.text(max_size=20))
def test_any_chinese_label_reads_back(kind, number, space, rest):
    text = f"{space}第{chinese_number(number)}{_ZH_UNIT[kind]}{rest}"
    heading = read_heading(text)
    assert heading is not None
    assert (heading.kind, heading.number) == (kind, number)
    assert text[heading.end:] == rest  # the label taken, nothing after it lost


@given(st.sampled_from(KINDS[:4]), st.integers(1, 3999), st.booleans(),
       st.sampled_from(["", ".", ":"]), st.text(alphabet=" abc.", max_size=10))
def test_any_english_label_reads_back(kind, number, as_roman, stop, rest):
    numeral = roman(number) if as_roman else str(number)
    text = f"{kind.title()} {numeral}{stop} {rest}"
    heading = read_heading(text)
    assert heading is not None
    assert (heading.kind, heading.number, heading.label) == (kind, number,
                                                            f"{kind.title()} {numeral}")
    assert text[heading.end:] == f" {rest}"


@given(st.integers(1, 3999))
def test_roman_numerals_read_back(number):
    assert roman_value(roman(number)) == number == numeral_value(roman(number).lower())


@given(st.text(max_size=60), st.integers(0, 60))
def test_any_text_reads_as_a_label_or_none(text, start):
    heading = read_heading(text, start)
    if heading is not None:
        assert start < heading.end <= len(text)
        assert heading.kind in KINDS and heading.number >= 0
        assert "".join(heading.label.split()) in "".join(text[start:heading.end].split())
