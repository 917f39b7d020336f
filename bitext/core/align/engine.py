"""The embedding aligner: sentence vectors, confident anchors, a banded bead search.

1. Embed every sentence of both sides (through the cache).
2. Anchors: the heaviest monotone chain among each source sentence's nearest targets.
3. A band around the anchors; dynamic programming over beads of up to ``max_sentences``
   per side (and ``max_bead_size`` in all) scored by ``scoring.BeadScorer``.
4. Lazily: a span of several sentences stands in as the sum of its sentences' vectors,
   scored a little optimistically; the spans the best path uses are embedded for real,
   their cells re-scored and the search run again, until the path uses real embeddings
   only (or ``refine_rounds`` run out). On MAC-Dev this embeds about one span in five of
   what embedding every overlap would, for the same accuracy.
5. A long text is aligned in windows of ``window_units`` source units, split at anchors:
   a window starts at a bead boundary the last one found, looks for its anchors in a cone
   from there (around the last window's slope, up to ``_WINDOW_DRIFT`` times steeper or
   flatter) and ends its target side just past its last anchor. Its beads are kept up to
   its last confident 1-1 bead in the first seven eighths, and the next window starts
   there. Memory and time then stay linear in the text's length (one window's arrays,
   plus the vectors the cache keeps), and a progress callback hears of each window.

No language pair is assumed: the languages choose how spans are joined for embedding
and which signals apply.
"""

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from bitext.core.align.base import Aligner, Bead, EngineRecord
from bitext.core.align.cache import CachedEmbedder, EmbeddingCache, InMemoryEmbeddingCache
from bitext.core.align.encoders import Encoder, USEEncoder, single_threaded_blas
from bitext.core.align.refine import refine_path
from bitext.core.align.scoring import BeadScorer, ScoreWeights
from bitext.core.align.search import (
    Band,
    anchor_chain,
    band_from_anchors,
    best_path,
    candidate_pairs,
)
from bitext.core.align.signals import (
    DEFAULT_SIGNALS,
    applicable_signals,
    checked_signals,
    signals_for,
)
from bitext.core.align.spans import SpanVectors
from bitext.core.text.languages import joins_without_spaces, validate_language_tag
from bitext.errors import InputError

ENGINE_VERSION = "2"
"""Stored with every alignment this engine makes (see ``EmbeddingAligner.record``): raise it
when the same texts and settings would align differently."""

DEFAULT_LOW_CONFIDENCE = 0.15
"""A long text's window is cut after a 1-1 bead scoring at least this (``_confident_cut``).
Which links readers and editors are shown as uncertain is not the score's business: the
calibrated probability of ``core.align.confidence`` decides that."""


_WINDOW_DRIFT = 2.0
"""How many times more (or less) target text per source unit a window may hold than the
last one did: the cone from the window's start that its anchors are looked for in."""

_OWN_CACHE_ENTRIES = 20_000
"""Without a cache of the caller's, an alignment keeps this many vectors of its own, so
text that two windows share is embedded once (about 40 MB at 512 dimensions)."""

_SIGNAL_MAX_CHARS = 5000
"""Signals read this much of each unit: names and numbers further in a huge paragraph
would not change which beads win, and reading them would cost seconds."""


@dataclass
class EmbeddingAligner:
    """Aligns with multilingual sentence embeddings; see the module docstring."""

    source_language: str
    target_language: str
    encoder: Encoder = field(default_factory=USEEncoder)
    cache: EmbeddingCache | None = None
    max_sentences: int = 6
    max_bead_size: int = 7
    band_width: int = 5
    anchor_candidates: int = 3
    anchor_window_min: int = 250
    anchor_window_share: float = 0.06
    null_score: float = -0.2
    max_band_cells_per_unit: int = 200
    refine_rounds: int = 8
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    low_confidence_threshold: float = DEFAULT_LOW_CONFIDENCE
    signals: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SIGNALS))
    """The signals (``signals.SIGNALS``) this aligner uses where they apply, each with its
    weight; empty for embeddings and length only."""
    embed_all_spans: bool = False
    window_units: int = 2000
    progress: Callable[[int, int], None] | None = field(default=None, repr=False)
    stats: dict[str, float] = field(default_factory=dict, repr=False)
    """Of the last ``align``: texts ``embedded``, ``band_cells`` searched, and seconds
    spent ``embedding`` (the encoder), reading ``signals`` (and the dictionary),
    ``scoring`` beads and in the ``search`` (anchors, band, dynamic programming)."""

    def __post_init__(self) -> None:
        self.source_language = validate_language_tag(self.source_language)
        self.target_language = validate_language_tag(self.target_language)
        if self.max_sentences < 1 or self.max_bead_size < 2:
            raise InputError("beads must allow at least one sentence on each side")
        if self.window_units < 50:
            raise InputError("an alignment window must hold at least 50 units")
        self.signals = checked_signals(self.signals)

    @property
    def name(self) -> str:
        return f"embedding-{self.encoder.name}"

    @property
    def record(self) -> EngineRecord:
        """What to store with an alignment this aligner made."""
        return EngineRecord(
            self.name, ENGINE_VERSION,
            applicable_signals(self.signals, self.source_language, self.target_language),
            {"signal_weight": self.weights.signal_weight,
             "scorer": self.weights.model or "formula"})

    def align(self, source: Sequence[str], target: Sequence[str]) -> list[Bead]:
        source, target = _checked(source, "source"), _checked(target, "target")
        n, m = len(source), len(target)
        if n == 0 or m == 0:
            return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        self.stats = dict.fromkeys(("band_cells", "signals", "scoring", "search"), 0.0)
        embedder = CachedEmbedder(self.encoder, self.cache if self.cache is not None
                                  else InMemoryEmbeddingCache(_OWN_CACHE_ENTRIES))
        # The search's matrix products are small: BLAS threads only wait for each other.
        with single_threaded_blas():
            if n <= self.window_units and m <= self.window_units:
                beads = self._align(source, target, embedder)
            else:
                beads = self._align_in_windows(source, target, embedder)
        self.stats |= {"embedded": float(embedder.computed), "embedding": embedder.seconds}
        return beads

    @contextmanager
    def _timed(self, part: str) -> Iterator[None]:
        """Add the block's seconds to ``stats[part]``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stats[part] += time.perf_counter() - start

    def _align_in_windows(self, source: list[str], target: list[str],
                          embedder: CachedEmbedder) -> list[Bead]:
        """Window after window (see the module docstring, step 5)."""
        n, m = len(source), len(target)
        beads: list[Bead] = []
        i0 = j0 = 0
        slope = m / n
        while True:
            if i0 == n or j0 == m:  # one side used up: the other's rest has no partner
                beads += [Bead((i,), ()) for i in range(i0, n)]
                beads += [Bead((), (j,)) for j in range(j0, m)]
                break
            i1 = min(n, i0 + self.window_units)
            reach = min(m, j0 + int((i1 - i0) * slope * _WINDOW_DRIFT)
                        + self.window_units // 8)
            last = i1 == n or reach == m
            if last:
                i1, reach = n, m
            src = embedder.embed(source[i0:i1])
            tgt = embedder.embed(target[j0:reach])
            with self._timed("search"):
                anchors = self._window_anchors(src, tgt, slope)
            j1 = reach if last else self._window_end(anchors, i1 - i0, j0, reach, slope)
            window = self._align(source[i0:i1], target[j0:j1], embedder,
                                 (src, tgt[:j1 - j0]), [a for a in anchors if a[1] < j1 - j0])
            keep = len(window) if last else _confident_cut(
                window, (i1 - i0) * 7 // 8, (j1 - j0) * 7 // 8,
                self.low_confidence_threshold)
            beads.extend(Bead(tuple(i0 + i for i in b.source), tuple(j0 + j for j in b.target),
                              b.score) for b in window[:keep])
            if last:
                break
            kept_source = sum(len(b.source) for b in window[:keep])
            kept_target = sum(len(b.target) for b in window[:keep])
            if kept_source >= 50 and kept_target >= 50:
                slope = kept_target / kept_source
            i0, j0 = i0 + kept_source, j0 + kept_target
            if self.progress is not None:
                self.progress(i0, n)
        if self.progress is not None:
            self.progress(n, n)
        return beads

    def _window_anchors(self, source: np.ndarray, target: np.ndarray,
                        slope: float) -> list[tuple[int, int]]:
        """Anchors of a window that starts at a known bead boundary and ends where the
        texts may have drifted apart: candidates in a cone from the start, around the slope
        the last window found."""
        rows, cols, sims = candidate_pairs(
            source, target, k=self.anchor_candidates, window=self.anchor_window_min // 2,
            slopes=(slope / _WINDOW_DRIFT, slope * _WINDOW_DRIFT))
        return anchor_chain(rows, cols, sims, len(target))

    def _window_end(self, anchors: list[tuple[int, int]], n: int, j0: int, reach: int,
                    slope: float) -> int:
        """Where a window's target side ends: past the last anchor by as much target as the
        source left after it needs, with room to spare. The search must end at the window's
        corner, so an end too far out would make it swallow the next window's text."""
        p, q = anchors[-1] if anchors else (-1, -1)
        rest = n - p - 1
        return min(reach, j0 + q + 1 + int(rest * slope * _WINDOW_DRIFT)
                   + self.band_width + 1)

    def _align(
        self, source: list[str], target: list[str], embedder: CachedEmbedder,
        singles: tuple[np.ndarray, np.ndarray] | None = None,
        anchors: list[tuple[int, int]] | None = None,
    ) -> list[Bead]:
        n = len(source)
        if singles is None:
            both = embedder.embed([*source, *target])
            singles = both[:n], both[n:]
        src = SpanVectors(source, _joiner(self.source_language), singles[0], embedder)
        tgt = SpanVectors(target, _joiner(self.target_language), singles[1], embedder)

        with self._timed("search"):
            band = self._band(src.singles, tgt.singles, anchors)
        self.stats["band_cells"] += band.size
        with self._timed("scoring"):
            scorer = BeadScorer(src, tgt, [len(s) for s in source], [len(t) for t in target],
                                self.weights, band)
        with self._timed("signals"):
            if self.signals:
                src_head = [t[:_SIGNAL_MAX_CHARS] for t in source]
                tgt_head = [t[:_SIGNAL_MAX_CHARS] for t in target]
                signals = signals_for(self.source_language, self.target_language,
                                      src_head, tgt_head, self.signals)
                scorer.add_signals(signals, src_head, tgt_head, band)
            scorer.add_lexicon(self.source_language, self.target_language)
        null_score = scorer.null_score(self.null_score)  # a learned model brings its own
        types = [(a, b) for a in range(1, self.max_sentences + 1)
                 for b in range(1, self.max_sentences + 1) if a + b <= self.max_bead_size]
        if self.embed_all_spans:
            _embed_band_spans(src, tgt, band, self.max_sentences)
        with self._timed("scoring"):
            scores = {(a, b): scorer.band_scores(band, a, b) for a, b in types}
        with self._timed("search"):
            path = best_path(band, scores, null_score)
        for _ in range(self.refine_rounds):
            wanted_src, wanted_tgt = _spans_to_check(path, src, tgt)
            if not wanted_src and not wanted_tgt:
                break
            src.embed(wanted_src)
            tgt.embed(wanted_tgt)
            with self._timed("scoring"):
                scorer.refresh(wanted_src, wanted_tgt)
                for a, b in types:
                    cells = _cells_using(band, a, b, wanted_src, wanted_tgt)
                    if cells.size:
                        scores[(a, b)][cells] = scorer.band_scores(band, a, b, cells)
            with self._timed("search"):
                path = best_path(band, scores, null_score)
        path = refine_path(path, scorer, self.max_sentences, self.max_bead_size)
        with self._timed("scoring"):
            return [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)),
                         round(scorer.bead_score(i0, i1, j0, j1), 4))
                    for i0, i1, j0, j1 in path]

    def _band(self, source: np.ndarray, target: np.ndarray,
              anchors: list[tuple[int, int]] | None = None) -> Band:
        n, m = len(source), len(target)
        if anchors is None:
            window = max(self.anchor_window_min, int(self.anchor_window_share * max(n, m)))
            rows, cols, sims = candidate_pairs(source, target, k=self.anchor_candidates,
                                               window=window)
            anchors = anchor_chain(rows, cols, sims, m)
        band = band_from_anchors(anchors, n, m, self.band_width)
        if band.size > self.max_band_cells_per_unit * (n + m):
            # Few or no anchors (unrelated texts, one side far longer): the rectangles
            # between them would make the search quadratic. Follow the diagonal instead.
            diagonal = [(i, int(i * m / n)) for i in range(0, n, max(1, self.band_width))]
            band = band_from_anchors(diagonal, n, m, self.band_width + abs(n - m))
        return band

def _confident_cut(beads: list[Bead], source_limit: int, target_limit: int,
                   threshold: float) -> int:
    """How many of a window's beads to keep: up to the last confident 1-1 bead that ends
    within both limits (else every bead within them, and at least one)."""
    keep = within = 0
    i = j = 0
    for count, bead in enumerate(beads, 1):
        i, j = i + len(bead.source), j + len(bead.target)
        if i > source_limit or j > target_limit:
            break
        within = count
        if len(bead.source) == len(bead.target) == 1 and bead.score >= threshold:
            keep = count
    return keep or within or 1


def _spans_to_check(
    path: list[tuple[int, int, int, int]], src: SpanVectors, tgt: SpanVectors
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The multi-sentence spans the path's beads use that are still stand-ins."""
    src_spans = {(i1 - i0, i1) for i0, i1, j0, j1 in path
                 if i1 - i0 > 1 and j1 > j0 and not src.has(i1 - i0, i1)}
    tgt_spans = {(j1 - j0, j1) for i0, i1, j0, j1 in path
                 if j1 - j0 > 1 and i1 > i0 and not tgt.has(j1 - j0, j1)}
    return src_spans, tgt_spans


def _cells_using(band: Band, a: int, b: int, src_spans: set[tuple[int, int]],
                 tgt_spans: set[tuple[int, int]]) -> np.ndarray:
    """Flat indices of the cells whose a-b bead uses one of the given spans."""
    src_ends = [e for length, e in src_spans if length == a]
    tgt_ends = [e for length, e in tgt_spans if length == b]
    if not src_ends and not tgt_ends:
        return np.zeros(0, dtype=np.int64)
    mask = np.isin(band.rows, src_ends) | np.isin(band.cols, tgt_ends)
    return np.flatnonzero(mask)


def _embed_band_spans(src: SpanVectors, tgt: SpanVectors, band: Band, max_len: int) -> None:
    """Every multi-sentence span the band can use (the exhaustive, slow option)."""
    src.embed((a, i) for a in range(2, max_len + 1) for i in range(a, len(src) + 1))
    ends = np.unique(band.cols)
    tgt.embed((b, int(j)) for b in range(2, max_len + 1) for j in ends if j >= b)


def _checked(texts: Sequence[str], side: str) -> list[str]:
    if isinstance(texts, str):
        raise InputError(f"{side}: expected a list of texts, got one string")
    out = list(texts)
    if not all(isinstance(t, str) for t in out):
        raise InputError(f"{side}: every unit to align must be text")
    return out


def _joiner(language: str) -> str:
    return "" if joins_without_spaces(language) else " "


def make_aligner(
    source_language: str,
    target_language: str,
    *,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Aligner:
    """The aligner for a pair of languages: the embedding engine with the default
    encoder (loaded on first use, once per process) unless another is given.
    ``progress(done, total)`` hears, in source units, how far a long alignment has got."""
    return EmbeddingAligner(source_language, target_language,
                            encoder=encoder or USEEncoder(), cache=cache, progress=progress)
