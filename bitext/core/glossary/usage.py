"""How a library uses its glossary: every occurrence of every term in the originals of
aligned pairs, the rendering found for it in the translation, and frequencies per year.

Input is plain data (pairs of texts with a document slug and date), so this runs the same
over a whole library, one document or a test fixture.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bitext.core.glossary.entry import GlossaryEntry
from bitext.core.glossary.occurrences import find_terms
from bitext.core.glossary.renderings import (
    FoundRendering,
    PairStatistics,
    content_stems,
    find_rendering,
    same_word,
    term_phrase_counts,
    words,
)

PER_MILLION = 1_000_000


@dataclass(frozen=True)
class Pair:
    slug: str
    date: dt.date | None
    position: int  # the sentence bead's place in its document, 0-based
    original: str
    translation: str


@dataclass(frozen=True)
class TermUse:
    pair: Pair
    start: int  # the occurrence in pair.original
    end: int
    rendering: FoundRendering | None  # what the translation uses, if found


@dataclass(frozen=True)
class RenderingCount:
    text: str  # the most common way of writing it
    known: str | None  # the glossary rendering it matches, None for a proposal
    count: int


@dataclass(frozen=True)
class YearFrequency:
    year: int
    occurrences: int
    characters: int  # of the originals dated that year

    @property
    def per_million(self) -> float:
        return self.occurrences * PER_MILLION / self.characters if self.characters else 0.0


@dataclass(frozen=True)
class Place:
    """An occurrence of a term in the original of an aligned pair."""

    pair: Pair
    start: int
    end: int


def term_places(pairs: Sequence[Pair], entries: Sequence[GlossaryEntry]) -> dict[str, list[Place]]:
    """term -> where it occurs, in library order; terms never used are absent."""
    terms = [e.term for e in entries]
    found: dict[str, list[Place]] = defaultdict(list)
    for pair in pairs:
        for occurrence in find_terms(pair.original, terms):
            found[occurrence.term].append(Place(pair, occurrence.start, occurrence.end))
    return dict(found)


def uses_of(
    entry: GlossaryEntry, places: Sequence[Place], statistics: PairStatistics
) -> list[TermUse]:
    """One term's places with the rendering found for each in its translation."""
    phrases, count = term_phrase_counts(dict.fromkeys(p.pair.translation for p in places))
    renderings = entry.renderings()
    return [
        TermUse(p.pair, p.start, p.end, find_rendering(
            renderings, p.pair.translation, statistics, phrases, count,
            near=p.start / max(1, len(p.pair.original))) if p.pair.translation else None)
        for p in places
    ]


def rendering_counts(uses: Sequence[TermUse]) -> list[RenderingCount]:
    """The renderings found, most used first; spellings differing only in case, plural or
    articles count as one."""
    counts: Counter[tuple[str, ...]] = Counter()
    spellings: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    known: dict[tuple[str, ...], str | None] = {}
    for use in uses:
        if use.rendering is None:
            continue
        key = _rendering_key(use.rendering)
        counts[key] += 1
        spellings[key][use.rendering.text] += 1
        known.setdefault(key, use.rendering.known)
    return [RenderingCount(spellings[key].most_common(1)[0][0], known[key], n)
            for key, n in counts.most_common()]


def _rendering_key(rendering: FoundRendering) -> tuple[str, ...]:
    """A found rendering's content words; for a known one only the words of the known
    rendering (\"the Twelfth National People's Congress\" counts as the rendering)."""
    stems = [w.stem for w in words(rendering.text) if not w.function]
    if rendering.known is not None:
        wanted = content_stems(rendering.known)
        stems = [s for s in stems if any(same_word(s, w) for w in wanted)]
    return tuple(stems)


def year_frequencies(uses: Sequence[TermUse], pairs: Sequence[Pair]) -> list[YearFrequency]:
    """Occurrences per year of the documents' dates, with the size of that year's originals
    (every year with dated documents appears, also with no occurrence)."""
    characters: Counter[int] = Counter()
    for pair in pairs:
        if pair.date is not None:
            characters[pair.date.year] += len(pair.original)
    occurrences = Counter(u.pair.date.year for u in uses if u.pair.date is not None)
    return [YearFrequency(year, occurrences[year], characters[year])
            for year in sorted(characters)]
