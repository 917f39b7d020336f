"""Finding a term's rendering inside the aligned translation.

Two steps, both on English words stemmed with Snowball:

1. A known rendering (canonical or variant) is *used* when all its content words occur in a
   short window of the translation, in any order (so "the Standing Committees of the
   National People's Congress" uses "National People's Congress Standing Committee").
   Words match leniently (a shared stem, or a common start: decide ~ decision), which
   errs towards "used": a terminology finding is then a real departure.
2. Otherwise a rendering is *proposed*: the phrase of the translation (1 to 8 words, not
   starting or ending with a function word) that scores best on likeness to the known
   renderings plus association with the term across the library (Dice coefficient over
   aligned pairs, from :class:`PairStatistics`).
"""

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bitext.core.text.tokenize import stem

FUNCTION_WORDS = frozenset({
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "by", "with", "at", "as", "from",
    "its", "their", "his", "her", "this", "that", "these", "those", "all", "be", "is", "are",
    "was", "were", "shall", "which", "who", "or",
})
MAX_PHRASE_WORDS = 8
MIN_PROPOSAL_SCORE = 0.35
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_PARENTHESES = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Word:
    stem: str
    start: int
    end: int
    function: bool


@functools.lru_cache(maxsize=8192)
def words(text: str) -> tuple[Word, ...]:
    """The English words of ``text`` with their spans (cached: a library's translations
    are read once per term they hold)."""
    found = []
    for match in _WORD.finditer(text):
        lower = match.group().lower().replace("’", "'")
        bare = lower.removesuffix("'s")
        found.append(Word(stem(bare, "english"), match.start(), match.end(),
                          bare in FUNCTION_WORDS))
    return tuple(found)


@functools.lru_cache(maxsize=8192)
def content_stems(rendering: str) -> tuple[str, ...]:
    """The stems a rendering is recognised by: its words minus parentheses and function
    words (``"Communist Party of China (CPC)"`` -> communist, parti, china)."""
    return tuple(w.stem for w in words(_PARENTHESES.sub(" ", rendering)) if not w.function)


@functools.lru_cache(maxsize=65536)
def same_word(a: str, b: str) -> bool:
    """Stems of one word: equal, or of about one length and differing only in the last
    letter or so (decis ~ decid), or a long stem inside a longer (social ~ socialist), never
    a short stem inside a long one (polit, politburo)."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter >= 6 and (a.startswith(b) or b.startswith(a)):  # social ~ socialist
        return True
    if shorter < 4 or abs(len(a) - len(b)) > 2:
        return False
    need = max(4, shorter - 1)
    return a[:need] == b[:need]


def rendering_span(rendering: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` uses ``rendering`` (its content words, any order, close together),
    as a character span, or None."""
    wanted = content_stems(rendering)
    if not wanted:
        return None
    found = words(text)
    window = 2 * len(wanted) + 3
    best: tuple[int, int] | None = None
    for first in range(len(found)):
        if not same_word(found[first].stem, wanted[0]) and not any(
            same_word(found[first].stem, w) for w in wanted
        ):
            continue
        remaining = list(wanted)
        last = first
        for k in range(first, min(len(found), first + window)):
            match = next((w for w in remaining if same_word(found[k].stem, w)), None)
            if match is not None:
                remaining.remove(match)
                last = k
                if not remaining:
                    break
        if not remaining:
            span = (found[first].start, found[last].end)
            if best is None or span[1] - span[0] < best[1] - best[0]:
                best = span
    return best


class PairStatistics:
    """How often phrases of the translations co-occur with a term: the counts a Dice
    coefficient needs, over the aligned pairs the library holds."""

    def __init__(self, translations: Iterable[str]):
        self.pairs = 0
        self.phrase_counts: Counter[tuple[str, ...]] = Counter()
        for text in translations:
            self.pairs += 1
            self.phrase_counts.update(set(_phrases(words(text))))

    def dice(self, phrase: tuple[str, ...], with_term: int, term_pairs: int) -> float:
        """Dice coefficient of a phrase found in ``with_term`` of the term's
        ``term_pairs`` pairs."""
        total = self.phrase_counts.get(phrase, with_term)
        return 2 * with_term / (term_pairs + total) if term_pairs + total else 0.0


def _phrases(found: Sequence[Word]) -> Iterable[tuple[str, ...]]:
    for i, first in enumerate(found):
        if first.function:
            continue
        for j in range(i, min(len(found), i + MAX_PHRASE_WORDS)):
            if not found[j].function:
                yield tuple(w.stem for w in found[i : j + 1])


@dataclass(frozen=True)
class FoundRendering:
    text: str  # the words of the translation, as written
    known: str | None  # the glossary rendering it is, or None: a proposal
    start: int
    end: int


def find_rendering(
    renderings: Sequence[str],
    translation: str,
    statistics: PairStatistics | None = None,
    term_phrases: Counter[tuple[str, ...]] | None = None,
    term_pairs: int = 0,
) -> FoundRendering | None:
    """The rendering ``translation`` uses for a term whose accepted renderings are
    ``renderings``: a known one if used (the longest), else the best proposal, else None.
    ``term_phrases`` counts the phrases over the term's ``term_pairs`` aligned pairs."""
    used = [(r, span) for r in renderings if (span := rendering_span(r, translation))]
    if used:
        rendering, (start, end) = max(used, key=lambda u: len(content_stems(u[0])))
        return FoundRendering(translation[start:end], rendering, start, end)
    return _proposal(renderings, translation, statistics, term_phrases or Counter(),
                     term_pairs)


def _likeness(phrase: tuple[str, ...], renderings: Sequence[str]) -> float:
    best = 0.0
    for rendering in renderings:
        wanted = content_stems(rendering)
        if not wanted:
            continue
        shared = sum(1 for w in wanted if any(same_word(w, p) for p in phrase))
        best = max(best, shared / (len(set(phrase) | set(wanted)) or 1))
    return best


def _proposal(
    renderings: Sequence[str],
    translation: str,
    statistics: PairStatistics | None,
    term_phrases: Counter[tuple[str, ...]],
    term_pairs: int,
) -> FoundRendering | None:
    found = words(translation)
    best: tuple[float, int, int, int] | None = None
    for i, first in enumerate(found):
        if first.function:
            continue
        for j in range(i, min(len(found), i + MAX_PHRASE_WORDS)):
            if found[j].function:
                continue
            phrase = tuple(w.stem for w in found[i : j + 1])
            score = _likeness(phrase, renderings)
            if statistics is not None and term_pairs >= 2:
                score += statistics.dice(phrase, term_phrases.get(phrase, 0), term_pairs)
            candidate = (score, j - i, i, j)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None or best[0] < MIN_PROPOSAL_SCORE:
        return None
    start, end = found[best[2]].start, found[best[3]].end
    return FoundRendering(translation[start:end], None, start, end)


def term_phrase_counts(translations: Iterable[str]) -> tuple[Counter[tuple[str, ...]], int]:
    """The phrases of a term's aligned translations, each counted once per pair."""
    counts: Counter[tuple[str, ...]] = Counter()
    pairs = 0
    for text in translations:
        pairs += 1
        counts.update(set(_phrases(words(text))))
    return counts, pairs
