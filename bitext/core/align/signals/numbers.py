"""Numbers, dates and percentages as values: 十八大 ↔ 18th, 2022年4月15日 ↔ April 15, 2022,
百分之三十 ↔ 30%.

Every language reads digits (full-width ones too); Chinese numerals are read when the
language is Chinese, English number and month words when it is English. A date becomes
its parts (year, month, day), so the two orders of writing a date agree. The value 1 is
left out: "a", "one" and 一 are everywhere and mean little.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from bitext.core.align.signals.base import KeySignal
from bitext.core.text.languages import base_language, is_chinese

_DIGITS = re.compile(r"\d+(?:[,.]\d+)*")

# -- Chinese numerals ---------------------------------------------------------------

_ZH_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG_UNIT = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ZH_NUMERAL = re.compile("[〇零○一二两三四五六七八九十百千万亿]+")
# After a lone numeral character, one of these makes it a count or a date part,
# not part of a word such as 一切 or 三心二意.
_ZH_COUNTED = set("个年月日号岁天次位名只条件本张人里斤元块点分秒层倍周届度口间棵头匹辆"
                  "份家所座株双对句步层期项批大%％")


def parse_chinese_numeral(text: str) -> int | None:
    """'十八' -> 18, '二〇二二' -> 2022, '三千五百' -> 3500, '兩萬' -> 20000; None if
    ``text`` is not a numeral."""
    if not text:
        return None
    if all(c in _ZH_DIGIT for c in text):  # read digit by digit: 二〇二二
        value = 0
        for c in text:
            value = value * 10 + _ZH_DIGIT[c]
        return value
    total, section, digit = 0, 0, None
    for c in text:
        if c in _ZH_DIGIT:
            if _ZH_DIGIT[c] == 0:  # 一百零五: a place holder
                continue
            if digit is not None:  # two digits in a row inside a unit numeral: odd
                return None
            digit = _ZH_DIGIT[c]
        elif c in _ZH_SMALL_UNIT:
            section += (1 if digit is None else digit) * _ZH_SMALL_UNIT[c]
            digit = None
        elif c in _ZH_BIG_UNIT:
            section += digit or 0
            total = (total + section) * _ZH_BIG_UNIT[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def chinese_numbers(text: str) -> list[float]:
    text = text.replace("百分之", "%  ")  # 百分之三十: the 百 is not a hundred
    values = []
    for match in _ZH_NUMERAL.finditer(text):
        word = match.group()
        after = text[match.end():match.end() + 1]
        before = text[max(0, match.start() - 1):match.start()]
        if len(word) == 1 and after not in _ZH_COUNTED and before != "第":
            continue
        value = parse_chinese_numeral(word)
        if value is not None:
            values.append(float(value))
    return values


# -- English number words -------------------------------------------------------------

_EN_UNITS = {w: k for k, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen"])}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90}
_EN_ORDINAL = {"first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9,
               "twelfth": 12}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 10 ** 9}
_EN_MONTHS = {m: k for k, m in enumerate([
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"], 1)}
_EN_WORD = re.compile(r"[A-Za-z]+")


def _english_word_value(word: str) -> int | None:
    word = word.lower()
    if word in _EN_UNITS:
        return _EN_UNITS[word]
    if word in _EN_TENS:
        return _EN_TENS[word]
    if word in _EN_ORDINAL:
        return _EN_ORDINAL[word]
    if word.endswith("ieth") and word[:-4] + "y" in _EN_TENS:
        return _EN_TENS[word[:-4] + "y"]
    if word.endswith("th") and word[:-2] in _EN_UNITS:
        return _EN_UNITS[word[:-2]]
    return None


def english_numbers(text: str) -> list[float]:
    """Number words ('twenty-two', 'three hundred', 'eighteenth') and month names next to
    a number ('April 15', '15 May')."""
    values: list[float] = []
    words = [(m.group(), m.start(), m.end()) for m in _EN_WORD.finditer(text)]
    current: int | None = None
    for k, (word, start, end) in enumerate(words):
        lower = word.lower()
        joined = k > 0 and text[words[k - 1][2]:start] in (" ", "-")
        value = _english_word_value(lower)
        if value is not None:
            if current is not None and joined and (
                (current >= 100 and current % 100 == 0 and value < 100)
                or (current % 100 >= 20 and current % 10 == 0 and value < 10)
            ):
                current += value
            else:
                if current is not None:
                    values.append(float(current))
                current = value
            continue
        if current is not None and joined and lower in _EN_SCALES:
            current *= _EN_SCALES[lower]
            continue
        if current is not None and joined and lower == "and":
            continue
        if current is not None:
            values.append(float(current))
            current = None
        if lower in _EN_MONTHS and word[0].isupper():
            near = text[max(0, start - 4):start] + text[end:end + 4]
            if any(c.isdigit() for c in near):
                values.append(float(_EN_MONTHS[lower]))
    if current is not None:
        values.append(float(current))
    return values


# -- digits, every language -----------------------------------------------------------

def digit_numbers(text: str) -> list[float]:
    """'2,022' -> 2022, '3.5' -> 3.5, '18th' -> 18; full-width digits too."""
    values = []
    for match in _DIGITS.finditer(text):
        token = match.group()
        if not token.isascii():
            token = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in token)
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", token):
            token = token.replace(",", "")
        token = token.replace(",", ".") if token.count(",") == 1 and "." not in token else token
        try:
            values.append(float(token))
        except ValueError:
            values.extend(float(part) for part in re.split(r"[,.]", token) if part)
    return values


def number_reader(language: str) -> Callable[[str], Counter[float]]:
    """The numbers a text in ``language`` states, as a bag of values (1 left out)."""
    readers: list[Callable[[str], list[float]]] = [digit_numbers]
    if is_chinese(language):
        readers.append(chinese_numbers)
    elif base_language(language) == "en":
        readers.append(english_numbers)

    def read(text: str) -> Counter[float]:
        values: Counter[float] = Counter()
        for reader in readers:
            values.update(v for v in reader(text) if v != 1)
        return values

    return read


def _value_weight(value: float) -> float:
    """Small counts (two, three) recur by chance; larger or exact values rarely do."""
    return 1.0 if not value.is_integer() or value >= 10 else 0.5


def applies(source_language: str, target_language: str) -> bool:
    """Every pair: digits are common to all scripts (number words only where a
    language's reader exists)."""
    return True


def signal(source_language: str, target_language: str,
           source_texts: Sequence[str], target_texts: Sequence[str]) -> KeySignal[float]:
    """Numbers as values on each side (the texts as a whole teach it nothing)."""
    return KeySignal("numbers", number_reader(source_language),
                     number_reader(target_language), _value_weight)
