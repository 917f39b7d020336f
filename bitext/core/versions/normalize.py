"""What is no change between two versions: spacing, punctuation width, numbering style.

Two versions of a law often come from different sources (an official gazette, a crawled database,
a hand-made copy): they differ in full/half-width punctuation, in spaces, in 〇 and ○, in 第一百条
and 第100条. Comparing normalized text keeps those out of the diff.
"""

import re
import unicodedata

from bitext.core.align.signals.numbers import parse_chinese_numeral

# Characters that different sources use for the same thing: zero, quotes, dashes.
_SAME = str.maketrans({
    "○": "〇", "零": "〇", "Ｏ": "〇",
    "“": '"', "”": '"', "「": '"', "」": '"', "『": "'", "』": "'", "‘": "'", "’": "'",
    "—": "-", "–": "-", "－": "-", "―": "-",
})
_ZH_NUMERAL = "〇一二两三四五六七八九十百千万"
# 第一百零三条 / （七）: a numbered reference or list item, however the number is written.
_NUMBERED = re.compile(rf"(第|\()([{_ZH_NUMERAL}]+)")
_SPACE = re.compile(r"\s+")
# A token is one word of a spaced language or one character otherwise (Chinese marks by character).
TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|\S", re.UNICODE)
_TOKEN_OR_SPACE = re.compile(rf"{TOKEN.pattern}|\s+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normalize_char_level(text: str) -> str:
    """Width, compatibility forms and look-alike characters folded; spacing kept."""
    return unicodedata.normalize("NFKC", text).translate(_SAME)


def _arabic(match: re.Match[str]) -> str:
    value = parse_chinese_numeral(match.group(2))
    return match.group(1) + (str(value) if value is not None else match.group(2))


def comparison_key(text: str) -> str:
    """The text as compared: folded characters, Chinese numbers as digits, no whitespace."""
    folded = _NUMBERED.sub(_arabic, normalize_char_level(text))
    return _SPACE.sub("", folded)


def tokens(text: str, *, exact: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, comparison form) of each word, or each character of Chinese text.
    ``exact``: the form is the token as written, and runs of spaces are tokens too, so
    that every character is compared (what an editor changed, not what two sources of a
    law differ in)."""
    found: list[tuple[int, int, str]] = []
    form = (lambda word: word) if exact else comparison_key
    for match in (_TOKEN_OR_SPACE if exact else TOKEN).finditer(text):
        word = match.group()
        if _HAN.search(word) and len(word) > 1:  # a run of Han characters: one token each
            found.extend((match.start() + k, match.start() + k + 1, form(ch))
                         for k, ch in enumerate(word))
        else:
            found.append((match.start(), match.end(), form(word)))
    return found
