"""Where glossary terms occur in a text: leftmost, longest, never overlapping.

Both scripts match (the text and the terms are folded to simplified first, character by
character, so offsets stay those of the text). A longer term wins over one inside it:
全国人民代表大会常务委员会 is one occurrence, not also one of 全国人民代表大会. A one-character
term (the units of a statute: 条, 章, 款 …) is everywhere as part of other words, so it
counts only as a numbered unit: 第十二条.
"""

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bitext.core.text.tokenize import fold

_NUMERAL = "[〇零一二两三四五六七八九十百千万0-9０-９]+"


@dataclass(frozen=True)
class Occurrence:
    term: str  # the glossary term (as stored)
    start: int  # the span in the text (for a statute unit, the whole 第…条)
    end: int


@functools.lru_cache(maxsize=16)
def _pattern(terms: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    folded = {fold(t): t for t in terms if t}
    alternatives = []
    for key in sorted(folded, key=len, reverse=True):
        if len(key) == 1:
            alternatives.append(f"第{_NUMERAL}(?P<u{ord(key)}>{re.escape(key)})")
        else:
            alternatives.append(re.escape(key))
    return re.compile("|".join(alternatives) or "(?!)"), folded


def find_terms(text: str, terms: Sequence[str]) -> list[Occurrence]:
    """The occurrences of ``terms`` in ``text``, in order."""
    pattern, folded = _pattern(tuple(sorted(set(terms))))
    found = []
    for match in pattern.finditer(fold(text)):
        unit = next((k for k, v in match.groupdict().items() if v), None)
        key = match.group(unit) if unit else match.group()
        found.append(Occurrence(folded[key], match.start(), match.end()))
    return found
