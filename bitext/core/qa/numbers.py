"""Numbers and dates that do not match across a pair: 二〇二二年四月十五日 ↔ April 15, 2022,
百分之十五 ↔ 15%, 8周年 ↔ 8th (values read by :mod:`bitext.core.align.signals.numbers`).

Small counts written as words (两, "two") are everywhere in set phrases (一国两制, "one
country, two systems") and differ between languages by idiom, so only values that are
written in digits on one side, or are 10 or more, or are fractions, are compared. A value
found in a neighbouring row is not reported, nor are rows whose lengths say they are
misaligned (:func:`misaligned_rows`): that is alignment, not translation.
"""

import re
from collections import Counter
from collections.abc import Sequence

from bitext.core.align.signals.numbers import (
    digit_numbers,
    number_reader,
    parse_chinese_numeral,
)
from bitext.core.qa.findings import Finding, Row
from bitext.core.qa.omissions import LengthNorm, misaligned_rows
from bitext.core.text.numerals import roman_value

# A list item's or an annex's number, （二）, 二、 or 附件二, reads as 2, as its translation
# writes it.
_ENUMERATOR = re.compile("[（(]([〇一二三四五六七八九十百]+)[）)]"
                         "|(^|[^\\w])([一二三四五六七八九十]+)、"
                         "|(附件|文件)([一二三四五六七八九十]+)")
# Roman numbers of the parts of a text: "Chapter XI" is 第十一章.
_ROMAN_UNIT = re.compile(r"\b(?:Chapter|Part|Section|Annex|Book)\s+([IVXLC]+)\b|^\W*([IVXLC]+)\."
                         r"|\bAnnexes\s+([IVXLC]+)\s+and\s+([IVXLC]+)\b")


def _enumerators_as_digits(text: str) -> str:
    def digits(match: re.Match[str]) -> str:
        if match.group(1):
            return f"({parse_chinese_numeral(match.group(1))})"
        if match.group(4):
            return f"{match.group(4)} {parse_chinese_numeral(match.group(5))} "
        return f"{match.group(2)}{parse_chinese_numeral(match.group(3))}. "

    return _ENUMERATOR.sub(digits, text)


def _romans_as_digits(text: str) -> str:
    def digits(match: re.Match[str]) -> str:
        if match.group(3):
            return f"Annexes {roman_value(match.group(3))} and {roman_value(match.group(4))}"
        numeral = match.group(1) or match.group(2)
        return match.group().replace(numeral, str(roman_value(numeral)))

    return _ROMAN_UNIT.sub(digits, text)


# 二 ○四七 (a numeral broken by a space) and 百分之百 (a hundred per cent) read as written.
# Two units with no digit between (千百万 "millions", 成千上万) are idiom, not a number.
_IDIOM = re.compile("[十百千]{2,}[万亿]?")
_PERCENT = re.compile("百分之([〇一二两三四五六七八九十百千]+)")
_SPACED_NUMERAL = re.compile("(?<=[〇○零一二三四五六七八九十])\\s+(?=[〇○零一二三四五六七八九十])")


def _chinese_as_read(text: str) -> str:
    text = _SPACED_NUMERAL.sub("", _IDIOM.sub("", text))
    text = _PERCENT.sub(lambda m: f"{parse_chinese_numeral(m.group(1))}%", text)
    return _enumerators_as_digits(text)


def _weighty(value: float, digits: set[float]) -> bool:
    """Compared: values written in digits, fractions, and values of 10 or more that are not
    a bare power of ten (十分 "very", 上百年 "a century or more" are idioms)."""
    if value in digits or not value.is_integer():
        return True
    return value >= 10 and str(int(value)).rstrip("0") != "1"


def _show(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def check_numbers(
    rows: Sequence[Row], original_language: str, translation_language: str,
    norm: LengthNorm | None = None,
) -> list[Finding]:
    read_original = number_reader(original_language)
    read_translation = number_reader(translation_language)
    original_texts = [_chinese_as_read(r.original) for r in rows]
    translation_texts = [_romans_as_digits(r.translation) for r in rows]
    originals = [read_original(text) for text in original_texts]
    translations = [read_translation(text) for text in translation_texts]
    suspect = misaligned_rows(rows, norm)
    findings = []
    for k, row in enumerate(rows):
        if not row.original or not row.translation or row.position in suspect:
            continue  # an omission, an addition or a misalignment: reported as such
        digits = set(digit_numbers(original_texts[k])) | set(
            digit_numbers(translation_texts[k]))
        near_o = sum((originals[j] for j in range(max(0, k - 1), min(len(rows), k + 2))),
                     Counter())
        near_t = sum((translations[j] for j in range(max(0, k - 1), min(len(rows), k + 2))),
                     Counter())
        missing = sorted(v for v in (originals[k] - translations[k])
                         if _weighty(v, digits) and v not in near_t)
        extra = sorted(v for v in (translations[k] - originals[k])
                       if _weighty(v, digits) and v not in near_o)
        if missing or extra:
            parts = []
            if missing:
                parts.append("in the original only: " + ", ".join(map(_show, missing)))
            if extra:
                parts.append("in the translation only: " + ", ".join(map(_show, extra)))
            findings.append(Finding.make("numbers", row, "numbers differ; " + "; ".join(parts),
                                         missing=[_show(v) for v in missing],
                                         extra=[_show(v) for v in extra]))
    return findings
