"""The two searches of the embedding aligner: confident 1-1 anchors, then a banded DP.

1. ``anchor_chain``: the heaviest monotone chain of sentence pairs among each source
   sentence's nearest targets (a weighted longest increasing subsequence, O(K log m)).
2. ``band_from_anchors``: for each source boundary ``i``, the target boundaries the DP
   may visit — a rectangle between consecutive anchors, widened by ``width``.
3. ``best_path``: dynamic programming over bead types (a source, b target sentences) in
   that band, maximising the sum of bead scores. Rows are vectorised over the band, so
   cost is O(rows × band × bead types) and memory O(rows × band).

Positions are boundaries: cell (i, j) means "source[:i] is aligned with target[:j]".
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np


def candidate_pairs(
    source: np.ndarray, target: np.ndarray, *, k: int, window: int, chunk_rows: int = 512,
    slopes: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each source row's ``k`` most similar target rows within ``window`` of the diagonal.

    With ``slopes`` (low, high), the diagonal widens into a cone from (0, 0): row ``i``
    looks between ``i × low`` and ``i × high`` (and ``window`` beyond), for a window whose
    start is known and whose end is not. Returns parallel arrays (source index, target
    index, cosine). Memory stays O(chunk_rows × widest row) whatever the texts' length.
    """
    n, m = len(source), len(target)
    low, high = (m / n, m / n) if slopes is None else slopes
    rows, cols, sims = [], [], []
    for start in range(0, n, chunk_rows):
        stop = min(n, start + chunk_rows)
        middles = np.arange(start, stop) + 0.5
        lo = np.clip((middles * low - window).astype(int), 0, m)
        hi = np.clip((middles * high + window).astype(int) + 1, 0, m)
        c_lo, c_hi = int(lo.min()), int(hi.max())
        if c_hi <= c_lo:
            continue
        block = source[start:stop] @ target[c_lo:c_hi].T
        col = np.arange(c_lo, c_hi)
        outside = (col[None, :] < lo[:, None]) | (col[None, :] >= hi[:, None])
        block[outside] = -np.inf
        kk = min(k, block.shape[1])
        top = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
        top_sims = np.take_along_axis(block, top, axis=1)
        keep = np.isfinite(top_sims)
        rows.append(np.broadcast_to(np.arange(start, stop)[:, None], top.shape)[keep])
        cols.append((top + c_lo)[keep])
        sims.append(top_sims[keep])
    if not rows:
        empty = np.zeros(0, dtype=int)
        return empty, empty, np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def anchor_chain(
    rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, size: int
) -> list[tuple[int, int]]:
    """The monotone (strictly increasing in both) chain of pairs of largest total weight.

    Only positive weights are considered. ``size`` bounds the column indices.
    """
    keep = weights > 0
    rows, cols, weights = rows[keep], cols[keep], weights[keep]
    order = np.lexsort((-cols, rows))  # by row, then column descending: no chain in a row
    tree_value = [0.0] * (size + 1)
    tree_arg = [-1] * (size + 1)
    previous = [-1] * len(order)
    total = [0.0] * len(order)
    best_value, best_arg = 0.0, -1
    for rank, index in enumerate(order.tolist()):
        col = int(cols[index])
        # prefix max over columns < col (Fenwick tree, 1-based positions)
        value, arg, pos = 0.0, -1, col
        while pos > 0:
            if tree_value[pos] > value:
                value, arg = tree_value[pos], tree_arg[pos]
            pos -= pos & -pos
        total[rank] = value + float(weights[index])
        previous[rank] = arg
        pos = col + 1
        while pos <= size:
            if total[rank] > tree_value[pos]:
                tree_value[pos], tree_arg[pos] = total[rank], rank
            pos += pos & -pos
        if total[rank] > best_value:
            best_value, best_arg = total[rank], rank
    chain = []
    while best_arg >= 0:
        index = int(order[best_arg])
        chain.append((int(rows[index]), int(cols[index])))
        best_arg = previous[best_arg]
    chain.reverse()
    return chain


@dataclass(frozen=True)
class Band:
    """The DP cells, row by row, flattened: row i holds target boundaries lo[i]..hi[i]."""

    lo: np.ndarray
    hi: np.ndarray

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    @cached_property
    def offsets(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.hi - self.lo + 1)])

    @property
    def size(self) -> int:
        return int(self.offsets[-1])

    @cached_property
    def rows(self) -> np.ndarray:
        """Source boundary of each cell."""
        return np.repeat(np.arange(self.n + 1), self.hi - self.lo + 1)

    @cached_property
    def cols(self) -> np.ndarray:
        """Target boundary of each cell."""
        return np.arange(self.size) - self.offsets[self.rows] + self.lo[self.rows]

    def predecessors(self, types: Sequence[tuple[int, int]]) -> np.ndarray:
        """For each bead type (a, b) and each cell (i, j), the flat index of cell
        (i - a, j - b), or -1 where that is outside the band."""
        rows, cols = self.rows, self.cols
        out = np.full((len(types), self.size), -1, dtype=np.int32)
        for t, (a, b) in enumerate(types):
            r, c = rows - a, cols - b
            inside = r >= 0
            safe = np.where(inside, r, 0)
            inside &= (c >= self.lo[safe]) & (c <= self.hi[safe])
            out[t, inside] = self.offsets[safe[inside]] + c[inside] - self.lo[safe[inside]]
        return out

    def cell(self, i: int, j: int) -> int:
        """Flat index of (i, j), or -1 outside the band."""
        if 0 <= i <= self.n and self.lo[i] <= j <= self.hi[i]:
            return int(self.offsets[i] + j - self.lo[i])
        return -1


def band_from_anchors(
    anchors: Sequence[tuple[int, int]], n: int, m: int, width: int
) -> Band:
    """Inclusive target-boundary range [lo[i], hi[i]] for each source boundary 0..n.

    An anchor (p, q) pins the path through cells (p, q) and (p+1, q+1); between two
    anchors the band is the rectangle they span, widened by ``width`` on both sides.
    Both bounds are non-decreasing, lo[0] = 0 and hi[n] = m, so (n, m) is reachable.
    """
    points = [(0, 0)]
    for p, q in anchors:
        if p + 1 <= n and q + 1 <= m:
            points.append((p, q))
            points.append((p + 1, q + 1))
    points.append((n, m))
    point_rows = np.array([p for p, _ in points])
    point_cols = np.array([q for _, q in points])
    # the path at row i lies right of every point above it and left of every point below
    passed = np.maximum.accumulate(point_cols)
    ahead = np.minimum.accumulate(point_cols[::-1])[::-1]
    boundaries = np.arange(n + 1)
    before = np.searchsorted(point_rows, boundaries, side="left") - 1
    after = np.searchsorted(point_rows, boundaries, side="right")
    lower = np.where(before >= 0, passed[np.maximum(before, 0)], 0)
    upper = np.where(after < len(points), ahead[np.minimum(after, len(points) - 1)], m)
    lo = np.clip(lower - width, 0, m)
    hi = np.clip(upper + width, 0, m)
    lo[0] = 0
    hi[n] = m
    lo = np.maximum.accumulate(lo)
    hi = np.maximum.accumulate(hi)
    hi = np.maximum(hi, lo)
    return Band(lo, hi)


def best_path(
    band: Band,
    scores: Mapping[tuple[int, int], np.ndarray],
    null_score: float,
) -> list[tuple[int, int, int, int]]:
    """Beads (i0, i1, j0, j1) of the best-scoring monotone path from (0, 0) to (n, m).

    ``scores[(a, b)]`` holds, for every band cell (i, j), the score of the bead
    source[i-a:i] ↔ target[j-b:j] (-inf where it cannot be). 1-0 and 0-1 beads are always
    allowed and score ``null_score`` each. A row's cells take the best of every bead type
    at once (one gather over the types' predecessor cells), so the loop runs per row only.
    """
    lo, hi, offsets = band.lo, band.hi, band.offsets
    types = [(1, 0), (0, 1), *scores]
    # every type but 0-1 (swept within the row below), in the order ties are settled in
    stacked_types = np.array([0, *range(2, len(types))], dtype=np.int8)
    predecessors = band.predecessors([types[t] for t in stacked_types])
    stacked = np.empty(predecessors.shape)
    stacked[0] = null_score
    for row, bead_scores in enumerate(scores.values(), 1):
        stacked[row] = bead_scores
    stacked[predecessors < 0] = -np.inf
    best = np.full(band.size + 1, -np.inf)  # the last cell stands for "no predecessor"
    back = np.full(band.size, -1, dtype=np.int8)
    for i in range(band.n + 1):
        start, stop = int(offsets[i]), int(offsets[i + 1])
        width = stop - start
        candidates = best[predecessors[:, start:stop]] + stacked[:, start:stop]
        choice = np.argmax(candidates, axis=0)
        row = candidates[choice, np.arange(width)]
        pointer = np.where(row > -np.inf, stacked_types[choice], -1).astype(np.int8)
        if i == 0:
            row[0] = 0.0  # cell (0, 0), where every path starts: lo[0] is 0
        # 0-1 beads within the row: row[k] = max over k' <= k of row[k'] + (k - k') * null
        steps = np.arange(width) * null_score
        swept = np.maximum.accumulate(row - steps) + steps
        better = swept > row + 1e-12
        row[better] = swept[better]
        pointer[better] = 1
        best[start:stop] = row
        back[start:stop] = pointer
    beads = []
    i, j = band.n, int(hi[band.n])
    while i > 0 or j > 0:
        t = int(back[offsets[i] + j - lo[i]])
        if t < 0:
            raise RuntimeError("alignment search found no path")  # a band bug, not input
        a, b = types[t]
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads
