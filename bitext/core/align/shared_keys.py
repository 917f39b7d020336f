"""The signal keys two texts share, counted so that a bead's shared weight is arithmetic.

A bead shares what the union of its source sentences' keys and the union of its target
sentences' keys have in common (multiset intersection, each key at its signal's weight;
see ``signals.shared_weight``). Only keys found on both sides can be shared, and they are
few (tens in a MAC-Dev text, where the Chinese side alone reads ten thousand name
readings), so each sentence becomes a row of counts over them, and running sums give
any span's counts by one subtraction: a bead's weight is then a vector operation over
every cell of the band at once, instead of two multiset unions per bead.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np

from bitext.core.align.search import Band
from bitext.core.align.signals import KeySignal

_CHUNK_VALUES = 1 << 20  # cells × keys held at once


class SharedKeys:
    """Signal keys of both sides over the keys they have in common."""

    def __init__(self, signals: Sequence[KeySignal[Any]], source_texts: Sequence[str],
                 target_texts: Sequence[str], band: Band):
        source_bags = [[s.source_keys(t) for t in source_texts] for s in signals]
        target_bags = [[s.target_keys(t) for t in target_texts] for s in signals]
        columns: dict[tuple[int, Any], int] = {}
        weights: list[float] = []
        for k, signal in enumerate(signals):
            on_source = {key for bag in source_bags[k] for key in bag}
            on_target = {key for bag in target_bags[k] for key in bag}
            for key in on_source & on_target:
                columns[(k, key)] = len(weights)
                weights.append(signal.weight * signal.key_weight(key))
        self.weights = np.array(weights, dtype=np.float64)
        self._source = _running_counts(source_bags, columns, len(source_texts))
        self._target = _running_counts(target_bags, columns, len(target_texts))
        self.pair_rows, self.pair_cols = self._pairs_in(band)
        self._touched: dict[tuple[int, int], np.ndarray] = {}

    def __bool__(self) -> bool:
        """Whether any two sentences the band can put together share a key."""
        return bool(self.pair_rows.size)

    def _pairs_in(self, band: Band) -> tuple[np.ndarray, np.ndarray]:
        """The sentence pairs (p, q) that share a key, q within the band's reach of p."""
        n = len(self._source) - 1
        if not self.weights.size or n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        lo, hi = band.lo[:n], band.hi[1:n + 1]
        widths = np.maximum(hi - lo, 0)
        rows = np.repeat(np.arange(n), widths)
        cols = np.arange(rows.size) - np.repeat(np.cumsum(widths) - widths, widths) + lo[rows]
        shared = self.shared(rows, rows + 1, cols, cols + 1)
        keep = shared != 0
        return rows[keep], cols[keep]

    def shared(self, i0: np.ndarray, i1: np.ndarray, j0: np.ndarray,
               j1: np.ndarray) -> np.ndarray:
        """Weight of the keys source[i0:i1] and target[j0:j1] share, per bead."""
        out = np.zeros(len(i0))
        step = max(1, _CHUNK_VALUES // max(1, self.weights.size))
        for start in range(0, len(i0), step):
            part = slice(start, start + step)
            source = self._source[i1[part]] - self._source[i0[part]]
            target = self._target[j1[part]] - self._target[j0[part]]
            out[part] = np.minimum(source, target) @ self.weights
        return out

    def touched(self, rows: np.ndarray, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """Which a-b beads ending at (rows, cols) hold a sentence pair sharing a key."""
        codes = self._touched.get((a, b))
        width = len(self._target)  # target boundaries 0..m
        if codes is None:  # pair (p, q) is inside the beads ending at p+1..p+a, q+1..q+b
            down, right = np.repeat(np.arange(1, a + 1), b), np.tile(np.arange(1, b + 1), a)
            ends_i = (self.pair_rows[:, None] + down).ravel()
            ends_j = (self.pair_cols[:, None] + right).ravel()
            inside = (ends_i < len(self._source)) & (ends_j < width)
            codes = self._touched[(a, b)] = np.unique(ends_i[inside] * width + ends_j[inside])
        wanted = rows.astype(np.int64) * width + cols
        at = np.minimum(np.searchsorted(codes, wanted), max(codes.size - 1, 0))
        return (codes[at] == wanted) if codes.size else np.zeros(len(rows), dtype=bool)


def _running_counts(bags: list[list[Any]], columns: dict[tuple[int, Any], int],
                    size: int) -> np.ndarray:
    """Per boundary 0..size, the counts of each shared key in the sentences before it."""
    counts = np.zeros((size + 1, len(columns)), dtype=np.int32)
    for k, signal_bags in enumerate(bags):
        for p, bag in enumerate(signal_bags):
            for key, count in bag.items():
                column = columns.get((k, key))
                if column is not None:
                    counts[p + 1, column] = count
    return np.cumsum(counts, axis=0, dtype=np.int32)
