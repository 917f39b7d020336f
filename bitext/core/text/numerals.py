"""Numbers as legal texts write them in labels: digits, Roman numerals (Chapter XIV) and
Chinese numerals (第一百零三条)."""

from bitext.core.align.signals.numbers import parse_chinese_numeral

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(numeral: str) -> int:
    """``XIV`` -> 14 (either case); a digit before a larger one is subtracted."""
    values = [_ROMAN[c] for c in numeral.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def numeral_value(numeral: str) -> int | None:
    """The number a label's numeral stands for: ``12`` (any script's digits), ``XIV``,
    ``一百零三``; None when ``numeral`` is none of these."""
    if numeral.isdecimal():
        return int(numeral)
    if numeral and all(c.upper() in _ROMAN for c in numeral):
        return roman_value(numeral)
    return parse_chinese_numeral(numeral)
