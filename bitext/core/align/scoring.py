"""One score per candidate bead: embedding similarity, length prior and signals combined.

score = (margin similarity) × (length agreement) + signal_weight × (shared signal keys)
        − size_penalty × (sentences beyond a 1-1 bead)

- margin similarity ("modified cosine", as Bertalign): the cosine of the two spans minus
  the mean cosine of each span with the sentences just outside the other span. A bead
  scores high when its two sides fit each other better than they fit their neighbours,
  which is what separates a right boundary from a boundary one sentence off.
- length agreement: log2(1 + shorter/longer) of the character lengths, the target's
  scaled by the texts' overall length ratio (1 when lengths agree, → 0 when not).
- signals: numbers, dates and names the two spans share (see ``signals``), counted over
  the sentence pairs inside the bead.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bitext.core.align.search import Band
from bitext.core.align.signals import KeySignal, shared_weight
from bitext.core.align.spans import SpanVectors

_CHUNK_CELLS = 4096  # cells scored at once: bounds the temporary (cells × dimensions)


@dataclass(frozen=True)
class ScoreWeights:
    """How the parts of a bead score combine (generic: none depends on a language pair)."""

    signal_weight: float = 0.05
    size_penalty: float = 0.05
    margin: bool = True
    optimism: float = 0.1
    length_power: float = 1.0


class BeadScorer:
    """Scores every bead type at every cell of a band, and re-scores cells on request."""

    def __init__(
        self,
        source: SpanVectors,
        target: SpanVectors,
        source_lengths: Sequence[int],
        target_lengths: Sequence[int],
        weights: ScoreWeights,
    ):
        self.source, self.target = source, target
        self.weights = weights
        self.n, self.m = len(source), len(target)
        self._src_chars = np.concatenate([[0], np.cumsum(source_lengths)]).astype(np.float64)
        self._tgt_chars = np.concatenate([[0], np.cumsum(target_lengths)]).astype(np.float64)
        total_target = max(self._tgt_chars[-1], 1.0)
        self._ratio = max(self._src_chars[-1], 1.0) / total_target
        self._pairs: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._signals: list[KeySignal] = []
        self._src_keys: list[list[Counter]] = []
        self._tgt_keys: list[list[Counter]] = []
        self._shared_cache: dict[tuple[int, int, int, int], float] = {}

    def add_signals(
        self,
        signals: Sequence[KeySignal],
        source_texts: Sequence[str],
        target_texts: Sequence[str],
        band: Band,
    ) -> None:
        """Read the signals, and note the sentence pairs the band can put together that
        share a key."""
        if not signals:
            return
        src_keys = [[s.source_keys(t) for t in source_texts] for s in signals]
        tgt_keys = [[s.target_keys(t) for t in target_texts] for s in signals]
        self._signals, self._src_keys, self._tgt_keys = list(signals), src_keys, tgt_keys
        for p in range(self.n):
            if not any(keys[p] for keys in src_keys):
                continue
            qs, ws = [], []
            for q in range(int(band.lo[p]), int(band.hi[p + 1])):
                weight = sum(
                    shared_weight(signal, src_keys[k][p], tgt_keys[k][q])
                    for k, signal in enumerate(signals)
                    if src_keys[k][p] and tgt_keys[k][q]
                )
                if weight:
                    qs.append(q)
                    ws.append(weight)
            if qs:
                self._pairs[p] = (np.array(qs), np.array(ws))

    def band_scores(self, band: Band, a: int, b: int,
                    cells: np.ndarray | None = None) -> np.ndarray:
        """Score of the a-b bead ending at each cell of ``band`` (or only at ``cells``,
        flat indices), -inf where the bead would start before the texts do."""
        rows = band.rows if cells is None else band.rows[cells]
        cols = band.cols if cells is None else band.cols[cells]
        out = np.full(rows.size, -np.inf)
        valid = np.flatnonzero((rows >= a) & (cols >= b))
        for start in range(0, valid.size, _CHUNK_CELLS):
            chunk = valid[start:start + _CHUNK_CELLS]
            out[chunk] = self.score(rows[chunk], cols[chunk], a, b)
        if self._pairs and valid.size:
            self._add_signal(out, rows, cols, a, b)
        return out

    def score(self, ends_i: np.ndarray, ends_j: np.ndarray, a: int, b: int) -> np.ndarray:
        """Scores of the beads source[i-a:i] ↔ target[j-b:j], without signals."""
        source_vectors, source_stand_in = self.source.get(a, ends_i)
        target_vectors, target_stand_in = self.target.get(b, ends_j)
        score = np.einsum("kd,kd->k", source_vectors, target_vectors)
        if self.weights.optimism:
            # A stand-in span is scored a little above what it would likely get, so the
            # search picks it (and has it embedded) rather than passing it over.
            score = score + self.weights.optimism * (source_stand_in | target_stand_in)
        if self.weights.margin:
            score = score - 0.5 * (
                _neighbours(source_vectors, self.target.singles, ends_j - b - 1, ends_j)
                + _neighbours(target_vectors, self.source.singles, ends_i - a - 1, ends_i)
            )
        src_len = self._src_chars[ends_i] - self._src_chars[ends_i - a]
        tgt_len = (self._tgt_chars[ends_j] - self._tgt_chars[ends_j - b]) * self._ratio
        shorter = np.minimum(src_len, tgt_len)
        longer = np.maximum(np.maximum(src_len, tgt_len), 1e-9)
        agreement = np.log2(1.0 + shorter / longer)
        score = score * (agreement if self.weights.length_power == 1 else
                         agreement ** self.weights.length_power)
        if self.weights.size_penalty:
            score = score - self.weights.size_penalty * (a + b - 2)
        return score

    def bead_score(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The score of one bead, signals included (0 for a null bead)."""
        if i0 == i1 or j0 == j1:
            return 0.0
        a, b = i1 - i0, j1 - j0
        score = float(self.score(np.array([i1]), np.array([j1]), a, b)[0])
        if self._pairs:
            score += self.weights.signal_weight * self._shared(i0, i1, j0, j1)
        return score

    def _add_signal(self, out: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                    a: int, b: int) -> None:
        """Add the signal term where a bead holds a sentence pair sharing a key."""
        touched = np.zeros(rows.size, dtype=bool)
        for p, (qs, _) in self._pairs.items():
            near = (rows > p) & (rows <= p + a)
            if not near.any():
                continue
            index = np.flatnonzero(near)
            c = cols[index]
            hit = ((qs[None, :] >= (c - b)[:, None]) & (qs[None, :] < c[:, None])).any(axis=1)
            touched[index[hit]] = True
        for k in np.flatnonzero(touched & np.isfinite(out)):
            i, j = int(rows[k]), int(cols[k])
            out[k] += self.weights.signal_weight * self._shared(i - a, i, j - b, j)

    def _shared(self, i0: int, i1: int, j0: int, j1: int) -> float:
        key = (i0, i1, j0, j1)
        if key not in self._shared_cache:
            weight = 0.0
            for k, signal in enumerate(self._signals):
                source = _union(self._src_keys[k][i0:i1])
                target = _union(self._tgt_keys[k][j0:j1])
                if source and target:
                    weight += shared_weight(signal, source, target)
            self._shared_cache[key] = weight
        return self._shared_cache[key]


def _neighbours(
    vectors: np.ndarray, singles: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Per row k: mean cosine of vectors[k] with the other side's sentences left[k] and
    right[k] (those that exist; 0 where neither does)."""
    total = np.zeros(len(vectors))
    count = np.zeros(len(vectors))
    for index in (left, right):
        ok = (index >= 0) & (index < len(singles))
        if ok.any():
            total[ok] += np.einsum("kd,kd->k", vectors[ok], singles[index[ok]])
            count[ok] += 1
    return total / np.maximum(count, 1)


def _union(bags: Sequence[Counter]) -> Counter:
    if len(bags) == 1:
        return bags[0]
    total: Counter = Counter()
    for bag in bags:
        total.update(bag)
    return total
