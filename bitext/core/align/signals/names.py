"""Personal and place names across Chinese and a language written in Latin letters:
叶文洁 ↔ Ye Wenjie, 新疆 ↔ Xinjiang.

The Chinese side is read as every run of 2 to 4 consecutive syllables of its Han text in
toneless pinyin (core.text.romanize: 'lü' as 'lu'); the other side as its capitalised
words, alone and with the next capitalised word joined on ('Ye Wenjie' -> 'yewenjie'),
folded the same way. A word that also occurs in lower case elsewhere in the text (a
sentence-initial 'Women') is a common word, not a name. A shared key is a name both
sentences mention.
"""

import re
from collections import Counter
from collections.abc import Callable, Sequence

from bitext.core.align.signals.base import KeySignal
from bitext.core.text.languages import is_chinese
from bitext.core.text.romanize import fold_latin, han_syllables

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_MAX_SYLLABLES = 4


def han_readings(text: str) -> Counter:
    """Every 2- to 4-syllable reading in the Han runs of ``text`` (a set, as a bag)."""
    keys: set[str] = set()
    for run in _HAN_RUN.findall(text):
        syllables = han_syllables(run)
        for start in range(len(syllables)):
            for size in range(2, _MAX_SYLLABLES + 1):
                if start + size > len(syllables):
                    break
                keys.add("".join(syllables[start:start + size]))
    return Counter(keys)


def latin_name_reader(texts: Sequence[str]) -> Callable[[str], Counter]:
    """A reader of capitalised names, told which words the texts use in lower case."""
    common = {fold_latin(w) for t in texts for w in _WORD.findall(t) if w.islower()}

    def read(text: str) -> Counter:
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        names: Counter = Counter()
        for k, (word, _, end) in enumerate(words):
            if not word[:1].isupper():
                continue
            folded = fold_latin(word)
            if len(folded) >= 4 and folded not in common:
                names[folded] += 1
            if k + 1 < len(words):
                nxt, start, _ = words[k + 1]
                if nxt[:1].isupper() and text[end:start] in (" ", "-"):
                    names[folded + fold_latin(nxt)] += 1
        return names

    return read


def _name_weight(_: object) -> float:
    return 1.0


def applies(source_language: str, target_language: str) -> bool:
    """Exactly one side Chinese: its names are matched against the other side's
    romanised ones."""
    return is_chinese(source_language) != is_chinese(target_language)


def signal(
    source_language: str, target_language: str,
    source_texts: Sequence[str], target_texts: Sequence[str],
) -> KeySignal:
    """Chinese names on one side, romanised names on the other."""
    if is_chinese(source_language):
        return KeySignal("names", han_readings, latin_name_reader(target_texts), _name_weight)
    return KeySignal("names", latin_name_reader(source_texts), han_readings, _name_weight)
