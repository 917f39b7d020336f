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
MIN_PROPOSAL_SCORE = 0.5
DERIVATIONS = frozenset({"ist", "ism", "ic", "al"})  # Snowball keeps these endings
OUT_OF_ORDER_COST = 2  # in words: a rendering's words out of order are likely another's
LIKENESS_WEIGHT = 2.0  # likeness to the known renderings counts twice association
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
    """Stems of one word: equal; or of one length but for a letter and differing only at
    the end (decis ~ decid); or a stem and the same with a derivational ending Snowball
    keeps (social ~ socialist). Never a short stem inside a long one (polit, politburo;
    council, councilor)."""
    if a == b:
        return True
    longer, short = (a, b) if len(a) > len(b) else (b, a)
    if len(short) >= 6 and longer.startswith(short) and longer[len(short):] in DERIVATIONS:
        return True
    if len(short) < 4 or len(longer) - len(short) > 1:
        return False
    need = max(4, len(short) - 1)
    return a[:need] == b[:need]


@dataclass(frozen=True)
class Window:
    """Where a translation uses a known rendering."""

    start: int  # character span in the translation
    end: int
    matched: int  # the rendering's content words found
    extra: int  # other content words inside the span
    in_order: bool  # the words come in the rendering's order


def rendering_windows(rendering: str, text: str) -> list[Window]:
    """Every place ``text`` uses ``rendering``: all its content words, any order, within a
    few words of each other (the shortest such stretch from each starting word)."""
    wanted = content_stems(rendering)
    if not wanted:
        return []
    found = words(text)
    reach = 2 * len(wanted) + 3
    windows = []
    for first in range(len(found)):
        if not any(same_word(found[first].stem, w) for w in wanted):
            continue
        remaining = list(enumerate(wanted))
        order: list[int] = []
        last = first
        for k in range(first, min(len(found), first + reach)):
            match = next((w for w in remaining if same_word(found[k].stem, w[1])), None)
            if match is not None:
                order.append(match[0])
                remaining.remove(match)
                last = k
                if not remaining:
                    break
        if not remaining:
            inside = [w for w in found[first : last + 1] if not w.function]
            windows.append(Window(found[first].start, found[last].end, len(wanted),
                                  len(inside) - len(wanted), order == sorted(order)))
    return windows


def rendering_span(rendering: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` uses ``rendering`` (the tightest place), or None."""
    windows = rendering_windows(rendering, text)
    if not windows:
        return None
    best = min(windows, key=lambda w: (w.extra, not w.in_order, w.end - w.start))
    return best.start, best.end


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
    *,
    near: float = 0.5,
) -> FoundRendering | None:
    """The rendering ``translation`` uses for a term whose accepted renderings are
    ``renderings``: a known one if used, else the best proposal, else None.

    Among the places known renderings are used, the best has the most of a rendering's
    words and the fewest others, in the rendering's order, nearest ``near`` (the term's
    relative place in the original, 0 to 1). ``term_phrases`` counts the phrases over the
    term's ``term_pairs`` aligned pairs (for proposals)."""
    length = max(1, len(translation))
    used = [(w, r) for r in renderings for w in rendering_windows(r, translation)]
    if used:
        window, rendering = max(used, key=lambda u: (
            u[0].matched - u[0].extra - (0 if u[0].in_order else OUT_OF_ORDER_COST),
            u[0].in_order, -abs(u[0].start / length - near)))
        return FoundRendering(translation[window.start:window.end], rendering,
                              window.start, window.end)
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
            if all(stem.isdigit() for stem in phrase):
                continue  # a number is not a rendering
            score = LIKENESS_WEIGHT * _likeness(phrase, renderings)
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
